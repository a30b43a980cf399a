#!/bin/sh
# lag benchmark: `kafkaudit lag` over 1,000 groups with committed offsets
# beside a baseline that fetches one group at a time (bench_lag_baseline:
# committed offsets, then that group's log ends, group after group - the
# way kafka-consumer-groups.sh --all-groups works).  Both run against the
# same librdkafka mock cluster: 3 brokers, 10 topics x 16 partitions, 50
# messages per partition, groups g0000..g0999 each committed on every
# partition of one topic, and a round-trip time of 5 ms per request
# (RTT=...), standing in for a network between the tool and the brokers.
#
#   bench/lag.sh [BUILD_DIR]          (default: build)
# Target: >= 10x faster.  The number of requests each sent is printed.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
K=$build/kafkaudit
C=$build/bench/bench_mock_cluster
L=$build/bench/bench_lag_baseline
for b in "$K" "$C" "$L"; do
    [ -x "$b" ] || { echo "missing $b: build first (cmake --build $build)"; exit 2; }
done
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
groups=${GROUPS_N:-1000} rtt=${RTT:-5}

"$C" --brokers 3 --topics 10 --partitions 16 --messages 50 --groups "$groups" --rtt "$rtt" \
    --ports-file "$tmp/ports" >/dev/null 2>"$tmp/mock.err" &
pid=$!
i=0
while [ ! -s "$tmp/ports" ]; do
    i=$((i + 1)); [ $i -gt 1200 ] && { echo "mock cluster did not start"; cat "$tmp/mock.err"; exit 1; }
    sleep 0.1
done
B=$(cat "$tmp/ports")
echo "mock cluster: 3 brokers, 160 partitions, $groups groups, RTT ${rtt} ms"

# The mock cluster has no ListGroups: name the groups.
seq -f 'g%04g' 0 $((groups - 1)) | sed 's/^/-g /' | tr '\n' ' ' >"$tmp/gargs"

ms() { date +%s%3N; }
t0=$(ms)
# shellcheck disable=SC2046
"$K" lag -b "$B" $(cat "$tmp/gargs") --totals --stats >"$tmp/k.out" 2>"$tmp/k.err" || true
k_ms=$(( $(ms) - t0 ))
k_lag=$(sed -n 's/^total lag \([0-9]*\) over.*/\1/p' "$tmp/k.out")
k_req=$(sed -n 's/^\([0-9]*\) requests in.*/\1/p' "$tmp/k.err")
k_detail=$(sed -n 's/^[0-9]* requests in [0-9]* ms (\(.*\))/\1/p' "$tmp/k.err")

set -- $("$L" "$B" --prefix g --count "$groups")
b_lag=$6 b_req=$8 b_ms=${10}

echo "                     wall ms   requests   total lag"
printf "baseline (1 group)   %7d   %8d   %9d\n" "$b_ms" "$b_req" "$b_lag"
printf "kafkaudit lag        %7d   %8d   %9d\n" "$k_ms" "$k_req" "$k_lag"
echo "kafkaudit requests: $k_detail"
awk -v k="$k_ms" -v b="$b_ms" -v kl="$k_lag" -v bl="$b_lag" 'BEGIN {
    r = b / k
    printf "speed-up %.1fx (target >= 10x); same total lag: %s\n", r, (kl == bl ? "yes" : "NO")
    ok = (r >= 10 && kl == bl)
    print ok ? "PASS" : "FAIL"
    exit ok ? 0 : 1
}'
