#!/bin/sh
# Docs and completions stay in step with the CLI:
#  - every command and every option of every command appears in kafkaudit(1)
#  - the committed completions are what the binary generates now
#  - the bash completion completes commands and option values
#  - the man pages render without warnings
#  - the example rule in kafkaudit-rules(5) passes its own examples
#  - every sample output in README.md and the man pages is what the
#    command prints: text, effective, JSON (structure and values), the
#    --each total, the snapshot (against the scenario broker's golden),
#    isr, lag, top's frames, the diagnostics; file samples are read
#    without complaint.  The man pages' EXAMPLES sections and the README's
#    command lists show commands only, no output: nothing to compare.
set -u
K=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=${SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
fail=0
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

man1="$SRC/man/kafkaudit.1"
sed 's/\\-/-/g' "$man1" >"$tmp/man1.txt" # roff writes '-' as '\-'
for c in $("$K" --list-commands); do
    grep -q "^\.SS \"$c" "$man1" || bad "command '$c' has no section in man/kafkaudit.1"
    "$K" "$c" --help >"$tmp/help" || bad "'$c --help' failed"
    for o in $(grep -o -- '--[a-z][a-z0-9-]*' "$tmp/help" | sort -u); do
        [ "$o" = --help ] && continue
        grep -q -- "$o" "$tmp/man1.txt" ||
            bad "option '$o' of '$c' is not documented in man/kafkaudit.1"
    done
done

for sh in bash zsh fish; do
    case $sh in bash) f=kafkaudit.bash ;; zsh) f=_kafkaudit ;; fish) f=kafkaudit.fish ;; esac
    "$K" --completion=$sh >"$tmp/$f"
    cmp -s "$tmp/$f" "$SRC/completions/$f" ||
        bad "completions/$f is stale: regenerate with '$K --completion=$sh > completions/$f'"
done

# --as takes its dialects from the dialect table (the completions list
# them from it): kafkaudit(1) names each under --as
dialects=$(sed -n "s/^ *--as) REPLY='\(.*\)' ;;\$/\1/p" "$tmp/kafkaudit.bash" | sed -n 1p)
[ -n "$dialects" ] || bad "the bash completion lists no --as dialect"
sed -n '/^\.BR \\-\\-as /,/^\.TP/p' "$man1" >"$tmp/as.txt"
for d in $dialects; do
    grep -q "^\.BR $d\( ,\| \.\|\$\)" "$tmp/as.txt" ||
        bad "dialect '$d' (--as) is not named under --as in man/kafkaudit.1"
done

# lag --state takes its group states from one table: --help, the error
# for an unknown one and kafkaudit(1) name every state the completion offers
states=$(sed -n "s/^ *--state) REPLY='\(.*\)' ;;\$/\1/p" "$tmp/kafkaudit.bash" | sed -n 1p)
[ -n "$states" ] || bad "the bash completion lists no --state group state"
"$K" lag --help >"$tmp/lag-help"
"$K" lag --state Nope -b localhost:1 >/dev/null 2>"$tmp/lag-err"
sed -n '/^\.BI \\-\\-state /,/^\.TP/p' "$man1" | tr '\n' ' ' >"$tmp/state.txt"
for st in $states; do
    tr '\n' ' ' <"$tmp/lag-help" | grep -q "[ ,:]$st[,) ]" || bad "group state '$st' is not in 'lag --help'"
    grep -q "[ ,(]$st[,)]" "$tmp/lag-err" || bad "group state '$st' is not in lag's unknown-state error"
    grep -q "[ ,]$st[, ]" "$tmp/state.txt" || bad "group state '$st' is not under --state in man/kafkaudit.1"
done

# the README speaks to users: no measurement diary (a development machine,
# a date), and a kafkaudit version it names is the binary's
grep -n -e 'development VM' -e '(20[0-9][0-9]-[0-9][0-9]-[0-9][0-9])' "$SRC/README.md" >"$tmp/diary" &&
    bad "README.md reads like a diary: $(head -1 "$tmp/diary")"
ver=$("$K" --version | sed -n '1s/^kafkaudit \([0-9][0-9.]*\).*/\1/p')
for v in $(grep -o 'kafkaudit [0-9][0-9.]*[0-9]' "$SRC/README.md" | cut -d' ' -f2 | sort -u); do
    [ "$v" = "$ver" ] || bad "README.md names kafkaudit $v; the binary is $ver"
done

# top's group statuses: kafkaudit(1) describes each; 'top --help' and the
# README list the same ones
mstat=$(sed -n '/^Group statuses follow/,/^\.B !/p' "$man1" | sed -n 's/^\.B \([A-Z][A-Z]*\)$/\1/p' | tr '\n' ' ')
[ -n "$mstat" ] || bad "kafkaudit(1) describes no group status"
"$K" top --help | tr '\n' ' ' | sed -n 's/.*a status (\([A-Z, ]*\)).*/\1/p' | tr -d ',' >"$tmp/tstat"
tr '\n' ' ' <"$SRC/README.md" | sed -n 's/.*a status (\([A-Z, ]*\)).*/\1/p' | tr -d ',' >"$tmp/rstat"
for st in $mstat; do
    grep -qw "$st" "$tmp/tstat" || bad "group status '$st' is not listed in 'top --help'"
    grep -qw "$st" "$tmp/rstat" || bad "group status '$st' is not listed in README.md"
done
for st in $(cat "$tmp/tstat") $(cat "$tmp/rstat"); do
    case " $mstat " in *" $st "*) ;; *) bad "group status '$st' (top --help, README) is not in kafkaudit(1)" ;; esac
done

if command -v bash >/dev/null; then
    out=$(bash -c '
        . "$1"
        COMP_WORDS=(kafkaudit li); COMP_CWORD=1; _kafkaudit; echo "${COMPREPLY[*]}"
        COMP_WORDS=(kafkaudit lint --format s); COMP_CWORD=3; _kafkaudit; echo "${COMPREPLY[*]}"
        COMP_WORDS=(kafkaudit rules e); COMP_CWORD=2; _kafkaudit; echo "${COMPREPLY[*]}"
    ' _ "$SRC/completions/kafkaudit.bash")
    [ "$(echo "$out" | sed -n 1p)" = lint ] || bad "bash completion of 'li' gave '$(echo "$out" | sed -n 1p)'"
    [ "$(echo "$out" | sed -n 2p)" = sarif ] || bad "bash completion of '--format s' gave '$(echo "$out" | sed -n 2p)'"
    [ "$(echo "$out" | sed -n 3p)" = explain ] || bad "bash completion of 'rules e' gave '$(echo "$out" | sed -n 3p)'"
fi

for m in "$SRC"/man/*.[15]; do
    LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$m" >/dev/null 2>"$tmp/warn"
    [ -s "$tmp/warn" ] && bad "$(basename "$m") renders with warnings: $(head -3 "$tmp/warn")"
done

sed -n '/^\.SH EXAMPLE/,/^\.fi/p' "$SRC/man/kafkaudit-rules.5" | sed '1,2d;$d' | sed 's/\\-/-/g' \
    >"$tmp/example-rule.yaml"
"$K" rules test "$tmp/example-rule.yaml" >"$tmp/out" 2>&1 ||
    bad "the example rule in kafkaudit-rules(5) fails: $(cat "$tmp/out")"

# The README's sample outputs are real: the lint excerpt is lines of the
# command's output, and the isr/lag blocks are the live golden cases.
readme="$SRC/README.md"
(cd "$SRC" && NO_COLOR=1 COLUMNS=80 "$K" lint --no-config examples/manifest/bad) >"$tmp/lint.out" 2>&1
sed -n '/^\$ kafkaudit lint examples\/manifest\/bad$/,/^```$/p' "$readme" |
    sed '1d;$d' | grep -v '^\.\.\.$' >"$tmp/lint.readme"
[ -s "$tmp/lint.readme" ] || bad "README: no 'kafkaudit lint examples/manifest/bad' excerpt found"
while IFS= read -r line; do
    grep -qxF -- "$line" "$tmp/lint.out" || bad "README lint excerpt line not in the real output: $line"
done <"$tmp/lint.readme"
# kafkaudit(1)'s TEXT OUTPUT sample is a contiguous block of that output
# (rendered by man, so escapes are undone the way a reader sees them)
sed -n '/^\.SH TEXT OUTPUT/,/^\.fi/p' "$SRC/man/kafkaudit.1" | sed '1,/^\.nf$/d;$d' |
    sed 's/^\\&//; s/\\-/-/g; s/\\\\/\\/g' >"$tmp/lint.man"
[ -s "$tmp/lint.man" ] || bad "kafkaudit.1: no TEXT OUTPUT sample found"
n=$(wc -l <"$tmp/lint.man")
first=$(head -1 "$tmp/lint.man")
grep -nxF -- "$first" "$tmp/lint.out" | head -1 | cut -d: -f1 >"$tmp/at"
[ -s "$tmp/at" ] && sed -n "$(cat "$tmp/at"),+$((n - 1))p" "$tmp/lint.out" | cmp -s - "$tmp/lint.man" ||
    bad "kafkaudit.1's TEXT OUTPUT sample is not what 'COLUMNS=80 kafkaudit lint examples/manifest/bad' prints"
(cd "$SRC" && "$K" effective examples/manifest/bad -O producer:payment-api) 2>&1 | sed '/^$/d' >"$tmp/eff.out"
sed -n '/^\$ kafkaudit effective examples\/manifest\/bad -O producer:payment-api$/,/^```$/p' "$readme" |
    sed '1d;$d' >"$tmp/eff.readme"
cmp -s "$tmp/eff.readme" "$tmp/eff.out" || bad "README's 'kafkaudit effective' sample differs from the real output"
block() { sed -n "/^\\$ kafkaudit $1\$/,/^\\$ /p" "$readme" | sed '1d;$d'; }
# the sample's command is the golden's command
grep -qF 'isr -b "$B" --exclude-internal --without-broker 2' "$SRC/tests/cli/cases/live-isr-without/live-cmd" ||
    bad "tests/cli/cases/live-isr-without/live-cmd is not the README's isr command"
block 'isr -b \$B --exclude-internal --without-broker 2' >"$tmp/isr.readme"
cmp -s "$tmp/isr.readme" "$SRC/tests/cli/cases/live-isr-without/stdout" ||
    bad "README's isr sample differs from tests/cli/cases/live-isr-without/stdout"
sed -n '/^\$ kafkaudit lag -b \$B$/,/^```$/p' "$readme" | sed '1d;$d' >"$tmp/lag.readme"
cmp -s "$tmp/lag.readme" "$SRC/tests/cli/cases/live-lag-text/stdout" ||
    bad "README's lag sample differs from tests/cli/cases/live-lag-text/stdout"

# the quick start: two commands (install, build and audit the examples;
# the whole suite), neither needing sudo to exist, no unbounded -j
sed -n '/^## Quick start/,/^## /p' "$readme" | sed -n '/^```sh$/,/^```$/p' | grep -v '^```' >"$tmp/qs"
[ "$(wc -l <"$tmp/qs")" = 2 ] || bad "README quick start: $(wc -l <"$tmp/qs") commands, expected 2"
grep -q '^sudo' "$tmp/qs" && bad "README quick start begins with sudo (absent on root containers)"
grep -Eq -- '(^| )-j *($|&)' "$tmp/qs" && bad "README quick start builds with an unbounded -j"
sed -n 2p "$tmp/qs" | grep -qx 'tests/run.sh' || bad "README quick start: the second command is not tests/run.sh"
sed -n 1p "$tmp/qs" | grep -q 'build/kafkaudit lint' || bad "README quick start: the first command does not run kafkaudit"
"$SRC/tests/run.sh" --help >"$tmp/runhelp" 2>&1 && grep -q -- '--fast' "$tmp/runhelp" ||
    bad "tests/run.sh --help does not print its usage"
"$SRC/tests/run.sh" --bogus >/dev/null 2>&1; [ $? = 2 ] || bad "tests/run.sh --bogus is not a usage error"

# kafkaudit(1)'s JSON sample is the real output, abridged: every key it
# shows is there in that order, every value it shows is the real one
# ("..." stands for any string, {...} for any object; a list shows its
# first elements)
(cd "$SRC" && "$K" lint --no-config --format json examples/manifest/bad 2>/dev/null) >"$tmp/real.json"
sed -n '/^.SH JSON OUTPUT/,/^.fi/p' "$man1" | sed '1,/^\.nf$/d;$d' | sed 's/\\-/-/g' >"$tmp/man.json"
python3 - "$tmp/man.json" "$tmp/real.json" >"$tmp/json.err" 2>&1 <<'PY' ||
import json, sys
text = open(sys.argv[1]).read().replace("{...}", '"\u2026object"')
want, got = json.loads(text), json.load(open(sys.argv[2]))
def match(w, g, path):
    if w == "...":
        assert isinstance(g, str), "%s: a string in the sample, %r in the output" % (path, g)
    elif w == "\u2026object":
        assert isinstance(g, dict), "%s: an object in the sample, %r in the output" % (path, g)
    elif isinstance(w, dict):
        assert isinstance(g, dict), "%s: an object in the sample, %r in the output" % (path, g)
        keys = [k for k in g if k in w]
        assert set(w) <= set(g), "%s: %s not in the output" % (path, sorted(set(w) - set(g)))
        assert keys == list(w), "%s: keys in the order %s, not %s" % (path, keys, list(w))
        for k in w:
            match(w[k], g[k], path + "." + k)
    elif isinstance(w, list):
        assert isinstance(g, list) and len(g) >= len(w), "%s: %r in the output" % (path, g)
        for i, x in enumerate(w):
            match(x, g[i], "%s[%d]" % (path, i))
    else:
        assert w == g, "%s: %r in the sample, %r in the output" % (path, w, g)
match(want, got, "")
PY
    bad "kafkaudit(1)'s JSON sample is not the real 'lint --format json examples/manifest/bad': $(cat "$tmp/json.err")"

# the README's rule-file error is what a rule file with that line gets
# (tests/fixtures/readme/policies/acme.yaml)
sed -n '/^policies\/acme.yaml:6:11: error/,/^```$/p' "$readme" | sed '$d' >"$tmp/rerr.readme"
(cd "$SRC/tests/fixtures/readme" && "$K" rules test policies/ 2>&1 >/dev/null) >"$tmp/rerr.out"
[ -s "$tmp/rerr.readme" ] && cmp -s "$tmp/rerr.readme" "$tmp/rerr.out" ||
    bad "README's rule-file error differs from the real one: $(cat "$tmp/rerr.out")"

# the README's Groups excerpt: lines of the golden Groups screen
sed -n '/^STATUS  GROUP           STATE/,/^```$/p' "$readme" | sed '$d' >"$tmp/groups.readme"
[ -s "$tmp/groups.readme" ] || bad "README: no Groups excerpt found"
while IFS= read -r line; do
    grep -qF -- "$line" "$SRC/tests/tui/groups.screen" ||
        bad "README Groups line not in tests/tui/groups.screen: $line"
done <"$tmp/groups.readme"

# the man pages' file samples are files kafkaudit reads without complaint
mkdir -p "$tmp/pc/policies"
sed -n '/^(the nearest one from the current directory upwards, or$/,/^\.fi$/p' "$man1" | sed -n '/^\.nf$/,/^\.fi$/p' | sed '1d;$d' |
    sed 's/\\-/-/g' >"$tmp/pc/.kafkaudit.yaml"
[ -s "$tmp/pc/.kafkaudit.yaml" ] || bad "kafkaudit(1): no project config sample found"
(cd "$tmp/pc" && "$K" rules list >/dev/null 2>"$tmp/pc.err") ||
    bad "kafkaudit(1)'s project config sample is rejected: $(cat "$tmp/pc.err")"
sed -n '/^\.SH FORMAT/,/^\.fi$/p' "$SRC/man/kafkaudit-clusters.5" | sed -n '/^\.nf$/,/^\.fi$/p' |
    sed '1d;$d' | sed 's/\\-/-/g' >"$tmp/clusters.yaml"
[ "$("$K" --list-clusters "$tmp/clusters.yaml" | tr '\n' ' ')" = "prod staging " ] ||
    bad "kafkaudit-clusters(5)'s sample does not name prod and staging"
sed -n '/^\.nf$/,/^\.fi$/p' "$SRC/man/kafkaudit-manifest.5" | sed -n '1,/^\.fi$/p' | sed '1d;$d' |
    sed 's/\\-/-/g' >"$tmp/manifest.yaml"
"$K" lint --no-config -q "$tmp/manifest.yaml" >/dev/null 2>"$tmp/manifest.err"
[ $? -ne 3 ] && ! grep -q 'error:' "$tmp/manifest.err" ||
    bad "kafkaudit-manifest(5)'s first sample has input errors: $(head -5 "$tmp/manifest.err")"

# kafkaudit-manifest(5)'s snapshot sample is an excerpt of the snapshot
# golden case of the same command against the scenario broker: its lines
# in order, contiguous but where "..." leaves lines out (the golden's PORT
# and TIME stand for any port and time)
grep -qxF '"$KAFKAUDIT" snapshot -b "${B%%,*}" --topic orders' "$SRC/tests/cli/cases/live-snapshot-orders/live-cmd" ||
    bad "tests/cli/cases/live-snapshot-orders/live-cmd is not kafkaudit-manifest(5)'s snapshot command"
grep -q 'kafkaudit snapshot \\-b 127.0.0.1:9092 \\-\\-topic orders' "$SRC/man/kafkaudit-manifest.5" ||
    bad "kafkaudit-manifest(5) does not name the snapshot sample's command"
sed -n '/^\.SS Snapshots/,/^\.fi$/p' "$SRC/man/kafkaudit-manifest.5" | sed '1,/^\.nf$/d;$d' |
    sed 's/^\\&//; s/\\-/-/g' >"$tmp/snap.man"
python3 - "$tmp/snap.man" "$SRC/tests/cli/cases/live-snapshot-orders/stdout" >"$tmp/snap.err" 2>&1 <<'PY' ||
import re, sys
man = open(sys.argv[1]).read().split("\n")[:-1]
gold = open(sys.argv[2]).read().split("\n")[:-1]
def rx(line):
    r = re.escape(line).replace("PORT", "[0-9]+").replace("TIME", "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]+Z")
    return re.compile(r + r"\Z")
pats = [rx(g) for g in gold]
assert len(man) > 20, "no sample"
j, gap = 0, True
for line in man:
    if line == "...":
        gap = True
        continue
    k = j
    while k < len(gold) and not pats[k].match(line):
        if not gap:
            k = len(gold)
            break
        k += 1
    assert k < len(gold), "not in the output%s: %s" % ("" if gap else " right after the line before", line)
    j, gap = k + 1, False
PY
    bad "kafkaudit-manifest(5)'s snapshot sample is not the real output: $(tail -1 "$tmp/snap.err")"

# the README's file samples: the CI snippets are lines of the files they
# name (less their indentation), the project config and clusters file are read without complaint,
# and the source layout names directories that exist
for ci in github-actions.yml gitlab-ci.yml; do
    sed -n "/^# .*(examples\/ci\/$ci)\$/,/^\`\`\`\$/p" "$readme" | sed '1d;$d' >"$tmp/ci.readme"
    [ -s "$tmp/ci.readme" ] || bad "README: no examples/ci/$ci snippet found"
    while IFS= read -r line; do
        grep -qF -- "$line" "$SRC/examples/ci/$ci" || bad "README's $ci line is not in examples/ci/$ci: $line"
    done <"$tmp/ci.readme"
done
mkdir -p "$tmp/rpc/policies"
sed -n '/^`.kafkaudit.yaml` (searched upwards/,/^```$/p' "$readme" | sed -n '/^```yaml$/,/^```$/p' | sed '1d;$d' \
    >"$tmp/rpc/.kafkaudit.yaml"
[ -s "$tmp/rpc/.kafkaudit.yaml" ] || bad "README: no project config sample found"
(cd "$tmp/rpc" && "$K" rules list >/dev/null 2>"$tmp/rpc.err") ||
    bad "README's project config sample is rejected: $(cat "$tmp/rpc.err")"
sed -n '/^once in `~\/.config\/kafkaudit\/clusters.yaml`/,/^```$/p' "$readme" | sed -n '/^```yaml$/,/^```$/p' |
    sed '1d;$d' >"$tmp/rclusters.yaml"
[ "$("$K" --list-clusters "$tmp/rclusters.yaml" 2>&1 | tr '\n' ' ')" = "prod staging " ] ||
    bad "README's clusters file sample does not name prod and staging"
sed -n '/^## Source layout/,/^## /p' "$readme" | sed -n '/^```$/,/^```$/p' | sed '1d;$d' |
    grep -o '^[a-z]*/[a-z]*/*' >"$tmp/layout"
[ "$(wc -l <"$tmp/layout")" -ge 12 ] || bad "README: no source layout found"
while IFS= read -r d; do
    [ -d "$SRC/$d" ] || bad "README's source layout names $d, which does not exist"
done <"$tmp/layout"

# kafkaudit(1)'s --each total is the last line of its command
cmd=$(sed -n 's/^\.RB ( "kafkaudit \(lint \\-\\-each [^"]*\)"$/\1/p' "$man1" | sed 's/\\-/-/g')
want=$(sed -n '/^\.RB ( "kafkaudit lint \\-\\-each /,/^\.BR "== total/p' "$man1" | sed -n 's/^\.BR "\(== total.*==\)" ).$/\1/p')
got=$(cd "$SRC" && [ -n "$cmd" ] && "$K" $cmd --no-config 2>/dev/null | tail -1)
[ -n "$want" ] && [ "$want" = "$got" ] || bad "kafkaudit(1)'s --each total '$want' is not what '$cmd' prints: $got"

# kafkaudit(1)'s DIAGNOSTICS sample
want=$(sed -n '/^    \$ kafkaudit lnt deploy\/$/{n;p;}' "$tmp/man1.txt" | sed 's/^    //')
got=$("$K" lnt deploy/ 2>&1 | head -1)
[ -n "$want" ] && [ "$want" = "$got" ] || bad "kafkaudit(1)'s 'kafkaudit lnt' sample is not what it prints: $got"

# the README's replay frame is the golden screen of the same command
# (tests/tui/incident.script runs it with --speed 10 at that sample)
grep -qxF 'kafkaudit top --replay examples/recordings/incident.yaml --speed 10' "$readme" ||
    bad "README: the replay command is not 'kafkaudit top --replay examples/recordings/incident.yaml --speed 10'"
grep -qxF '#! args: --speed 10' "$SRC/tests/tui/incident.script" ||
    bad "tests/tui/incident.script does not replay at the README's speed"
sed -n '/^ kafkaudit top │ incident-cluster-0001 .*REPLAY 50\/73$/,/qQuit$/p' "$readme" >"$tmp/frame.readme"
cmp -s "$tmp/frame.readme" "$SRC/tests/tui/overview.screen" ||
    bad "README's replay frame differs from tests/tui/overview.screen"

[ $fail = 0 ] && echo "docs and completions are in step with the CLI"
exit $fail
