#!/bin/sh
# Hostile inputs at three sizes: wall time, CPU time and peak RSS beside
# the input's size, to show that costs grow linearly (issue 18).
#   bench/hostile.sh [BUILD_DIR] [CASE...]
# Cases (bench/gen_hostile.py): aliases spring_aliases compose_aliases
# brokers secrets baseline dotenv envfile6 envfile_many unknown longvalue nestedcount.  Scale 1 is the size the issue
# measured; 0.25 and 0.5 give the growth.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
[ $# -gt 0 ] && shift
K=$build/kafkaudit
M=$build/bench/bench_measure
cases=${*:-aliases spring_aliases compose_aliases brokers secrets baseline dotenv envfile6 envfile_many unknown longvalue nestedcount}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
printf '%-12s %5s %10s %9s %9s %12s %7s\n' case scale "input KiB" "wall ms" "CPU ms" "peak RSS KiB" status
for c in $cases; do
    for s in 0.25 0.5 1; do
        rm -rf "$t/in"
        args=$(python3 "$here/gen_hostile.py" "$c" "$s" "$t/in")
        kib=$(du -sk "$t/in" | cut -f1)
        # bench_measure prints: wall ms, peak RSS KiB, status, CPU ms
        set -- $(cd "$t/in" && "$M" 1 sh -c "exec '$K' lint --no-config $args >/dev/null 2>&1")
        printf '%-12s %5s %10s %9s %9s %12s %7s\n' "$c" "$s" "$kib" "$1" "$4" "$2" "$3"
    done
done
