#!/bin/sh
# No live command hangs past --timeout: against a closed local port
# (connection refused), a listener that accepts and never answers, and
# scenario brokers that stall chosen APIs for a minute.  Every run must end
# with exit status 4 (or the partial-audit status) within the deadline plus
# a second.
set -u
KAFKAUDIT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
SRC=${SOURCE_DIR:-$(cd "$here/../.." && pwd)}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
export NO_COLOR=1 LC_ALL=C
unset KAFKA_BOOTSTRAP_SERVERS

tmp=$(mktemp -d) || exit 1
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    for p in $pids; do wait "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

TIMEOUT_S=2
# No live command outlives --timeout by more than a second (kafkaudit(1),
# --timeout), plus half a second for a loaded machine or a sanitizer build.
LIMIT_MS=$(( (TIMEOUT_S + 1) * 1000 + 500 ))
fail=0 n=0

ms() { date +%s%3N; }

# expect NAME STATUS... -- COMMAND...: run COMMAND, check status and time
expect() {
    name=$1
    shift
    want=""
    while [ "$1" != "--" ]; do want="$want $1"; shift; done
    shift
    n=$((n + 1))
    t0=$(ms)
    timeout 60 "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    took=$(( $(ms) - t0 ))
    ok=0
    for w in $want; do [ "$rc" = "$w" ] && ok=1; done
    if [ $ok = 1 ] && [ $took -le $LIMIT_MS ]; then
        echo "ok   $name (${took} ms, status $rc)"
    else
        echo "FAIL $name: status $rc (want$want), ${took} ms (limit $LIMIT_MS)"
        head -5 "$tmp/err"
        fail=$((fail + 1))
    fi
}

# ---- a closed local port ---------------------------------------------------------
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
B=127.0.0.1:$port
for cmd in "check" "snapshot" "isr" "lag" "isr --without-broker 1"; do
    # shellcheck disable=SC2086
    expect "refused: $cmd" 4 -- "$KAFKAUDIT" $cmd -b "$B" --timeout ${TIMEOUT_S}s
done
n=$((n + 1))
if grep -q "Connection refused" "$tmp/err" && grep -q "hint:" "$tmp/err" && grep -q "$B" "$tmp/err"; then
    echo "ok   refused: names the broker, the cause and a hint"
else
    echo "FAIL refused: message"; cat "$tmp/err"; fail=$((fail + 1))
fi
printf 'producers:\n  p: {topics: [t]}\n' >"$tmp/app.yaml"
expect "refused: lint -b" 4 -- "$KAFKAUDIT" lint "$tmp/app.yaml" -b "$B" --timeout ${TIMEOUT_S}s --no-config

# ---- a listener that accepts and never answers -------------------------------------
"$PY" - "$tmp/hole.port" <<'EOF' &
import os, socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(64)
tmp = sys.argv[1] + ".tmp"
open(tmp, "w").write(str(s.getsockname()[1]))
os.rename(tmp, sys.argv[1])
held = []
deadline = time.time() + 300
s.settimeout(1)
while time.time() < deadline:
    try:
        c, _ = s.accept()
        held.append(c)          # never read, never answer
    except socket.timeout:
        pass
EOF
pids="$pids $!"
i=0
while [ ! -s "$tmp/hole.port" ] && [ $i -lt 200 ]; do i=$((i + 1)); sleep 0.05; done
B=127.0.0.1:$(cat "$tmp/hole.port")
for cmd in "check" "snapshot" "isr" "lag"; do
    # shellcheck disable=SC2086
    expect "silent: $cmd" 4 -- "$KAFKAUDIT" $cmd -b "$B" --timeout ${TIMEOUT_S}s
done

# ---- scenario brokers that stall APIs ------------------------------------------------
if "$PY" -c 'import kafka, yaml' 2>/dev/null; then
    "$PY" "$SRC/tests/broker/kafka_scenario_broker.py" "$SRC/tests/broker/scenarios/basic.yaml" -q \
        --ports-file "$tmp/sb.ports" --control-port-file "$tmp/sb.ctl" --lifetime 300 \
        --watch-pid $$ >/dev/null 2>"$tmp/sb.err" &
    pids="$pids $!"
    i=0
    while [ ! -s "$tmp/sb.ports" ] && [ $i -lt 600 ]; do i=$((i + 1)); sleep 0.05; done
    B=$(cat "$tmp/sb.ports")
    ctl() { "$PY" "$SRC/tests/broker/kafka_scenario_broker.py" ctl --control-port-file "$tmp/sb.ctl" "$@" >/dev/null; }
    for api in DescribeConfigs OffsetFetch ListOffsets DescribeGroups ListGroups; do
        ctl error "{name: stall, api: $api, delay_ms: 60000}"
        expect "stalled $api: check" 4 -- "$KAFKAUDIT" check -b "$B" --timeout ${TIMEOUT_S}s --no-config
        if [ $api = DescribeConfigs ]; then
            expect "stalled $api: isr" 4 -- "$KAFKAUDIT" isr -b "$B" --timeout ${TIMEOUT_S}s
        else
            expect "stalled $api: lag" 4 -- "$KAFKAUDIT" lag -b "$B" --timeout ${TIMEOUT_S}s
        fi
        ctl clear-errors stall
    done
    # a broker that drops every DescribeConfigs connection: partial, not hung
    ctl error "{name: drop, api: DescribeConfigs, action: close}"
    expect "closed DescribeConfigs: check" 4 -- "$KAFKAUDIT" check -b "$B" --timeout ${TIMEOUT_S}s --no-config
    expect "closed DescribeConfigs: check --allow-partial" 0 1 -- "$KAFKAUDIT" check -b "$B" --timeout ${TIMEOUT_S}s --no-config --allow-partial
    ctl clear-errors
else
    echo "SKIP scenario-broker stalls: python3-kafka missing"
fi

echo "$((n - fail)) passed, $fail failed"
[ $fail = 0 ]
