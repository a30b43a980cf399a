#!/bin/sh
# Baselines: fingerprints survive edits that move lines; a new defect
# fails; a fixed one is listed.  Usage: test_ci_baseline.sh KAFKAUDIT
set -u
K=$1
RULES=$(cd "$(dirname "$0")/cases/ci-fixtures" && pwd)/rules.yaml
export NO_COLOR=1 LC_ALL=C KAFKAUDIT_TODAY=2026-11-24
unset GITHUB_ACTIONS
t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT
cd "$t" || exit 1
pass=0 fail=0
check() {
    n=$1 want=$2
    shift 2
    "$@" >out 2>err
    got=$?
    if [ "$got" = "$want" ]; then pass=$((pass + 1)); echo "ok   $n"; else
        fail=$((fail + 1)); echo "FAIL $n: status $got, expected $want"; cat out err; fi
}
has() {
    if grep -q -- "$3" "$2"; then pass=$((pass + 1)); echo "ok   $1"; else
        fail=$((fail + 1)); echo "FAIL $1: no '$3' in $2"; cat "$2"; fi
}
L() { "$K" lint --no-config --no-builtin-rules -r "$RULES" "$@"; }

cat >deploy.yaml <<'Y'
producers:
  a: {client: java 3.6, config: {acks: 1}}
  b: {client: java 3.6, config: {acks: "0"}}
consumers:
  c: {client: java 3.6, config: {enable.auto.commit: true}}
Y
check "findings before the baseline" 1 L deploy.yaml
# recording the findings is what --write-baseline is for: status 0 (set -e safe)
check "write baseline" 0 L --write-baseline base.json deploy.yaml
python3 -m json.tool base.json >/dev/null && has "baseline has 3 findings" base.json '"CI201"'
[ "$(grep -c fingerprint base.json)" = 3 ] && { pass=$((pass + 1)); echo "ok   3 fingerprints"; } ||
    { fail=$((fail + 1)); echo "FAIL 3 fingerprints"; }

# unrelated edits: comments and a new clean producer above, keys reordered
cat >deploy.yaml <<'Y'
# Deployment of the order pipeline.
# Owner: platform team.

producers:
  z: {client: java 3.6, config: {acks: all}}

  b: {client: java 3.6, config: {acks: "0"}}
  a: {client: java 3.6, config: {linger.ms: 5, acks: 1}}
consumers:
  c:
    client: java 3.6
    config:
      enable.auto.commit: true
Y
check "moved lines keep matching the baseline" 0 L --baseline base.json deploy.yaml
has "summary counts baselined" out '3 in baseline'
check "baselined shown with --show-suppressed" 0 L --baseline base.json --show-suppressed -f plain deploy.yaml
has "baseline status listed" out '\[baseline: known in baseline\]'
check "sarif baselineState" 0 L --baseline base.json -f sarif deploy.yaml
python3 -c '
import json
rs = json.load(open("out"))["runs"][0]["results"]
assert len(rs) == 3 and all(r["baselineState"] == "unchanged" for r in rs)
' && { pass=$((pass + 1)); echo "ok   sarif unchanged"; } || { fail=$((fail + 1)); echo "FAIL sarif unchanged"; }

# a new defect fails, the old ones stay quiet
printf '  d: {client: java 3.6, config: {acks: 1}}\n' >>deploy.yaml
sed -i 's/^consumers:$//' deploy.yaml
printf 'consumers:\n  c: {client: java 3.6, config: {enable.auto.commit: true}}\n' >>deploy.yaml
sed -i '/^  c:$/,/enable.auto.commit: true$/d' deploy.yaml
check "a new defect fails" 1 L --baseline base.json -f plain deploy.yaml
[ "$(wc -l <out)" = 1 ] && has "only the new finding" out 'producer d:' ||
    { fail=$((fail + 1)); echo "FAIL only the new finding"; cat out; }
check "sarif new" 1 L --baseline base.json -f sarif deploy.yaml
python3 -c '
import json
rs = json.load(open("out"))["runs"][0]["results"]
new = [r for r in rs if r["baselineState"] == "new"]
assert len(new) == 1 and "producer d" in new[0]["message"]["text"]
' && { pass=$((pass + 1)); echo "ok   sarif new"; } || { fail=$((fail + 1)); echo "FAIL sarif new"; }

# a fixed defect is listed
cat >deploy.yaml <<'Y'
producers:
  a: {client: java 3.6, config: {acks: all}}
  b: {client: java 3.6, config: {acks: "0"}}
consumers:
  c: {client: java 3.6, config: {enable.auto.commit: true}}
Y
check "fixed defect passes" 0 L --baseline base.json deploy.yaml
has "fixed one listed" out 'fixed since baseline: CI101 producer a'
has "summary counts fixed" out '1 fixed since baseline'
check "fixed in json" 0 L --baseline base.json -f json deploy.yaml
has "json fixed list" out '"fixed"'
check "fixed in junit" 0 L --baseline base.json -f junit deploy.yaml
has "junit fixed suite" out 'testsuite name="fixed since baseline"'

check "missing baseline file is an error" 3 L --baseline nope.json deploy.yaml
printf 'hello: world\n' >bad.json
check "not a baseline is an error" 3 L --baseline bad.json deploy.yaml

echo "$pass passed, $fail failed"
[ $fail = 0 ]
