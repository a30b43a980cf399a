#!/bin/sh
# The text output names a finding's object once, in its header line
# (`path:line:col: severity[ID] object: title`): the "why" line under it
# does not start with that object again, in any words ("topic orders
# partition 1:" under "partition orders-1", "group g: t partition 0" under
# "group g -> partition t-0").  Checked over every golden text output
# (tests/cli/cases/*/stdout, which cli/golden and cli/test_live_broker
# compare with what the commands print).  Usage: test_why_object.sh [KAFKAUDIT]
set -u
here=$(cd "$(dirname "$0")" && pwd)
exec python3 - "$here/cases" <<'PY'
import glob, re, sys
head = re.compile(r"^\S.*?: (?:error|warning|info)\[[A-Z]+[0-9]+\] (.+?): ")
# the ways a message can name a partition or a group's partition
again = [re.compile(r"^topic \S+ partition \d+:"), re.compile(r"^group \S+: \S+ partition \d+")]
bad = checked = 0
for path in sorted(glob.glob(sys.argv[1] + "/*/stdout")):
    lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    for i, line in enumerate(lines[:-1]):
        m = head.match(line)
        nxt = lines[i + 1]
        if not m or not nxt.startswith("  why: "):
            continue
        checked += 1
        why, obj = nxt[len("  why: "):], m.group(1)
        if why.startswith(obj + ":") or any(r.match(why) for r in again):
            bad += 1
            print("FAIL %s:%d: the why line repeats the header's object '%s':\n  %s" % (path, i + 2, obj, nxt))
print("%d why lines checked, %d repeat their object" % (checked, bad))
# a check that saw no finding proves nothing
sys.exit(1 if bad or checked < 50 else 0)
PY
