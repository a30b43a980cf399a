#!/bin/sh
# Suppressions: inline (same line, line above, object's first line) and
# project config; a reason is mandatory; expired ones come back with a
# note; unknown rule ids are errors.  Usage: test_ci_suppress.sh KAFKAUDIT
set -u
K=$1
RULES=$(cd "$(dirname "$0")/cases/ci-fixtures" && pwd)/rules.yaml
export NO_COLOR=1 LC_ALL=C KAFKAUDIT_TODAY=2026-11-24
unset GITHUB_ACTIONS
t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT
cd "$t" || exit 1
pass=0 fail=0
check() { # name expected-status command...
    n=$1 want=$2
    shift 2
    "$@" >out 2>err
    got=$?
    if [ "$got" = "$want" ]; then pass=$((pass + 1)); echo "ok   $n"; else
        fail=$((fail + 1)); echo "FAIL $n: status $got, expected $want"; cat out err; fi
}
has() { # name file pattern
    if grep -q -- "$3" "$2"; then pass=$((pass + 1)); echo "ok   $1"; else
        fail=$((fail + 1)); echo "FAIL $1: no '$3' in $2"; cat "$2"; fi
}
L() { "$K" lint --no-builtin-rules -r "$RULES" "$@"; }

deploy() { # $1: text of the producer's acks line(s)
    printf 'producers:\n  p:\n    client: java 3.6\n    config:\n%s\n' "$1" >deploy.yaml
}

deploy '      acks: 1   # kafkaudit-ignore: CI101 reason="metrics only"'
check "inline, same line" 0 L --no-config deploy.yaml
check "inline shown with --show-suppressed" 0 L --no-config --show-suppressed -f plain deploy.yaml
has "suppressed reason listed" out 'suppressed: metrics only (deploy.yaml:5)'

deploy '      # kafkaudit-ignore: CI101 reason="metrics only"
      acks: 1'
check "inline, line above" 0 L --no-config deploy.yaml

printf 'producers:\n  p:\n    client: java 3.6\n    config:\n      linger.ms: 5   # kafkaudit-ignore: CI101 reason="wrong line"\n      acks: 1\n' >deploy.yaml
check "a trailing comment does not cover the next line" 1 L --no-config deploy.yaml

printf 'producers:\n  p:   # kafkaudit-ignore: CI101 reason="whole object"\n    client: java 3.6\n    config: {acks: 1}\n' >deploy.yaml
check "inline, object's first line" 0 L --no-config deploy.yaml

printf '# kafkaudit: role=producer name=p\n# kafkaudit-ignore: CI101 reason="legacy"\nacks=1\n' >p.properties
check "inline in .properties (line above)" 0 L --no-config p.properties

deploy '      acks: 1   # kafkaudit-ignore: CI101'
check "inline without reason is an error" 3 L --no-config deploy.yaml
has "no reason message" err 'has no reason'
has "finding still reported" out 'CI101'

deploy '      acks: 1   # kafkaudit-ignore: CI999 reason="typo"'
check "inline unknown rule id is an error" 3 L --no-config deploy.yaml
has "unknown rule message" err "unknown rule id 'CI999'"

deploy '      acks: 1   # kafkaudit-ignore: CI101 reason="until the migration" expires=2026-06-30'
check "expired inline suppression fails again" 1 L --no-config deploy.yaml
has "expiry note" out 'expired on 2026-06-30 (reason was: until the migration)'

deploy '      acks: 1   # kafkaudit-ignore: CI101 reason="until the migration" expires=2027-01-31'
check "unexpired inline suppression" 0 L --no-config deploy.yaml

deploy '      acks: 1'
cat >cfg.yaml <<'Y'
suppressions:
  - {rule: CI101, object: "producer:p", reason: "accepted by the platform team", expires: 2027-01-01}
Y
check "project config suppression" 0 L --config cfg.yaml -f sarif deploy.yaml
python3 -c '
import json, sys
r = json.load(open("out"))["runs"][0]["results"][0]
s = r["suppressions"][0]
assert s["kind"] == "external" and "accepted by the platform team" in s["justification"]
' && { pass=$((pass + 1)); echo "ok   sarif external suppression"; } ||
    { fail=$((fail + 1)); echo "FAIL sarif external suppression"; }

deploy '      acks: 1   # kafkaudit-ignore: CI101 reason="inline"'
check "inline wins over config (inSource)" 0 L --config cfg.yaml -f sarif deploy.yaml
python3 -c '
import json
r = json.load(open("out"))["runs"][0]["results"][0]
assert r["suppressions"][0]["kind"] == "inSource"
' && { pass=$((pass + 1)); echo "ok   sarif inSource suppression"; } ||
    { fail=$((fail + 1)); echo "FAIL sarif inSource suppression"; }

deploy '      acks: 1'
printf 'suppressions:\n  - {rule: CI101, object: "producer:p"}\n' >cfg.yaml
check "config suppression without reason is an error" 3 L --config cfg.yaml deploy.yaml
has "config no reason message" err "has no 'reason'"

printf 'suppressions:\n  - {rule: CI999, reason: "x"}\n' >cfg.yaml
check "config unknown rule id is an error" 3 L --config cfg.yaml deploy.yaml
has "config unknown rule message" err "unknown rule id 'CI999'"

printf 'suppressions:\n  - {rule: CI101, object: "producer:p", reason: "x", expires: 2026-01-01}\n' >cfg.yaml
check "expired config suppression fails again" 1 L --config cfg.yaml deploy.yaml
has "config expiry note" out 'expired on 2026-01-01'

printf 'suppressions:\n  - {rule: CI101, object: "producer:other", reason: "x"}\n' >cfg.yaml
check "config suppression for another object" 1 L --config cfg.yaml deploy.yaml
has "stale config suppression noted" err 'matched no finding'

printf 'rules:\n  CI101: warning\n' >cfg.yaml
check "severity override" 0 L --config cfg.yaml deploy.yaml
printf 'rules:\n  CI101: off\n' >cfg.yaml
check "rule disabled" 0 L --config cfg.yaml deploy.yaml
has "disabled rule not run" out 'no findings'

mkdir -p sub && printf 'suppressions:\n  - {rule: CI101, reason: "found upwards"}\n' >.kafkaudit.yaml
cd sub && check "config found from the current directory upwards" 0 L ../deploy.yaml
cd ..

echo "$pass passed, $fail failed"
[ $fail = 0 ]
