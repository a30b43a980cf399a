#!/bin/sh
# Golden CLI tests.  Each directory under CASES holds:
#   cmd      a shell snippet; $KAFKAUDIT is the binary, the cwd is the case dir
#   stdout   expected standard output
#   stderr   expected standard error (optional; checked when present)
#   status   expected exit status (a number)
# Environment is fixed: NO_COLOR=1, LC_ALL=C, KAFKAUDIT_TODAY=2026-11-24,
# no GITHUB_ACTIONS.  UPDATE_GOLDEN=1 rewrites the expectations instead.
# The shipped rule count is written @RULES@ (golden_lib.sh).
set -u
KAFKAUDIT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
CASES=$2
export KAFKAUDIT
export NO_COLOR=1 LC_ALL=C KAFKAUDIT_TODAY=2026-11-24
unset GITHUB_ACTIONS KAFKAUDIT_RULES_DIR
fail=0 n=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/golden_lib.sh"
for dir in "$CASES"/*/; do
    name=$(basename "$dir")
    [ -f "$dir/cmd" ] || continue
    n=$((n + 1))
    (cd "$dir" && timeout 60 sh ./cmd >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/status")
    if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
        golden_unexpect "$tmp/out" >"$dir/stdout"; cp "$tmp/status" "$dir/status"
        if [ -s "$tmp/err" ] || [ -f "$dir/stderr" ]; then golden_unexpect "$tmp/err" >"$dir/stderr"; fi
        continue
    fi
    ok=1
    if ! cmp -s "$tmp/status" "$dir/status"; then
        echo "FAIL $name: exit status $(cat "$tmp/status"), expected $(cat "$dir/status")"; ok=0
    fi
    golden_expect "$dir/stdout" >"$tmp/want"
    if ! diff -u "$tmp/want" "$tmp/out" >"$tmp/diff"; then
        echo "FAIL $name: stdout differs"; cat "$tmp/diff"; ok=0
    fi
    if [ -f "$dir/stderr" ] && golden_expect "$dir/stderr" >"$tmp/want" &&
        ! diff -u "$tmp/want" "$tmp/err" >"$tmp/diff"; then
        echo "FAIL $name: stderr differs"; cat "$tmp/diff"; ok=0
    fi
    if [ $ok = 1 ]; then echo "ok   $name"; else fail=$((fail + 1)); fi
done
echo "$n cases, $fail failed"
[ $n -gt 0 ] && [ $fail = 0 ]
