#!/bin/sh
# Install the build to a prefix, then build a program outside the tree
# against it with pkg-config and with find_package, and run both.
set -eu
build=$1 work=$2 src=$3
rm -rf "$work"
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(find "$prefix" -name salesservice.pc -path '*pkgconfig*' -exec dirname {} \; | head -1)
[ -n "$libdir" ] || { echo "salesservice.pc was not installed"; exit 1; }
libdir=$(dirname "$libdir")
for f in include/salesservice.h include/salesservice/pipeline.h; do
    [ -f "$prefix/$f" ] || { echo "missing $f"; exit 1; }
done
ls "$libdir"/libsalesservice.so.0 "$libdir"/libsalesservice.a >/dev/null
soname=$(objdump -p "$libdir/libsalesservice.so" | awk '/SONAME/ { print $2 }')
[ "$soname" = "libsalesservice.so.0" ] || { echo "SONAME is '$soname', expected libsalesservice.so.0"; exit 1; }

# 1. pkg-config
mkdir -p "$work/pc"
# pkg-config reads the prefix from the .pc file; it must be the install prefix
export PKG_CONFIG_PATH="$libdir/pkgconfig"
cc -std=c99 -Wall -Wextra -pedantic -Werror -o "$work/pc/consumer" "$src/main.c" \
    $(pkg-config --cflags --libs salesservice) -Wl,-rpath,"$libdir"
"$work/pc/consumer"
cc -std=c99 -o "$work/pc/consumer_static" "$src/main.c" \
    $(pkg-config --cflags salesservice) "$libdir/libsalesservice.a" -pthread
"$work/pc/consumer_static"

# 2. find_package(salesservice)
cmake -S "$src" -B "$work/cm" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_RPATH="$libdir" >/dev/null
cmake --build "$work/cm" >/dev/null
"$work/cm/consumer_cmake"
"$work/cm/consumer_cmake_static"
# 3. the installed tool runs without LD_LIBRARY_PATH (its install run path)
out=$(env -u LD_LIBRARY_PATH "$prefix/bin/lss" --version)
case $out in "lss "*) ;; *) echo "installed lss --version printed '$out'"; exit 1 ;; esac
env -u LD_LIBRARY_PATH "$prefix/bin/lss" demo --customers 50 --format csv > "$work/demo.csv"
[ "$(wc -l < "$work/demo.csv")" = 2 ] || { echo "installed lss demo --format csv: not two lines"; exit 1; }
[ -f "$prefix/share/man/man1/lss.1" ] || { echo "the man page was not installed"; exit 1; }

# 4. bash completion: installed, and completing from the tool's own help
comp="$prefix/share/bash-completion/completions/lss"
[ -f "$comp" ] || { echo "bash completion was not installed"; exit 1; }
complete_words() { # complete_words WORD... : what completing the last word offers
    PATH="$prefix/bin:$PATH" bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _lss; echo "${COMPREPLY[*]}"' \
        sh "$comp" "$@"
}
[ "$(complete_words lss rep)" = "report replicate" ] || { echo "completing 'lss rep' gave '$(complete_words lss rep)'"; exit 1; }
[ "$(complete_words lss das)" = "dashboard" ] || { echo "completing 'lss das' gave '$(complete_words lss das)'"; exit 1; }
[ "$(complete_words lss report x.lss --for)" = "--format" ] ||
    { echo "completing 'lss report x.lss --for' gave '$(complete_words lss report x.lss --for)'"; exit 1; }
[ "$(complete_words lss report x.lss --format c)" = "csv" ] || { echo "completing --format c failed"; exit 1; }
[ "$(complete_words lss list t)" = "tickets tasks" ] || { echo "completing 'lss list t' gave '$(complete_words lss list t)'"; exit 1; }
case " $(complete_words lss list tickets x.lss --un) " in *" --unassigned "*) ;; *) echo "completing list --un failed"; exit 1 ;; esac

echo "ok: installed to $prefix; pkg-config and find_package consumers built and ran"
