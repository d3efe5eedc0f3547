#!/bin/sh
# Build the libFuzzer targets (clang, ASan + UBSan), make their seed corpora,
# run every seed and every saved regression input once, then fuzz each target
# for FUZZ_SECONDS (default 60). Any crash, leak or broken check fails.
# Grown corpora stay in build-fuzz/corpus/ between local runs.
# Usage: scripts/fuzz.sh [TARGET ...]   (default: import journal api checkpoint zone)
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
seconds=${FUZZ_SECONDS:-60}
targets=${*:-import journal api checkpoint zone}
data=""
for d in "${LSS_DATA_DIR:-}" ../shared/data /work/shared/data; do
    if [ -n "$d" ] && [ -d "$d" ]; then data=$d; break; fi
done

echo "== build (clang, libFuzzer + AddressSanitizer + UndefinedBehaviorSanitizer)"
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLSS_FUZZ=ON -DLSS_BUILD_TESTS=OFF \
    -DLSS_BUILD_BENCH=OFF -DLSS_BUILD_EXAMPLES=OFF -DLSS_BUILD_SHARED=OFF -DCMAKE_C_FLAGS=-Werror > /dev/null
cmake --build build-fuzz -j"$(nproc)"
fuzz/make-corpus.sh build-fuzz/tools/lss build-fuzz/seeds "$data"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for t in $targets; do
    bin=build-fuzz/fuzz/fuzz_$t
    corpus=build-fuzz/corpus/$t
    mkdir -p "$corpus" build-fuzz/artifacts
    regress=""
    [ -d "fuzz/regressions/$t" ] && regress="fuzz/regressions/$t"
    echo "== fuzz_$t: every seed and regression input once"
    # shellcheck disable=SC2086
    if ! "$bin" -runs=0 -dict=fuzz/events.dict build-fuzz/seeds/$t $regress > build-fuzz/$t-regress.log 2>&1; then
        tail -n 40 build-fuzz/$t-regress.log
        echo "fuzz_$t: a seed or regression input fails"
        status=1
        continue
    fi
    grep -E "INITED|DONE" build-fuzz/$t-regress.log | tail -n 1
    echo "== fuzz_$t: ${seconds} s"
    if ! "$bin" -max_total_time="$seconds" -dict=fuzz/events.dict -artifact_prefix=build-fuzz/artifacts/ \
        -print_final_stats=1 "$corpus" build-fuzz/seeds/$t > build-fuzz/$t.log 2>&1; then
        tail -n 40 build-fuzz/$t.log
        echo "fuzz_$t: found a failure (input in build-fuzz/artifacts/)"
        status=1
        continue
    fi
    grep -E "^#[0-9]+.*(DONE|cov:)" build-fuzz/$t.log | tail -n 1
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" build-fuzz/$t.log | tr '\n' ' '
    echo
done
[ $status = 0 ] && echo "fuzzers: nothing found"
exit $status
