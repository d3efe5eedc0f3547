#!/bin/sh
# Line and branch coverage of lib/ by the test suite: a gcc build with
# --coverage in build-cov/, the whole ctest suite, then gcov per file.
# "branches" is gcov's "taken at least once": the share of branch outcomes
# (each side of every condition) that some test took.
# Usage: scripts/coverage.sh
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
rm -rf build-cov
cmake -S . -B build-cov -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=gcc -DCMAKE_C_FLAGS="--coverage -O0" \
    -DCMAKE_EXE_LINKER_FLAGS=--coverage -DCMAKE_SHARED_LINKER_FLAGS=--coverage -DLSS_BUILD_BENCH=OFF > /dev/null
cmake --build build-cov -j"$(nproc)" > /dev/null
# The symbol and install checks look at the built library itself, which
# --coverage changes (gcov's symbols); scripts/test.sh runs them.
ctest --test-dir build-cov -j"$(nproc)" --output-on-failure -E 'exported_symbols|install_and_consume' \
    > build-cov/ctest.log 2>&1 || {
    tail -n 30 build-cov/ctest.log
    echo "coverage: the tests failed"
    exit 1
}
tail -n 3 build-cov/ctest.log
objdir=build-cov/CMakeFiles/lss_objects.dir
printf '%-22s %8s %8s %8s %8s\n' file lines "line %" branches "branch %"
for src in lib/*/*.c; do
    rel=${src#lib/}
    gcov -b -n -o "$objdir/$src.o" "$src" 2> /dev/null | awk -v f="$rel" '
        /^File / { cur = $2 }
        cur ~ ("lib/" f "\047$") && /^Lines executed:/ { split($2, a, ":"); lp = a[2]; ln = $4 }
        cur ~ ("lib/" f "\047$") && /^Taken at least once:/ { split($4, b, ":"); bp = b[2]; bn = $6 }
        END { gsub(/%/, "", lp); gsub(/%/, "", bp); printf "%-22s %8s %8s %8s %8s\n", f, ln, lp, bn, bp }'
done | tee build-cov/coverage.txt
awk '{ l += $2; lc += $2 * $3 / 100; b += $4; bc += $4 * $5 / 100 }
     END { printf "%-22s %8d %8.1f %8d %8.1f\n", "lib/ total", l, 100 * lc / l, b, 100 * bc / b }' build-cov/coverage.txt
