#!/bin/sh
# The twelve months of a generated year as a user gets them from the
# command line: one `lss report --by month` against twelve `lss report
# --from --to` (each opens the database, so each replays it or loads its
# checkpoint), in JSON, best of 3, alternating; with and without a
# checkpoint. The in-process figures (lss_series_run against a report per
# step in one process) are bench_report's "series ms" columns.
# Not a test: it asserts nothing about time.
# Usage: bench/bench_series.sh LSS [CUSTOMERS ...]   (default 10000 100000)
set -eu
lss=$1
shift
[ $# -gt 0 ] || set -- 10000 100000
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { date +%s%N; }
twelve() {
    y=2025
    for m in 1 2 3 4 5 6 7 8 9 10 11 12; do
        next=$((m + 1)); y2=$y
        [ $next = 13 ] && next=1 && y2=$((y + 1))
        "$lss" report "$1" --from "$(printf '%d-%02d-01' $y $m)" --to "$(printf "%d-%02d-01" $y2 $next)" \
            --format json > /dev/null
    done
}
printf '%-10s %-20s %14s %14s %9s\n' customers database "12 reports ms" "--by month ms" speedup
for n in "$@"; do
    "$lss" generate --customers "$n" -o "$work/g.jsonl"
    rm -f "$work/db.lss" "$work/db.lss.checkpoint"
    "$lss" import "$work/db.lss" "$work/g.jsonl" --sync off 2> /dev/null
    for ck in without with; do
        rm -f "$work/db.lss.checkpoint"
        [ $ck = with ] && "$lss" checkpoint "$work/db.lss" > /dev/null
        sep=; ser=
        for r in 1 2 3; do
            t0=$(now); twelve "$work/db.lss"; t1=$(now)
            ms=$(( (t1 - t0) / 1000000 )); { [ -z "$sep" ] || [ $ms -lt $sep ]; } && sep=$ms
            t0=$(now)
            "$lss" report "$work/db.lss" --from 2025-01-01 --to 2026-01-01 --by month --format json > /dev/null
            t1=$(now)
            ms=$(( (t1 - t0) / 1000000 )); { [ -z "$ser" ] || [ $ms -lt $ser ]; } && ser=$ms
        done
        [ "$ser" -gt 0 ] || ser=1
        printf '%-10s %-20s %14s %14s %8s.%sx\n' "$n" "$ck checkpoint" "$sep" "$ser" $((sep / ser)) $(( (sep * 10 / ser) % 10 ))
    done
done
