#!/bin/sh
# Hostile inputs cost bounded time and memory, and get a clear error:
# each case once took minutes or gigabytes (issue 18).  The bounds are
# loose (10x what a quadratic cost would need at these sizes is far
# beyond them; a linear one is far below, sanitizers included).
# Usage: test_hostile.sh KAFKAUDIT
set -u
K=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
GEN=$(cd "$(dirname "$0")/../../bench" && pwd)/gen_hostile.py
export NO_COLOR=1 LC_ALL=C KAFKAUDIT_TODAY=2026-11-24
unset GITHUB_ACTIONS KAFKAUDIT_RULES_DIR
t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; head -c 2000 "$t/err"; }
# case scale want-status timeout-s memory-limit-KiB [grep-in-output]
run() {
    c=$1 scale=$2 want=$3 secs=$4 mem=$5
    python3 "$GEN" "$c" "$scale" "$t/$c" >"$t/$c.args" || { ko "$c: generator"; return; }
    (cd "$t/$c" && ulimit -v "$mem" &&
        timeout "$secs" "$K" lint --no-config $(cat "$t/$c.args") >"$t/out" 2>"$t/err")
    got=$?
    if [ "$got" = "$want" ]; then ok "$c: status $got within ${secs}s and $mem KiB"; else
        ko "$c: status $got, expected $want (124: over ${secs}s; 134/139: out of memory?)"; fi
    if [ -n "${6:-}" ]; then
        if grep -q -- "$6" "$t/out" "$t/err"; then ok "$c: says '$6'"; else ko "$c: no '$6'"; fi
    fi
}
# ASan reserves terabytes of address space: no ulimit -v under it (gcc
# links libasan dynamically; clang links its runtime in statically)
case "$(ldd "$K" 2>/dev/null)" in *libasan*) big=unlimited ;; *) big=1500000 ;; esac
grep -q __asan_init "$K" 2>/dev/null && big=unlimited
mem() { if [ "$big" = unlimited ]; then echo unlimited; else echo "$1"; fi; }

# a 1 MiB scalar aliased 5,000 times: one copy, not 5 GB
run aliases 0.25 0 60 "$(mem 400000)"
run spring_aliases 0.1 0 60 "$(mem 400000)"
run compose_aliases 0.1 1 60 "$(mem 400000)"
# 20,000 brokers: no per-broker pass over all brokers (was 40 s)
run brokers 0.4 1 60 "$(mem 800000)"
# 100,000 secret-sounding keys (was 4 s, quadratic)
run secrets 0.25 0 60 "$(mem 1500000)"
# 100,000 baseline fingerprints against 10,000 topics
run baseline 0.5 1 60 "$(mem 1500000)"
# a 12,500-variable env file shared by six services
run envfile6 0.25 3 60 "$(mem 800000)" "more than 8192 variables"
# one 1 MB env file named by 500 services: a budget for all services
run envfile_many 1 3 120 "$(mem 800000)" "more than 200000 variables in all"
# a 30 MB value on one line: a few copies of it, not a gigabyte
run longvalue 0.5 1 60 "$(mem 500000)"
# 200,000 unknown fields: listed up to a cap, the rest counted
run unknown 0.2 3 120 "$(mem 1500000)" "199000 more problems in this file not listed"
lines=$(wc -l <"$t/err")
if [ "$lines" -gt 1000 ] && [ "$lines" -lt 6000 ]; then ok "unknown: $lines lines of diagnostics"; else ko "unknown: $lines lines"; fi
# nested quantifiers: the rule's budget runs out, an error at the rule
run nestedcount 1 3 120 "$(mem 800000)" "rules/r.yaml:2:5: error: rule X900: its quantifiers"

# 20,000 '!' in a rule condition: an error at the rule, not a crash
mkdir -p "$t/deep"
python3 -c "print('rules:\n  - id: X001\n    title: t\n    severity: error\n    scope: topic\n    when: \"' + '!' * 20000 + 'true\"\n    message: m')" >"$t/deep/r.yaml"
printf 'kafkaudit: 1\ntopics: {t: {partitions: 1}}\n' >"$t/m.yaml"
"$K" lint --no-config --no-builtin-rules -r "$t/deep" "$t/m.yaml" >"$t/out" 2>"$t/err"
got=$?
if [ $got = 3 ] && grep -q "r.yaml:6:.*nested too deeply" "$t/err"; then ok "deep expression: exit 3 at the rule"; else
    ko "deep expression: status $got"; fi

# a project config with two 'rules:' blocks: an error naming both lines
printf 'rules: {KA101: off}\nrules: {KA102: off}\n' >"$t/.kafkaudit.yaml"
(cd "$t" && "$K" lint m.yaml >"$t/out" 2>"$t/err")
got=$?
if [ $got = 3 ] && grep -q "kafkaudit.yaml:2:1: error: .*duplicate key 'rules' (first at line 1, column 1)" "$t/err"; then
    ok "config rules twice: exit 3, both lines"; else ko "config rules twice: status $got"; fi
rm "$t/.kafkaudit.yaml"

# top --replay of something endless and binary: refused at once
timeout 20 "$K" top --replay /dev/zero >"$t/out" 2>"$t/err"
got=$?
if [ $got = 3 ] && grep -q "not a recording" "$t/err"; then ok "top --replay /dev/zero: exit 3"; else
    ko "top --replay /dev/zero: status $got"; fi

# secrets reached through aliases or pasted into a key: never printed
printf 'kafkaudit: 1\nproducers:\n  p:\n    config:\n      ssl.key.password: &s hunter2secret\n      acks: *s\n      linger.ms: *s\n' >"$t/alias.yaml"
python3 -c "print('kafkaudit: 1\nproducers:\n  p:\n    config:\n      sasl.jaas.config.' + 'hunter2secret' * 20 + ': 1')" >"$t/longkey.yaml"
printf 'kafkaudit: 1\nproducers:\n  p:\n    config:\n      ssl.key.password: hunter2secret: {bad: [\n' >"$t/syntax.yaml"
for f in alias longkey syntax; do
    for fmt in text json sarif junit github plain checkstyle; do
        "$K" lint --no-config -f "$fmt" "$t/$f.yaml" >"$t/out" 2>"$t/err"
        if grep -q hunter2 "$t/out" "$t/err"; then ko "$f.yaml: secret printed in $fmt"; fi
    done
    ok "$f.yaml: no secret in any format"
done
"$K" lint --no-config "$t/alias.yaml" >"$t/out" 2>&1
if grep -q "invalid value '\[hidden\]' for acks" "$t/out"; then ok "alias of a secret: said hidden"; else
    ko "alias of a secret: no hidden value"; cat "$t/out"; fi

echo "$pass passed, $fail failed"
[ $fail = 0 ]
