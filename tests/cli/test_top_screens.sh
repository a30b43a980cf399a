#!/bin/sh
# Headless screen tests for `kafkaudit top` (tig's TIG_SCRIPT/save-display
# approach): each tests/tui/NAME.script drives the dashboard over the
# shipped incident recording with keys, and every `save-screen FILE` it
# makes must equal tests/tui/FILE, an 80x24 (or `size`d) text capture.
# A line "#! args: ..." in a script adds command-line options.
#
#   UPDATE=1 tests/cli/test_top_screens.sh build/kafkaudit   # rewrite goldens
#
# Also: --batch frames of the replay, usage errors, a bad recording.
set -u
K=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=${SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
REC=$SRC/examples/recordings/incident.yaml
fail=0
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC LC_ALL=C.UTF-8
unset NO_COLOR KAFKAUDIT_TUI_SCRIPT KAFKA_BOOTSTRAP_SERVERS

for script in "$SRC"/tests/tui/*.script; do
    name=$(basename "$script" .script)
    args=$(sed -n 's/^#! args: //p' "$script")
    mkdir -p "$tmp/s-$name"
    # shellcheck disable=SC2086
    if ! (cd "$tmp/s-$name" && "$K" top --replay "$REC" --script "$script" $args \
        >"$tmp/$name.out" 2>"$tmp/$name.err"); then
        bad "$name: exit status $?: $(cat "$tmp/$name.err")"
        continue
    fi
    for screen in $(sed -n 's/^save-\(screen\|attrs\) //p' "$script"); do
        got=$tmp/s-$name/$screen
        want=$SRC/tests/tui/$screen
        if [ ! -f "$got" ]; then
            bad "$name: no $screen"
        elif [ "${UPDATE:-}" = 1 ]; then
            cp "$got" "$want"
        elif ! cmp -s "$got" "$want"; then
            bad "$name: $screen differs from the golden screen:"
            diff -u "$want" "$got" | head -40
        fi
    done
done

# every golden screen is 80 columns or its script's size, no trailing blanks
for s in "$SRC"/tests/tui/*.screen "$SRC"/tests/tui/*.attrs; do
    grep -q ' $' "$s" && bad "$(basename "$s") has trailing blanks"
done

# --batch: one frame per recorded sample, plain text, exit 0
"$K" top --replay "$REC" --batch -v overview >"$tmp/batch" 2>"$tmp/batch.err" ||
    bad "--batch replay failed: $(cat "$tmp/batch.err")"
n=$(grep -c '^kafkaudit top: incident.yaml sample' "$tmp/batch")
[ "$n" = 73 ] || bad "--batch printed $n frames, expected 73"
grep -q 'STALL  billing' "$tmp/batch" || bad "--batch never shows billing STALL"
grep -q 'under min ISR           1' "$tmp/batch" || bad "--batch never shows 1 under min ISR"
# the Overview's group tally adds up to the groups present: a group with
# nothing committed has no verdict, and is counted as such
"$K" top --replay "$SRC/tests/tui/no-verdict.yaml" --batch -n 1 -v overview >"$tmp/nv" 2>&1 ||
    bad "--batch replay of no-verdict.yaml failed: $(cat "$tmp/nv")"
grep -q 'Groups      2:  STALL 0  STOP 0  REWIND 0  WARN 0  OK 1  no verdict 1' "$tmp/nv" ||
    bad "the Overview's group tally does not add up: $(grep 'Groups ' "$tmp/nv")"
LC_ALL=C "$K" top --replay "$REC" --batch -n 1 -v groups >"$tmp/ascii" 2>&1
if LC_ALL=C grep -q "$(printf '[\200-\377]')" "$tmp/ascii"; then
    bad "--batch in the C locale prints non-ASCII bytes"
fi
"$K" top --replay "$REC" --batch -n 2 -v groups >"$tmp/two" 2>&1
[ "$(grep -c '^kafkaudit top:' "$tmp/two")" = 2 ] || bad "-n 2 did not print 2 frames"

# usage errors and a bad recording
# no cluster: unusable connection settings (3), as the other live commands
"$K" top >/dev/null 2>"$tmp/e1"
[ $? = 3 ] && grep -q 'no bootstrap servers' "$tmp/e1" || bad "top without -b/--replay: $(cat "$tmp/e1")"
"$K" top --replay "$REC" -b localhost:1 >/dev/null 2>&1
[ $? = 2 ] || bad "--replay with -b is not a usage error"
"$K" top --replay "$REC" --view nowhere >/dev/null 2>&1
[ $? = 2 ] || bad "--view nowhere is not a usage error"
printf -- '---\ncluster: [1, 2\n' >"$tmp/broken.yaml"
"$K" top --replay "$tmp/broken.yaml" --batch >/dev/null 2>"$tmp/e2"
[ $? = 3 ] && grep -q 'broken.yaml:[0-9]*:[0-9]*: did not find' "$tmp/e2" || bad "a broken recording: $(cat "$tmp/e2")"
"$K" top --replay "$tmp/none.yaml" --batch >/dev/null 2>"$tmp/e3"
[ $? = 3 ] || bad "a missing recording is not exit 3: $(cat "$tmp/e3")"
printf 'frame 1\nfly away\n' >"$tmp/bad.script"
"$K" top --replay "$REC" --script "$tmp/bad.script" >/dev/null 2>"$tmp/e4"
[ $? = 2 ] && grep -q 'bad.script:2' "$tmp/e4" || bad "a bad script: $(cat "$tmp/e4")"
# not a terminal: a clear error, not a garbled screen
"$K" top --replay "$REC" </dev/null >"$tmp/o5" 2>"$tmp/e5"
[ $? = 2 ] && grep -q 'not a terminal' "$tmp/e5" || bad "no tty: $(cat "$tmp/e5")"
# a terminal that cannot move the cursor (TERM=dumb) or an unknown one:
# refused like that, with --batch suggested, and nothing drawn
if command -v script >/dev/null; then
    for term in dumb no-such-terminal; do
        TERM=$term timeout 20 script -qc "\"$K\" top --replay \"$REC\"; echo status=\$?" /dev/null \
            >"$tmp/t-$term" 2>&1 </dev/null
        tr -d '\r' <"$tmp/t-$term" >"$tmp/t-$term.txt"
        if ! grep -q "^kafkaudit top: cannot use the terminal (TERM=$term): .*--batch$" "$tmp/t-$term.txt" ||
            ! grep -q '^status=2$' "$tmp/t-$term.txt" || [ "$(wc -l <"$tmp/t-$term.txt")" != 2 ] ||
            grep -q 'incident-cluster' "$tmp/t-$term.txt"; then
            bad "TERM=$term: $(od -c "$tmp/t-$term" | head -8)"
        fi
    done
fi

[ $fail = 0 ] && echo "top screens, batch frames and errors as expected"
exit $fail
