#!/bin/sh
# Lint benchmark: a generated deployment of 10,000 topics and 2,000
# clients, linted by kafkaudit beside a parse-only baseline (libyaml's
# parser over the same files, nothing else), both measured in this run.
# Then 100,000 topics against the 2 s target.
#
#   bench/lint.sh [BUILD_DIR]      (default: build)
# Targets: lint time <= 2x parse-only; 100,000 topics in < 2 s.
# RUNS=N changes the number of runs (default 9).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
K=$build/kafkaudit
M=$build/bench/bench_measure
P=$build/bench/bench_parse_only
for b in "$K" "$M" "$P"; do
    [ -x "$b" ] || { echo "missing $b: build first (cmake --build $build)"; exit 2; }
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
runs=${RUNS:-9}

med() { sort -n -k"$2","$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'; }
maxrss() { sort -n -k2,2 "$1" | tail -1 | awk '{ print $2 }'; }

# One row per tool: median wall ms, median CPU ms (user + system), peak RSS.
# The three are run alternately, run by run, so load from elsewhere on the
# machine hits them alike.
bench() { # name topics clients
    name=$1
    python3 "$src/bench/gen_deployment.py" "$2" "$3" "$tmp/$name"
    files=$(find "$tmp/$name" -name '*.yaml' | sort)
    size=$(du -sk "$tmp/$name" | cut -f1)
    : >"$tmp/p" && : >"$tmp/l" && : >"$tmp/l1"
    r=0
    while [ $r -lt "$runs" ]; do
        # shellcheck disable=SC2086
        "$M" 1 "$P" $files >>"$tmp/p"
        "$M" 1 "$K" lint --no-config --format json "$tmp/$name" >>"$tmp/l"
        "$M" 1 "$K" lint --no-config --format json -j1 "$tmp/$name" >>"$tmp/l1"
        r=$((r + 1))
    done
    l_rc=$(tail -1 "$tmp/l" | awk '{ print $3 }')
    [ "$l_rc" -le 1 ] || { echo "kafkaudit lint failed (exit $l_rc)"; exit 1; }
    awk -v n="$name" -v kb="$size" \
        -v pm="$(med "$tmp/p" 1)" -v pc="$(med "$tmp/p" 4)" -v pr="$(maxrss "$tmp/p")" \
        -v lm="$(med "$tmp/l" 1)" -v lc="$(med "$tmp/l" 4)" -v lr="$(maxrss "$tmp/l")" \
        -v om="$(med "$tmp/l1" 1)" -v oc="$(med "$tmp/l1" 4)" -v or="$(maxrss "$tmp/l1")" 'BEGIN {
        printf "%s: %d KiB of YAML          wall ms    CPU ms   peak RSS KiB\n", n, kb
        printf "  parse-only               %8.1f  %8.1f  %12d\n", pm, pc, pr
        printf "  lint (threads: default)  %8.1f  %8.1f  %12d   x%.2f wall, x%.2f CPU, x%.2f RSS\n",
               lm, lc, lr, lm / pm, lc / pc, lr / pr
        printf "  lint -j1                 %8.1f  %8.1f  %12d   x%.2f wall, x%.2f CPU, x%.2f RSS\n",
               om, oc, or, om / pm, oc / pc, or / pr
    }'
    echo "$(med "$tmp/l" 1) $(med "$tmp/p" 1)" >"$tmp/$name.result"
}

echo "median of $runs runs, alternated; lint renders every finding as JSON; $(nproc) CPUs"
bench 10k 10000 2000
bench 100k 100000 2000
read -r l10 p10 <"$tmp/10k.result"
read -r l100 p100 <"$tmp/100k.result"
awk -v l="$l10" -v p="$p10" -v l100="$l100" 'BEGIN {
    r = l / p
    printf "target: lint <= 2x parse-only on 10k topics: x%.2f %s\n", r, (r <= 2 ? "ok" : "MISSED")
    printf "target: 100,000 topics in < 2000 ms: %.0f ms %s\n", l100, (l100 < 2000 ? "ok" : "MISSED")
}'
