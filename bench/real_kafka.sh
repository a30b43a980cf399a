#!/bin/bash
# Benchmarks on a real Apache Kafka cluster (three KRaft nodes from
# tests/kafka/cluster.sh, on this machine), each ratio measured in the same
# run, with the requests each tool sent:
#
#   isr:   kafkaudit isr --under-replicated  vs  kafka-topics.sh --describe
#          --under-replicated-partitions (TopicCommand)  vs  kcat -L, on
#          2,000 partitions (10 topics x 200, RF 3) while one node is paused
#          and fenced, so that every partition it holds is under-replicated;
#          the same partitions from all three.
#   lag:   kafkaudit lag on 500 groups  vs  kafka-consumer-groups.sh
#          --describe --all-groups; the same lags.
#   check: kafkaudit check, wall time and requests.
#
#   bench/real_kafka.sh [VERSION] [BUILD_DIR]     (default: 4.4.0 build)
# Each tool runs RUNS (3) times, alternating; medians are reported.
# Targets: isr and lag >= 10x faster than Kafka's tools.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
V=${1:-4.4.0}
build=$(cd "${2:-$src/build}" && pwd)
K=$build/kafkaudit
CO=$build/bench/bench_commit_offsets
for b in "$K" "$CO"; do
    [ -x "$b" ] || { echo "missing $b: build first (cmake --build $build)"; exit 2; }
done
runs=${RUNS:-3}
topics=${TOPICS:-10} parts=${PARTS:-200} ngroups=${GROUPS_N:-500}
KC_SELF=$src/tests/kafka/cluster.sh
. "$src/tests/kafka/cluster.sh"
tmp=$(mktemp -d) || exit 1
trap 'kc_stop; rm -rf "$tmp"' EXIT
trap 'kc_stop; rm -rf "$tmp"; trap - EXIT; exit 130' INT TERM
export KC_SCRATCH_PARENT=${KC_SCRATCH_PARENT:-$build}
ms() { date +%s%3N; }

kc_start "$V" || exit 1
trap 'kc_stop; rm -rf "$tmp"' EXIT
trap 'kc_stop; rm -rf "$tmp"; trap - EXIT; exit 130' INT TERM
echo "Kafka $V, 3 KRaft nodes on 127.0.0.1, started in ${KC_START_SECONDS}s"

t0=$(ms)
for i in $(seq -w 0 $((topics - 1))); do
    kc_topics --create --topic "b-t$i" --partitions "$parts" --replication-factor 3 >/dev/null || exit 1
done
kc_topics --create --topic lag-t --partitions 4 --replication-factor 3 >/dev/null || exit 1
seq 1 400 | kcat -P -b "$KC_B1" -t lag-t -X acks=all 2>/dev/null
t1=$(ms)
# (the first commits create __consumer_offsets; the helper repeats the
# groups whose commit met a coordinator still loading)
ok=0
"$CO" "$KC_B1" lag-t 4 10 bg "$ngroups" 2>"$tmp/co.err" && ok=1
sed 's/^/  bench_commit_offsets: /' "$tmp/co.err"
[ $ok = 1 ] || { echo "committing offsets failed"; cat "$tmp/co.err"; exit 1; }
t2=$(ms)
echo "set-up: $((topics * parts)) partitions in $((t1 - t0)) ms; $ngroups groups committed in $((t2 - t1)) ms (bench_commit_offsets)"

# wait until every partition has its leader and full ISR
full() {
    n=$("$K" isr -b "$KC_B1" --exclude-internal --under-replicated --json 2>/dev/null | jq '.partitions | length')
    [ "${n:-1}" = 0 ]
}
lim=$(( $(date +%s) + 120 ))
until full; do [ "$(date +%s)" -ge $lim ] && { echo "the cluster never settled"; exit 1; }; sleep 1; done

# pause a node that is not the active controller nor the bootstrap node
ctl=$(kc_active_controller)
for n in 3 2; do [ "$n" != "$ctl" ] && P=$n && break; done
kc_pause "$P"
fenced() {
    n=$("$K" isr -b "$KC_B1" --exclude-internal --under-replicated --json 2>/dev/null | jq '.partitions | length')
    [ "${n:-0}" = $((topics * parts + 4)) ]
}
lim=$(( $(date +%s) + 60 ))
until fenced; do [ "$(date +%s)" -ge $lim ] && { echo "node $P was never fenced"; exit 1; }; sleep 0.5; done
echo "node $P paused and fenced: every partition under-replicated"

# ---- isr ------------------------------------------------------------------------
: >"$tmp/k.ms"; : >"$tmp/j.ms"; : >"$tmp/c.ms"
for r in $(seq 1 "$runs"); do
    a=$(ms); "$K" isr -b "$KC_B1" --exclude-internal --under-replicated >"$tmp/k.out" 2>/dev/null; b=$(ms)
    echo $((b - a)) >>"$tmp/k.ms"
    a=$(ms); kc_topics --describe --exclude-internal --under-replicated-partitions >"$tmp/j.out" 2>/dev/null; b=$(ms)
    echo $((b - a)) >>"$tmp/j.ms"
    a=$(ms); kcat -L -J -b "$KC_B1" >"$tmp/c.out" 2>/dev/null; b=$(ms)
    echo $((b - a)) >>"$tmp/c.ms"
done
med() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
"$K" isr -b "$KC_B1" --exclude-internal --under-replicated --json 2>/dev/null |
    jq -r '.partitions[] | "\(.topic) \(.partition)"' | sort >"$tmp/k.set"
sed -n 's/.*Topic: \([^ 	]*\)[ 	]*Partition: \([0-9]*\).*/\1 \2/p' "$tmp/j.out" | sort >"$tmp/j.set"
jq -r '.topics[] | select(.topic | startswith("__") | not) | .topic as $t | .partitions[] |
    select((.isrs | length) < (.replicas | length)) | "\($t) \(.partition)"' "$tmp/c.out" | sort >"$tmp/c.set"
same=no
cmp -s "$tmp/k.set" "$tmp/j.set" && cmp -s "$tmp/k.set" "$tmp/c.set" && same=yes
kstats=$("$K" isr -b "$KC_B1" --exclude-internal --under-replicated --stats 2>&1 >/dev/null | tr '\n' ' ')
creq=$(kcat -L -b "$KC_B1" -d protocol 2>&1 >/dev/null | grep -o 'Sent [A-Za-z]*Request' | sort | uniq -c |
    awk '{printf "%s %s, ", $3, $1}')
km=$(med "$tmp/k.ms") jm=$(med "$tmp/j.ms") cm=$(med "$tmp/c.ms")
echo
echo "isr: $(wc -l <"$tmp/k.set") under-replicated partitions of $((topics * parts + 4)); same answer from all three: $same"
awk -v k="$km" -v j="$jm" -v c="$cm" -v runs="$runs" 'BEGIN {
    printf "  median of %d runs                                   wall ms\n", runs
    printf "  kafka-topics --describe --under-replicated-partitions %6d\n", j
    printf "  kcat -L -J (every partition, ISR counted by jq)       %6d\n", c
    printf "  kafkaudit isr --under-replicated                      %6d\n", k
    printf "  kafkaudit vs kafka-topics: %.1fx faster (target >= 10x); vs kcat: %.2fx\n", j / k, c / k
}'
echo "  requests: kafkaudit: $kstats"
echo "  requests: kcat: ${creq%, }"

# ---- lag ---------------------------------------------------------------------------
kc_resume "$P"
lim=$(( $(date +%s) + 90 ))
until full; do [ "$(date +%s)" -ge $lim ] && { echo "ISR never recovered"; exit 1; }; sleep 1; done
: >"$tmp/k.ms"; : >"$tmp/j.ms"
for r in $(seq 1 "$runs"); do
    a=$(ms); "$K" lag -b "$KC_BOOTSTRAP" --json >"$tmp/kl.json" 2>/dev/null; b=$(ms)
    echo $((b - a)) >>"$tmp/k.ms"
    a=$(ms); kc_groups --describe --all-groups >"$tmp/jl.out" 2>/dev/null; b=$(ms)
    echo $((b - a)) >>"$tmp/j.ms"
done
jq -r '.groups[] | .group as $g | .partitions[] | "\($g) \(.topic) \(.partition) \(.committed) \(.log_end) \(.lag)"' \
    "$tmp/kl.json" | sort >"$tmp/kl.set"
awk '$1 ~ /^bg/ && $4 ~ /^[0-9]+$/ {print $1, $2, $3, $4, $5, $6}' "$tmp/jl.out" | sort >"$tmp/jl.set"
same=no
cmp -s "$tmp/kl.set" "$tmp/jl.set" && same=yes
kstats=$("$K" lag -b "$KC_BOOTSTRAP" --stats 2>&1 >/dev/null | tr '\n' ' ')
km=$(med "$tmp/k.ms") jm=$(med "$tmp/j.ms")
echo
echo "lag: $(jq '.groups | length' "$tmp/kl.json") groups, $(wc -l <"$tmp/kl.set") partition rows, total lag $(jq .total_lag "$tmp/kl.json"); same lags as kafka-consumer-groups: $same"
awk -v k="$km" -v j="$jm" -v runs="$runs" 'BEGIN {
    printf "  median of %d runs                                   wall ms\n", runs
    printf "  kafka-consumer-groups --describe --all-groups         %6d\n", j
    printf "  kafkaudit lag                                         %6d\n", k
    printf "  kafkaudit vs kafka-consumer-groups: %.1fx faster (target >= 10x)\n", j / k
}'
echo "  requests: kafkaudit: $kstats"

# ---- check ---------------------------------------------------------------------------
: >"$tmp/k.ms"
for r in $(seq 1 "$runs"); do
    a=$(ms); "$K" check -b "$KC_BOOTSTRAP" -q >/dev/null 2>&1; b=$(ms)
    echo $((b - a)) >>"$tmp/k.ms"
done
kstats=$("$K" check -b "$KC_BOOTSTRAP" --stats 2>&1 >/dev/null | grep -i request | tr '\n' ' ')
echo
echo "check: median of $runs runs $(med "$tmp/k.ms") ms on $((topics * parts + 4)) partitions and $ngroups groups"
echo "  requests: kafkaudit: $kstats"
