#!/bin/sh
# End to end: the real `kafkaudit top` binary in a tmux terminal (80x24)
# against the scenario broker's incident scenario (tests/broker/), while
# the scenario is advanced through its control socket: an ISR shrinks
# below min ISR, a broker is lost, a group stalls, everything recovers.
# Every assertion polls `tmux capture-pane` until a deadline; nothing
# sleeps to decide pass or fail.
#
# Also: resize, Ctrl-C and q restore the terminal, the cluster becoming
# unreachable and coming back, colour versus NO_COLOR, ASCII under the C
# locale, --record then --replay, and that top sent no write request.
set -u
K=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=${SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PY=/usr/bin/python3
B=$SRC/tests/broker/kafka_scenario_broker.py
if ! command -v tmux >/dev/null || ! $PY -c 'import kafka, yaml' 2>/dev/null; then
    echo "SKIP: needs tmux and Debian's python3-kafka and python3-yaml"
    exit 0
fi
fail=0
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d)
SOCK=$tmp/tmux.sock
T() { tmux -S "$SOCK" "$@"; }
cleanup() {
    T kill-server >/dev/null 2>&1
    [ -s "$tmp/ctl" ] && $PY "$B" ctl --control-port-file "$tmp/ctl" quit >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# the broker runs on the real clock: orders grows 10 msg/s, billing follows
$PY "$B" "$SRC/tests/broker/scenarios/incident.yaml" -q --ports-file "$tmp/ports" \
    --control-port-file "$tmp/ctl" --lifetime 280 --watch-pid $$ >/dev/null 2>"$tmp/broker.err" &
i=0
while [ ! -s "$tmp/ports" ]; do
    i=$((i + 1))
    [ $i -gt 300 ] && { echo "FAIL: the scenario broker did not start: $(cat "$tmp/broker.err")"; exit 1; }
    sleep 0.05
done
PORTS=$(cat "$tmp/ports")
ctl() { $PY "$B" ctl --control-port-file "$tmp/ctl" "$@" >"$tmp/ctl.out" || bad "ctl $*: $(cat "$tmp/ctl.out")"; }

# start SESSION ENV... -- ARGS...: top in a fresh 80x24 tmux session
start() {
    s=$1
    shift
    envs=""
    while [ "$1" != -- ]; do
        envs="$envs $1"
        shift
    done
    shift
    rm -f "$tmp/$s.exit"
    T new-session -d -s "$s" -x 80 -y 24 \
        "env TZ=UTC TERM=xterm-256color$envs $K top $* 2>$tmp/$s.err; echo \$? >$tmp/$s.exit; sleep 300"
}

screen() { T capture-pane -p -t "$1"; }

# expect SESSION SECONDS REGEX [WHAT]: poll the screen until REGEX shows up
expect() {
    s=$1 secs=$2 re=$3
    end=$(($(date +%s) + secs))
    while :; do
        if screen "$s" | grep -Eq -- "$re"; then
            return 0
        fi
        if [ "$(date +%s)" -ge "$end" ]; then
            bad "${4:-$re}: not on screen after ${secs}s; screen was:"
            screen "$s" | sed 's/^/    | /'
            [ -s "$tmp/$s.err" ] && sed 's/^/    stderr: /' "$tmp/$s.err"
            return 1
        fi
        sleep 0.2
    done
}

# exited SESSION SECONDS STATUS
exited() {
    s=$1 secs=$2 want=$3
    end=$(($(date +%s) + secs))
    while [ ! -s "$tmp/$s.exit" ]; do
        if [ "$(date +%s)" -ge "$end" ]; then
            bad "$s: top did not exit within ${secs}s"
            return 1
        fi
        sleep 0.2
    done
    got=$(cat "$tmp/$s.exit")
    [ "$got" = "$want" ] || bad "$s: exit status $got, expected $want ($(cat "$tmp/$s.err"))"
    # the terminal is restored: the dashboard is gone from the screen
    if screen "$s" | grep -q 'kafkaudit top'; then
        bad "$s: the dashboard is still on the screen after exit"
        screen "$s" | sed 's/^/    | /'
    fi
}

key() { T send-keys -t "$1" "$2"; }

# ---- the incident, live ---------------------------------------------------------
start main LC_ALL=C.UTF-8 -- -b "$PORTS" --interval 500ms --window 4s --record "$tmp/rec.yaml"
expect main 20 'incident-cluster-0001.*LIVE' "title with the cluster id"
expect main 10 'under min ISR +0' "overview: nothing under min ISR yet"
expect main 10 '^ *OK +billing' "billing OK while it keeps up"

ctl step isr-shrink
expect main 15 'under min ISR +1 +writes with acks=all are refused' "overview: 1 under min ISR"
key main 2
expect main 10 '^orders +0 +1 1,2,3 +1 +2 UNDER-MIN' "partitions: orders-0 under min ISR"
expect main 5 '^orders +1 +2 2,3,1 +2,1 +2 AT-MIN' "partitions: orders-1 at min ISR"
key main 3
expect main 10 'orders-0 +shrink +3 +1 3→1 +2 ongoing' "timeline: broker 3's replica left orders-0"
expect main 5 'orders-0 +shrink +2 +1 3→1' "timeline: broker 2's replica left orders-0"

ctl step broker-3-down
key main 4
expect main 40 '^ +3 rack-c +DOWN' "brokers: broker 3 down"
expect main 40 '^ +1 rack-a +up +[0-9]+ +18 +0 +17 +1$' "brokers: broker 1 would take 17 under min ISR, 1 offline"

ctl step group-stall
key main 5
expect main 60 '^STALL +billing +Stable +2' "groups: billing STALL"
expect main 5 'billing: no progress for' "groups: the reason line"
key main Enter
expect main 10 'group billing +STALL' "group detail"
expect main 5 '^orders +0 +[0-9,]+ +[0-9,]+ +[0-9,]+ +[0-9.a-z]+ STALL +billing-1' "group detail rows"
key main Escape

ctl step recovery
key main 5
expect main 60 '^OK +billing' "groups: billing OK after recovery"
key main 4
expect main 30 '^ +3 rack-c +up' "brokers: broker 3 back"
key main 3
expect main 10 'orders-0 +expand .* degraded ' "timeline: expand with the degraded time"

# resize: the brokers view gains the HOST column at 100 columns
T resize-window -t main -x 120 -y 30
key main 4
expect main 10 'ID RACK +HOST' "resize to 120x30"
key main q
exited main 15 0

n=$(grep -c '^---' "$tmp/rec.yaml" 2>/dev/null)
[ "${n:-0}" -ge 5 ] || bad "--record wrote ${n:-0} documents"
grep -q 'password' "$tmp/rec.yaml" && grep 'password' "$tmp/rec.yaml" | grep -v 'value: null' | grep -q . &&
    bad "a password value in the recording"
TZ=UTC "$K" top --replay "$tmp/rec.yaml" --window 4s --batch -v groups >"$tmp/replay.out" 2>&1 ||
    bad "replaying the recording failed: $(tail -3 "$tmp/replay.out")"
grep -q '^STALL *billing' "$tmp/replay.out" || bad "the replay does not show billing STALL"

# ---- unreachable and back; Ctrl-C ---------------------------------------------
start second LC_ALL=C.UTF-8 -- -b "$PORTS" --interval 500ms --timeout 3s
expect second 20 'incident-cluster-0001.*LIVE'
ctl broker-down 1
ctl broker-down 2
ctl broker-down 3
expect second 40 'UNREACHABLE since' "status: cluster unreachable"
expect second 5 '^ Refreshed +[0-9:]{8}, [0-9a-z]+ ago; unreachable since [0-9:]{8} \([0-9]+ tries\)$' \
    "overview: since when the cluster is unreachable, within 80 columns"
ctl broker-up 1
ctl broker-up 2
ctl broker-up 3
expect second 40 '^collect [0-9]+ms' "status: collection resumed"
key second C-c
exited second 15 130

# ---- colours and monochrome, ASCII ---------------------------------------------
start colour LC_ALL=C.UTF-8 -- -b "$PORTS"
expect colour 20 'LIVE'
T capture-pane -p -e -t colour >"$tmp/colour.esc"
grep -q "$(printf '\033')\\[[0-9;]*3[0-7]m\\|$(printf '\033')\\[[0-9;]*4[0-7]m" "$tmp/colour.esc" ||
    bad "no colour escape in the coloured screen"
key colour q
exited colour 15 0
start mono LC_ALL=C.UTF-8 NO_COLOR=1 -- -b "$PORTS"
expect mono 20 'LIVE'
T capture-pane -p -e -t mono >"$tmp/mono.esc"
grep -q "$(printf '\033')\\[[0-9;]*3[0-7]m" "$tmp/mono.esc" && bad "NO_COLOR screen has colours"
grep -q "$(printf '\033')\\[[0-9;]*7m" "$tmp/mono.esc" || bad "NO_COLOR screen has no reverse video"
key mono q
exited mono 15 0
start ascii LC_ALL=C -- -b "$PORTS"
expect ascii 20 'kafkaudit top \| incident'
screen ascii | LC_ALL=C grep -q "$(printf '[\200-\377]')" && bad "non-ASCII characters under LC_ALL=C"
key ascii q
exited ascii 15 0

# ---- interactive replay: pace, pause, step, end -----------------------------------
REC=$SRC/examples/recordings/incident.yaml
start replay LC_ALL=C.UTF-8 -- --replay "$REC" --speed 0.001
expect replay 10 'REPLAY 1/73' "replay: the first sample at once"
key replay p
expect replay 5 'PAUSED 1/73' "replay: paused"
key replay r
expect replay 5 'PAUSED 2/73' "replay: r steps one sample while paused"
key replay q
exited replay 10 0
start fast LC_ALL=C.UTF-8 -- --replay "$REC" --speed max -v groups
expect fast 30 'REPLAY 73/73' "replay --speed max: the last sample"
expect fast 5 '\(end\)' "replay: the status line says it ended"
expect fast 5 '^OK +billing' "replay: billing recovered at the end"
key fast q
exited fast 10 0

# ---- top is read-only ------------------------------------------------------------
$PY "$B" ctl --control-port-file "$tmp/ctl" stats >"$tmp/stats.json"
$PY - "$tmp/stats.json" <<'EOF' || bad "the broker saw write, unserved or auto-create requests"
import json, sys
s = json.load(open(sys.argv[1]))["stats"]
sys.exit(0 if s["forbidden_total"] == 0 and not s["rejected"] and
         not s["auto_create_topic_requests"] and s["total"].get("Metadata", 0) > 0 else 1)
EOF

[ $fail = 0 ] && echo "top end to end: ISR shrink, broker loss, stall, recovery, terminal handling"
exit $fail
