#!/bin/sh
# Live commands against librdkafka's own mock cluster (the second wire
# protocol peer, beside the scenario broker): golden text and JSON output
# of isr, lag, check and snapshot.  The mock has no DescribeConfigs,
# ListGroups or DescribeGroups, so these cases also pin down how each
# command reports what it could not read.  Its committed offsets and log
# ends are real (produced and committed by tests/mock/mock_cluster.c), so
# lag is exact; its leaders are placed at random, so the leader column is
# normalised and checked separately (it must be one of the replicas).
#
# Golden cases: tests/cli/cases/mock-*/ with
#   mock-cmd   shell snippet; $KAFKAUDIT, $B (bootstrap)
#   stdout, stderr, status   expectations after normalisation;
#              UPDATE_GOLDEN=1 rewrites them.
set -u
KAFKAUDIT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD_DIR:-$(dirname "$KAFKAUDIT")}
MOCK=$BUILD/tests/kafkaudit_mock_cluster
export KAFKAUDIT NO_COLOR=1 LC_ALL=C KAFKAUDIT_TODAY=2026-11-24
unset GITHUB_ACTIONS KAFKAUDIT_RULES_DIR KAFKA_BOOTSTRAP_SERVERS
[ -x "$MOCK" ] || { echo "FAIL: $MOCK is not built"; exit 1; }
# sanitizer builds: librdkafka's own leak against brokers without the group
# APIs is suppressed (tests/mock/lsan.supp); librdkafka has no frame
# pointers, so the suppression needs the slow unwinder to see rd_kafka_new
export LSAN_OPTIONS="suppressions=$here/../mock/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"

tmp=$(mktemp -d) || exit 1
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# 3 brokers; topics t000 and t001 of 4 partitions, RF 3, 10 messages each;
# groups g0000..g0002 with committed offsets (g + partition) % 11
"$MOCK" --brokers 3 --topics 2 --partitions 4 --rf 3 --messages 10 --groups 3 \
    --ports-file "$tmp/ports" >/dev/null 2>"$tmp/mock.err" &
pid=$!
i=0
while [ ! -s "$tmp/ports" ]; do
    i=$((i + 1))
    if [ $i -gt 600 ] || ! kill -0 $pid 2>/dev/null; then
        echo "FAIL: the mock cluster did not start"; cat "$tmp/mock.err"; exit 1
    fi
    sleep 0.05
done
B=$(cat "$tmp/ports")
export B

normalize() {
    sed -E -e 's/127\.0\.0\.1:[0-9]+/127.0.0.1:PORT/g' \
        -e 's/(port|"port"): [0-9]+/\1: PORT/g' \
        -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/TIME/g' \
        -e 's/"requests": [0-9]+/"requests": N/' \
        -e 's/"(leader|coordinator)": ?[0-9]+/"\1":L/g' \
        -e 's/(leader|coordinator): [0-9]+/\1: L/g' \
        -e 's/^(t00[0-9] +[0-9]+ +)[0-9]( )/\1L\2/' \
        -e 's/mockCluster[0-9a-f]+/MOCK-CLUSTER-ID/g' \
        -e "s#$tmp#TMP#g"
}

. "$here/golden_lib.sh"
fail=0 n=0
for dir in "$here"/cases/mock-*/; do
    [ -f "$dir/mock-cmd" ] || continue
    name=$(basename "$dir")
    n=$((n + 1))
    (cd "$tmp" && timeout 60 sh "$dir/mock-cmd" >"$tmp/out.raw" 2>"$tmp/err.raw"; echo $? >"$tmp/status")
    normalize <"$tmp/out.raw" >"$tmp/out"
    normalize <"$tmp/err.raw" >"$tmp/err"
    golden_check "$dir" "$name" always
done

# the normalised leader: every partition has one, and it is a replica
n=$((n + 1))
"$KAFKAUDIT" isr -b "$B" --json 2>/dev/null >"$tmp/isr.json"
bad=$(jq '[.partitions[] | select(.leader == null or (.leader as $l | .replicas | index($l)) == null)] | length' "$tmp/isr.json")
total=$(jq '.partitions | length' "$tmp/isr.json")
if [ "$bad" = 0 ] && [ "$total" = 8 ]; then
    echo "ok   leaders-are-replicas"
else
    echo "FAIL leaders-are-replicas: $bad of $total partitions"; fail=$((fail + 1))
fi

echo "$n passed, $fail failed" | sed "s/^$n passed/$((n - fail)) passed/"
[ $fail = 0 ]
