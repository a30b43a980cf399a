#!/bin/sh
# Named clusters (kafkaudit-clusters(5)) against librdkafka's mock cluster:
#  - -C NAME and KAFKAUDIT_CLUSTER reach the cluster the file names, with
#    the same answer as -b; -b and --clusters-file override; lint stays
#    offline under KAFKAUDIT_CLUSTER; an environment cluster is not applied
#    to another -b
#  - secrets from {file:}, {env:} and inline values never appear in any
#    output of any command and format (stdout and stderr)
#  - every problem in the file names file:line and exits 3
set -u
K=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD_DIR:-$(dirname "$K")}
MOCK=$BUILD/tests/kafkaudit_mock_cluster
export NO_COLOR=1 LC_ALL=C
unset GITHUB_ACTIONS KAFKAUDIT_RULES_DIR KAFKA_BOOTSTRAP_SERVERS KAFKAUDIT_CLUSTER \
    KAFKAUDIT_CLUSTERS_FILE
export LSAN_OPTIONS="suppressions=$here/../mock/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
[ -x "$MOCK" ] || { echo "FAIL: $MOCK is not built"; exit 1; }
fail=0 n=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
ok() { n=$((n + 1)); }

tmp=$(mktemp -d) || exit 1
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
"$MOCK" --brokers 3 --topics 2 --partitions 4 --rf 3 --messages 10 --groups 3 \
    --ports-file "$tmp/ports" >/dev/null 2>"$tmp/mock.err" &
pid=$!
i=0
while [ ! -s "$tmp/ports" ]; do
    i=$((i + 1))
    if [ $i -gt 600 ] || ! kill -0 $pid 2>/dev/null; then
        echo "FAIL: the mock cluster did not start"; cat "$tmp/mock.err"; exit 1
    fi
    sleep 0.05
done
B=$(cat "$tmp/ports")

# the secrets: one from a file, one from the environment, one inline
S_FILE=file-Secret-7Qx2
S_ENV=env-Secret-9Kd4
S_INLINE=inline-Secret-3Hw8
printf '%s\n' "$S_FILE" >"$tmp/pw"
export KA_TEST_SECRET="$S_ENV"
export XDG_CONFIG_HOME="$tmp/xdg"
mkdir -p "$XDG_CONFIG_HOME/kafkaudit"
cat >"$XDG_CONFIG_HOME/kafkaudit/clusters.yaml" <<EOF
clusters:
  mock:
    description: librdkafka's mock cluster
    bootstrap: "$B"
    kafka_version: "3.6"
    properties:
      security.protocol: plaintext
      sasl.password: {file: $tmp/pw}
      ssl.key.password: {env: KA_TEST_SECRET}
      sasl.username: $S_INLINE
  nowhere:
    bootstrap: [127.0.0.1:1]
    kafka_version: "3.5"
EOF
printf 'producers:\n  p:\n    client: java 3.6\n    topics: [t000]\n    config: {acks: all}\n' \
    >"$tmp/app.yaml"

leak() { # FILE... : any secret in them?
    grep -l -e "$S_FILE" -e "$S_ENV" -e "$S_INLINE" "$@" 2>/dev/null
}
run() { # NAME CMD...: run, keep stdout+stderr, check for secrets
    name=$1; shift
    "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    echo $? >"$tmp/$name.status"
    if [ -n "$(leak "$tmp/$name.out" "$tmp/$name.err")" ]; then
        bad "$name: a secret is printed"
    else
        ok
    fi
}

# -C reaches the cluster: the same answer as -b
"$K" isr -b "$B" --json 2>/dev/null | jq -S '.partitions' >"$tmp/isr-b.json"
run isr-C "$K" isr -C mock --json
jq -S '.partitions' "$tmp/isr-C.out" >"$tmp/isr-C.json" 2>/dev/null
[ "$(jq length "$tmp/isr-b.json")" = 8 ] && cmp -s "$tmp/isr-b.json" "$tmp/isr-C.json" &&
    ok || bad "isr -C mock does not give the partitions of isr -b"
KAFKAUDIT_CLUSTER=mock run isr-env "$K" isr --json
jq -S '.partitions' "$tmp/isr-env.out" >"$tmp/isr-env.json" 2>/dev/null
cmp -s "$tmp/isr-b.json" "$tmp/isr-env.json" && ok ||
    bad "KAFKAUDIT_CLUSTER=mock isr does not give the partitions of isr -b"

# every command and format, with the secrets in play
for f in text json sarif junit github plain checkstyle; do
    run "check-$f" "$K" check -C mock --no-config -f "$f"
done
run check-json-flag "$K" check -C mock --no-config --json
run check-out "$K" check -C mock --no-config -o "sarif=$tmp/check.sarif" -o "json=$tmp/check.json"
[ -z "$(leak "$tmp/check.sarif" "$tmp/check.json")" ] && ok || bad "check -o: a secret is written"
run isr-text "$K" isr -C mock
run lag-text "$K" lag -C mock
run lag-json "$K" lag -C mock --json
run snapshot "$K" snapshot -C mock -o "$tmp/snap.yaml"
[ -z "$(leak "$tmp/snap.yaml")" ] && ok || bad "snapshot: a secret is written"
run lint-C "$K" lint --no-config -C mock "$tmp/app.yaml"
run lint-C-json "$K" lint --no-config -C mock -f json "$tmp/app.yaml"
run top-batch "$K" top -C mock --batch -n 1 --record "$tmp/rec.yaml"
[ -z "$(leak "$tmp/rec.yaml")" ] && ok || bad "top --record: a secret is written"
run debug "$K" isr -C mock -X debug=conf,security

# every command's diagnostics about the cluster (the mock lacks
# DescribeConfigs and ListGroups) name it as text's findings do:
# "mock (cluster ID):", never <cluster>
for r in check-text check-plain check-github isr-text lag-text lag-json snapshot lint-C; do
    if grep -q '<cluster>' "$tmp/$r.out" "$tmp/$r.err" ||
        ! grep -q '^mock (cluster [^)]*): warning: ' "$tmp/$r.err"; then
        bad "$r: diagnostics do not name the cluster: $(head -2 "$tmp/$r.err")"
    else
        ok
    fi
done
# github: the cluster's diagnostics are annotations naming it (no file=)
grep -q '^::warning title=kafkaudit::mock (cluster [^)]*): ' "$tmp/check-github.out" &&
    ! grep '^::' "$tmp/check-github.out" | grep -vq '::mock (cluster [^)]*): ' && ok ||
    bad "check -f github does not name the cluster: $(head -2 "$tmp/check-github.out")"
# an unreachable cluster: its name (no id was read) and its bootstrap servers
run check-nowhere "$K" check -C nowhere --no-config --timeout 2s
[ "$(cat "$tmp/check-nowhere.status")" = 4 ] &&
    grep -q '^nowhere: error: cannot reach the Kafka cluster at 127\.0\.0\.1:1' "$tmp/check-nowhere.err" &&
    ok || bad "check -C nowhere: $(cat "$tmp/check-nowhere.err")"

# the cluster's kafka_version: declared in a snapshot (Kafka does not
# report its version), and the defaults' version of check and lint
grep -qx '  kafka_version: "3.6"' "$tmp/snap.yaml" && ok ||
    bad "snapshot -C mock does not declare the cluster's kafka_version"
grep -q 'cannot reach' "$tmp/lint-C.err" && bad "lint -C mock did not reach the cluster" || ok

# -b wins over the file's bootstrap; the environment's cluster is not
# applied to another -b; lint stays offline under KAFKAUDIT_CLUSTER
run b-wins "$K" isr -C mock -b 127.0.0.1:1 --timeout 2s
[ "$(cat "$tmp/b-wins.status")" = 4 ] && grep -q '127.0.0.1:1' "$tmp/b-wins.err" && ok ||
    bad "-b does not win over the cluster's bootstrap: $(cat "$tmp/b-wins.err")"
KAFKAUDIT_CLUSTER=nowhere run env-not-b "$K" isr -b "$B" --json
[ "$(jq '.partitions | length' "$tmp/env-not-b.out" 2>/dev/null)" = 8 ] && ok ||
    bad "KAFKAUDIT_CLUSTER was applied although -b was given"
KAFKAUDIT_CLUSTER=nowhere run lint-env "$K" lint --no-config "$tmp/app.yaml"
grep -q '127.0.0.1:1\|cannot reach' "$tmp/lint-env.err" && bad "lint went live under KAFKAUDIT_CLUSTER" || ok
cp "$XDG_CONFIG_HOME/kafkaudit/clusters.yaml" "$tmp/other.yaml"
XDG_CONFIG_HOME="$tmp/none" run clusters-file "$K" isr --clusters-file "$tmp/other.yaml" -C mock --json
[ "$(jq '.partitions | length' "$tmp/clusters-file.out" 2>/dev/null)" = 8 ] && ok ||
    bad "--clusters-file is not read"
XDG_CONFIG_HOME="$tmp/none" KAFKAUDIT_CLUSTERS_FILE="$tmp/other.yaml" run clusters-env \
    "$K" isr -C mock --json
[ "$(jq '.partitions | length' "$tmp/clusters-env.out" 2>/dev/null)" = 8 ] && ok ||
    bad "KAFKAUDIT_CLUSTERS_FILE is not read"

# problems name file:line, exit 3, and never quote a secret
err_case() { # NAME EXPECTED-STDERR-REGEX YAML (with -C c)
    name=$1 want=$2
    printf '%s\n' "$3" >"$tmp/$name.yaml"
    run "$name" "$K" isr --clusters-file "$tmp/$name.yaml" -C c
    if [ "$(cat "$tmp/$name.status")" != 3 ] || ! grep -Eq "$want" "$tmp/$name.err"; then
        bad "$name: status $(cat "$tmp/$name.status"), stderr: $(cat "$tmp/$name.err")"
    fi
}
f() { echo "$tmp/$1.yaml"; }
err_case e-field "^$(f e-field):3: error: unknown field 'bootstrp' in cluster 'c'; did you mean 'bootstrap'\\?$" \
    "clusters:
  c:
    bootstrp: x:1"
err_case e-name "^$(f e-name):2: error: no cluster 'c'; did you mean 'cc'\\? \\(clusters: cc, prod\\)$" \
    "# the clusters key's line is where a missing one would go
clusters:
  cc: {bootstrap: x:1}
  prod: {bootstrap: x:1}"
err_case e-env "^$(f e-env):5: error: property 'sasl.password': environment variable KA_UNSET_VAR is not set$" \
    "clusters:
  c:
    bootstrap: x:1
    properties:
      sasl.password: {env: KA_UNSET_VAR}"
err_case e-file "^$(f e-file):5: error: property 'sasl.password': cannot read /nonexistent/pw: " \
    "clusters:
  c:
    bootstrap: x:1
    properties:
      sasl.password: {file: /nonexistent/pw}"
err_case e-yaml "^$(f e-yaml):[0-9]+:[0-9]+: error: invalid YAML" \
    "clusters:
  c: {bootstrap: [x:1
    properties: {sasl.password: $S_INLINE}"
# ... shown as lint shows one: line:col, the line, a caret
grep -Eq "^ +[0-9]+ \| " "$tmp/e-yaml.err" && grep -Eq "^ +\| +\^" "$tmp/e-yaml.err" &&
    grep -Eq "^$(f e-yaml):[0-9]+:[0-9]+: error: invalid YAML" "$tmp/e-yaml.err" ||
    bad "e-yaml: no line:col, source line and caret: $(cat "$tmp/e-yaml.err")"
err_case e-source "^$(f e-source):4: error: property 'sasl.password': unknown source 'envv'; did you mean 'env'\\?" \
    "clusters:
  c:
    properties:
      sasl.password: {envv: KA_TEST_SECRET}"
err_case e-version "^$(f e-version):3: error: kafka_version must be a version" \
    "clusters:
  c:
    kafka_version: latest"
run e-missing "$K" isr --clusters-file "$tmp/nonexistent.yaml" -C c
[ "$(cat "$tmp/e-missing.status")" = 3 ] && grep -q "^$tmp/nonexistent.yaml: error: cannot read the clusters file" "$tmp/e-missing.err" &&
    ok || bad "missing clusters file: $(cat "$tmp/e-missing.err")"

echo "$n passed, $fail failed"
[ $fail = 0 ]
