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
echo "ok: installed to $prefix; pkg-config and find_package consumers built and ran"
