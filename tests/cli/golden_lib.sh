# Shared by the live golden scripts (sourced).  After a case has run with
# its normalised output in $tmp/out, $tmp/err and $tmp/status:
#   golden_check DIR NAME STDERR
# rewrites DIR's expectations under UPDATE_GOLDEN=1, else compares them and
# counts a failure in $fail.  STDERR is "always" (stderr is compared even
# when DIR has no stderr file) or "if-present".
golden_check() {
    if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
        cp "$tmp/out" "$1/stdout"; cp "$tmp/err" "$1/stderr"; cp "$tmp/status" "$1/status"
        echo "updated $2"
        return
    fi
    ok=1
    if ! cmp -s "$tmp/status" "$1/status"; then
        echo "FAIL $2: exit status $(cat "$tmp/status"), expected $(cat "$1/status")"; ok=0
    fi
    if ! diff -u "$1/stdout" "$tmp/out" >"$tmp/diff"; then
        echo "FAIL $2: stdout differs"; head -60 "$tmp/diff"; ok=0
    fi
    if { [ "$3" = always ] || [ -f "$1/stderr" ]; } && ! diff -u "$1/stderr" "$tmp/err" >"$tmp/diff"; then
        echo "FAIL $2: stderr differs"; head -40 "$tmp/diff"; ok=0
    fi
    if [ $ok = 1 ]; then echo "ok   $2"; else fail=$((fail + 1)); fi
}
