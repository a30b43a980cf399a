#!/bin/bash
# Every live command against a real Apache Kafka cluster: three combined
# broker+controller KRaft nodes of version VERSION (tests/kafka/cluster.sh),
# started once and shared by all scenarios.  Scenarios are built with
# Kafka's own CLIs (and kcat for producing), answers are asserted exactly,
# and every kafkaudit command is shown to leave topic configs, broker
# configs and committed offsets as they were.
#
#   test_real_kafka.sh VERSION KAFKAUDIT
#
# Waiting is always polling for a condition with a bound, never a sleep
# that decides pass or fail.  Prints the time of each scenario.
set -u
V=$1
KAFKAUDIT=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
here=$(cd "$(dirname "$0")" && pwd)
KC_SELF=$here/cluster.sh
. "$here/cluster.sh"
export NO_COLOR=1 LC_ALL=C
unset KAFKA_BOOTSTRAP_SERVERS KAFKAUDIT_RULES_DIR GITHUB_ACTIONS
MAJOR=${V%%.*}

# Scratch space (node data too) outside /tmp, wherever the tree is: a
# soundly configured cluster does not keep its log under /tmp (KA408 would
# rightly say so).  Beside the jar cache; removed at the end.
base=${KAFKAUDIT_KAFKA_SCRATCH:-$KC_CACHE/scratch}
mkdir -p "$base" || exit 1
export KC_SCRATCH_PARENT=$base
tmp=$(mktemp -d "$base/t-$V.XXXXXX") || exit 1
TMUX_SOCK=$tmp/tmux.sock
kcat_pid=""
cleanup() {
    [ -n "$kcat_pid" ] && kill "$kcat_pid" 2>/dev/null
    tmux -S "$TMUX_SOCK" kill-server 2>/dev/null
    kc_stop
    rm -rf "$tmp"
}
traps() {
    trap cleanup EXIT
    trap 'cleanup; trap - EXIT; exit 130' INT
    trap 'cleanup; trap - EXIT; exit 143' TERM
}
traps

fails=0
bad() { echo "FAIL [$V] $scenario: $*"; fails=$((fails + 1)); }
ok() { echo "ok   [$V] $scenario: $*"; }
# expect NAME EXPECTED ACTUAL
expect() {
    if [ "$2" = "$3" ]; then ok "$1"; else
        bad "$1"; echo "--- expected"; echo "$2"; echo "--- actual"; echo "$3"; echo "---"
    fi
}
now() { date +%s.%N; }
t_scenario=""
begin() {
    [ -n "$t_scenario" ] && end
    scenario=$1 t_scenario=$(now)
}
end() {
    printf 'time [%s] %s: %.1fs\n' "$V" "$scenario" "$(echo "$(now) - $t_scenario" | awk '{print $1 - $3}')"
    t_scenario=""
}
# poll SECONDS COMMAND...: until COMMAND succeeds; 1 if it never did
poll() {
    lim=$(( $(date +%s) + $1 )); shift
    until "$@"; do
        [ "$(date +%s)" -ge $lim ] && return 1
        sleep 0.3
    done
}
ka() { "$KAFKAUDIT" "$@"; }
# finding lines of check/lint -f plain, without the object prefix and with
# ports and scratch paths normalised
findings() {
    sed -n -E 's/^.*: (error|warning|info): (\[KA[0-9]+\])/\2/p' |
        sed -E "s/127\.0\.0\.1:[0-9]+/HOST:PORT/g; s#$KC_DIR#SCRATCH#g" | sort
}

# ---- the cluster --------------------------------------------------------------
begin "start"
cat >"$tmp/static.properties" <<'EOF'
default.replication.factor=3
min.insync.replicas=2
auto.create.topics.enable=false
EOF
kc_start "$V" "$tmp/static.properties" || { echo "FAIL [$V] the cluster did not start"; exit 1; }
traps # kc_start replaced them
echo "info [$V] cluster ready in ${KC_START_SECONDS}s, nodes' resident memory $(kc_rss_mib) MiB"
B=$KC_BOOTSTRAP
end

# ---- the broker's version -----------------------------------------------------
begin "version"
ka check -b "$B" -f json >"$tmp/v.json" 2>"$tmp/v.err"
case $MAJOR in
    3) want="3.9" ;;
    *) want="4." ;;
esac
got=$(grep -o 'Kafka [0-9][^ ]* (inferred[^)]*)' "$tmp/v.err" | head -1)
case $got in
    "Kafka $want"*) ok "the broker's version is inferred: $got" ;;
    *) bad "no inferred Kafka $want in: $(cat "$tmp/v.err")" ;;
esac
end

# ---- check: a soundly configured cluster ----------------------------------------
begin "check sound"
kc_topics --create --topic sound-t --partitions 3 --replication-factor 3 >/dev/null
seq 1 30 | kcat -P -b "$B" -t sound-t -X acks=all 2>/dev/null
ka check -b "$B" -f plain --fail-on info >"$tmp/sound.out" 2>"$tmp/sound.err"
st=$?
expect "no finding on a sound cluster (exit $st)" "0:" "$st:$(findings <"$tmp/sound.out")"

# ---- check: findings from topic overrides, dynamic configs ------------------------
begin "check findings"
kc_topics --create --topic ovr-t --partitions 1 --replication-factor 3 \
    --config min.insync.replicas=1 >/dev/null
kc_configs --entity-type brokers --entity-default --alter \
    --add-config unclean.leader.election.enable=true >/dev/null
kc_configs --entity-type brokers --entity-name 2 --alter \
    --add-config log.flush.interval.messages=1 >/dev/null
# dynamic configs reach every broker through the metadata log: poll
poll 30 sh -c "'$KAFKAUDIT' check -b '$B' -f plain --fail-on info 2>/dev/null | grep -q 'KA407.*broker 2'" ||
    bad "broker 2's dynamic log.flush.interval.messages never showed"
ka check -b "$B" -f plain --fail-on info >"$tmp/check.out" 2>"$tmp/check.err"
st=$?
findings <"$tmp/check.out" >"$tmp/check.f"
ids=$(sed 's/\] .*/]/' "$tmp/check.f" | tr '\n' ' ')
expect "exit status 1 and the findings" "1:[KA301] [KA401] [KA407] " "$st:$ids"
grep -q '^\[KA301\] topic ovr-t: min.insync.replicas=1 (topic override (DYNAMIC_TOPIC_CONFIG))' "$tmp/check.f" &&
    ok "KA301 names the topic override as its source" || bad "KA301 provenance: $(grep KA301 "$tmp/check.f")"
grep -q '^\[KA401\].*unclean.leader.election.enable=true (cluster-wide dynamic default (DYNAMIC_DEFAULT_BROKER_CONFIG))' "$tmp/check.f" &&
    ok "KA401 names the cluster-wide dynamic default" || bad "KA401 provenance: $(grep KA401 "$tmp/check.f")"
grep -q "^\[KA407\] broker 2: .*log.flush.interval.messages=1 (broker 2's dynamic config (DYNAMIC_BROKER_CONFIG))" "$tmp/check.f" &&
    ok "KA407 names broker 2's dynamic config" || bad "KA407 provenance: $(grep KA407 "$tmp/check.f")"
# text names the cluster: bootstrap and the id Kafka's own tool reports;
# -C the name of kafkaudit-clusters(5); JSON and SARIF carry it
kcid=$(kc_tool org.apache.kafka.tools.MetadataQuorumCommand --bootstrap-server "$KC_B1" \
    describe --status 2>/dev/null | sed -n 's/^ClusterId:[[:space:]]*//p')
[ -n "$kcid" ] || bad "kafka-metadata-quorum gave no ClusterId"
ka check -b "$B" --fail-on info >"$tmp/check.txt" 2>/dev/null
grep -qF "$B (cluster $kcid): error[KA301] topic ovr-t: " "$tmp/check.txt" &&
    ok "check's text names the cluster: $B (cluster $kcid)" ||
    bad "check's text does not name the cluster: $(grep -m1 KA301 "$tmp/check.txt")"
printf 'clusters:\n  real:\n    bootstrap: "%s"\n    kafka_version: "%s"\n' "$B" "$V" >"$tmp/clusters.yaml"
ka check -C real --clusters-file "$tmp/clusters.yaml" --fail-on info >"$tmp/check-C.txt" 2>/dev/null
grep -qF "real (cluster $kcid): error[KA301] topic ovr-t: " "$tmp/check-C.txt" &&
    ok "check -C real names it real" || bad "check -C: $(grep -m1 KA301 "$tmp/check-C.txt")"
ka check -C real --clusters-file "$tmp/clusters.yaml" -f sarif -o "json=$tmp/check-C.json" \
    >"$tmp/check-C.sarif" 2>/dev/null
expect "JSON and SARIF carry the cluster" "real $B $kcid|real $B $kcid|real (cluster $kcid)" \
    "$(jq -r '.cluster | "\(.name) \(.bootstrap) \(.id)"' "$tmp/check-C.json")|$(jq -r '.runs[0].properties.cluster | "\(.name) \(.bootstrap) \(.id)"' "$tmp/check-C.sarif")|$(jq -r '[.runs[0].results[].properties.cluster] | unique | join(",")' "$tmp/check-C.sarif")"

# ---- effective -b: each value with the source Kafka reports ------------------------
begin "effective"
ka effective -b "$B" --json -O topic:ovr-t -O broker:2 -O broker:1 -k min.insync.replicas \
    -k unclean.leader.election.enable -k log.flush.interval.messages -k default.replication.factor \
    >"$tmp/eff.json" 2>"$tmp/eff.err"
st=$?
got=$(jq -r '.objects[] | .name as $o | .settings[] | "\($o) \(.key)=\(.value) \(.source)"' "$tmp/eff.json" | sort)
want="broker 1 default.replication.factor=3 STATIC_BROKER_CONFIG
broker 1 log.flush.interval.messages=9223372036854775807 DEFAULT_CONFIG
broker 1 min.insync.replicas=2 $( [ "$MAJOR" -ge 4 ] && echo DYNAMIC_DEFAULT_BROKER_CONFIG || echo STATIC_BROKER_CONFIG)
broker 1 unclean.leader.election.enable=true DYNAMIC_DEFAULT_BROKER_CONFIG
broker 2 default.replication.factor=3 STATIC_BROKER_CONFIG
broker 2 log.flush.interval.messages=1 DYNAMIC_BROKER_CONFIG
broker 2 min.insync.replicas=2 $( [ "$MAJOR" -ge 4 ] && echo DYNAMIC_DEFAULT_BROKER_CONFIG || echo STATIC_BROKER_CONFIG)
broker 2 unclean.leader.election.enable=true DYNAMIC_DEFAULT_BROKER_CONFIG
ovr-t min.insync.replicas=1 DYNAMIC_TOPIC_CONFIG
ovr-t unclean.leader.election.enable=true DYNAMIC_DEFAULT_BROKER_CONFIG"
expect "effective -b: exit 0, values and their DescribeConfigs sources" "0:$want" "$st:$got"
# the same as Kafka's own kafka-configs --describe --all says for broker 2
java=$(kc_configs --entity-type brokers --entity-name 2 --describe --all 2>/dev/null |
    sed -n 's/^ *log.flush.interval.messages=\([^ ]*\) sensitive=false synonyms={\([A-Z_]*\):.*/\1 \2/p')
expect "broker 2's log.flush.interval.messages as kafka-configs --describe --all has it" \
    "1 DYNAMIC_BROKER_CONFIG" "$java"
ka effective -b "$B" -O topic:ovr-t -k min.insync.replicas >"$tmp/eff.txt" 2>/dev/null
grep -Eq '^  min.insync.replicas +1 +topic override \(DYNAMIC_TOPIC_CONFIG\)$' "$tmp/eff.txt" &&
    ok "effective -b text: $(grep min.insync "$tmp/eff.txt" | tr -s ' ')" || bad "effective -b text: $(cat "$tmp/eff.txt")"

# static and default sources, as the snapshot records them
ka snapshot -b "$B" -o "$tmp/snap.yaml" 2>"$tmp/snap.err"
expect "snapshot exit status" 0 $?

# ---- snapshot -> lint -------------------------------------------------------------
begin "snapshot to lint"
ka lint -f plain --fail-on info "$tmp/snap.yaml" >"$tmp/lint.out" 2>"$tmp/lint.err"
st=$?
findings <"$tmp/lint.out" >"$tmp/lint.f"
expect "lint of the snapshot: exit status and the same findings as check" \
    "1:$(cat "$tmp/check.f")" "$st:$(cat "$tmp/lint.f")"
# where each value came from, as the snapshot records it: the static
# server.properties; 4.x copies a static min.insync.replicas into the
# cluster-wide dynamic default when it bootstraps the metadata log (ELR)
mis_src=STATIC_BROKER_CONFIG
[ "$MAJOR" -ge 4 ] && mis_src=DYNAMIC_DEFAULT_BROKER_CONFIG
for k in "default.replication.factor 3 STATIC_BROKER_CONFIG" "min.insync.replicas 2 $mis_src" \
         "unclean.leader.election.enable true DYNAMIC_DEFAULT_BROKER_CONFIG" \
         "log.flush.interval.messages 1 DYNAMIC_BROKER_CONFIG"; do
    set -- $k
    grep -q "\"$1\": {value: \"$2\", source: $3" "$tmp/snap.yaml" &&
        ok "snapshot: $1=$2 from $3" ||
        bad "snapshot: no $1=$2 from $3: $(grep -m3 "\"$1\"" "$tmp/snap.yaml")"
done

# revert: the cluster is sound again
kc_topics --delete --topic ovr-t >/dev/null
kc_configs --entity-type brokers --entity-default --alter --delete-config unclean.leader.election.enable >/dev/null
kc_configs --entity-type brokers --entity-name 2 --alter --delete-config log.flush.interval.messages >/dev/null
poll 30 sh -c "'$KAFKAUDIT' check -b '$B' -f plain --fail-on info >/dev/null 2>&1" &&
    ok "sound again after the overrides are removed" ||
    bad "findings remain after the revert: $(ka check -b "$B" -f plain 2>&1 | head -5)"

# ---- lag ---------------------------------------------------------------------------
begin "lag"
kc_topics --create --topic lag-t --partitions 2 --replication-factor 3 >/dev/null
kc_topics --create --topic ret-t --partitions 1 --replication-factor 3 >/dev/null
seq 1 1000 | kcat -P -b "$B" -t lag-t -p 0 -X acks=all 2>/dev/null
seq 1 500 | kcat -P -b "$B" -t lag-t -p 1 -X acks=all 2>/dev/null
seq 1 100 | kcat -P -b "$B" -t ret-t -p 0 -X acks=all 2>/dev/null
kc_groups --group g-exact --topic lag-t:0 --reset-offsets --to-offset 400 --execute >/dev/null
kc_groups --group g-two --topic lag-t --reset-offsets --to-offset 450 --execute >/dev/null
kc_groups --group g-gone --topic ret-t --reset-offsets --to-offset 10 --execute >/dev/null
echo '{"version":1,"partitions":[{"topic":"ret-t","partition":0,"offset":50}]}' >"$tmp/del.json"
kc_delete_records --offset-json-file "$tmp/del.json" >/dev/null
groups="g-exact g-gone g-two"
if [ "$MAJOR" -ge 4 ]; then
    # a group of the consumer protocol (KIP-848): join it with the new
    # consumer, then set exact offsets on it while it is empty
    kc_consume --topic lag-t --group g-848 --consumer-property group.protocol=consumer \
        --from-beginning --max-messages 5 >/dev/null 2>"$tmp/c848.err" ||
        bad "the KIP-848 consumer failed: $(tail -3 "$tmp/c848.err")"
    kc_groups --group g-848 --topic lag-t:0 --reset-offsets --to-offset 300 --execute >/dev/null
    kc_groups --group g-848 --topic lag-t:1 --reset-offsets --to-offset 200 --execute >/dev/null
    groups="g-848 $groups"
    type=$(kc_groups --list --type 2>/dev/null | awk '$1 == "g-848" {print $2}')
    expect "Kafka's own tool: g-848 is a Consumer (KIP-848) group" Consumer "$type"
fi
ka lag -b "$B" --json >"$tmp/lag.json" 2>"$tmp/lag.err"
st=$?
got=$(jq -r '.groups[] | .group as $g | .state as $s | (.members | if . == null then "?" else length end) as $m |
    .partitions[] | [$g, $s, $m, .topic, .partition, .committed, .log_start, .log_end, .lag, (.note // "-")] | @tsv' "$tmp/lag.json")
# problems first (--sort problem): g-gone lost messages (error), g-848's
# members are unknown, then the others by name
want="g-exact	Empty	0	lag-t	0	400	0	1000	600	-
g-two	Empty	0	lag-t	0	450	0	1000	550	-
g-two	Empty	0	lag-t	1	450	0	500	50	-"
if [ "$MAJOR" -ge 4 ]; then
    want="g-848	Empty	?	lag-t	0	300	0	1000	700	-
g-848	Empty	?	lag-t	1	200	0	500	300	-
$want"
    expect "exit status 4 (the KIP-848 group's members are unread)" 4 $st
    grep -q "group g-848: its members are unknown" "$tmp/lag.err" &&
        ok "says why g-848's members are unknown" || bad "no word on g-848's members: $(cat "$tmp/lag.err")"
else
    expect "exit status" 0 $st
fi
want="g-gone	Empty	0	ret-t	0	10	50	100	90	below log start: 40 messages deleted unread
$want"
expect "lag: every committed offset, log start, log end and lag" "$want" "$got"
expect "lag: each group's problem" "g-gone:error $( [ "$MAJOR" -ge 4 ] && echo "g-848:unknown ")g-exact:stalled g-two:stalled" \
    "$(jq -r '[.groups[] | "\(.group):\(.problem)"] | join(" ")' "$tmp/lag.json")"
expect "total lag" "$( [ "$MAJOR" -ge 4 ] && echo 2290 || echo 1290)" "$(jq .total_lag "$tmp/lag.json")"
# a partition with nothing committed: g-exact has lag-t:1 unread by it
expect "g-exact: nothing committed on lag-t 1, so no row for it" 1 \
    "$(jq '[.groups[] | select(.group == "g-exact") | .partitions[]] | length' "$tmp/lag.json")"
# the same lags as Kafka's own tool
kc_groups --describe --all-groups 2>/dev/null |
    awk '$1 ~ /^g-/ && $4 ~ /^[0-9]+$/ {print $1, $2, $3, $4, $5, $6}' | sort >"$tmp/java-lag"
jq -r '.groups[] | .group as $g | .partitions[] | "\($g) \(.topic) \(.partition) \(.committed) \(.log_end) \(.lag)"' \
    "$tmp/lag.json" | sort >"$tmp/ka-lag"
expect "the same lags as kafka-consumer-groups --describe --all-groups" "$(cat "$tmp/java-lag")" "$(cat "$tmp/ka-lag")"
# a member with partitions assigned and nothing committed: a kcat consumer
# of the classic protocol that never commits
kcat -b "$B" -G g-live -X enable.auto.commit=false -X auto.offset.reset=latest lag-t \
    >/dev/null 2>&1 &
kcat_pid=$!
assigned() {
    ka lag -b "$B" -g g-live --json 2>/dev/null >"$tmp/live.json"
    [ "$(jq -r '.groups[0] | "\(.state) \(.members | length) \(.members[0].assigned_partitions)"' \
        "$tmp/live.json" 2>/dev/null)" = "Stable 1 2" ]
}
if poll 60 assigned; then
    got=$(jq -r '.groups[0] | .partitions[] | [.topic, .partition, (.committed // "-"), .log_end, (.lag // "-")] | @tsv' \
        "$tmp/live.json")
    expect "g-live: assigned, nothing committed: '-' for committed and lag" \
        "lag-t	0	-	1000	-
lag-t	1	-	500	-" "$got"
    expect "g-live: its lag is unknown, not 0" "null false" \
        "$(jq -r '.groups[0] | "\(.lag) \(.lag_complete)"' "$tmp/live.json")"
else
    bad "kcat's group g-live never became Stable with both partitions: $(cat "$tmp/live.json")"
fi
kill "$kcat_pid" 2>/dev/null; wait "$kcat_pid" 2>/dev/null; kcat_pid=""
ka check -b "$B" -f plain --fail-on info >"$tmp/c607.out" 2>/dev/null
grep -q '^\[KA607\] group g-gone' <(findings <"$tmp/c607.out") &&
    ok "check: KA607 for g-gone's deleted-unread offsets" || bad "no KA607: $(findings <"$tmp/c607.out")"

# ---- read-only -----------------------------------------------------------------------
begin "read-only"
state() {
    kc_configs --entity-type topics --describe 2>/dev/null
    kc_configs --entity-type brokers --describe 2>/dev/null
    kc_groups --describe --all-groups --offsets 2>/dev/null | awk 'NF {print $1, $2, $3, $4}' | sort
}
state >"$tmp/before"
ka check -b "$B" >/dev/null 2>&1
ka snapshot -b "$B" -o "$tmp/snap2.yaml" >/dev/null 2>&1
ka isr -b "$B" >/dev/null 2>&1
ka isr -b "$B" --without-broker 2 >/dev/null 2>&1
ka lag -b "$B" >/dev/null 2>&1
ka lag -b "$B" -g g-exact -g g-gone >/dev/null 2>&1
ka top -b "$B" --batch -n 2 -d 200ms >/dev/null 2>&1
state >"$tmp/after"
grep -q 'g-exact' "$tmp/before" || bad "the state capture saw no group"
expect "topic configs, broker configs and committed offsets unchanged by every command" \
    "$(cat "$tmp/before")" "$(cat "$tmp/after")"

# ---- isr ------------------------------------------------------------------------------
begin "isr"
ctl=$(kc_active_controller)
# the node to pause: neither the active controller nor node 1 (the CLIs'
# and kafkaudit's bootstrap: a stopped broker still accepts connections)
for n in 2 3; do [ "$n" != "$ctl" ] && P=$n && break; done
other=$((5 - P)) # the live node that is neither 1 nor P
echo "info [$V] active controller $ctl, pausing node $P"
kc_topics --create --topic isr-t --partitions 3 --replication-factor 3 >/dev/null
kc_topics --create --topic isr3-t --partitions 3 --replication-factor 3 --config min.insync.replicas=3 >/dev/null
kc_topics --create --topic one-t --replica-assignment "$P" >/dev/null
ka isr -b "$KC_B1" -t 'isr*' --without-broker "$P" >"$tmp/wb.out" 2>&1
st=$?
expect "--without-broker $P: isr3-t's 3 partitions would go under min ISR (exit 1)" \
    "1:3" "$st:$(grep -c '^isr3-t' "$tmp/wb.out")"
ka isr -b "$KC_B1" -t isr-t --without-broker "$P" >/dev/null 2>&1
expect "--without-broker $P on isr-t (min ISR 2 of 3): safe" 0 $?
kc_pause "$P"
t0=$(now)
seq 1 5 | kcat -P -b "$KC_B1" -t isr-t -X acks=1 -X message.timeout.ms=3000 2>/dev/null
seq 1 5 | kcat -P -b "$KC_B1" -t isr3-t -X acks=1 -X message.timeout.ms=3000 2>/dev/null
fenced() {
    n=$(ka isr -b "$KC_B1" -t 'isr*' --under-replicated --json 2>/dev/null | jq '.partitions | length')
    [ "${n:-0}" = 6 ]
}
if poll 60 fenced; then
    ok "ISR shrank within $(echo "$(now) - $t0" | awk '{printf "%.1f", $1 - $3}')s of pausing node $P"
else
    bad "ISR never shrank after pausing node $P"
fi
ka isr -b "$KC_B1" --exclude-internal --json >"$tmp/isr.json" 2>"$tmp/isr.err"
st=$?
for f in under_replicated:isr-t:3 at_min_isr:isr-t:3 under_min_isr:isr3-t:3 unavailable:one-t:1; do
    filt=${f%%:*} rest=${f#*:}
    topic=${rest%%:*} cnt=${rest#*:}
    flag=$(echo "$filt" | tr _ -)
    n=$(ka isr -b "$KC_B1" -t "$topic" "--$flag" --json 2>/dev/null | jq '.partitions | length')
    expect "isr --$flag -t $topic" "$cnt" "$n"
done
# the same partitions as Kafka's own tool, for each filter
for flag in under-replicated-partitions under-min-isr-partitions at-min-isr-partitions unavailable-partitions; do
    java=$(kc_topics --describe --exclude-internal "--$flag" 2>/dev/null |
        sed -n 's/.*Topic: \([^ 	]*\)[ 	]*Partition: \([0-9]*\).*/\1 \2/p' | sort)
    ours=$(ka isr -b "$KC_B1" --exclude-internal "--${flag%-partitions}" --json 2>/dev/null |
        jq -r '.partitions[] | "\(.topic) \(.partition)"' | sort)
    expect "isr --${flag%-partitions} lists what kafka-topics --$flag lists" "$java" "$ours"
done
# problems first, worst first: one-t offline, isr3-t under min ISR, then at
# min ISR (isr-t and, with min.insync.replicas=2, every other topic: each
# has a replica on P), under-replicated; the ranks never go down
ka isr -b "$KC_B1" >"$tmp/isr.txt" 2>/dev/null
order=$(awk 'NR > 1 && NF == 0 { exit } NR > 1 {
        s = $NF; r = 5
        if (s ~ /under-replicated/) r = 3
        if (s ~ /at-min-isr/) r = 2
        if (s ~ /under-min-isr/) r = 1
        if (s ~ /unavailable/) r = 0
        if (r < last) { bad = " out of order at " $1 " " $2; exit }
        last = r; if (r < 2 && !(r in seen)) { seen[r] = 1; firsts = firsts " " r ":" $1 } }
    END { print firsts (bad ? bad : " sorted") }' "$tmp/isr.txt")
expect "isr: problems first, worst first" " 0:one-t 1:isr3-t sorted" "$order"
ka isr -b "$KC_B1" -t one-t --color=always >"$tmp/isr-c.txt" 2>/dev/null
expect "isr --color=always: one-t's row is red" 1 "$(grep -c "^$(printf '\033')\[1;31mone-t " "$tmp/isr-c.txt")"
ka isr -b "$KC_B1" -t 'isr-t' --without-broker "$other" >"$tmp/wb2.out" 2>&1
expect "--without-broker $other while $P is paused: isr-t's 3 partitions go under min ISR (exit 1)" \
    "1:3" "$?:$(grep -c '^isr-t' "$tmp/wb2.out")"

# ---- top in tmux while the node is paused, then resumed --------------------------------
begin "top"
tmux -S "$TMUX_SOCK" new-session -d -s top -x 120 -y 40 \
    "NO_COLOR=1 '$KAFKAUDIT' top -b '$KC_B1' -d 1s -v 2; sleep 600"
screen() { tmux -S "$TMUX_SOCK" capture-pane -p -t top; }
shows() { screen | grep -Eq -- "$1"; }
poll 60 shows "isr3-t +[0-9]+ .*UNDER-MIN|isr3-t.*under min" &&
    ok "top shows isr3-t under min ISR: $(screen | grep -E -m1 'isr3-t')" ||
    { bad "top never showed isr3-t under min ISR"; screen | head -30; }
screen >"$tmp/top-paused.txt"
kc_resume "$P"
t0=$(now)
healed() {
    n=$(ka isr -b "$KC_B1" --under-replicated --json 2>/dev/null | jq '.partitions | length')
    [ "${n:-1}" = 0 ]
}
poll 90 healed && ok "ISR expanded within $(echo "$(now) - $t0" | awk '{printf "%.1f", $1 - $3}')s of resuming node $P" ||
    bad "ISR never expanded after resuming node $P"
# top still running (its header on screen), isr3-t no longer under min ISR
poll 60 sh -c "tmux -S '$TMUX_SOCK' capture-pane -p -t top | grep -q 'kafkaudit' &&
    ! tmux -S '$TMUX_SOCK' capture-pane -p -t top | grep -Eq 'isr3-t.*(UNDER|under)'" &&
    ok "top no longer shows isr3-t under min ISR: $(screen | head -3 | tr -s ' ' | tr '\n' '|')" ||
    { bad "top still shows isr3-t under min"; screen | head -30; }
tmux -S "$TMUX_SOCK" kill-server 2>/dev/null
end

begin "stop"
kc_stop
left=$(pgrep -f "kafka.Kafka .*kafkaudit-kafka-$V" || true)
expect "no broker JVM left" "" "$left"
end
[ $fails = 0 ] && echo "PASS [$V]" || echo "FAILED [$V]: $fails"
[ $fails = 0 ]
