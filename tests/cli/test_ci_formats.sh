#!/bin/sh
# SARIF parsed as JSON and checked for what GitHub code scanning requires;
# JUnit and Checkstyle checked with a real XML parser (xmllint, else
# Python's expat); hostile text (control characters, markup) stays
# well-formed.  Usage: test_ci_formats.sh KAFKAUDIT
set -u
K=$1
FIX=$(dirname "$0")/cases/ci-fixtures
export NO_COLOR=1 LC_ALL=C KAFKAUDIT_TODAY=2026-11-24
unset GITHUB_ACTIONS
t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }

xml_ok() {
    if command -v xmllint >/dev/null 2>&1; then
        xmllint --noout "$1"
    else
        python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$1"
    fi
}

cd "$FIX" || exit 1
"$K" lint --no-config --no-builtin-rules -r rules.yaml -f sarif deploy >"$t/r.sarif"
[ $? = 1 ] && ok "sarif exit status" || ko "sarif exit status"
if python3 - "$t/r.sarif" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0", "version"
assert "sarif-schema-2.1.0" in d["$schema"], "$schema"
assert len(d["runs"]) == 1, "one run"
run = d["runs"][0]
drv = run["tool"]["driver"]
assert drv["name"] == "kafkaudit" and drv["version"] and drv["informationUri"], "driver"
rules = drv["rules"]
ids = [r["id"] for r in rules]
assert ids == ["CI101", "CI201", "CI301"], ids
for r in rules:
    for k in ("name", "shortDescription", "fullDescription", "help", "defaultConfiguration"):
        assert k in r, (r["id"], k)
    assert r["help"]["text"] and r["help"]["markdown"], "help"
    assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
assert rules[0]["helpUri"].startswith("https://"), "helpUri"
assert rules[2]["defaultConfiguration"]["level"] == "note"
res = run["results"]
assert len(res) == 5, len(res)
for r in res:
    assert rules[r["ruleIndex"]]["id"] == r["ruleId"], "ruleIndex"
    assert r["level"] in ("error", "warning", "note")
    assert r["message"]["text"]
    pl = r["locations"][0]["physicalLocation"]
    assert not pl["artifactLocation"]["uri"].startswith("/"), "relative uri"
    assert pl["region"]["startLine"] >= 1 and pl["region"]["startColumn"] >= 1
    assert pl["region"]["snippet"]["text"]
    assert len(r["partialFingerprints"]["kafkauditFingerprint/v1"]) == 16
acks = [r for r in res if r["ruleId"] == "CI101"]
sup = [r for r in acks if r.get("suppressions")]
assert len(sup) == 1 and sup[0]["suppressions"][0]["kind"] == "inSource", "inline suppression"
assert "best effort" in sup[0]["suppressions"][0]["justification"]
r0 = [r for r in acks if "order-service" in r["message"]["text"]][0]
reg = r0["locations"][0]["physicalLocation"]["region"]
assert (reg["startLine"], reg["startColumn"]) == (12, 13), reg
assert reg["snippet"]["text"] == "      acks: 1"
assert run["invocations"][0]["executionSuccessful"] is True
PY
then ok "sarif fields code scanning requires"; else ko "sarif fields code scanning requires"; fi
command -v jq >/dev/null 2>&1 && {
    jq -e '.runs[0].results[0].locations[0].physicalLocation.region.startLine' "$t/r.sarif" >/dev/null &&
        ok "sarif via jq" || ko "sarif via jq"
}

# input diagnostics become tool execution notifications
printf 'topics:\n  t: {partitions: x}\n' >"$t/broken.yaml"
"$K" lint --no-config --no-builtin-rules -r rules.yaml -f sarif "$t/broken.yaml" >"$t/b.sarif"
[ $? = 3 ] && python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
n = r["invocations"][0]["toolExecutionNotifications"]
assert r["invocations"][0]["executionSuccessful"] is False
assert n and n[0]["level"] == "error" and n[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
' "$t/b.sarif" && ok "sarif notifications" || ko "sarif notifications"

# JUnit: well-formed, counts, passing cases present
"$K" lint --no-config --no-builtin-rules -r rules.yaml -f junit deploy >"$t/r.xml"
xml_ok "$t/r.xml" && ok "junit well-formed" || ko "junit well-formed"
python3 - "$t/r.xml" <<'PY' && ok "junit content" || ko "junit content"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites"
cases = root.iter("testcase")
names = [(c.get("classname"), c.get("name")) for c in root.iter("testcase")]
assert ("producer order-service", "CI101 Producer acks below all") in names, names
assert ("topic orders", "CI301 Topic with fewer than three replicas") in names  # passing
fails = [c for c in root.iter("testcase") if c.find("failure") is not None]
assert len(fails) == 3, len(fails)  # 2 x CI101, CI201 (CI301 is info)
skipped = [c for c in root.iter("testcase") if c.find("skipped") is not None]
assert len(skipped) == 1
assert int(root.get("failures")) == 3 and int(root.get("skipped")) == 1
f = [c for c in fails if c.get("classname") == "producer order-service"][0].find("failure")
assert "deploy/app.yaml:12:13" in f.text and "fix: set acks=all" in f.text
PY

# hostile text: control characters and markup in names and values.  The
# shipped rules report the value as invalid (KA003, quoting it) and, since
# an invalid value is unknown, nothing else: exactly one finding.
printf '# kafkaudit: role=producer name=p<&>"\n acks=1\\u0001<x>\\u001b[31m\\u0000\\uFFFF\\n\\r\\f\\u0085\n' >"$t/hostile.properties"
for f in junit checkstyle; do
    "$K" lint --no-config -f $f "$t/hostile.properties" >"$t/h.$f" 2>/dev/null
    xml_ok "$t/h.$f" && ok "$f escapes control characters" || ko "$f escapes control characters"
done
"$K" lint --no-config -f sarif "$t/hostile.properties" 2>/dev/null |
    python3 -m json.tool >/dev/null && ok "sarif escapes control characters" || ko "sarif escapes control characters"
"$K" lint --no-config -f github "$t/hostile.properties" 2>/dev/null >"$t/h.gh"
# one ::error for the finding (plus a ::notice about the assumed client
# version); every line but the closing summary is a whole workflow command
[ "$(grep -c '^::error' "$t/h.gh")" = 1 ] && [ "$(sed '$d' "$t/h.gh" | grep -vc '^::')" = 0 ] &&
    ! grep -q "$(printf '\033')" "$t/h.gh" &&
    ok "github commands stay one line" || ko "github commands stay one line"
"$K" lint --no-config -f plain "$t/hostile.properties" 2>/dev/null >"$t/h.plain"
[ "$(wc -l <"$t/h.plain")" = 1 ] && ok "plain stays one line" || ko "plain stays one line"

# GitHub property escaping: ':' and ',' in a file name
mkdir -p "$t/a,b:c" && cp deploy/producer.properties "$t/a,b:c/p.properties"
(cd "$t" && "$K" lint --no-config --no-builtin-rules -r "$OLDPWD/rules.yaml" -f github "a,b:c") |
    grep -q '^::error file=a%2Cb%3Ac/p.properties,line=2,col=6,' && ok "github property escaping" ||
    ko "github property escaping"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
