#!/bin/sh
# Lint benchmark: a generated deployment of 10,000 topics and 2,000
# clients, linted by kafkaudit beside a parse-only baseline (libyaml's
# parser over the same files, nothing else), both measured in this run.
# Then 100,000 topics against the 2 s target.
#
#   bench/lint.sh [BUILD_DIR]      (default: build)
# Targets: lint time <= 2x parse-only; 100,000 topics in < 2 s.
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
runs=5

bench() { # name topics clients
    name=$1
    python3 "$src/bench/gen_deployment.py" "$2" "$3" "$tmp/$name"
    files=$(find "$tmp/$name" -name '*.yaml' | sort)
    size=$(du -sk "$tmp/$name" | cut -f1)
    # shellcheck disable=SC2086
    set -- $("$M" $runs "$P" $files)
    p_ms=$1 p_rss=$2
    set -- $("$M" $runs "$K" lint --no-config --format json "$tmp/$name")
    l_ms=$1 l_rss=$2 l_rc=$3
    [ "$l_rc" -le 1 ] || { echo "kafkaudit lint failed (exit $l_rc)"; exit 1; }
    awk -v n="$name" -v kb="$size" -v pm="$p_ms" -v pr="$p_rss" -v lm="$l_ms" -v lr="$l_rss" 'BEGIN {
        printf "%-10s %7d KiB input | parse-only %8.1f ms %7d KiB | lint %8.1f ms %7d KiB | time x%.2f  rss x%.2f\n",
               n, kb, pm, pr, lm, lr, lm / pm, lr / pr }'
    echo "$l_ms $p_ms" >"$tmp/$name.result"
}

echo "median of $runs runs; lint renders every finding as JSON"
bench 10k 10000 2000
bench 100k 100000 2000
read -r l10 p10 <"$tmp/10k.result"
read -r l100 p100 <"$tmp/100k.result"
awk -v l="$l10" -v p="$p10" -v l100="$l100" 'BEGIN {
    r = l / p
    printf "target: lint <= 2x parse-only on 10k topics: x%.2f %s\n", r, (r <= 2 ? "ok" : "MISSED")
    printf "target: 100,000 topics in < 2000 ms: %.0f ms %s\n", l100, (l100 < 2000 ? "ok" : "MISSED")
}'
