#!/bin/sh
# The shared library exports exactly the functions the public headers
# declare with LSS_API: nothing internal leaks, nothing public is missing.
set -eu
lib=$1 inc=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# a declaration: LSS_API <type> <name>(   (possibly "*name", over one line)
cat "$inc"/salesservice.h "$inc"/salesservice/*.h |
    grep -E '^LSS_API ' | sed -E 's/\(.*//; s/.*[ *]([a-z_0-9]+)$/\1/' | sort -u >"$tmp/declared"
nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' | sed 's/@.*//' | sort -u >"$tmp/exported"
if ! diff -u "$tmp/declared" "$tmp/exported" >"$tmp/diff"; then
    echo "exported symbols differ from the LSS_API declarations (- declared only, + exported only):"
    cat "$tmp/diff"
    exit 1
fi
echo "ok: $(wc -l <"$tmp/declared") exported functions match the headers"
