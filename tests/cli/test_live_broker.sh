#!/bin/sh
# Live commands against the scenario broker (tests/broker/): golden text
# and JSON output of check, snapshot, isr and lag, lint -b, the snapshot ->
# lint round trip, authorization errors, an incident timeline, and proof
# that no command sent a write API (the brokers run in trap mode, which
# advertises the write APIs so that a client would really send them).
#
# Golden cases: tests/cli/cases/live-*/ with
#   live-cmd   shell snippet; $KAFKAUDIT, $B (bootstrap of the scenario), $CASE
#   scenario   scenario name (default: basic)
#   stdout, stderr, status   expectations after normalisation (ports, times,
#              request counts); UPDATE_GOLDEN=1 rewrites them.
set -u
KAFKAUDIT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
SRC=${SOURCE_DIR:-$(cd "$here/../.." && pwd)}
PY=/usr/bin/python3
BROKER=$SRC/tests/broker/kafka_scenario_broker.py
export KAFKAUDIT NO_COLOR=1 LC_ALL=C KAFKAUDIT_TODAY=2026-11-24
unset GITHUB_ACTIONS KAFKAUDIT_RULES_DIR KAFKA_BOOTSTRAP_SERVERS

if [ ! -x "$PY" ] || ! "$PY" -c 'import kafka, yaml' 2>/dev/null; then
    echo "SKIP: $PY with python3-kafka and python3-yaml is needed"
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

# start_broker NAME SCENARIO [extra args] -> $tmp/NAME.ports, $tmp/NAME.ctl
start_broker() {
    name=$1 scen=$2
    shift 2
    "$PY" "$BROKER" "$SRC/tests/broker/scenarios/$scen.yaml" --trap-write-apis -q \
        --ports-file "$tmp/$name.ports" --control-port-file "$tmp/$name.ctl" \
        --lifetime 600 --watch-pid $$ "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
    pids="$pids $!"
}
wait_broker() {
    i=0
    while [ ! -s "$tmp/$1.ports" ]; do
        i=$((i + 1))
        if [ $i -gt 600 ]; then
            echo "FAIL: scenario broker $1 did not start"; cat "$tmp/$1.err"; exit 1
        fi
        sleep 0.05
    done
}
ctl() {
    name=$1
    shift
    "$PY" "$BROKER" ctl --control-port-file "$tmp/$name.ctl" "$@"
}

start_broker basic basic
start_broker authz authz
start_broker incident incident --manual-clock
# a broker without OffsetFetch v6 (Kafka < 2.4): librdkafka 2.0.2's
# "all partitions" request comes back empty there
start_broker old basic --max-version OffsetFetch=5
for s in basic authz incident old; do wait_broker $s; done

normalize() {
    sed -E -e 's/127\.0\.0\.1:[0-9]+/127.0.0.1:PORT/g' \
        -e 's/(port|"port"): [0-9]+/\1: PORT/g' \
        -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/TIME/g' \
        -e 's/[0-9]+ requests in [0-9]+ ms \(.*\)/N requests/' \
        -e 's/"requests": [0-9]+/"requests": N/' \
        -e "s#$tmp#TMP#g"
}

. "$here/golden_lib.sh"
fail=0 n=0
for dir in "$here"/cases/live-*/; do
    [ -f "$dir/live-cmd" ] || continue
    name=$(basename "$dir")
    scen=basic
    [ -f "$dir/scenario" ] && scen=$(cat "$dir/scenario")
    B=$(cat "$tmp/$scen.ports")
    CASE=$dir
    export B CASE
    n=$((n + 1))
    (cd "$tmp" && timeout 60 sh "$dir/live-cmd" >"$tmp/out.raw" 2>"$tmp/err.raw"; echo $? >"$tmp/status")
    normalize <"$tmp/out.raw" >"$tmp/out"
    normalize <"$tmp/err.raw" >"$tmp/err"
    golden_check "$dir" "$name" if-present
done

# ---- snapshot -> lint gives check's findings, offline --------------------------
n=$((n + 1))
B=$(cat "$tmp/basic.ports")
"$KAFKAUDIT" check -b "$B" --no-config -f plain >"$tmp/check.txt" 2>/dev/null
c_rc=$?
"$KAFKAUDIT" snapshot -b "$B" -o "$tmp/snap.yaml" 2>/dev/null
s_rc=$?
"$KAFKAUDIT" lint --no-config -f plain "$tmp/snap.yaml" >"$tmp/lint.txt" 2>/dev/null
l_rc=$?
strip() { sed -E 's/^.*: (error|warning|info): /\1: /' "$1" | sort; }
if [ $s_rc = 0 ] && [ $c_rc = $l_rc ] && strip "$tmp/check.txt" >"$tmp/a" &&
    strip "$tmp/lint.txt" >"$tmp/b" && cmp -s "$tmp/a" "$tmp/b" && [ -s "$tmp/a" ]; then
    echo "ok   snapshot-roundtrip"
else
    echo "FAIL snapshot-roundtrip: snapshot $s_rc, check $c_rc, lint $l_rc"
    diff -u "$tmp/a" "$tmp/b" | head -30
    fail=$((fail + 1))
fi
# secrets: the scenario's ssl.keystore.password never appears, sensitive keys are null
n=$((n + 1))
if ! grep -q 'changeit' "$tmp/snap.yaml" &&
    grep -q '"ssl.keystore.password": {value: null, source: STATIC_BROKER_CONFIG, broker: 1, sensitive: true}' "$tmp/snap.yaml"; then
    echo "ok   snapshot-secrets"
else
    echo "FAIL snapshot-secrets"; grep -n 'keystore.password' "$tmp/snap.yaml" | head -3
    fail=$((fail + 1))
fi

# -o through a symbolic link or a FIFO writes through it and leaves it in
# place (never replaced by a regular file: think -o /dev/stdout)
n=$((n + 1))
mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/from-fifo" &
reader=$!
"$KAFKAUDIT" snapshot -b "$B" -o "$tmp/fifo" 2>/dev/null
f_rc=$?
[ -p "$tmp/fifo" ] || kill $reader 2>/dev/null # replaced: nobody will write to it
wait $reader
ln -s snap-target.yaml "$tmp/link.yaml"
"$KAFKAUDIT" snapshot -b "$B" -o "$tmp/link.yaml" 2>/dev/null
k_rc=$?
if [ $f_rc = 0 ] && [ -p "$tmp/fifo" ] && grep -q '^cluster:' "$tmp/from-fifo" &&
    [ $k_rc = 0 ] && [ -L "$tmp/link.yaml" ] && grep -q '^cluster:' "$tmp/snap-target.yaml"; then
    echo "ok   snapshot-special-files"
else
    echo "FAIL snapshot-special-files: fifo $f_rc, link $k_rc"; ls -l "$tmp"
    fail=$((fail + 1))
fi

# on a terminal, progress on stderr, erased before the report; never in a pipe
# (the goldens above compare stderr byte for byte)
n=$((n + 1))
if command -v script >/dev/null; then
    TERM=xterm script -qc "\"$KAFKAUDIT\" isr -b $B" /dev/null >"$tmp/tty.out" 2>&1
    if grep -q 'kafkaudit: reading metadata' "$tmp/tty.out" &&
        grep -q "$(printf '\r\033\\[K')TOPIC" "$tmp/tty.out"; then
        echo "ok   progress-on-terminal"
    else
        echo "FAIL progress-on-terminal"; od -c "$tmp/tty.out" | head -5; fail=$((fail + 1))
    fi
else
    echo "ok   progress-on-terminal (skipped: no script(1))"
fi

# ---- a refused partition costs only its own log offsets ---------------------------
# Brokers 1 and 3 lead a partition of "public" and one of "secret" (denied);
# librdkafka 2.0.2 fails such a ListOffsets call as a whole with the denied
# partition's error.  The readable partitions keep their offsets, and the
# warning names the refused topic, not the brokers.
n=$((n + 1))
B=$(cat "$tmp/authz.ports")
"$KAFKAUDIT" snapshot -b "$B" -o "$tmp/authz.yaml" 2>"$tmp/authz.err"
r1=$?
ctl authz error '{name: lo-public-1, api: ListOffsets, topic: public, partition: 1, error: KAFKA_STORAGE_ERROR}' >/dev/null
"$KAFKAUDIT" snapshot -b "$B" -o "$tmp/authz2.yaml" 2>"$tmp/authz2.err"
r2=$?
ctl authz clear-errors lo-public-1 >/dev/null
part() { grep -A5 "^  \"$2\":" "$1" | grep -F -- "- {id: $3,"; }
if [ $r1 = 4 ] && [ $r2 = 4 ] &&
    part "$tmp/authz.yaml" public 0 | grep -q 'log_start: 0, log_end: 100}' &&
    part "$tmp/authz.yaml" public 1 | grep -q 'log_start: 0, log_end: 100}' &&
    part "$tmp/authz.yaml" public 2 | grep -q 'log_start: 0, log_end: 100}' &&
    ! part "$tmp/authz.yaml" secret 0 | grep -q log_end &&
    ! part "$tmp/authz.yaml" secret 1 | grep -q log_end &&
    [ "$(grep -c ListOffsets "$tmp/authz.err")" = 1 ] &&
    grep -q '^[0-9.:,]* (cluster authz-cluster-0001): warning: topic secret: ListOffsets (log start and end offsets of 2 partitions): Broker: Topic authorization failed$' "$tmp/authz.err" &&
    ! grep -q '^ *error: .*ListOffsets' "$tmp/authz.yaml" &&
    part "$tmp/authz2.yaml" public 0 | grep -q 'log_end: 100}' &&
    ! part "$tmp/authz2.yaml" public 1 | grep -q log_end &&
    part "$tmp/authz2.yaml" public 2 | grep -q 'log_end: 100}' &&
    [ "$(grep -c ListOffsets "$tmp/authz2.err")" = 2 ] &&
    grep -q '^[0-9.:,]* (cluster authz-cluster-0001): warning: topic public: ListOffsets (log start and end offsets of 1 partition): Broker: Disk error' "$tmp/authz2.err"
then
    echo "ok   authz-log-offsets"
else
    echo "FAIL authz-log-offsets: $r1 $r2"; cat "$tmp/authz.err" "$tmp/authz2.err"
    grep -A4 -E '^  (public|secret):' "$tmp/authz.yaml" "$tmp/authz2.yaml"
    fail=$((fail + 1))
fi

# ---- incident timeline: ISR shrink, then broker 3 lost --------------------------
n=$((n + 1))
B=$(cat "$tmp/incident.ports")
ctl incident step isr-shrink >/dev/null
"$KAFKAUDIT" isr -b "$B" --under-min-isr --at-min-isr -f json >"$tmp/i1.json" 2>/dev/null
r1=$?
ctl incident step broker-3-down >/dev/null
B=$(ctl incident bootstrap | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["bootstrap"])')
"$KAFKAUDIT" isr -b "$B" --exclude-internal >"$tmp/i2.txt" 2>/dev/null
r2=$?
"$KAFKAUDIT" isr -b "$B" --without-broker 1 --exclude-internal >"$tmp/i3.txt" 2>/dev/null
r3=$?
if [ $r1 = 0 ] && "$PY" - "$tmp/i1.json" <<'EOF' && [ $r2 = 0 ] && grep -q '3 brokers (1 down)' "$tmp/i2.txt" && [ $r3 = 1 ] && grep -Eq 'would go under min ISR or offline|already under min ISR or offline before the restart' "$tmp/i3.txt"
import json, sys
d = json.load(open(sys.argv[1]))
p = {(x["topic"], x["partition"]): x for x in d["partitions"]}
assert p[("orders", 0)]["under_min_isr"] and p[("orders", 0)]["isr"] == [1], p
assert p[("orders", 1)]["at_min_isr"], p
assert d["summary"]["under_min_isr"] == 1 and d["summary"]["at_min_isr"] == 1, d["summary"]
EOF
then
    echo "ok   incident-timeline"
else
    echo "FAIL incident-timeline: $r1 $r2 $r3"; cat "$tmp/i1.json" "$tmp/i2.txt" "$tmp/i3.txt" | head -80
    fail=$((fail + 1))
fi

# ---- an old broker (OffsetFetch v5): same lag as a current one ----------------------
n=$((n + 1))
B=$(cat "$tmp/old.ports")
"$KAFKAUDIT" lag -b "$B" >"$tmp/old.txt" 2>"$tmp/old.err"
r=$?
if [ $r = "$(cat "$here/cases/live-lag-text/status")" ] && cmp -s "$tmp/old.txt" "$here/cases/live-lag-text/stdout"; then
    echo "ok   old-broker-offsetfetch"
else
    echo "FAIL old-broker-offsetfetch: status $r"; diff -u "$here/cases/live-lag-text/stdout" "$tmp/old.txt" | head -20
    fail=$((fail + 1))
fi

# ---- top --batch says what isr and lag say --------------------------------------
# payments-2 has no leader: under min ISR for isr (kafka-topics.sh) as well;
# its log end is unknown, so billing's lag is a lower bound, and no lagging
# partition has an age on the first sample
n=$((n + 1))
B=$(cat "$tmp/basic.ports")
"$KAFKAUDIT" top -b "$B" --batch -n 1 -v overview,groups >"$tmp/top.txt" 2>"$tmp/top.err"
r1=$?
"$KAFKAUDIT" isr -b "$B" >"$tmp/top-isr.txt" 2>/dev/null
if [ $r1 = 0 ] && grep -q ' 2 under min ISR, 1 at min ISR, 1 unavailable$' "$tmp/top-isr.txt" &&
    grep -Eq '^   under min ISR +2 ' "$tmp/top.txt" && grep -Eq '^   at min ISR +1 ' "$tmp/top.txt" &&
    grep -Eq '^   offline +1 ' "$tmp/top.txt" &&
    grep -Eq '^OK +billing +Stable +2 +200\+ +- ' "$tmp/top.txt" &&
    ! grep -Eq ' 0s ' "$tmp/top.txt"
then
    echo "ok   top-agrees-with-isr-and-lag"
else
    echo "FAIL top-agrees-with-isr-and-lag: $r1"; cat "$tmp/top.txt" "$tmp/top.err"; tail -1 "$tmp/top-isr.txt"
    fail=$((fail + 1))
fi
# committed offsets that could not be read are unknown, not "nothing committed"
n=$((n + 1))
ctl basic error '{name: of-stall, api: OffsetFetch, delay_ms: 30000}' >/dev/null
"$KAFKAUDIT" top -b "$B" --timeout 2s --batch -n 1 -v overview,groups >"$tmp/top2.txt" 2>"$tmp/top2.err"
r1=$?
ctl basic clear-errors of-stall >/dev/null
if [ $r1 = 0 ] && ! grep -q 'nothing committed' "$tmp/top2.txt" &&
    grep -Eq '^ -  +billing +- +- +committed offsets not read: Offset' "$tmp/top2.txt" &&
    grep -Eq '^- +billing +Stable +2 +- +- ' "$tmp/top2.txt"
then
    echo "ok   top-offsets-not-read"
else
    echo "FAIL top-offsets-not-read: $r1"; cat "$tmp/top2.txt" "$tmp/top2.err"
    fail=$((fail + 1))
fi

# ---- a named cluster (kafkaudit-clusters(5)): check's findings name it in
# text, JSON and SARIF, and its kafka_version is the one check and lint use ------
B=$(cat "$tmp/basic.ports")
B1=${B%%,*}
cat >"$tmp/clusters.yaml" <<EOF
clusters:
  old: {bootstrap: "$B1", kafka_version: "3.6"}
  new: {bootstrap: "$B1", kafka_version: "3.9"}
EOF
echo 'producers: {p: {client: java 3.6, topics: [orders], config: {acks: all}}}' >"$tmp/app.yaml"
KC="--clusters-file $tmp/clusters.yaml"
n=$((n + 1))
"$KAFKAUDIT" check -C old $KC --no-config >"$tmp/named.txt" 2>/dev/null
if [ "$(grep -c '^old (cluster basic-cluster-0001): error\[KA30[16]\] topic legacy-events: ' "$tmp/named.txt")" = 2 ] &&
    ! grep -q '<cluster>' "$tmp/named.txt"; then
    echo "ok   check-names-cluster-text"
else
    echo "FAIL check-names-cluster-text"; head -3 "$tmp/named.txt"; fail=$((fail + 1))
fi
n=$((n + 1))
"$KAFKAUDIT" check -b "$B1" --no-config >"$tmp/unnamed.txt" 2>/dev/null
if grep -q "^$B1 (cluster basic-cluster-0001): error\[KA301\] " "$tmp/unnamed.txt"; then
    echo "ok   check-names-bootstrap-text"
else
    echo "FAIL check-names-bootstrap-text"; head -3 "$tmp/unnamed.txt"; fail=$((fail + 1))
fi
n=$((n + 1))
"$KAFKAUDIT" check -C old $KC --no-config -f json 2>/dev/null >"$tmp/named.json"
got=$(jq -c .cluster "$tmp/named.json")
if [ "$got" = "{\"name\":\"old\",\"bootstrap\":\"$B1\",\"id\":\"basic-cluster-0001\"}" ]; then
    echo "ok   check-names-cluster-json"
else
    echo "FAIL check-names-cluster-json: $got"; fail=$((fail + 1))
fi
n=$((n + 1))
"$KAFKAUDIT" check -C old $KC --no-config -f sarif 2>/dev/null >"$tmp/named.sarif"
if "$PY" - "$tmp/named.sarif" "$B1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0" and "sarif-schema-2.1.0" in d["$schema"]
run = d["runs"][0]
# run.properties is a property bag (SARIF 2.1.0, 3.8): the cluster read
assert run["properties"]["cluster"] == {"name": "old", "bootstrap": sys.argv[2],
                                        "id": "basic-cluster-0001"}, run["properties"]
res = run["results"]
assert res, "no results"
for r in res:
    assert all("physicalLocation" not in l for l in r["locations"]), "a live finding with a file?"
    assert r["properties"]["cluster"] == "old (cluster basic-cluster-0001)", r["properties"]
PY
then
    echo "ok   check-names-cluster-sarif"
else
    echo "FAIL check-names-cluster-sarif"; fail=$((fail + 1))
fi
n=$((n + 1))
"$KAFKAUDIT" check -C old $KC --no-config -f junit 2>/dev/null >"$tmp/named.xml"
if "$PY" -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$tmp/named.xml" &&
    grep -q '>old (cluster basic-cluster-0001): error\[KA301\]: topic legacy-events: ' "$tmp/named.xml" &&
    ! grep -q '&lt;cluster&gt;' "$tmp/named.xml"; then
    echo "ok   check-names-cluster-junit"
else
    echo "FAIL check-names-cluster-junit"; grep -m2 '<failure' "$tmp/named.xml"; fail=$((fail + 1))
fi
# plain and github name it too; diagnostics about a named cluster (authz
# denies DescribeConfigs) on stderr name it as its findings do
n=$((n + 1))
"$KAFKAUDIT" check -C old $KC --no-config -f plain >"$tmp/named.plain" 2>/dev/null
"$KAFKAUDIT" check -C old $KC --no-config -f github >"$tmp/named.gh" 2>/dev/null
if grep -q '^old (cluster basic-cluster-0001): error: \[KA301\] topic legacy-events: ' "$tmp/named.plain" &&
    ! grep -v '^old (cluster basic-cluster-0001): ' "$tmp/named.plain" | grep -q . &&
    grep -q '^::error title=KA301 [^:]*::old (cluster basic-cluster-0001): topic legacy-events: ' "$tmp/named.gh"; then
    echo "ok   check-names-cluster-plain-github"
else
    echo "FAIL check-names-cluster-plain-github"; head -2 "$tmp/named.plain" "$tmp/named.gh"
    fail=$((fail + 1))
fi
A1=$(cut -d, -f1 "$tmp/authz.ports")
printf '  locked: {bootstrap: "%s"}\n' "$A1" >>"$tmp/clusters.yaml"
for cmd in "check -C locked" "lint -C locked $tmp/app.yaml" "snapshot -C locked -o $tmp/locked.yaml" \
    "effective -C locked -O topic:secret -k min.insync.replicas"; do
    n=$((n + 1))
    $KAFKAUDIT $cmd $KC $(case $cmd in check* | lint*) echo --no-config ;; esac) \
        >/dev/null 2>"$tmp/locked.err"
    if grep -q '^locked (cluster authz-cluster-0001): warning: topic secret: DescribeConfigs: TOPIC_AUTHORIZATION_FAILED' "$tmp/locked.err" &&
        ! grep -q '<cluster>' "$tmp/locked.err"; then
        echo "ok   diagnostics-name-cluster: ${cmd%% *}"
    else
        echo "FAIL diagnostics-name-cluster: $cmd"; cat "$tmp/locked.err"; fail=$((fail + 1))
    fi
done
# kafka_version: -C NAME gives what --kafka-version of its version gives, and
# the two versions differ here (KA602 says more on Kafka 3.7+)
for cmd in check lint; do
    files=""
    [ $cmd = lint ] && files=$tmp/app.yaml
    for v in old:3.6 new:3.9; do
        name=${v%%:*} ver=${v#*:}
        a=$tmp/$cmd-$name.json b=$tmp/$cmd-$ver.json
        "$KAFKAUDIT" $cmd -C $name $KC --no-config -f json $files 2>/dev/null |
            jq -S '[.findings[] | {rule, message}]' >"$a"
        "$KAFKAUDIT" $cmd -b "$B1" --kafka-version $ver --no-config -f json $files 2>/dev/null |
            jq -S '[.findings[] | {rule, message}]' >"$b"
        n=$((n + 1))
        if [ "$(jq length "$a")" -gt 0 ] && cmp -s "$a" "$b"; then
            echo "ok   $cmd-C-$name-kafka-version"
        else
            echo "FAIL $cmd-C-$name-kafka-version: -C $name is not --kafka-version $ver"
            diff "$a" "$b" | head -5; fail=$((fail + 1))
        fi
    done
    n=$((n + 1))
    if ! cmp -s "$tmp/$cmd-old.json" "$tmp/$cmd-new.json"; then
        echo "ok   $cmd-C-kafka-version-matters"
    else
        echo "FAIL $cmd-C-kafka-version-matters: 3.6 and 3.9 give the same findings"; fail=$((fail + 1))
    fi
done

# ---- colour on a terminal: --color=auto colours isr's problem rows when stdout
# is a terminal (script(1) gives it one), not when NO_COLOR is set -------------------
if command -v script >/dev/null 2>&1; then
    B=$(cat "$tmp/basic.ports")
    esc=$(printf '\033')
    for nc in "" 1; do
        n=$((n + 1))
        NO_COLOR=$nc TERM=xterm script -qec "'$KAFKAUDIT' isr -b '$B' --exclude-internal 2>/dev/null" /dev/null \
            </dev/null >"$tmp/tty.out" 2>&1
        red=$(grep -c "^${esc}\[1;31mpayments " "$tmp/tty.out")
        any=$(grep -c "$esc" "$tmp/tty.out")
        grep -q 'under min ISR' "$tmp/tty.out" || red=no-output
        if { [ -z "$nc" ] && [ "$red" = 2 ]; } || { [ -n "$nc" ] && [ "$red" = 0 ] && [ "$any" = 0 ]; }; then
            echo "ok   isr-tty-color${nc:+-no-color}"
        else
            echo "FAIL isr-tty-color${nc:+-no-color}: NO_COLOR='$nc': $red red rows, $any lines with escapes"
            cat -v "$tmp/tty.out" | head -5
            fail=$((fail + 1))
        fi
    done
fi

# ---- no write API reached any broker, nothing was auto-created --------------------
for s in basic authz incident old; do
    n=$((n + 1))
    if ctl $s stats | "$PY" -c '
import json, sys
st = json.load(sys.stdin)["stats"]
bad = []
if st["forbidden_total"] != 0: bad.append("forbidden %r" % st["forbidden"])
if st["rejected"]: bad.append("rejected %r" % st["rejected"])
if st["auto_create_topic_requests"]: bad.append("auto-create %r" % st["auto_create_topic_requests"])
if not st["total"].get("Metadata"): bad.append("no requests at all?")
if bad:
    print("; ".join(bad)); sys.exit(1)
'; then
        echo "ok   no-write-apis-$s"
    else
        echo "FAIL no-write-apis-$s"; fail=$((fail + 1))
    fi
done

echo "$((n - fail)) passed, $fail failed"
[ $fail = 0 ]
