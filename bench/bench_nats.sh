#!/bin/sh
# NATS JetStream figures on this machine, with a real nats-server on
# 127.0.0.1 started here: publish throughput (lss publish --once of a
# generated company), replicate throughput (lss replicate --once into a new
# follower), and the lag from a commit to the follower's apply with both
# running (bench_nats_lag). Not a test: it asserts nothing about time.
# Usage: bench/bench_nats.sh BUILD_DIR [CUSTOMERS]   (default 100000)
set -eu
build=$(cd "$1" && pwd) n=${2:-100000}
lss=$build/tools/lss
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
nats-server -js -a 127.0.0.1 -p "$port" -sd "$work/store" > "$work/nats.log" 2>&1 &
server=$!
trap 'kill $pub $rep 2>/dev/null; sleep 0.3; kill $server 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
pub= rep=
sleep 1
url=nats://127.0.0.1:$port
ms() { echo $(( ($2 - $1) / 1000000 )); }
"$lss" generate --customers "$n" --order time -o "$work/g.jsonl"
"$lss" import "$work/src.lss" "$work/g.jsonl" --sync off 2> /dev/null
events=$("$lss" stats "$work/src.lss" | awk '/^events/ { print $2 }')
id=$("$lss" stats "$work/src.lss" | awk '/^database id/ { print $3 }')
t0=$(date +%s%N); "$lss" publish "$work/src.lss" --server "$url" --stream BENCH --once > /dev/null; t1=$(date +%s%N)
t2=$(date +%s%N)
"$lss" replicate "$work/f.lss" --server "$url" --stream BENCH --database-id "$id" --once > /dev/null
t3=$(date +%s%N)
echo "libsalesservice $("$lss" --version | cut -d' ' -f2), nats-server $(nats-server --version | cut -d' ' -f2), $n customers, $events events (by time)"
echo "publish:   $events events in $(ms $t0 $t1) ms: $(( events * 1000 / ($(ms $t0 $t1) + 1) )) events/s"
echo "replicate: $events events in $(ms $t2 $t3) ms: $(( events * 1000 / ($(ms $t2 $t3) + 1) )) events/s (sync full, a transaction per batch of 512)"
"$lss" publish "$work/src.lss" --server "$url" --stream BENCH --interval 5 > /dev/null &
pub=$!
"$lss" replicate "$work/f.lss" --server "$url" --stream BENCH --database-id "$id" --interval 5 > /dev/null &
rep=$!
sleep 1
"$build/bench/bench_nats_lag" "$work/src.lss" "$work/f.lss" 200
