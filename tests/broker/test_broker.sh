#!/bin/bash
# Self-test of the scenario test broker against the real client library:
# builds probe.c (librdkafka), starts the broker on the bundled scenarios and
# asserts what librdkafka / kcat see.  Never sleeps for pass/fail: readiness
# is the ports file, timeline progress is acknowledged on the control
# channel, every client call runs under `timeout`.
#
#   tests/broker/test_broker.sh          (KEEP=1 keeps the work directory)
#
# Ends with "N passed, N failed"; exit status 0 only if nothing failed.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
BROKER="$HERE/kafka_scenario_broker.py"
SCEN="$HERE/scenarios"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ksb-test.XXXXXX")
PROBE="$WORK/probe"
PASS=0
FAIL=0
PIDS=()

cleanup() {
    local p
    for p in "${PIDS[@]}"; do
        kill "$p" 2>/dev/null
    done
    for p in "${PIDS[@]}"; do
        timeout 5 tail --pid="$p" -f /dev/null 2>/dev/null
        kill -9 "$p" 2>/dev/null
    done
    if [ "${KEEP:-0}" = 1 ]; then
        echo "work directory kept: $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ok()   { PASS=$((PASS + 1)); }
bad()  { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }

# check DESC COMMAND...  -> pass if the command succeeds
check() {
    local desc=$1
    shift
    if "$@"; then ok; else bad "$desc"; fi
}

# has FILE REGEX [DESC]  -> a line of FILE matches the extended regex
has() {
    if grep -Eq -- "$2" "$1"; then ok; else bad "${3:-$2} (in $(basename "$1"))"; fi
}
hasnt() {
    if grep -Eq -- "$2" "$1"; then bad "unexpected: ${3:-$2} (in $(basename "$1"))"; else ok; fi
}

# start NAME SCENARIO [broker args...]: starts a broker, waits for its ports
# file, sets NAME_BOOT / NAME_CTL / NAME_PID / NAME_LOG.
start() {
    local name=$1 scen=$2
    shift 2
    local d="$WORK/$name"
    mkdir -p "$d"
    "$PY" "$BROKER" "$scen" --ports-file "$d/ports" --control-port-file "$d/ctl" \
        --log "$d/requests.log" --lifetime 120 --watch-pid $$ "$@" \
        >"$d/stdout" 2>"$d/stderr" &
    local pid=$!
    PIDS+=("$pid")
    local i
    for i in $(seq 200); do
        [ -s "$d/ports" ] && break
        if ! kill -0 "$pid" 2>/dev/null; then break; fi
        sleep 0.05
    done
    if [ ! -s "$d/ports" ]; then
        bad "broker $name did not start"
        cat "$d/stderr"
        exit 1
    fi
    printf -v "${name}_BOOT" '%s' "$(cat "$d/ports")"
    printf -v "${name}_CTL" '%s' "$d/ctl"
    printf -v "${name}_PID" '%s' "$pid"
    printf -v "${name}_LOG" '%s' "$d/requests.log"
}

# ctl NAME COMMAND...: one control command, reply on stdout
ctl() {
    local f="${1}_CTL"
    shift
    timeout 30 "$PY" "$BROKER" ctl --control-port-file "${!f}" "$@"
}

# probe NAME OUTFILE ARGS...: run the librdkafka probe (stderr to OUTFILE.err)
probe() {
    local b="${1}_BOOT" out=$2
    shift 2
    timeout 40 "$PROBE" -b "${!b}" -t 5000 "$@" >"$out" 2>"$out.err"
}

# jq-less JSON assertions: pyjson FILE PYTHON_EXPR (d = parsed JSON)
pyjson() {
    "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"
}

echo "== build probe"
if ! gcc -Wall -Wextra -Werror -o "$PROBE" "$HERE/probe.c" -lrdkafka; then
    bad "probe.c does not build"
    exit 1
fi
ok

echo "== scenario self-checks"
for s in "$SCEN"/basic.yaml "$SCEN"/incident.yaml "$SCEN"/authz.yaml; do
    check "--check $(basename "$s")" "$PY" "$BROKER" --check "$s" -q >/dev/null
done

# ---------------------------------------------------------------------------
echo "== basic.yaml"
start B "$SCEN/basic.yaml"
O="$WORK/B"

timeout 30 kcat -L -J -b "$B_BOOT" >"$O/kcat.json" 2>"$O/kcat.err"
check "kcat -L -J exits 0" test $? -eq 0
check "kcat: 3 brokers, controller 1" pyjson "$O/kcat.json" \
    "len(d['brokers']) == 3 and d['controllerid'] == 1"
check "kcat: payments-1 ISR [2], payments-2 leader -1" pyjson "$O/kcat.json" \
    "[[i['id'] for i in p['isrs']] for t in d['topics'] if t['topic'] == 'payments' for p in t['partitions']] == [[1,2],[2],[3],[1,2,3]] and [p['leader'] for t in d['topics'] if t['topic'] == 'payments' for p in t['partitions']][2] == -1"
check "kcat: internal topics listed" pyjson "$O/kcat.json" \
    "{'__consumer_offsets', '__transaction_state'} <= {t['topic'] for t in d['topics']}"

probe B "$O/md.txt" metadata
has "$O/md.txt" '^cluster_id basic-cluster-0001$'
has "$O/md.txt" '^controller 1$'
has "$O/md.txt" '^broker 2 127\.0\.0\.1 [0-9]+$'
has "$O/md.txt" '^partition orders 0 err=NO_ERROR leader=1 replicas=1,2,3 isr=1,2,3$'
has "$O/md.txt" '^partition payments 0 err=NO_ERROR leader=1 replicas=1,2,3 isr=1,2$' "under-replicated, at min ISR"
has "$O/md.txt" '^partition payments 1 err=NO_ERROR leader=2 replicas=2,3,1 isr=2$' "under min ISR"
has "$O/md.txt" '^partition payments 2 err=LEADER_NOT_AVAILABLE leader=-1 replicas=3,1,2 isr=3$' "leaderless"
has "$O/md.txt" '^topic __consumer_offsets partitions=50 err=NO_ERROR$'

probe B "$O/cfg.txt" configs topic orders -- configs topic payments min.insync.replicas \
    -- configs topic legacy-events unclean.leader.election.enable -- configs broker 1 \
    -- configs broker 2 log.flush.interval.messages min.insync.replicas
has "$O/cfg.txt" '^config TOPIC orders min.insync.replicas value=2 source=DYNAMIC_TOPIC_CONFIG readonly=0 default=0 sensitive=0 synonyms=DYNAMIC_TOPIC_CONFIG:min.insync.replicas=2,DYNAMIC_DEFAULT_BROKER_CONFIG:min.insync.replicas=2,DEFAULT_CONFIG:min.insync.replicas=1$'
has "$O/cfg.txt" '^config TOPIC orders compression.type value=producer source=DEFAULT_CONFIG readonly=0 default=1 '
has "$O/cfg.txt" '^config TOPIC payments min.insync.replicas value=2 source=DYNAMIC_DEFAULT_BROKER_CONFIG '
has "$O/cfg.txt" '^config TOPIC legacy-events unclean.leader.election.enable value=true source=DYNAMIC_TOPIC_CONFIG '
has "$O/cfg.txt" '^config BROKER 1 ssl.keystore.password value=\(null\) source=STATIC_BROKER_CONFIG readonly=0 default=0 sensitive=1 synonyms=STATIC_BROKER_CONFIG:ssl.keystore.password=\(null\)$' "sensitive value is null"
hasnt "$O/cfg.txt" 'changeit' "sensitive value leaked"
has "$O/cfg.txt" '^config BROKER 1 broker.rack value=rack-a source=STATIC_BROKER_CONFIG readonly=1 '
has "$O/cfg.txt" '^config BROKER 1 default.replication.factor value=3 source=STATIC_BROKER_CONFIG readonly=1 '
has "$O/cfg.txt" '^config BROKER 1 min.insync.replicas value=2 source=DYNAMIC_DEFAULT_BROKER_CONFIG readonly=0 '
has "$O/cfg.txt" '^config BROKER 1 unclean.leader.election.enable value=false source=DEFAULT_CONFIG readonly=0 default=1 '
has "$O/cfg.txt" '^configresource BROKER 2 entries=2$' "config-name filter"
has "$O/cfg.txt" '^config BROKER 2 log.flush.interval.messages value=10000 source=DYNAMIC_BROKER_CONFIG '

probe B "$O/groups.txt" groups -- describe billing reporting ghost never-seen \
    -- offsets billing -- offsets reporting -- offsets billing orders:0,nosuch:0 \
    -- watermarks orders 0 -- watermarks orders 1 -- times orders 0 1700000100000 \
    -- times orders 0 1900000000000
has "$O/groups.txt" '^groups count=2 errors=0$'
has "$O/groups.txt" '^group billing state=Stable simple=0$'
has "$O/groups.txt" '^group reporting state=Empty simple=0$'
hasnt "$O/groups.txt" '^group ghost' "Dead group listed"
has "$O/groups.txt" '^describe billing err=NO_ERROR state=Stable assignor=range coordinator=2 simple=0 members=2$'
has "$O/groups.txt" '^member billing client_id=billing-1 host=/10\.0\.0\.5 consumer_id=[^ ]+ instance_id=\(null\) assignment=orders:0,orders:1$'
has "$O/groups.txt" '^member billing client_id=billing-2 host=/10\.0\.0\.6 consumer_id=[^ ]+ instance_id=billing-static-2 assignment=orders:2,payments:0,payments:1,payments:2,payments:3$'
has "$O/groups.txt" '^describe reporting err=NO_ERROR state=Empty .*coordinator=3 .*members=0$'
has "$O/groups.txt" '^describe ghost err=NO_ERROR state=Dead '
has "$O/groups.txt" '^describe never-seen err=NO_ERROR state=Dead '
has "$O/groups.txt" '^offsets billing err=NO_ERROR count=7$' "OffsetFetch v7 null topics = all"
has "$O/groups.txt" '^offset billing payments 1 250 err=NO_ERROR'
has "$O/groups.txt" '^offset reporting orders 1 50 err=NO_ERROR' "committed below log_start"
has "$O/groups.txt" '^offset reporting legacy-events 1 17 err=NO_ERROR metadata=nightly-run$'
has "$O/groups.txt" '^offsets billing err=NO_ERROR count=2$'
has "$O/groups.txt" '^offset billing nosuch 0 -1001 err=NO_ERROR' "no commit = invalid offset"
has "$O/groups.txt" '^watermarks orders 0 low=0 high=1200 err=NO_ERROR$'
has "$O/groups.txt" '^watermarks orders 1 low=100 high=900 err=NO_ERROR$'
has "$O/groups.txt" '^time orders 0 ts=1700000100000 offset=100 err=NO_ERROR'
has "$O/groups.txt" '^time orders 0 ts=1900000000000 offset=-1 err=NO_ERROR'

# OffsetFetch below v6: librdkafka sends an EMPTY topic array -> nothing.
ctl B set max_versions.OffsetFetch 5 >/dev/null
probe B "$O/of5.txt" offsets billing -- offsets billing orders:0
has "$O/of5.txt" '^offsets billing err=NO_ERROR count=0$' "OffsetFetch v5 + NULL partitions = empty"
has "$O/of5.txt" '^offset billing orders 0 1100 err=NO_ERROR'
ctl B set max_versions.OffsetFetch >/dev/null

# Mixed-version cluster: only broker 3 (coordinator of "reporting") is old.
ctl B set brokers.3.max_versions.OffsetFetch 3 >/dev/null
probe B "$O/mixed.txt" offsets reporting -- offsets billing
has "$O/mixed.txt" '^offsets reporting err=NO_ERROR count=0$' "old coordinator: v3, empty"
has "$O/mixed.txt" '^offsets billing err=NO_ERROR count=7$' "new coordinator: v7, all"
ctl B set brokers.3.max_versions.OffsetFetch >/dev/null

# Every version librdkafka 2.0.2 can request, one API capped at a time.
matrix() {   # API MAXV PROBE-ARGS... ; REGEX in $EXPECT
    local api=$1 maxv=$2 v
    shift 2
    for v in $(seq 0 "$maxv"); do
        ctl B set "max_versions.$api" "$v" >/dev/null
        probe B "$O/matrix.txt" "$@"
        if grep -Eq -- "$EXPECT" "$O/matrix.txt"; then ok; else bad "$api v$v: no /$EXPECT/"; fi
    done
    ctl B set "max_versions.$api" >/dev/null
}
EXPECT='^partition payments 1 err=NO_ERROR leader=2 replicas=2,3,1 isr=2$'
matrix Metadata 4 metadata payments
EXPECT='^offset reporting orders 1 50 err=NO_ERROR'
matrix OffsetFetch 7 offsets reporting orders:1
EXPECT='^member billing client_id=billing-2 .*assignment=orders:2,payments:0,payments:1,payments:2,payments:3$'
matrix DescribeGroups 4 describe billing
EXPECT='^group reporting state=(Empty|Unknown) simple=0$'
matrix ListGroups 4 groups
EXPECT='^describe reporting err=NO_ERROR state=Empty .*coordinator=3 '
matrix FindCoordinator 2 describe reporting
EXPECT='^config TOPIC orders min.insync.replicas value=2 '
matrix DescribeConfigs 1 configs topic orders min.insync.replicas
EXPECT='^watermarks orders 1 low=100 high=900 err=NO_ERROR$'
matrix ListOffsets 2 watermarks orders 1

# Request-level injection: a delayed ListGroups, a dropped DescribeGroups.
ctl B error '{name: slow, api: ListGroups, delay_ms: 200, times: 1}' >/dev/null
ctl B error '{name: drop, api: DescribeGroups, action: close, times: 1}' >/dev/null
probe B "$O/inject.txt" groups -- describe billing -- describe billing
has "$O/inject.txt" '^groups count=2 errors=0$' "delayed ListGroups still answered"
has "$O/inject.txt" '^describe billing err=_TRANSPORT ' "dropped connection surfaces"
has "$O/inject.txt" '^describe billing err=NO_ERROR state=Stable ' "next request fine"
has "$B_LOG" 'api=ListGroups .*ms=(2[0-9][0-9]|[3-9][0-9][0-9])\.' "delay applied"
ctl B clear-errors >/dev/null

# Broker loss / return via the control channel.
ctl B broker-down 2 >"$O/down.json"
check "broker-down 2 acknowledged" pyjson "$O/down.json" "d['ok']"
timeout 30 kcat -L -J -b "$B_BOOT" >"$O/kcat-down.json" 2>/dev/null
check "kcat: broker 2 gone, payments-1 re-elected" pyjson "$O/kcat-down.json" \
    "sorted(b['id'] for b in d['brokers']) == [1, 3] and [p for t in d['topics'] if t['topic'] == 'payments' for p in t['partitions']][1]['leader'] == -1"
ctl B state topic orders >"$O/orders.json"
check "state: orders-1 led by 3, replica 2 offline" pyjson "$O/orders.json" \
    "d['topic']['partitions'][1]['leader'] == 3 and d['topic']['partitions'][1]['offline'] == [2] and d['topic']['partitions'][1]['isr'] == [3, 1]"
probe B "$O/down.txt" describe billing
has "$O/down.txt" '^describe billing err=NO_ERROR state=Stable .*coordinator=(1|3) ' "coordinator moved off broker 2"
ctl B broker-up 2 >/dev/null
probe B "$O/up.txt" metadata orders -- describe billing
has "$O/up.txt" '^broker 2 127\.0\.0\.1 [0-9]+$' "broker 2 back"
has "$O/up.txt" '^partition orders 1 err=NO_ERROR leader=3 replicas=2,3,1 isr=3,1,2$'
has "$O/up.txt" '^describe billing err=NO_ERROR state=Stable .*coordinator=2 '

# ApiVersions capped at v2: the broker answers the v3 request with
# UNSUPPORTED_VERSION in v0 format (KIP-511) and librdkafka retries.
ctl B set max_versions.ApiVersions 2 >/dev/null
probe B "$O/av.txt" metadata orders
has "$O/av.txt" '^partition orders 0 err=NO_ERROR leader=1 '
has "$B_LOG" 'api=ApiVersions v=3 .*outcome=UNSUPPORTED_VERSION' "ApiVersions v3 rejected"
ctl B set max_versions.ApiVersions >/dev/null

# Versions librdkafka 2.0.2 never requests: raw socket, requests encoded with
# python3-kafka's request classes, responses decoded with python3-kafka's
# response classes wherever those are correct (own schemas otherwise); every
# response must be consumed exactly.
"$PY" - "$B_BOOT" "$HERE" >"$O/wire.txt" 2>&1 <<'EOF'
import io, socket, struct, sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[2])
import broker_protocol as P
from kafka.protocol.api import RequestHeader
import kafka.protocol.admin as A, kafka.protocol.metadata as MD
import kafka.protocol.offset as OF, kafka.protocol.commit as CM

# bootstrap order is broker 1, 2, 3
socks = [socket.create_connection((h, int(p)), timeout=10)
         for h, p in (hp.split(':') for hp in sys.argv[1].split(','))]
corr = [0]
bad = []

def call(key, ver, req_schema, req_value, resp_schema, broker=1):
    s = socks[broker - 1]
    corr[0] += 1
    hdr = struct.pack('>hhi', key, ver, corr[0]) + P.STR.encode('wire-test')
    body = req_schema.encode(req_value)
    msg = hdr + body
    s.sendall(struct.pack('>i', len(msg)) + msg)
    n = struct.unpack('>i', s.recv(4, socket.MSG_WAITALL))[0]
    data = b''
    while len(data) < n:
        data += s.recv(n - len(data))
    assert struct.unpack('>i', data[:4])[0] == corr[0], 'correlation id'
    buf = io.BytesIO(data[4:])
    val = resp_schema.decode(buf)
    if buf.tell() != n - 4:
        bad.append('%s v%d: %d trailing bytes' % (P.api_name(key), ver, n - 4 - buf.tell()))
    return P.to_dict(resp_schema, val)

for v in (0, 1, 2):
    r = call(18, v, A.ApiVersionRequest[v].SCHEMA, (), A.ApiVersionResponse[v].SCHEMA)
    assert r['error_code'] == 0 and any(k['api_key'] == 9 and k['max_version'] == 7
                                        for k in r['api_versions']), r
for v in range(0, 6):
    req = ([],) if v < 4 else (None, False)
    if v in (1, 2, 3):
        req = (None,)
    r = call(3, v, MD.MetadataRequest[v].SCHEMA, req, MD.MetadataResponse[v].SCHEMA)
    pay = [t for t in r['topics'] if t['topic'] == 'payments'][0]['partitions']
    assert pay[1]['isr'] == [2] and pay[2]['leader'] == -1, pay
    if v >= 5:
        assert pay[2]['offline_replicas'] == [3], pay
for v in (6, 7, 8):
    req = (None, False) if v < 8 else (None, False, True, True)
    r = call(3, v, P.METADATA.requests[v], req, P.METADATA.responses[v])
    pay = [t for t in r['topics'] if t['topic'] == 'payments'][0]
    assert pay['partitions'][2]['offline_replicas'] == [3]
    if v >= 7:
        # payments-1 lost and regained its leader (broker 2 down/up above)
        assert [p['leader_epoch'] for p in pay['partitions']] == [0, 2, 0, 0], pay
    if v == 8:
        assert pay['topic_authorized_operations'] > 0 and r['cluster_authorized_operations'] > 0
r = call(32, 2, A.DescribeConfigsRequest[2].SCHEMA,
         ([(2, 'orders', ['min.insync.replicas']), (4, '1', ['ssl.keystore.password'])], True),
         A.DescribeConfigsResponse[2].SCHEMA)
e = r['resources'][0]['config_entries'][0]
assert (e['config_value'], e['config_source']) == ('2', 1), e
e = r['resources'][1]['config_entries'][0]
assert e['config_value'] is None and e['is_sensitive'] and e['config_source'] == 4, e
r = call(32, 0, A.DescribeConfigsRequest[0].SCHEMA, ([(2, 'orders', None)],),
         A.DescribeConfigsResponse[0].SCHEMA)
assert {c['config_names']: c['is_default'] for c in r['resources'][0]['config_entries']}['compression.type']
for v in range(0, 6):
    if v == 0:
        req = (-1, [('orders', [(0, -1, 1)])])
    elif v == 1:
        req = (-1, [('orders', [(0, -1)])])
    elif v < 4:
        req = (-1, 0, [('orders', [(0, -2)])])
    else:
        req = (-1, 0, [('orders', [(0, 0, -1)])])
    schema = P.LIST_OFFSETS.requests[v] if v >= 4 else OF.OffsetRequest[v].SCHEMA
    r = call(2, v, schema, req, OF.OffsetResponse[v].SCHEMA)
    p = r['topics'][0]['partitions'][0]
    want = {0: [1200], 1: 1200, 2: 0, 3: 0}.get(v, 1200)
    got = p['offsets'] if v == 0 else p['offset']
    assert p['error_code'] == 0 and got == want, (v, p)
for v in (0, 1, 2, 3):
    req = (['billing'],) if v < 3 else (['billing'], True)
    resp = A.DescribeGroupsResponse[v].SCHEMA if v < 3 else P.DESCRIBE_GROUPS.responses[3]
    r = call(15, v, A.DescribeGroupsRequest[v].SCHEMA, req, resp, broker=2)
    assert r['groups'][0]['state'] == 'Stable' and len(r['groups'][0]['members']) == 2, r
    r = call(15, v, A.DescribeGroupsRequest[v].SCHEMA, req, resp, broker=1)
    assert r['groups'][0]['error_code'] == 16, r   # NOT_COORDINATOR
for v in (0, 1, 2):
    call(16, v, A.ListGroupsRequest[v].SCHEMA, (), A.ListGroupsResponse[v].SCHEMA)
for v in (0, 1, 2, 3):
    r = call(9, v, CM.OffsetFetchRequest[v].SCHEMA, ('reporting', [('orders', [1])]),
             CM.OffsetFetchResponse[v].SCHEMA, broker=3)
    assert r['topics'][0]['partitions'][0]['offset'] == 50, (v, r)
    if v >= 2:
        r = call(9, v, CM.OffsetFetchRequest[v].SCHEMA, ('reporting', None),
                 CM.OffsetFetchResponse[v].SCHEMA, broker=3)
        assert sum(len(t['partitions']) for t in r['topics']) == 4, (v, r)
    r = call(9, v, CM.OffsetFetchRequest[v].SCHEMA, ('reporting', [('orders', [1])]),
             CM.OffsetFetchResponse[v].SCHEMA)
    # coordinator of "reporting" is broker 3; this connection is broker 1
    p = r['topics'][0]['partitions'][0] if r['topics'] else None
    err = r['error_code'] if v >= 2 else p['error_code']
    assert err == 16, (v, r)
r = call(10, 0, CM.GroupCoordinatorRequest[0].SCHEMA, ('reporting',),
         CM.GroupCoordinatorResponse[0].SCHEMA)
assert r['error_code'] == 0 and r['coordinator_id'] == 3, r
print('wire: ok' if not bad else 'wire: ' + '; '.join(bad))
EOF
has "$O/wire.txt" '^wire: ok$' "raw wire-level checks (see $O/wire.txt)"

probe B "$O/nosuch.txt" metadata no-such-topic
has "$O/nosuch.txt" '^topic no-such-topic partitions=0 err=UNKNOWN_TOPIC_OR_PART$'
ctl B stats >"$O/stats.json"
check "no write/forbidden/rejected requests" pyjson "$O/stats.json" \
    "d['stats']['forbidden_total'] == 0 and not d['stats']['rejected'] and not d['stats']['auto_create_topic_requests']"
check "librdkafka used OffsetFetch v7 and Metadata v4" pyjson "$O/stats.json" \
    "d['stats']['versions']['OffsetFetch'].get('7') and d['stats']['versions']['Metadata'].get('4')"
has "$B_LOG" 'api=OffsetFetch v=7 .*topics=null\(all\) trailing_bytes=3' "librdkafka v7 null-topics quirk seen"

# librdkafka's default (producer handle) asks for auto-creation: flagged.
timeout 30 kcat -L -b "$B_BOOT" -t kcat-auto-create >/dev/null 2>&1
ctl B stats >"$O/stats-auto.json"
check "auto-create request flagged" pyjson "$O/stats-auto.json" \
    "d['stats']['auto_create_topic_requests'].get('kcat-auto-create', 0) >= 1"

# SIGTERM: clean and prompt exit.
kill -TERM "$B_PID"
if timeout 10 tail --pid="$B_PID" -f /dev/null; then ok; else bad "broker did not exit on SIGTERM"; fi
wait "$B_PID"
check "exit status 0 after SIGTERM" test $? -eq 0

# ---------------------------------------------------------------------------
echo "== trap mode (write APIs advertised)"
start T "$SCEN/basic.yaml" --trap-write-apis
O="$WORK/T"
probe T "$O/read.txt" metadata -- configs topic orders -- groups -- describe billing -- offsets billing -- watermarks orders 0
ctl T stats >"$O/stats-read.json"
check "read-only probe sends no write API even when advertised" pyjson "$O/stats-read.json" \
    "d['stats']['forbidden_total'] == 0"
echo hello | timeout 20 kcat -P -b "$T_BOOT" -t orders -p 0 -X message.timeout.ms=1500 \
    >/dev/null 2>&1
ctl T stats >"$O/stats-write.json"
check "a producer is caught (Produce counted as forbidden)" pyjson "$O/stats-write.json" \
    "d['stats']['forbidden'].get('Produce', 0) >= 1"

# ---------------------------------------------------------------------------
echo "== incident.yaml (manual clock)"
start I "$SCEN/incident.yaml" --manual-clock
O="$WORK/I"
probe I "$O/t0.txt" metadata orders -- offsets billing -- watermarks orders 0 -- describe billing
has "$O/t0.txt" '^controller 3$'
has "$O/t0.txt" '^offset billing orders 0 9995 err=NO_ERROR' "lag-following commits"
has "$O/t0.txt" '^watermarks orders 0 low=0 high=10000 err=NO_ERROR$'
has "$O/t0.txt" '^describe billing err=NO_ERROR state=Stable assignor=range coordinator=3 simple=0 members=2$'
ctl I advance 10 >/dev/null
probe I "$O/t1.txt" offsets billing orders:0 -- watermarks orders 0
has "$O/t1.txt" '^offset billing orders 0 10095 ' "commits follow the growing log"
has "$O/t1.txt" '^watermarks orders 0 low=0 high=10100 err=NO_ERROR$' "rate 10/s"

ctl I step >"$O/s1.json"
check "step -> isr-shrink" pyjson "$O/s1.json" "d['applied'] == ['isr-shrink']"
timeout 30 kcat -L -J -b "$I_BOOT" -t orders >"$O/kcat-isr.json" 2>/dev/null
check "kcat: orders-0 ISR [1], orders-1 ISR [2,1]" pyjson "$O/kcat-isr.json" \
    "[[i['id'] for i in p['isrs']] for p in d['topics'][0]['partitions']][:2] == [[1], [2, 1]]"

ctl I step broker-3-down >"$O/s2.json"
check "step broker-3-down" pyjson "$O/s2.json" "d['applied'] == ['broker-3-down'] and d['ok']"
probe I "$O/t2.txt" metadata -- describe billing
has "$O/t2.txt" '^controller 1$' "controller moved"
hasnt "$O/t2.txt" '^broker 3 ' "broker 3 still in metadata"
has "$O/t2.txt" '^partition orders 2 err=NO_ERROR leader=1 replicas=3,1,2 isr=1,2$' "re-election"
has "$O/t2.txt" '^partition orders 0 err=NO_ERROR leader=1 replicas=1,2,3 isr=1$'
has "$O/t2.txt" '^describe billing err=NO_ERROR state=Stable .*coordinator=(1|2) ' "coordinator moved"
ctl I state topic orders >"$O/orders.json"
check "state: replica 3 offline everywhere" pyjson "$O/orders.json" \
    "all(p['offline'] == [3] for p in d['topic']['partitions'])"

ctl I step group-stall >/dev/null
ctl I advance 5 >/dev/null
probe I "$O/t3.txt" offsets billing orders:0 -- watermarks orders 0
has "$O/t3.txt" '^offset billing orders 0 10095 ' "commits frozen"
has "$O/t3.txt" '^watermarks orders 0 low=0 high=10650 err=NO_ERROR$' "log keeps growing"

ctl I step recovery >"$O/s4.json"
check "step recovery" pyjson "$O/s4.json" "d['applied'] == ['recovery'] and d['next'] is None"
probe I "$O/t4.txt" metadata orders -- offsets billing orders:0 -- watermarks orders 0
has "$O/t4.txt" '^broker 3 127\.0\.0\.1 [0-9]+$' "broker 3 back"
has "$O/t4.txt" '^partition orders 0 err=NO_ERROR leader=1 replicas=1,2,3 isr=1,2,3$'
has "$O/t4.txt" '^offset billing orders 0 10650 ' "caught up"
ctl I step >"$O/s5.json"
check "no step after the last" pyjson "$O/s5.json" "not d['ok']"
ctl I stats >"$O/stats.json"
check "incident: no write requests" pyjson "$O/stats.json" "d['stats']['forbidden_total'] == 0"

# `after:` steps fire on their own; wait-step acknowledges without sleeping.
cat >"$WORK/after.yaml" <<'EOF'
brokers: 1
topics:
  t: {partitions: {count: 1, rf: 1, log_end: 5}}
timeline:
  - {name: shrink, after: 0.2s, set: {topics.t.partitions.0.log_start: 3}}
  - {name: manual, set: {topics.t.partitions.0.log_end: 9}}
EOF
start A "$WORK/after.yaml"
ctl A wait-step shrink 10 >"$WORK/A/w.json"
check "after: step applied by itself" pyjson "$WORK/A/w.json" "d['ok']"
ctl A steps >"$WORK/A/steps.json"
check "manual step still pending" pyjson "$WORK/A/steps.json" "d['next'] == 'manual'"
probe A "$WORK/A/w.txt" watermarks t 0
has "$WORK/A/w.txt" '^watermarks t 0 low=3 high=5 err=NO_ERROR$'

# ---------------------------------------------------------------------------
echo "== authz.yaml"
start Z "$SCEN/authz.yaml"
O="$WORK/Z"
probe Z "$O/z.txt" metadata -- metadata hidden -- configs topic secret -- configs topic public retention.ms \
    -- configs broker 3 -- groups -- describe open locked -- offsets locked -- offsets mixed \
    -- offsets mixed secret:0,public:0 -- watermarks secret 0
hasnt "$O/z.txt" '^topic hidden partitions=[0-9]+ err=NO_ERROR' "unauthorized topic in all-topics metadata"
has "$O/z.txt" '^topic hidden partitions=0 err=TOPIC_AUTHORIZATION_FAILED$'
has "$O/z.txt" '^configerror TOPIC secret TOPIC_AUTHORIZATION_FAILED '
has "$O/z.txt" '^config TOPIC public retention.ms value=604800000 source=DEFAULT_CONFIG '
has "$O/z.txt" '^configerror BROKER 3 CLUSTER_AUTHORIZATION_FAILED '
has "$O/z.txt" '^groups count=2 errors=0$'
hasnt "$O/z.txt" '^group locked ' "unauthorized group listed"
has "$O/z.txt" '^describe locked err=GROUP_AUTHORIZATION_FAILED '
has "$O/z.txt" '^describe open err=NO_ERROR state=Stable '
has "$O/z.txt" '^error offsets GROUP_AUTHORIZATION_FAILED ' "OffsetFetch group authz"
has "$O/z.txt" '^offsets mixed err=NO_ERROR count=1$' "unauthorized topic filtered from all-offsets"
has "$O/z.txt" '^offset mixed secret 0 -1001 err=TOPIC_AUTHORIZATION_FAILED '
has "$O/z.txt" '^offset mixed public 0 50 err=NO_ERROR'
has "$O/z.txt" '^watermarks secret 0 low=-1 high=-1 err=TOPIC_AUTHORIZATION_FAILED$'

# ---------------------------------------------------------------------------
echo "== big.yaml (100,000 partitions, 1000 groups)"
T0=$(date +%s%N)
start G "$SCEN/big.yaml"
T1=$(date +%s%N)
probe G "$WORK/G/md.txt" metadata
T2=$(date +%s%N)
probe G "$WORK/G/g.txt" groups -- offsets bench-group-0007
T3=$(date +%s%N)
echo "   startup $(( (T1 - T0) / 1000000 )) ms, full metadata (librdkafka) $(( (T2 - T1) / 1000000 )) ms, list groups + offsets $(( (T3 - T2) / 1000000 )) ms"
check "big: 100050 partitions in metadata" test "$(grep -c '^partition ' "$WORK/G/md.txt")" -eq 100050
check "big: metadata served in < 5 s" test $(( (T2 - T1) / 1000000 )) -lt 5000
has "$WORK/G/g.txt" '^groups count=1000 errors=0$'
has "$WORK/G/g.txt" '^offsets bench-group-0007 err=NO_ERROR count=1000$'
grep -h 'api=Metadata .*topics=all' "$G_LOG" | sed 's/.* ms=\([0-9.]*\).*/   broker-side Metadata (all topics): \1 ms/' | head -2

echo
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
