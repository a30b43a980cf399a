#!/bin/sh
# isr benchmark: `kafkaudit isr --json` beside `kcat -L -J` against the same
# librdkafka mock cluster of 3 brokers and 100,000 partitions (10 topics x
# 10,000 partitions, RF 3), served by bench_mock_cluster in its own process.
# Both tools make one Metadata request and print every partition as JSON;
# kafkaudit also classifies each partition (kafka-topics.sh predicates) and
# asks DescribeConfigs (which the mock cluster does not serve).
#
#   bench/isr.sh [BUILD_DIR]          (default: build)
# Targets: wall time <= 1.2x kcat's, peak RSS <= 1.5x kcat's.  The tools
# run alternately, RUNS (9) times each; medians and the largest RSS count.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
K=$build/kafkaudit
M=$build/bench/bench_measure
C=$build/bench/bench_mock_cluster
for b in "$K" "$M" "$C"; do
    [ -x "$b" ] || { echo "missing $b: build first (cmake --build $build)"; exit 2; }
done
command -v kcat >/dev/null || { echo "kcat is needed (apt-get install kcat)"; exit 2; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
runs=${RUNS:-9}
topics=${TOPICS:-10} parts=${PARTITIONS:-10000}

"$C" --brokers 3 --topics "$topics" --partitions "$parts" --rf 3 \
    --ports-file "$tmp/ports" >/dev/null 2>"$tmp/mock.err" &
pid=$!
i=0
while [ ! -s "$tmp/ports" ]; do
    i=$((i + 1)); [ $i -gt 1200 ] && { echo "mock cluster did not start"; cat "$tmp/mock.err"; exit 1; }
    sleep 0.1
done
B=$(cat "$tmp/ports")
total=$((topics * parts))

# warm-up, and check both see every partition
n_k=$("$K" isr --json -b "$B" 2>/dev/null | grep -c '"partition":' || true)
n_c=$(kcat -L -J -b "$B" | grep -o '"partition":' | wc -l)
echo "mock cluster: 3 brokers, $total partitions; kafkaudit lists $n_k, kcat $n_c"

# Alternate the two tools run by run, so that load from elsewhere on the
# machine hits both alike; report medians and the largest RSS.
: >"$tmp/c" && : >"$tmp/k"
r=0
while [ $r -lt "$runs" ]; do
    "$M" 1 kcat -L -J -b "$B" >>"$tmp/c"
    "$M" 1 "$K" isr --json -b "$B" 2>/dev/null >>"$tmp/k"
    r=$((r + 1))
done
med() { sort -n -k1,1 "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
maxrss() { sort -n -k2,2 "$1" | tail -1 | awk '{ print $2 }'; }
c_ms=$(med "$tmp/c") c_rss=$(maxrss "$tmp/c")
k_ms=$(med "$tmp/k") k_rss=$(maxrss "$tmp/k")
"$K" isr --json -b "$B" --stats 2>&1 >/dev/null | tail -1 | sed 's/^/kafkaudit: /'

awk -v km="$k_ms" -v cm="$c_ms" -v kr="$k_rss" -v cr="$c_rss" -v runs="$runs" 'BEGIN {
    tr = km / cm; rr = kr / cr
    printf "median of %d runs   wall ms   peak RSS KiB\n", runs
    printf "kcat -L -J          %7.1f   %12d\n", cm, cr
    printf "kafkaudit isr       %7.1f   %12d\n", km, kr
    printf "ratio               %7.2fx  %11.2fx   (targets <= 1.20x, <= 1.50x)\n", tr, rr
    ok = (tr <= 1.2 && rr <= 1.5)
    print ok ? "PASS" : "FAIL"
    exit ok ? 0 : 1
}'
