#!/bin/sh
# Fault matrix of the live commands (check, snapshot, isr, lag, top): one
# injected fault at a time against the scenario broker
# (tests/broker/scenarios/faults.yaml, many-groups.yaml) and librdkafka's
# mock cluster (thousands of groups, a short --timeout).  For each fault:
# no crash, no abort, no run past --timeout by more than a second, and
# everything not read is unknown - exit status 4, JSON null and
# *_complete false, '-' / 'N+' in text - never 0, never complete, never
# safe.
set -u
KAFKAUDIT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
SRC=${SOURCE_DIR:-$(cd "$here/../.." && pwd)}
BUILD=${BUILD_DIR:-$(dirname "$KAFKAUDIT")}
PY=/usr/bin/python3
BROKER=$SRC/tests/broker/kafka_scenario_broker.py
export NO_COLOR=1 LC_ALL=C
unset KAFKA_BOOTSTRAP_SERVERS GITHUB_ACTIONS

if [ ! -x "$PY" ] || ! "$PY" -c 'import kafka, yaml' 2>/dev/null || ! command -v jq >/dev/null; then
    echo "SKIP: $PY with python3-kafka and python3-yaml, and jq, are needed"
    exit 0
fi

tmp=$(mktemp -d) || exit 1
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    for p in $pids; do wait "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
cd "$tmp" || exit 1

start_broker() { # NAME SCENARIO
    "$PY" "$BROKER" "$SRC/tests/broker/scenarios/$2.yaml" -q --trap-write-apis \
        --ports-file "$tmp/$1.ports" --control-port-file "$tmp/$1.ctl" \
        --lifetime 600 --watch-pid $$ >/dev/null 2>"$tmp/$1.err" &
    pids="$pids $!"
}
wait_file() {
    i=0
    while [ ! -s "$1" ]; do
        i=$((i + 1))
        if [ $i -gt 600 ]; then echo "FAIL: $1 never appeared"; cat "$tmp"/*.err; exit 1; fi
        sleep 0.05
    done
}
ctl() { # NAME COMMAND...
    n_=$1
    shift
    "$PY" "$BROKER" ctl --control-port-file "$tmp/$n_.ctl" "$@" >/dev/null
}

start_broker f faults
start_broker mg many-groups
"$BUILD/tests/kafkaudit_mock_cluster" --brokers 3 --topics 10 --partitions 4 --groups 3000 \
    --ports-file "$tmp/mock.ports" >/dev/null 2>"$tmp/mock.err" &
pids="$pids $!"
wait_file "$tmp/f.ports"
wait_file "$tmp/mg.ports"
wait_file "$tmp/mock.ports"
F=$(cat "$tmp/f.ports")

fail=0 n=0
ms() { date +%s%3N; }

# run TIMEOUT_S COMMAND... -> $rc, out, err; fails on a crash or on a run
# past the deadline (+1 s, +0.5 s for a loaded machine)
run() {
    lim=$(( ($1 + 1) * 1000 + 500 ))
    shift
    t0=$(ms)
    timeout 60 "$@" >out 2>err
    rc=$?
    took=$(( $(ms) - t0 ))
    crashed=0
    if [ $rc -ge 124 ] || grep -Eq 'Assertion|AddressSanitizer|runtime error|LeakSanitizer' err; then
        crashed=1
    fi
    if [ $took -gt $lim ]; then crashed=1; fi
}

# ok NAME CONDITION...: CONDITION is a shell command list (eval'ed)
ok() {
    name=$1
    shift
    n=$((n + 1))
    if [ $crashed = 0 ] && eval "$*"; then
        echo "ok   $name"
    else
        echo "FAIL $name: status $rc, ${took} ms (crashed or late: $crashed); wanted: $*"
        # the groups first: the JSON header would push them out of view
        jq -c '.groups[]? | {group, state, lag, lag_complete, error}' out 2>/dev/null ||
            head -c 1500 out
        head -20 err
        fail=$((fail + 1))
    fi
}

# ---- crashes: coordinator errors on OffsetFetch, once and for good ----------------
for e in NOT_COORDINATOR COORDINATOR_NOT_AVAILABLE; do
    for cmd in "lag" "check --no-config" "snapshot -o $tmp/s.yaml" "top --batch -n 1"; do
        ctl f error "{name: once, api: OffsetFetch, group: reporting, error: $e, times: 1}"
        # shellcheck disable=SC2086
        run 5 "$KAFKAUDIT" $cmd -b "$F" --timeout 5s
        ok "$e once: $cmd: no crash" '[ $rc -le 4 ]'
        ctl f clear-errors
    done
done
# retried: reporting is read although its coordinator said no at first
for e in NOT_COORDINATOR COORDINATOR_NOT_AVAILABLE COORDINATOR_LOAD_IN_PROGRESS; do
    ctl f error "{name: twice, api: OffsetFetch, group: reporting, error: $e, times: 2}"
    run 5 "$KAFKAUDIT" lag -b "$F" -g reporting --timeout 5s --json
    ok "$e twice: retried, read" \
        '[ $rc = 0 ] && [ "$(jq -c "[.total_lag, .total_lag_complete, .groups[0].lag_complete]" out)" = "[120,true,true]" ]'
    ctl f clear-errors
done
ctl f error "{name: unstable, api: OffsetFetch, topic: orders, partition: 0, error: UNSTABLE_OFFSET_COMMIT, times: 2}"
run 5 "$KAFKAUDIT" lag -b "$F" -g reporting --timeout 5s --json
ok "UNSTABLE_OFFSET_COMMIT: retried, read" '[ $rc = 0 ] && [ "$(jq .total_lag out)" = 120 ]'
ctl f clear-errors

# ---- isolation: one coordinator that never helps --------------------------------
ctl f error "{name: ops, api: OffsetFetch, group: ops, error: NOT_COORDINATOR}"
run 3 "$KAFKAUDIT" lag -b "$F" --timeout 3s --json
ok "ops' coordinator refuses: ops unknown, the others read" \
    '[ $rc = 4 ] && jq -e ".total_lag_complete == false and (.groups[] | select(.group == \"ops\") | .lag == null and .lag_complete == false and .error != null) and (.groups[] | select(.group == \"reporting\") | .lag == 120 and .lag_complete)" out >/dev/null'
run 3 "$KAFKAUDIT" lag -b "$F" -g reporting --timeout 3s
ok "lag -g reporting works while ops' coordinator refuses" \
    '[ $rc = 0 ] && grep -q "^total lag 120 over 1 group$" out'
ctl f clear-errors
# a coordinator that stalls DescribeGroups: its groups fail alone, in time
ctl f error "{name: stall, api: DescribeGroups, on_broker: 3, delay_ms: 60000}"
run 4 "$KAFKAUDIT" lag -b "$F" --timeout 4s --json
ok "DescribeGroups stalled on broker 3: the other groups still read" \
    '[ $rc = 4 ] && jq -e "(.groups[] | select(.group == \"reporting\") | [.partitions[].committed] == [60, 60, 60]) and (.groups[] | select(.group == \"billing\") | .state == \"Stable\") and (.groups[] | select(.group == \"ops\") | .lag == null and .error != null)" out >/dev/null'
ctl f clear-errors

# ---- unread is unknown ----------------------------------------------------------------
# assigned, nothing committed (billing orders-2): '-', not 0, not complete
run 5 "$KAFKAUDIT" lag -b "$F" -g billing --timeout 5s --json
ok "assigned, nothing committed: lag null, incomplete, exit 4" \
    '[ $rc = 4 ] && jq -e "(.groups[0].partitions[] | select(.partition == 2) | .lag == null and .committed == null) and .groups[0].lag == 30 and .groups[0].lag_complete == false and .total_lag_complete == false" out >/dev/null'
run 5 "$KAFKAUDIT" lag -b "$F" -g billing --timeout 5s
ok "assigned, nothing committed: text '-' and '30+'" \
    '[ $rc = 4 ] && grep -Eq "^billing +orders +2 +- +100 +- " out && grep -q "^total lag 30+ over 1 group$" out'
# a per-partition OffsetFetch error
ctl f error "{name: perr, api: OffsetFetch, topic: orders, error: UNKNOWN_TOPIC_OR_PARTITION}"
run 5 "$KAFKAUDIT" lag -b "$F" -g reporting --timeout 5s --json
ok "per-partition OffsetFetch errors: incomplete, exit 4" \
    '[ $rc = 4 ] && jq -e ".groups[0].lag == null and .groups[0].lag_complete == false and .total_lag_complete == false and (.groups[0].partitions[] | select(.partition == 1) | .lag == null and .error != null)" out >/dev/null'
ctl f clear-errors
# ListGroups failing on every broker, then on one
ctl f error "{name: lg, api: ListGroups, error: COORDINATOR_NOT_AVAILABLE}"
run 5 "$KAFKAUDIT" lag -b "$F" --timeout 5s --json
ok "ListGroups fails: groups unknown, not 'lag 0'" \
    '[ $rc = 4 ] && jq -e ".groups_complete == false and .total_lag_complete == false and .total_lag == null" out >/dev/null'
run 5 "$KAFKAUDIT" lag -b "$F" --timeout 5s
ok "ListGroups fails: text says the list is incomplete" \
    '[ $rc = 4 ] && grep -q "^total lag - over 0+ groups (the list of groups is incomplete)$" out'
ctl f clear-errors
ctl f error "{name: lg3, api: ListGroups, on_broker: 3, error: COORDINATOR_NOT_AVAILABLE}"
run 5 "$KAFKAUDIT" lag -b "$F" --timeout 5s --json
ok "ListGroups fails on broker 3: the others' groups read, the list incomplete" \
    '[ $rc = 4 ] && jq -e ".groups_complete == false and .total_lag_complete == false and (.groups[] | select(.group == \"reporting\") | .lag == 120)" out >/dev/null'
ctl f clear-errors
# a ListGroups answer that crashes librdkafka's parser: contained
ctl f error "{name: mal, api: ListGroups, on_broker: 2, error: MALFORMED}"
for cmd in "lag --json" "check --no-config -f json"; do
    # shellcheck disable=SC2086
    run 5 "$KAFKAUDIT" $cmd -b "$F" --timeout 5s
    ok "malformed ListGroups answer: $cmd survives, groups unknown" \
        '[ $rc = 4 ] && grep -q "ListGroups: librdkafka crashed reading a ListGroups answer" err && jq -e ". != null" out >/dev/null'
done
run 5 "$KAFKAUDIT" lag -b "$F" -g reporting --timeout 5s --json
ok "malformed ListGroups answer: lag -g reporting still reads reporting" \
    'jq -e ".groups[0].lag == 120" out >/dev/null'
ctl f clear-errors
# a KIP-848 group: alive with the state ListGroups gives, offsets and lag
# read, members unknown (null, and exit 4: lag shows them)
run 5 "$KAFKAUDIT" lag -b "$F" -g modern --timeout 5s --json
ok "KIP-848 group: not Dead, listed state, lag read, members unknown" \
    '[ $rc = 4 ] && jq -e ".groups[0].state == \"Stable\" and .groups[0].lag == 15 and .groups[0].lag_complete and .groups[0].members == null" out >/dev/null && grep -q "group modern: its members are unknown" err'

# ---- configurations: an answer that leaves a topic out ----------------------------
ctl f error "{name: om, api: DescribeConfigs, topic: audit, error: OMIT}"
run 5 "$KAFKAUDIT" check -b "$F" --no-config -f json --timeout 5s
ok "DescribeConfigs omits audit: incomplete, under-replicated still reported, no judging on defaults" \
    '[ $rc = 4 ] && jq -e ".summary.complete == false and ([.findings[] | select(.rule == \"KA601\")] | length > 0) and ([.findings[] | select(.object.name == \"audit\")] | length == 0)" out >/dev/null'
run 5 "$KAFKAUDIT" isr -b "$F" -t audit --without-broker 1 --timeout 5s
ok "DescribeConfigs omits audit: isr --without-broker 1 is not safe" \
    '[ $rc != 0 ] && ! grep -q "no partition would be" out && grep -q "cannot tell for 2 partitions" out'
ctl f clear-errors
run 5 "$KAFKAUDIT" isr -b "$F" --without-broker 99 --timeout 5s
ok "--without-broker 99: an error naming the brokers" \
    '[ $rc = 2 ] && grep -q "no broker 99 (its brokers: 1, 2, 3)" err && ! grep -q "no partition would be" out'
run 5 "$KAFKAUDIT" isr -b "$F" -t audit --without-broker 3 --json --timeout 5s
ok "already under min ISR before the restart: reported apart" \
    '[ $rc = 1 ] && jq -e ".summary.already_at_risk == 1 and (.partitions[] | select(.partition == 1) | .already_at_risk)" out >/dev/null'

# ---- an unreachable cluster: reported in seconds, every report written ------------
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
U=127.0.0.1:$port
t0=$(ms)
run 30 "$KAFKAUDIT" check -b "$U" --no-config -f sarif -o json="$tmp/u.json" -o junit="$tmp/u.xml"
ok "unreachable: check reports within 5 s" '[ $rc = 4 ] && [ $took -le 5000 ]'
ok "unreachable: SARIF on stdout says the run did not succeed" \
    'jq -e ".runs[0].invocations[0].executionSuccessful == false" out >/dev/null'
ok "unreachable: -o json and junit written, complete false" \
    'jq -e ".summary.complete == false" "$tmp/u.json" >/dev/null && xmllint --noout "$tmp/u.xml"'
ok "unreachable: JUnit does not pass every case (the cluster case is in error)" \
    '[ "$(xmllint --xpath "string(/testsuites/@errors)" "$tmp/u.xml")" -ge 1 ]'
run 30 "$KAFKAUDIT" isr -b "$U" --json
ok "unreachable: isr --json written, complete false" \
    '[ $rc = 4 ] && [ $took -le 5000 ] && jq -e ".complete == false" out >/dev/null'
run 30 "$KAFKAUDIT" lag -b "$U" --json
ok "unreachable: lag --json written, nothing complete" \
    '[ $rc = 4 ] && jq -e ".total_lag == null and .total_lag_complete == false and .groups_complete == false" out >/dev/null'

# -b at an HTTP port: librdkafka reads "HTTP" as a response size of
# 1213486160 and advises raising receive.message.max.bytes; say it is HTTP
"$PY" -c '
import socket, sys, threading
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
def h(c):
    try:
        c.recv(4096); c.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"); c.close()
    except OSError:
        pass
while True:
    c, _ = s.accept(); threading.Thread(target=h, args=(c,), daemon=True).start()
' "$tmp/http.port" &
pids="$pids $!"
wait_file "$tmp/http.port"
run 30 "$KAFKAUDIT" check -b "127.0.0.1:$(cat "$tmp/http.port")" --no-config --timeout 5
ok "HTTP port: said to answer HTTP, without the receive.message.max.bytes advice" \
    '[ $rc = 4 ] && grep -q "the port answers HTTP, not the Kafka protocol" err && ! grep -q "receive.message.max.bytes" err'

# ---- formats and round trips ----------------------------------------------------------
run 5 "$KAFKAUDIT" check -b "$F" --no-config -f junit --timeout 5s
ok "check --format junit with findings is valid XML" \
    '[ $rc = 1 ] && grep -q "<failure" out && xmllint --noout out'
long=$("$PY" -c 'print("g" * 1500)')
ctl f set "groups.$long" "{state: Empty, coordinator: 1, offsets: {orders: {0: 5}}}"
ctl f set broker_configs.static.default.replication.factor 1
run 5 "$KAFKAUDIT" snapshot -b "$F" -o "$tmp/snap.yaml" --timeout 5s
"$KAFKAUDIT" lint --no-config -f json "$tmp/snap.yaml" >"$tmp/lint.json" 2>"$tmp/lint.err"
lrc=$?
ok "snapshot with a 1,500-character group id reads back" \
    '[ $rc = 0 ] && [ $lrc != 3 ] && jq -e "[.findings[] | select(.object.name | test(\"^g{1500}$\"))] | length > 0" "$tmp/lint.json" >/dev/null'
ok "a topic without partitions has no replication-factor findings" \
    'jq -e "[.findings[] | select(.object.name == \"empty\")] | length == 0" "$tmp/lint.json" >/dev/null && grep -q "partitions: \[\]" "$tmp/snap.yaml" && [ "$(grep -c "^  \"empty\":" "$tmp/snap.yaml")" = 1 ]'
ctl f set "groups.$long" ""
ctl f set broker_configs.static.default.replication.factor 3

# ---- top: messages deleted unread are never OK --------------------------------------
ctl f set topics.orders.partitions.0.log_start 95
run 5 "$KAFKAUDIT" top -b "$F" --batch -n 1 -v groups --timeout 5s
ok "top: a group whose messages were deleted unread is LOST, not OK!" \
    '[ $rc = 0 ] && grep -Eq "^LOST +reporting " out && ! grep -q "OK!" out'
ctl f set topics.orders.partitions.0.log_start 0

# ---- a broker lost (last: it changes the ISRs for good) -----------------------------
# a broker down: its groups move, the command still ends in time
ctl f broker-down 3
run 5 "$KAFKAUDIT" lag -b "$F" --timeout 5s --json
ok "broker 3 down: no crash, in time, nothing unread called complete" \
    '[ $rc = 0 ] || { [ $rc = 4 ] && jq -e ".total_lag_complete == false" out >/dev/null; }'
run 5 "$KAFKAUDIT" isr -b "$F" --timeout 5s --without-broker 2
ok "broker 3 down: the restart gate of broker 2 is not safe" '[ $rc = 1 ] || [ $rc = 4 ]'
ctl f broker-up 3

# ---- deadline races: thousands of groups, a short --timeout -------------------------
MG=$(cat "$tmp/mg.ports")
for t in 1 2; do
    for cmd in lag "check --no-config"; do
        # shellcheck disable=SC2086
        run $t "$KAFKAUDIT" $cmd -b "$MG" --timeout ${t}s
        ok "3,000 groups, --timeout ${t}s: $cmd" '[ $rc = 0 ] || [ $rc = 1 ] || [ $rc = 4 ]'
    done
done
M=$(cat "$tmp/mock.ports")
# sanitizer builds: librdkafka's own leak against brokers without the group
# APIs (tests/mock/lsan.supp, as in test_live_mock_cli.sh)
LSAN_OPTIONS="suppressions=$SRC/tests/mock/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
export LSAN_OPTIONS ASAN_OPTIONS
G=$("$PY" -c 'print(" ".join("-g g%04d" % i for i in range(3000)))')
for t in 200ms 300ms 500ms 500ms 1s; do
    # shellcheck disable=SC2086
    run 1 "$KAFKAUDIT" lag -b "$M" --timeout $t $G --json
    ok "mock cluster, 3,000 groups, --timeout $t: no abort, unread is incomplete" \
        '[ $rc = 4 ] && jq -e ".total_lag_complete == ([.groups[].lag_complete] | all) and all(.groups[] | select(.error != null); .lag_complete == false)" out >/dev/null'
done

# ---- what kafkaudit never sends -------------------------------------------------------
n=$((n + 1))
for b in f mg; do
    "$PY" "$BROKER" ctl --control-port-file "$tmp/$b.ctl" stats >"$tmp/$b.stats"
done
if jq -e '.forbidden == {} or .forbidden == 0 or (.forbidden | length == 0)' "$tmp/f.stats" >/dev/null &&
    jq -e '.forbidden == {} or .forbidden == 0 or (.forbidden | length == 0)' "$tmp/mg.stats" >/dev/null; then
    echo "ok   no write API sent under any fault"
else
    echo "FAIL no write API: $(jq -c .forbidden "$tmp/f.stats") $(jq -c .forbidden "$tmp/mg.stats")"
    fail=$((fail + 1))
fi

echo "$((n - fail)) passed, $fail failed"
[ $fail = 0 ]
