#!/bin/sh
# The real-world corpus: each directory under tests/corpus is one
# deployment as public repositories write it (docker-compose files,
# Strimzi resources, Spring Boot applications, server.properties from
# Ansible roles and Helm charts, client properties) -- or a file that only
# shares a name with a Kafka file and must be left alone.  Its EXPECT file
# says, line by line, what `kafkaudit lint` must report:
#
#   FILE:LINE ID          a finding of rule ID at that line, or a diagnostic:
#                         ID "not-understood" (looks like Kafka, nothing read),
#                         "input-error" or "input-warning" (other diagnostics)
#   dialect FILE NAME     --verbose must say FILE was read as NAME
#                         ("none": not read)
#   output-has TEXT       the lint output (stdout and stderr) contains TEXT
#   effective OBJ TEXT    `kafkaudit effective -a CASE -O OBJ` contains TEXT
#   effective-lacks OBJ TEXT   ... does not contain TEXT
#   exit N                lint's exit status
#
# Findings not listed are unexpected; notes are not counted.  A place
# merged into another finding of the same cause ("also at") counts as
# reported there.  The summary
# says how many expected findings were found, how many unexpected ones
# there were and how many files were misread (wrong dialect or an
# unexpected input error).  Any difference fails the test.
#
#   run_corpus.sh KAFKAUDIT [CORPUS_DIR]
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
corpus=${2:-$(cd "$(dirname "$0")" && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

cases=0 exp_total=0 exp_found=0 unexpected=0 misread=0 checks_failed=0
fail() { echo "FAIL $1"; }

for dir in "$corpus"/*/; do
    dir=${dir%/}
    name=$(basename "$dir")
    [ -f "$dir/EXPECT" ] || continue
    cases=$((cases + 1))
    # one deployment per case; paths in the output are relative to it
    (cd "$dir" && "$bin" lint --no-config --no-color --no-source -q --format plain -v . \
        >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc")
    rc=$(cat "$tmp/rc")
    cat "$tmp/out" "$tmp/err" >"$tmp/all"

    # what was reported, one "FILE:LINE ID" a line: a finding's own place
    # and the places of the same cause merged into it (JSON also_at)
    (cd "$dir" && "$bin" lint --no-config --no-color -q --format json . 2>/dev/null) >"$tmp/json"
    {
        jq -r '.findings[] | ([.] + .also_at)[] | select(.location != null) |
            "\(.location.file | ltrimstr("./")):\(.location.line) \(.rule)"' "$tmp/json"
        sed -n 's#^\./\([^:]*\):\([0-9]*\):[0-9]*: \(error\|warning\): \(.*\)#\1:\2 \3 \4#p' "$tmp/err" |
            awk '{ id = ($0 ~ /not understood/) ? "not-understood" : "input-" $2; print $1, id }'
    } | sort >"$tmp/got"
    grep -E '^[^ #]+:[0-9]+ ' "$dir/EXPECT" | awk '{print $1, $2}' | sort >"$tmp/want"

    n=$(wc -l <"$tmp/want")
    exp_total=$((exp_total + n))
    # multiset difference: comm on sorted lists with repeats
    comm -12 "$tmp/want" "$tmp/got" >"$tmp/both"
    comm -23 "$tmp/want" "$tmp/got" >"$tmp/missing"
    comm -13 "$tmp/want" "$tmp/got" >"$tmp/extra"
    exp_found=$((exp_found + $(wc -l <"$tmp/both")))
    unexpected=$((unexpected + $(grep -c ' KA' "$tmp/extra")))
    while read -r l; do fail "$name: expected $l, not reported"; done <"$tmp/missing"
    while read -r l; do fail "$name: unexpected $l"; done <"$tmp/extra"

    # files misread: a wrong dialect or an unexpected input diagnostic
    bad_files=$(grep -v ' KA' "$tmp/extra" | sed 's/:.*//')
    while read -r kw f want; do
        got=$(sed -n "s|^kafkaudit: \./$f: \([a-z-]*\)\b.*|\1|p" "$tmp/err" | head -n 1)
        if [ "$got" != "$want" ]; then
            fail "$name: $f read as '${got:-?}', expected '$want'"
            bad_files="$bad_files
$f"
        fi
    done <<EOF
$(grep '^dialect ' "$dir/EXPECT")
EOF
    misread=$((misread + $(printf '%s\n' "$bad_files" | grep -c .)))

    while IFS= read -r line; do
        case $line in
        "output-has "*)
            t=${line#output-has }
            grep -qF -- "$t" "$tmp/all" || { fail "$name: output lacks '$t'"; checks_failed=$((checks_failed + 1)); } ;;
        "output-lacks "*)
            t=${line#output-lacks }
            ! grep -qF -- "$t" "$tmp/all" || { fail "$name: output has '$t'"; checks_failed=$((checks_failed + 1)); } ;;
        "effective "*)
            rest=${line#effective }
            obj=${rest%% *}
            t=${rest#* }
            (cd "$dir" && "$bin" effective --no-config -a . -O "$obj" >"$tmp/eff" 2>&1)
            grep -qF -- "$t" "$tmp/eff" || {
                fail "$name: effective $obj lacks '$t'"
                sed 's/^/    /' "$tmp/eff" | head -n 40
                checks_failed=$((checks_failed + 1))
            } ;;
        "effective-lacks "*)
            rest=${line#effective-lacks }
            obj=${rest%% *}
            t=${rest#* }
            (cd "$dir" && "$bin" effective --no-config -a . -O "$obj" >"$tmp/eff" 2>&1)
            ! grep -qF -- "$t" "$tmp/eff" || {
                fail "$name: effective $obj has '$t'"
                checks_failed=$((checks_failed + 1))
            } ;;
        "exit "*)
            [ "$rc" = "${line#exit }" ] || { fail "$name: exit $rc, expected ${line#exit }"; checks_failed=$((checks_failed + 1)); } ;;
        esac
    done <"$dir/EXPECT"
done

echo "corpus: $cases cases; expected findings found: $exp_found/$exp_total;" \
     "unexpected findings: $unexpected; files misread: $misread; other checks failed: $checks_failed"
[ "$cases" -gt 0 ] && [ "$exp_found" -eq "$exp_total" ] && [ "$unexpected" -eq 0 ] &&
    [ "$misread" -eq 0 ] && [ "$checks_failed" -eq 0 ]
