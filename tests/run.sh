#!/bin/sh
# The whole test suite.  Run from anywhere; build directories are created
# next to the sources.
#   build/          gcc, RelWithDebInfo, warnings as errors: every test
#   build-asan/     clang, AddressSanitizer + UndefinedBehaviorSanitizer,
#                   warnings as errors: every test again
#   build-release/  gcc, Release, warnings as errors: builds (a packager's
#                   optimised build must stay warning-free) and lints the
#                   bundled examples
#   build-fuzz/     clang libFuzzer targets, each run FUZZ_SECONDS (10)
#                   over its saved corpus (tests/fuzz/run.sh)
# Usage: tests/run.sh [--fast]   (--fast: build/ only)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
fast=false
for a in "$@"; do
    case $a in
    --fast) fast=true ;;
    -h | --help)
        sed -n '2,12s/^# \{0,1\}//p' "$0"
        exit 0 ;;
    *)
        echo "tests/run.sh: unknown option '$a' (try --help)" >&2
        exit 2 ;;
    esac
done

configure_build() {
    dir=$1; shift
    echo "==> $dir: configure and build"
    cmake -S "$src" -B "$src/$dir" -DKAFKAUDIT_WERROR=ON "$@" >/dev/null
    cmake --build "$src/$dir" -j "$jobs"
}

run() {
    dir=$1
    configure_build "$@"
    # the unit tests need cmocka: a suite without them is no suite
    if ! ctest --test-dir "$src/$dir" -N -L unit | grep -q 'unit/'; then
        echo "tests/run.sh: no unit tests in $dir (is libcmocka-dev installed?)" >&2
        exit 1
    fi
    echo "==> $dir: test"
    ctest --test-dir "$src/$dir" --output-on-failure -j "$jobs"
}

run build
if ! $fast; then
    command -v clang >/dev/null || { echo "tests/run.sh: clang is needed for build-asan" >&2; exit 1; }
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        run build-asan -DCMAKE_C_COMPILER=clang \
            -DKAFKAUDIT_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=Debug
    configure_build build-release -DCMAKE_BUILD_TYPE=Release
    echo "==> build-release: lint the bundled examples"
    rc=0
    "$src/build-release/kafkaudit" lint --each "$src"/examples/*/bad "$src"/examples/*/good \
        >/dev/null || rc=$?
    [ "$rc" = 1 ] || { echo "tests/run.sh: release build's lint of examples exited $rc, want 1" >&2; exit 1; }
fi
# ---- fuzz: each target a short, fixed time (tests/fuzz/README.md) ----
if ! $fast; then
    "$src/tests/fuzz/run.sh"
fi
echo "==> all tests passed"
