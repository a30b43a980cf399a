#!/bin/sh
# kafkaudit top: cost per refresh (see bench/README.md, "top").
#   bench/top.sh [BUILD_DIR]
# 1. bench_top: the evaluators, memory and drawing on in-memory models of
#    100,000 partitions and 1,000 groups (1,000,000 group partitions).
# 2. When Debian's python3-kafka is there: the real binary against the
#    scenario broker's big.yaml (same shape), `top --batch`, per refresh
#    collection time and the process's CPU.
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build}
REFRESHES=${REFRESHES:-20}
"$BUILD/bench/bench_top" "$REFRESHES" "$SRC/rules"

PY=/usr/bin/python3
B=$SRC/tests/broker/kafka_scenario_broker.py
if ! $PY -c 'import kafka, yaml' 2>/dev/null; then
    echo "(no python3-kafka: live part skipped)"
    exit 0
fi
tmp=$(mktemp -d)
trap '$PY "$B" ctl --control-port-file "$tmp/ctl" quit >/dev/null 2>&1; rm -rf "$tmp"' EXIT
$PY "$B" "$SRC/tests/broker/scenarios/big.yaml" -q --ports-file "$tmp/ports" \
    --control-port-file "$tmp/ctl" --lifetime 300 --watch-pid $$ >/dev/null 2>"$tmp/err" &
while [ ! -s "$tmp/ports" ]; do sleep 0.1; done
N=${N:-4}
echo
echo "live: kafkaudit top --batch -n $N against the scenario broker's big.yaml (no rules)"
/usr/bin/time -f "%U %S %M %e" -o "$tmp/time" "$BUILD/kafkaudit" top -b "$(cat "$tmp/ports")" \
    --batch -n "$N" --interval 1s -v overview --no-builtin-rules --timeout 60s >"$tmp/out"
grep '^kafkaudit top:' "$tmp/out" | sed 's/.* at [0-9-]* [0-9:]*, /  /'
read -r user sys rss wall <"$tmp/time"
echo "  process: $user s user + $sys s system CPU for $N refreshes, peak RSS $rss KiB, wall $wall s"
# (stdout, not -o /dev/null: snapshot -o writes a temporary file and renames
# it over the target, which would replace /dev/null itself when run as root)
/usr/bin/time -f "%U %S" -o "$tmp/snap" "$BUILD/kafkaudit" snapshot -b "$(cat "$tmp/ports")" \
    --timeout 60s >"$tmp/snapshot.yaml" 2>/dev/null
read -r suser ssys <"$tmp/snap"
echo "  one collection alone (kafkaudit snapshot): $suser s user + $ssys s system CPU"
