#!/bin/sh
# The completions as installed (cmake --install into a scratch prefix), run
# in the real shells:
#   bash  bash-completion loads completions/kafkaudit from the prefix on
#         demand; the line is split into COMP_WORDS as readline splits it
#         (COMP_WORDBREAKS) and the completion function is called
#   zsh   zsh -f -i in a pseudo-terminal with compinit, a Tab typed
#         (tests/cli/complete_zsh.zsh)
#   fish  fish -c 'complete -C LINE' with the prefix's vendor completions
# Also the installed examples (top's hint, a replay from any directory).
# Each shell must offer exactly the expected candidates, as they would
# stand on the command line after the insertion (trailing '/' of
# directories left out), and print nothing on stderr.
set -u
K=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=${SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD_DIR:-$(cd "$(dirname "$K")" && pwd)}
fail=0
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

cmake --install "$BUILD" --prefix "$tmp/p" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; echo "FAIL: cmake --install"; exit 1; }
P=$tmp/p
mkdir -p "$tmp/w/rdir" "$tmp/h"
: >"$tmp/w/report.sarif"
: >"$tmp/w/cfg.yaml"
mkdir -p "$tmp/h/.config/kafkaudit"
printf 'clusters:\n  prod: {bootstrap: "kafka-1:9092"}\n  dev: {bootstrap: "localhost:9092"}\n' \
    >"$tmp/h/.config/kafkaudit/clusters.yaml"
export HOME="$tmp/h" XDG_CONFIG_HOME="$tmp/h/.config" XDG_DATA_HOME="$tmp/h/.local/share"
export XDG_DATA_DIRS="$P/share:/usr/share" PATH="$P/bin:$PATH"
export LC_ALL=C
unset KAFKAUDIT_RULES_DIR BASH_COMPLETION_USER_DIR
cd "$tmp/w" || exit 1

# the installed binary finds the installed rules: the ids come from there
ids=$(cat "$P"/share/kafkaudit/rules/*.yaml | sed -n 's/^ *- *id: *\(KA[0-9]*\).*/\1/p' | sort -u)
[ -n "$ids" ] || bad "no rule ids in the installed rules"
ids_ka1=$(echo "$ids" | grep '^KA1' | tr '\n' ' ' | sed 's/ $//')
commands=$("$K" --list-commands | tr '\n' ' ')

cat >"$tmp/bash.sh" <<'EOF'
. /usr/share/bash-completion/bash_completion
_completion_loader kafkaudit
fn=$(complete -p kafkaudit 2>/dev/null | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
[ -n "$fn" ] || { echo "bash-completion found no completion for kafkaudit" >&2; exit 1; }
line=$1 w= prev= t=
COMP_WORDS=()
for ((i = 0; i < ${#line}; i++)); do
    c=${line:i:1}
    if [[ $c == [[:blank:]] ]]; then t=blank
    elif [[ $c != [\"\'] && $COMP_WORDBREAKS == *"$c"* ]]; then t=break
    else t=word; fi
    if [[ $t != "$prev" && -n $w ]]; then COMP_WORDS+=("$w"); w=; fi
    [[ $t != blank ]] && w+=$c
    prev=$t
done
[[ -n $w || $prev == blank ]] && COMP_WORDS+=("$w")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE=$line COMP_POINT=${#line}
COMPREPLY=()
"$fn" kafkaudit "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
# readline replaces the last word (after a break character): put back
# what precedes it in the shell word, to compare whole words
before=${line##*[[:blank:]]}
before=${before%"${COMP_WORDS[COMP_CWORD]}"}
[[ ${COMP_WORDS[COMP_CWORD]} == = ]] && before=${line##*[[:blank:]]}
for r in "${COMPREPLY[@]}"; do printf '%s%s\n' "$before" "$r"; done
EOF

cands() { # SHELL LINE -> the candidates, sorted, on one line
    case $1 in
    bash) bash --norc --noprofile "$tmp/bash.sh" "$2" ;;
    zsh) zsh -f "$SRC/tests/cli/complete_zsh.zsh" "$P/share/zsh/site-functions" "$2" ;;
    fish) fish -c 'complete -C $argv[1]' "$2" | cut -f1 ;;
    esac 2>"$tmp/err" | sed 's,/$,,' | sort -u | tr '\n' ' ' | sed 's/ $//'
    if [ -s "$tmp/err" ]; then
        bad "$1: '$2' printed on stderr: $(head -3 "$tmp/err")"
    fi
}

expect() { # LINE EXPECTED
    for sh in bash zsh fish; do
        got=$(cands $sh "$1")
        [ "$got" = "$2" ] || bad "$sh: '$1' offers '$got', expected '$2'"
    done
}

formats="checkstyle github json junit plain sarif text"
expect "kafkaudit l" "lag lint"
expect "kafkaudit " "$(echo $commands help | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
expect "kafkaudit --ver" "--version"
expect "kafkaudit --completion=" "--completion=bash --completion=fish --completion=zsh"
expect "kafkaudit help l" "lag lint"
expect "kafkaudit lint --format " "$formats"
expect "kafkaudit lint --format=s" "--format=sarif"
expect "kafkaudit check -f j" "json junit"
expect "kafkaudit lint -o " "checkstyle= github= json= junit= plain= sarif= text="
expect "kafkaudit lint -o sarif=r" "sarif=rdir sarif=report.sarif"
expect "kafkaudit check --output=json=re" "--output=json=report.sarif"
expect "kafkaudit snapshot -o r" "rdir report.sarif"
expect "kafkaudit lint --fail-on " "error info warning"
expect "kafkaudit lint --as " "compose manifest properties spring strimzi"
expect "kafkaudit lint --color " "always auto never"
expect "kafkaudit effective -O t" "topic:"
expect "kafkaudit effective --object c" "cluster consumer: controller:"
expect "kafkaudit lint --fai" "--fail-on"
expect "kafkaudit lint r" "rdir report.sarif"
expect "kafkaudit lag --state " \
    "Assigning CompletingRebalance Dead Empty PreparingRebalance Reconciling Stable Unknown"
expect "kafkaudit lag --sort " "group lag problem topic"
expect "kafkaudit isr --format " "json text"
expect "kafkaudit top --view " "brokers findings groups overview partitions timeline"
expect "kafkaudit top --speed " "0.5 1 10 2 max"
expect "kafkaudit isr --un" "--unavailable-partitions --under-min-isr-partitions --under-replicated-partitions"
expect "kafkaudit lag --a" "--all-groups"
expect "kafkaudit check --j" "--java-client-version --jobs --json"
expect "kafkaudit check --bootstrap" "--bootstrap-server"
expect "kafkaudit isr -C " "dev prod"
expect "kafkaudit check --cluster p" "prod"
expect "kafkaudit rules " "explain list test"
expect "kafkaudit rules explain KA1" "$ids_ka1"
expect "kafkaudit rules -c cfg.yaml explain KA1" "$ids_ka1"
expect "kafkaudit rules explain KA101 KA1" "$ids_ka1"
expect "kafkaudit rules test r" "rdir"
# installed examples: top's hint names them and they replay from any
# directory
[ -f "$P/share/kafkaudit/examples/recordings/incident.yaml" ] ||
    bad "cmake --install does not install examples/recordings/incident.yaml"
(cd / && env -u KAFKA_BOOTSTRAP_SERVERS -u KAFKAUDIT_CLUSTER kafkaudit top 2>&1) |
    grep -qF "kafkaudit top --replay $P/share/kafkaudit/examples/recordings/incident.yaml" ||
    bad "top's hint does not name the installed recording"
(cd / && kafkaudit top --replay examples/recordings/incident.yaml --batch -n 1 -v overview) |
    grep -q '^== Overview ==' || bad "the installed recording does not replay from /"
(cd / && kafkaudit lint --no-config examples/manifest/good >"$tmp/lint-good.out" 2>&1) &&
    grep -q "^no findings in 1 file" "$tmp/lint-good.out" ||
    bad "the installed examples do not lint from /: $(tail -2 "$tmp/lint-good.out")"

# from another directory too (the installed binary finds its rules)
cd / && expect "kafkaudit rules explain KA1" "$ids_ka1" && cd "$tmp/w"

[ $fail = 0 ] && echo "completions work in bash, zsh and fish"
exit $fail
