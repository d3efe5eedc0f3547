#!/bin/sh
# check_layers.sh catches what it is for: a copy of lib/ with an upward
# include, with a header named without its layer, and with a file outside
# the layers' folders, each must fail with its message; the copy as it is
# must pass.
#   usage: check_layers_selftest.sh CHECK_LAYERS LIBDIR WORKDIR
set -eu
check=$1 lib=$2 work=$3
rm -rf "$work"
mkdir -p "$work"

expect_fail() { # name, message fragment
    if out=$("$check" "$work/$1" 2>&1); then
        echo "selftest: $1: check_layers passed a lib/ it must refuse"; exit 1
    fi
    case "$out" in
    *"$2"*) ;;
    *) echo "selftest: $1: expected \"$2\" in:"; echo "$out"; exit 1 ;;
    esac
}

cp -R "$lib" "$work/clean"
"$check" "$work/clean" >/dev/null || { echo "selftest: the unchanged copy fails"; exit 1; }

cp -R "$lib" "$work/upward"
printf '#include "db/db.h"\n' >>"$work/upward/core/alloc.c"
expect_fail upward "alloc.c (core) includes \"db/db.h\" of the higher layer db"

cp -R "$lib" "$work/unnamed"
printf '#include "rules.h"\n' >>"$work/unnamed/domain/team.c"
expect_fail unnamed "includes \"rules.h\", which names no layer"

cp -R "$lib" "$work/flat"
printf '/* a file of no layer */\n' >"$work/flat/stray.c"
expect_fail flat "every file of lib/ belongs to a layer's folder"

echo "selftest: check_layers refuses an upward include, an unnamed header and a file outside the layers"
