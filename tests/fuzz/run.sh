#!/bin/sh
# Build the libFuzzer targets (clang, ASan + UBSan) in build-fuzz/ and run
# each for a fixed time, over its saved corpus and the seeds (examples/,
# tests/fixtures/, rules/).  Fails on the first crash, leak, sanitizer
# report, timeout or out-of-memory; the reproducer is left in
# build-fuzz/artifacts/ (copy it into tests/fuzz/corpus/<target>/ once fixed).
#   tests/fuzz/run.sh                   every target, FUZZ_SECONDS (10) each
#   FUZZ_SECONDS=600 tests/fuzz/run.sh rules expr   a longer campaign of two
# New inputs that add coverage go to build-fuzz/corpus/<target>/, not to
# the tree.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
b=$src/build-fuzz
secs=${FUZZ_SECONDS:-10}
CC=clang cmake -S "$src" -B "$b" -DKAFKAUDIT_FUZZ=ON -DKAFKAUDIT_TESTS=OFF \
    -DKAFKAUDIT_BENCH=OFF -DKAFKAUDIT_SANITIZE=address,undefined \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$b" --target fuzz_targets -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
mkdir -p "$b/artifacts"
targets=${*:-$(cut -d' ' -f1 "$b/tests/fuzz/seeds.txt")}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in $targets; do
    seeds=$(grep "^$t " "$b/tests/fuzz/seeds.txt" | cut -d' ' -f2- | tr ';' ' ')
    mkdir -p "$b/corpus/$t"
    echo "==> fuzz $t: ${secs}s"
    # -timeout: one input taking 10 s is a hang; -rss_limit_mb: a blow-up
    "$b/tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -dict="$src/tests/fuzz/kafka.dict" -print_final_stats=0 \
        -artifact_prefix="$b/artifacts/$t-" \
        "$b/corpus/$t" "$src/tests/fuzz/corpus/$t" $seeds >"$b/fuzz-$t.log" 2>&1 || {
        tail -50 "$b/fuzz-$t.log"
        echo "FAIL fuzz $t: see $b/fuzz-$t.log and $b/artifacts/"
        exit 1
    }
    grep -E "^#[0-9]+.*DONE|Done [0-9]+ runs" "$b/fuzz-$t.log" | tail -1
done
echo "==> fuzz: no crash in $targets"
