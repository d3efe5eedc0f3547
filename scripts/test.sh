#!/bin/sh
# README's second command: build and run the whole test suite twice, as a
# normal build and under AddressSanitizer + UndefinedBehaviorSanitizer, then
# the fuzzers: every seed and regression input, and 60 s of fuzzing per
# target (FUZZ_SECONDS to change it; scripts/fuzz.sh, fuzz/README.md).
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)

echo "== build (RelWithDebInfo, -Werror)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS=-Werror >/dev/null
cmake --build build -j"$jobs"
echo "== tests"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== build (AddressSanitizer + UndefinedBehaviorSanitizer)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DLSS_SANITIZE=ON -DCMAKE_C_FLAGS=-Werror >/dev/null
cmake --build build-asan -j"$jobs"
echo "== tests under sanitizers"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs"

echo "== fuzzers (libFuzzer, ${FUZZ_SECONDS:-60} s per target)"
scripts/fuzz.sh
