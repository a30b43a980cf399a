#!/bin/sh
# Docs and completions stay in step with the CLI:
#  - every command and every option of every command appears in kafkaudit(1)
#  - the committed completions are what the binary generates now
#  - the bash completion completes commands and option values
#  - the man pages render without warnings
#  - the example rule in kafkaudit-rules(5) passes its own examples
set -u
K=$1
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

[ $fail = 0 ] && echo "docs and completions are in step with the CLI"
exit $fail
