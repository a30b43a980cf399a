# Shared by the live golden scripts (sourced).  After a case has run with
# its normalised output in $tmp/out, $tmp/err and $tmp/status:
#   golden_check DIR NAME STDERR
# rewrites DIR's expectations under UPDATE_GOLDEN=1, else compares them and
# counts a failure in $fail.  STDERR is "always" (stderr is compared even
# when DIR has no stderr file) or "if-present".
#
# The number of shipped rules is written @RULES@ in the expectations (the
# summary's "(58 rules)", JSON's "rules": 58), so that adding a rule does
# not rewrite every case: golden_expect puts in the count that
# 'kafkaudit rules list' gives ($KAFKAUDIT is the binary).
golden_rules() {
    [ -n "${RULES:-}" ] && return
    RULES=$("$KAFKAUDIT" rules list --no-config | grep -cE '^[A-Z]+[0-9]+ ')
    [ "$RULES" -gt 0 ] || { echo "cannot count the shipped rules"; exit 1; }
}
# expected -> actual
golden_expect() { golden_rules; sed "s/@RULES@/$RULES/g" "$1"; }
# actual -> expected, for UPDATE_GOLDEN
golden_unexpect() {
    golden_rules
    sed -e "s/(${RULES} rules/(@RULES@ rules/g" -e "s/\"rules\": ${RULES},/\"rules\": @RULES@,/g" "$1"
}

golden_check() {
    if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
        golden_unexpect "$tmp/out" >"$1/stdout"; golden_unexpect "$tmp/err" >"$1/stderr"
        cp "$tmp/status" "$1/status"
        echo "updated $2"
        return
    fi
    ok=1
    if ! cmp -s "$tmp/status" "$1/status"; then
        echo "FAIL $2: exit status $(cat "$tmp/status"), expected $(cat "$1/status")"; ok=0
    fi
    golden_expect "$1/stdout" >"$tmp/want"
    if ! diff -u "$tmp/want" "$tmp/out" >"$tmp/diff"; then
        echo "FAIL $2: stdout differs"; head -60 "$tmp/diff"; ok=0
    fi
    if { [ "$3" = always ] || [ -f "$1/stderr" ]; } && golden_expect "$1/stderr" >"$tmp/want" &&
        ! diff -u "$tmp/want" "$tmp/err" >"$tmp/diff"; then
        echo "FAIL $2: stderr differs"; head -40 "$tmp/diff"; ok=0
    fi
    if [ $ok = 1 ]; then echo "ok   $2"; else fail=$((fail + 1)); fi
}
