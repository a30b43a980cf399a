#!/bin/sh
# Every C file of the tree follows .clang-format. The style is written for
# Debian 12's clang-format 14; other versions lay some constructs out
# differently, so only that major version judges (others skip, exit 77).
# Fix a failure with: clang-format -i FILE
set -u
SRC=${SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
CF=${CLANG_FORMAT:-}
if [ -z "$CF" ]; then
    for c in clang-format-14 clang-format; do
        if command -v "$c" >/dev/null 2>&1; then CF=$c; break; fi
    done
fi
if [ -z "$CF" ]; then
    echo "SKIP: clang-format not installed (Debian: apt-get install clang-format)"
    exit 77
fi
case $("$CF" --version) in
*" version 14."*) ;;
*) echo "SKIP: $("$CF" --version) is not clang-format 14"; exit 77 ;;
esac
cd "$SRC" || exit 1
files=$(find src tests bench -name '*.[ch]' -not -path '*/build*' | sort)
[ -n "$files" ] || { echo "FAIL: no C files found under $SRC"; exit 1; }
bad=0
for f in $files; do
    if ! "$CF" --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "FAIL: $f does not follow .clang-format (clang-format -i $f)"
        bad=$((bad + 1))
    fi
done
n=$(echo "$files" | wc -l)
[ "$bad" -eq 0 ] && echo "ok: $n C files follow .clang-format"
[ "$bad" -eq 0 ]
