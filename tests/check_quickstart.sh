#!/bin/sh
# The quickstart records its company into a journal file on the first run and
# finds it there on the second: same output apart from the first line.
set -eu
quickstart=$1 work=$2
rm -rf "$work"
mkdir -p "$work"
cd "$work"
"$quickstart" > first.txt
"$quickstart" > second.txt
grep -q '^created quickstart.lss: 60 events recorded$' first.txt
grep -q '^reopened quickstart.lss: 60 events, recorded by an earlier run$' second.txt
tail -n +2 first.txt > a.txt
tail -n +2 second.txt > b.txt
cmp a.txt b.txt
grep -q '"\?win rate in Q1: 3 / 4 = 0.7500' second.txt
echo "quickstart: second run reopened the journal and printed the same report"
