#!/bin/sh
# Build a wheel of the Python package that bundles the C library, so that
# `pip install salesservice-*.whl` needs nothing else: the package loads the
# libsalesservice.so.0 beside its modules. Offline, with the system's
# setuptools and wheel (Debian: python3-setuptools python3-wheel python3-pip).
# Usage: scripts/python-wheel.sh [BUILD_DIR [OUT_DIR]]   (defaults: build, dist)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build} out=${2:-dist}
lib="$build/libsalesservice.so.0"
[ -e "$lib" ] || { echo "python-wheel: $lib not found: build the library first (cmake --build $build)" >&2; exit 1; }
python=${PYTHON:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -R bindings/python "$tmp/pkg"
rm -rf "$tmp/pkg/tests" "$tmp/pkg/build" "$tmp/pkg"/*.egg-info
cp -L "$lib" "$tmp/pkg/salesservice/libsalesservice.so.0"
mkdir -p "$out"
"$python" -m pip wheel --no-build-isolation --no-index --no-deps -q -w "$out" "$tmp/pkg"
ls "$out"/salesservice-*.whl
