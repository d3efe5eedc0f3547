#!/bin/sh
# The layers of lib/ point only down: a file in lib/LAYER/ includes the
# private headers of its own layer or of a lower one, named by folder
# ("core/core.h"), and lib/ has no file outside a layer's folder.
#   usage: check_layers.sh LIBDIR
#   exit 0: every include points down; 1: a violation (each one listed)
set -u
lib=${1:?usage: check_layers.sh LIBDIR}
layers="core domain store db metrics query io"   # lowest first

rank() {
    r=0
    for l in $layers; do
        [ "$l" = "$1" ] && { echo $r; return; }
        r=$((r + 1))
    done
    echo -1
}

bad=0
tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp"' EXIT
for f in "$lib"/*; do
    [ -d "$f" ] && continue
    echo "check_layers: $f: every file of lib/ belongs to a layer's folder ($layers)"
    bad=1
done
for dir in "$lib"/*/; do
    layer=$(basename "$dir")
    own=$(rank "$layer")
    if [ "$own" -lt 0 ]; then
        echo "check_layers: $dir: not a layer ($layers)"
        bad=1
        continue
    fi
    for f in "$dir"*.c "$dir"*.h; do
        [ -e "$f" ] || continue
        # the quoted includes: "layer/header.h"
        sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" | while read -r inc; do
            case "$inc" in
            salesservice.h | salesservice/*) continue ;;
            */*) ;;
            *)
                echo "check_layers: $f: includes \"$inc\", which names no layer (write \"layer/$inc\")"
                echo x >>"$tmp"
                continue
                ;;
            esac
            to=$(rank "${inc%%/*}")
            if [ "$to" -lt 0 ]; then
                echo "check_layers: $f: includes \"$inc\", which is in no layer"
                echo x >>"$tmp"
            elif [ "$to" -gt "$own" ]; then
                echo "check_layers: $f ($layer) includes \"$inc\" of the higher layer ${inc%%/*}"
                echo x >>"$tmp"
            fi
        done
    done
done
[ -s "$tmp" ] && bad=1
[ "$bad" -eq 0 ] && echo "check_layers: every include of $lib points down ($layers)"
exit "$bad"
