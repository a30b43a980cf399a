#!/bin/sh
# The whole test suite: build and test normally, then again under
# AddressSanitizer + UndefinedBehaviorSanitizer.  Run from anywhere;
# build directories are created next to the sources (build/, build-asan/).
# The normal build also runs the tests against real Apache Kafka (3.9 and
# 4.x, three KRaft nodes each, tests/kafka/): they need java and mvn, and
# Maven Central the first time (the jars are cached outside the tree).
usage() {
    cat <<'USAGE'
usage: tests/run.sh [--fast] [--no-real-kafka] [--help]

Builds kafkaudit and runs every test: normal build (with the real-Kafka
tests), then the AddressSanitizer + UndefinedBehaviorSanitizer build.

  --fast            the normal build only (no sanitizer build)
  --no-real-kafka   skip the tests against real Apache Kafka (for machines
                    without Java, Maven or Maven Central); says so loudly.
                    Never use it in CI.
  --help            this text; runs nothing
USAGE
}
set -eu
fast=0 real_kafka=ON
for a in "$@"; do
    case $a in
        --fast) fast=1 ;;
        --no-real-kafka) real_kafka=OFF ;;
        -h | --help) usage; exit 0 ;;
        *) echo "tests/run.sh: unknown option '$a'" >&2; usage >&2; exit 2 ;;
    esac
done
src=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)

loud_skip() {
    cat >&2 <<'MSG'
################################################################################
###  WARNING: the tests against real Apache Kafka were SKIPPED (--no-real-kafka)
###  Only librdkafka's mock cluster and the scenario broker were used.
###  This run does not show that kafkaudit works against real brokers.
################################################################################
MSG
}

run() {
    dir=$1; shift
    echo "==> $dir: configure and build"
    cmake -S "$src" -B "$src/$dir" "$@" >/dev/null
    cmake --build "$src/$dir" -j "$jobs"
    echo "==> $dir: test"
    ctest --test-dir "$src/$dir" --output-on-failure -j "$jobs"
}

[ $real_kafka = OFF ] && loud_skip
run build -DKAFKAUDIT_REAL_KAFKA=$real_kafka
if [ $fast = 0 ]; then
    # the real-Kafka tests run in the normal build only: under the
    # sanitizers the same live code paths run against the mock cluster and
    # the scenario broker, and two more Kafka clusters would double the time
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        run build-asan -DKAFKAUDIT_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=Debug \
            -DKAFKAUDIT_REAL_KAFKA=OFF
fi
[ $real_kafka = OFF ] && loud_skip
echo "==> all tests passed"
