#!/bin/sh
# The source tree keeps the shape CONTRIBUTING.md describes:
#  - every #include "DIR/..." between folders of src/ is allowed by the
#    layer table in CONTRIBUTING.md (the table is read from there, so the
#    document and this test cannot drift apart)
#  - every folder of src/ has a row in that table
#  - the core (everything but src/cli and src/tui) never writes to the
#    terminal (stdout, stderr) and never calls exit()
#  - nothing in the repository points at notes outside it (a shared
#    folder beside the checkout, which users do not have)
set -u
SRC=${SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
fail=0
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# The table: lines "| `dir` | role | `a`, `b` |" between the markers.
sed -n '/<!-- layers:begin -->/,/<!-- layers:end -->/p' "$SRC/CONTRIBUTING.md" |
    grep '^| `' | awk -F'|' '{
        d = $2; gsub(/[` ]/, "", d)
        a = $4; gsub(/[` ]/, "", a); gsub(/,/, " ", a)
        print d, a
    }' >"$tmp/table"
[ -s "$tmp/table" ] || bad "no layer table between <!-- layers:begin/end --> in CONTRIBUTING.md"

for dir in "$SRC"/src/*/; do
    d=$(basename "$dir")
    grep -q "^$d\\b" "$tmp/table" || bad "src/$d/ has no row in CONTRIBUTING.md's layer table"
done

n=0
while read -r d allowed; do
    [ -d "$SRC/src/$d" ] || { bad "CONTRIBUTING.md's layer table names src/$d/, which does not exist"; continue; }
    for f in "$SRC/src/$d"/*.c "$SRC/src/$d"/*.h; do
        [ -e "$f" ] || continue
        for t in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([a-z_]*\)\/.*/\1/p' "$f" | sort -u); do
            n=$((n + 1))
            [ "$t" = "$d" ] && continue
            case " $allowed " in
            *" $t "* | *" all "*) ;;
            *) bad "${f#"$SRC"/}: includes $t/, which src/$d/ may not use (allowed: $allowed)" ;;
            esac
        done
    done
done <"$tmp/table"
[ "$n" -gt 50 ] || bad "only $n includes checked: is the include pattern still right?"

# terminal I/O and exit() outside src/cli and src/tui (comments stripped)
for f in $(find "$SRC/src" -name '*.[ch]' ! -path '*/src/cli/*' ! -path '*/src/tui/*'); do
    sed -e 's/"\([^"\\]\|\\.\)*"/""/g' -e 's|/\*.*\*/||g' -e 's|//.*||' \
        -e '/^[[:space:]]*\*/d' -e '/^[[:space:]]*\/\*/d' "$f" |
        grep -nE '\bexit[[:space:]]*\(|\b(printf|puts|putchar|perror)[[:space:]]*\(|\b(stdout|stderr)\b' |
        sed "s|^|${f#"$SRC"/}:|" >>"$tmp/io"
done
if [ -s "$tmp/io" ]; then
    bad "terminal I/O or exit() in the core library:"
    cat "$tmp/io"
fi

# nothing points outside the repository
for p in src rules man completions tests README.md CONTRIBUTING.md examples bench; do
    [ -e "$SRC/$p" ] || continue
    # (bracketed so that this file does not name what it looks for)
    grep -rIl -e '\.\./share[d]/' -e '/work/share[d]' "$SRC/$p" 2>/dev/null
done >"$tmp/outside"
if [ -s "$tmp/outside" ]; then
    bad "these files point at notes outside the repository (cite upstream sources instead):"
    cat "$tmp/outside"
fi

[ $fail = 0 ] && echo "layers: $n includes in $(wc -l <"$tmp/table") folders follow CONTRIBUTING.md"
exit $fail
