#!/bin/sh
# Spring Boot and docker-compose examples: known defects on known lines
# (shipped rules), and nothing at error severity on the good ones.
# Usage: test_ci_dialects.sh KAFKAUDIT
set -u
K=$1
EX=$(cd "$(dirname "$0")/../../examples" && pwd)
export NO_COLOR=1 LC_ALL=C KAFKAUDIT_TODAY=2026-11-24
unset GITHUB_ACTIONS KAFKAUDIT_RULES_DIR
cd "$EX" || exit 1
t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT
pass=0 fail=0
expect() { # file line rule
    if grep -q "^$1:$2:[0-9]*: [a-z]*: \[$3\]" "$t/out"; then pass=$((pass + 1)); echo "ok   $3 at $1:$2"; else
        fail=$((fail + 1)); echo "FAIL $3 expected at $1:$2"; fi
}
# the same, where the finding may have merged into another one that
# stands for its cause (its place is then one of the "also_at" places)
expect_place() { # file line rule   (on $t/json)
    if jq -e --arg f "$1" --argjson l "$2" --arg r "$3" '[.findings[] | ., .also_at[] |
            select(.rule == $r and .location.file == $f and .location.line == $l)] | length > 0' \
            "$t/json" >/dev/null; then pass=$((pass + 1)); echo "ok   $3 at $1:$2"; else
        fail=$((fail + 1)); echo "FAIL $3 expected at $1:$2"; fi
}
status() { # name want got
    if [ "$2" = "$3" ]; then pass=$((pass + 1)); echo "ok   $1"; else
        fail=$((fail + 1)); echo "FAIL $1: status $3, expected $2"; cat "$t/out" "$t/err"; fi
}

S=spring/bad/order-service/src/main/resources
"$K" lint --no-config -f plain spring/bad >"$t/out" 2>"$t/err"
status "spring bad fails" 1 $?
expect $S/application.yml 8 KA101       # acks: 1
expect $S/application.yml 9 KA103       # retries: 3
expect $S/application.yml 11 KA107      # max.in.flight 10 with (silently disabled) idempotence
expect $S/application.yml 14 KA201      # enable-auto-commit: true
expect $S/application.yml 15 KA203      # auto-offset-reset: latest
expect $S/application-prod.yml 4 KA104  # retries: 0 in the prod profile
expect spring/bad/topics.yaml 7 KA301
# the prod profile inherits acks: 1 from the default document: the same
# defect on the same line, reported once with the profile as also affected
"$K" lint --no-config --no-source spring/bad >"$t/text" 2>/dev/null
grep -A8 'error\[KA101\] producer order-service:' "$t/text" |
    grep -q 'affects: producer order-service (profile prod)' &&
    { pass=$((pass + 1)); echo "ok   profile inherits the default document"; } ||
    { fail=$((fail + 1)); echo "FAIL profile inherits the default document"; }

"$K" lint --no-config -f plain --fail-on error spring/good >"$t/out" 2>"$t/err"
status "spring good has no errors" 0 $?

"$K" lint --no-config -f plain compose/bad >"$t/out" 2>"$t/err"
status "compose bad fails" 1 $?
"$K" lint --no-config -f json compose/bad >"$t/json" 2>/dev/null
C=compose/bad/docker-compose.yml
# one broker: the replication findings are places of KA422's statement
expect $C 10 KA422
expect_place $C 6 KA409   # KAFKA_MIN_INSYNC_REPLICAS: 1 (in the x- anchor)
expect_place $C 19 KA403  # offsets.topic.replication.factor 1
expect_place $C 20 KA404
expect_place $C 21 KA405
expect $C 22 KA401  # unclean leader election
expect $C 23 KA408  # log.dirs under /tmp
expect compose/bad/topics.yaml 3 KA308  # RF 3 on a single-broker compose file
expect_place compose/bad/topics.yaml 4 KA304
grep -q 'schema-registry\|orders-topic' "$t/out" &&
    { fail=$((fail + 1)); echo "FAIL non-broker services audited"; } ||
    { pass=$((pass + 1)); echo "ok   non-broker services ignored"; }

"$K" lint --no-config -f plain --fail-on error compose/good >"$t/out" 2>"$t/err"
status "compose good has no errors" 0 $?

# written keeps the Spring spelling and the env name
"$K" effective --no-config spring/bad >"$t/out" 2>&1
grep -q 'written as spring.kafka.producer.acks' "$t/out" && grep -q 'written as spring.kafka.consumer.enable-auto-commit' "$t/out" &&
    { pass=$((pass + 1)); echo "ok   spring written names"; } || { fail=$((fail + 1)); echo "FAIL spring written names"; }
"$K" effective --no-config compose/bad >"$t/out" 2>&1
grep -q 'written as KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE' "$t/out" &&
    { pass=$((pass + 1)); echo "ok   compose written names"; } || { fail=$((fail + 1)); echo "FAIL compose written names"; }

# every format over the same dialects stays parseable
for d in spring/bad compose/bad; do
    "$K" lint --no-config -f sarif $d 2>/dev/null | python3 -m json.tool >/dev/null &&
        { pass=$((pass + 1)); echo "ok   sarif $d"; } || { fail=$((fail + 1)); echo "FAIL sarif $d"; }
    "$K" lint --no-config -f junit $d 2>/dev/null >"$t/j.xml"
    python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$t/j.xml" &&
        { pass=$((pass + 1)); echo "ok   junit $d"; } || { fail=$((fail + 1)); echo "FAIL junit $d"; }
done

echo "$pass passed, $fail failed"
[ $fail = 0 ]
