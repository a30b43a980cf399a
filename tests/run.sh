#!/bin/sh
# The whole test suite: build and test normally, then again under
# AddressSanitizer + UndefinedBehaviorSanitizer.  Run from anywhere;
# build directories are created next to the sources (build/, build-asan/).
#   tests/run.sh            both builds
#   tests/run.sh --fast     the normal build only
# Unless --fast, each fuzz target then runs for FUZZ_SECONDS (10) under
# libFuzzer (tests/fuzz/run.sh; needs clang and libclang-rt-14-dev).
set -eu
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
# ---- fuzz: each target a short, fixed time (tests/fuzz/README.md) ----
if [ "${1:-}" != --fast ]; then
    "$src/tests/fuzz/run.sh"
fi
echo "==> all tests passed"
