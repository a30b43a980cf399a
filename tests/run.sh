#!/bin/sh
# The whole test suite: build and test normally, then again under
# AddressSanitizer + UndefinedBehaviorSanitizer.  Run from anywhere;
# build directories are created next to the sources (build/, build-asan/).
#   tests/run.sh            both builds
#   tests/run.sh --fast     the normal build only
set -eu
case "${1:-}" in
'' | --fast) ;;
-h | --help)
    sed -n '2,6s/^# \{0,1\}//p' "$0"
    exit 0
    ;;
*)
    echo "tests/run.sh: unknown argument '$1' (--fast, --help)" >&2
    exit 2
    ;;
esac
src=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)

run() {
    dir=$1; shift
    echo "==> $dir: configure and build"
    cmake -S "$src" -B "$src/$dir" "$@" >/dev/null
    cmake --build "$src/$dir" -j "$jobs"
    echo "==> $dir: test"
    ctest --test-dir "$src/$dir" --output-on-failure -j "$jobs"
}

run build
if [ "${1:-}" != --fast ]; then
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        run build-asan -DKAFKAUDIT_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=Debug
fi
echo "==> all tests passed"
