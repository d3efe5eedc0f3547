#!/bin/sh
# README's first command: build the library and its tools, then run the main
# job: `lss demo` generates a company in memory and prints its report.
# Arguments go to lss demo (try --help).
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
exec build/tools/lss demo "$@"
