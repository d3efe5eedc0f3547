#!/bin/sh
# Every lss command, through the real binary: help, usage errors (exit 2),
# failures (exit 1, cause on stderr), and the work itself.
# Usage: check_lss.sh LSS WORKDIR
set -u
lss=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# expect STATUS CMD...: run, compare the exit status
expect() {
    want=$1; shift
    "$@" > out.txt 2> err.txt
    got=$?
    [ "$got" = "$want" ] || fail "$* exited $got, expected $want; stderr: $(cat err.txt)"
}
contains() { grep -q -- "$2" "$1" || fail "$1 lacks \"$2\": $(head -c 600 "$1")"; }
lacks() { if grep -q -- "$2" "$1"; then fail "$1 has \"$2\""; fi; }

# help and usage
expect 0 "$lss" --help;          contains out.txt "usage: lss COMMAND"
expect 0 "$lss" --version;       contains out.txt "lss 0."
expect 2 "$lss";                 contains err.txt "expected a command"
expect 2 "$lss" frobnicate;      contains err.txt '"frobnicate" is not a command'
for c in demo generate import export report check stats checkpoint follow list dashboard publish replicate; do
    expect 0 "$lss" $c --help;   contains out.txt "usage: lss $c"
done
expect 2 "$lss" report;                      contains err.txt "expected one database path"
expect 2 "$lss" report x.lss --format xml;   contains err.txt '"xml" is not text, json or csv'
expect 2 "$lss" report x.lss --from yesterday; contains err.txt "--from"
expect 2 "$lss" report x.lss --channel fax;  contains err.txt '"fax" is not a channel'
expect 2 "$lss" generate --customers 0;      contains err.txt "from 1 to 10000000"
expect 2 "$lss" generate --bogus;            contains err.txt "lss generate: unknown option --bogus"
[ "$(grep -c "^lss\|^generate" err.txt)" = 1 ] || fail "generate --bogus: not one message: $(cat err.txt)"
lacks err.txt "unrecognized"                 # getopt says nothing itself
expect 2 "$lss" report x.lss --bogus=3;      contains err.txt "lss report: unknown option --bogus"
expect 2 "$lss" generate -x;                 contains err.txt "lss generate: unknown option -x"
expect 2 "$lss" report x.lss --from;         contains err.txt "lss report: option --from needs a value"
lacks err.txt "unknown option"
expect 2 "$lss" generate -o;                 contains err.txt "lss generate: option -o needs a value"
expect 2 "$lss" list deals x.lss --limit;    contains err.txt "lss list: option --limit needs a value"
# lss help COMMAND is that command's help; an unknown one is a usage error
for c in demo generate import export report check stats checkpoint follow list dashboard publish replicate; do
    expect 0 "$lss" help $c;     contains out.txt "usage: lss $c"
done
expect 2 "$lss" publish x.lss;              contains err.txt "--server and --stream are required"
expect 2 "$lss" replicate y.lss --server nats://127.0.0.1:1 --stream S; contains err.txt "--database-id is required"
expect 2 "$lss" publish x.lss --durable d --server s --stream S; contains err.txt "unknown option --durable"
expect 2 "$lss" help frobnicate;             contains err.txt 'help: "frobnicate" is not a command'
# write errors: exit 1 with the reason; a reader that went away: exit 1, quietly
if [ -w /dev/full ]; then
    for c in "demo --customers 50" "demo --customers 50 --format json" "generate --customers 50" "help report" "--help"; do
        "$lss" $c > /dev/full 2> err.txt; got=$?
        [ "$got" = 1 ] || fail "lss $c > /dev/full exited $got"
        contains err.txt "No space left on device"
    done
else
    fail "/dev/full is not writable here: the write-error checks cannot run"
fi
( "$lss" generate --customers 3000; echo $? > gen.rc ) 2> err.txt | head -c 100 > /dev/null
[ "$(cat gen.rc)" = 1 ] || fail "generate into a closed pipe exited $(cat gen.rc), expected 1"
[ -s err.txt ] && fail "generate into a closed pipe said: $(cat err.txt)"
expect 2 "$lss" import only-one-arg.lss;     contains err.txt "expected a database path and a file"
expect 2 "$lss" import a.lss b.jsonl --sync sometimes; contains err.txt '"sometimes" is not full, normal or off'
expect 2 "$lss" stats;                       contains err.txt "expected one database path"
expect 2 "$lss" check;                       contains err.txt "expected one database path"
expect 2 "$lss" checkpoint;                  contains err.txt "expected one database path"

# missing files: failure with the cause
expect 1 "$lss" report missing.lss;          contains err.txt "missing.lss: no such database"
expect 1 "$lss" stats missing.lss;           contains err.txt "no such database"
expect 1 "$lss" check missing.lss;           contains err.txt "no such database"
expect 1 "$lss" export missing.lss;          contains err.txt "no such database"
expect 1 "$lss" checkpoint missing.lss;      contains err.txt "no such database"
[ -e missing.lss ] && fail "checkpoint created missing.lss"
expect 1 "$lss" import new.lss missing.jsonl; contains err.txt "cannot open \"missing.jsonl\""

# demo: the report of a generated company, as text and as JSON
expect 0 "$lss" demo --customers 300;        contains out.txt "Sales"; contains out.txt "Service"; contains out.txt "Relationship"
contains out.txt "window  2025-01-01T00:00:00Z .. 2026-01-01T00:00:00Z"
expect 0 "$lss" demo --customers 300 --format json
contains out.txt '"window":{"from":"2025-01-01T00:00:00Z","to":"2026-01-01T00:00:00Z","as_of":"2026-01-01T00:00:00Z"}'
lacks err.txt "generate:"                    # no progress when stderr is not a terminal
expect 0 "$lss" demo --customers 300 --format csv
contains out.txt "^window.from,window.to,window.as_of,currency,"
[ "$(wc -l < out.txt)" = 2 ] || fail "demo --format csv: not a header and one line"
contains out.txt "^2025-01-01T00:00:00Z,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,EUR,"

# generate: deterministic by seed
expect 0 "$lss" generate --customers 400 --seed 5 -o a.jsonl
expect 0 "$lss" generate --customers 400 --seed 5; cmp -s out.txt a.jsonl || fail "generate is not deterministic"
expect 0 "$lss" generate --customers 400 --seed 6 -o b.jsonl
cmp -s a.jsonl b.jsonl && fail "another seed gave the same company"
head -1 a.jsonl | grep -q '"type":"db.config"' || fail "generate does not start with db.config"
# --order time: the same events, in time order
expect 0 "$lss" generate --customers 400 --seed 5 --order time -o t.jsonl
cmp -s a.jsonl t.jsonl && fail "generate --order time wrote the order by customer"
sort a.jsonl > a.sorted; sort t.jsonl > t.sorted
cmp -s a.sorted t.sorted || fail "generate --order time wrote other events"
sed 's/.*"at":"\([^"]*\)".*/\1/' t.jsonl | sort -c || fail "generate --order time is not in time order"
expect 2 "$lss" generate --order random;      contains err.txt "is not a generate order (expected customer or time)"

# import -> export is the same file; stats and check
expect 0 "$lss" import co.lss a.jsonl;       contains err.txt "events imported from"
expect 0 "$lss" export co.lss -o back.jsonl
cmp -s a.jsonl back.jsonl || fail "export of an import differs from the file imported"
expect 0 "$lss" export co.lss;               cmp -s out.txt a.jsonl || fail "export to stdout differs"
events=$(($(wc -l < a.jsonl) - 1))
expect 0 "$lss" stats co.lss;                contains out.txt "events      $events"; contains out.txt "customers   400"
contains out.txt "^database id [0-9a-f]\{32\}$"
id=$(sed -n 's/^database id //p' out.txt)
expect 0 "$lss" checkpoint co.lss
expect 0 "$lss" stats co.lss;                contains out.txt "^database id $id$"   # kept by a writer
expect 0 "$lss" check co.lss;                contains out.txt "ok"
expect 0 "$lss" report co.lss --from 2025-04-01 --to 2025-07-01 --team North --channel email --format json
contains out.txt '"filter":{"member":null,"team":"North","channel":"email","segment":null,"pipeline":null}'
expect 0 "$lss" report co.lss --member s-01; contains out.txt "member=s-01"
# --by: a report per step, each the report of its window alone
expect 0 "$lss" report co.lss --from 2025-01-01 --to 2026-01-01 --by quarter --team North --format json
cp out.txt series.json
for q in 2025-01-01:2025-04-01 2025-04-01:2025-07-01 2025-07-01:2025-10-01 2025-10-01:2026-01-01; do
    "$lss" report co.lss --from "${q%%:*}" --to "${q##*:}" --team North --format json >> alone.jsonl
done
python3 - series.json alone.jsonl <<'PY' || fail "report --by quarter differs from the reports of its quarters"
import json, sys
series = json.load(open(sys.argv[1]))
alone = [json.loads(line) for line in open(sys.argv[2])]
assert series["step"] == "quarter", series["step"]
assert series["reports"] == alone, "differ"
PY
expect 0 "$lss" report co.lss --from 2025-01-01 --to 2026-01-01 --by month --format csv
[ "$(grep -c '^2025-' out.txt)" = 12 ] || fail "report --by month --format csv: not 12 months: $(head -c 300 out.txt)"
contains out.txt "^window.from,window.to,"
expect 0 "$lss" report co.lss --from 2025-03-12 --to 2025-03-25 --by week
[ "$(grep -c "^Report" out.txt)" = 3 ] || fail "report --by week from a Wednesday over 13 days: not 3 weeks"
expect 2 "$lss" report co.lss --by fortnight; contains err.txt '"fortnight" is not day, week, month or quarter'
expect 1 "$lss" report co.lss --from 1971-01-01 --to 2300-01-01 --by day; contains err.txt "more than 100000 steps"
expect 1 "$lss" report co.lss --member nobody; contains err.txt 'filter member "nobody" does not exist'
# --as-of: what the database knew then; the same report from a database of only the events before it
head -1 a.jsonl > pre.jsonl
tail -n +2 a.jsonl | awk -F'"at":"' '{ split($2, a, "\""); if (a[1] < "2025-07-01") print }' >> pre.jsonl
expect 0 "$lss" import pre.lss pre.jsonl
expect 0 "$lss" report co.lss --from 2025-04-01 --to 2025-10-01 --as-of 2025-07-01 --format json
cp out.txt asof_full.json
contains asof_full.json '"window":{"from":"2025-04-01T00:00:00Z","to":"2025-10-01T00:00:00Z","as_of":"2025-07-01T00:00:00Z"}'
expect 0 "$lss" report pre.lss --from 2025-04-01 --to 2025-10-01 --as-of 2025-07-01 --format json
cmp -s out.txt asof_full.json || fail "report --as-of differs from the report of the events before it"
# a library message names its operation once
expect 1 "$lss" report co.lss --pipeline nope
[ "$(cat err.txt)" = 'lss report: filter pipeline "nope" does not exist' ] || fail "report --pipeline nope: $(cat err.txt)"
expect 2 "$lss" list deals co.lss --member nope
[ "$(head -1 err.txt)" = 'lss list deals: filter member does not apply to deals' ] || fail "list --member: $(head -1 err.txt)"
expect 0 "$lss" report co.lss --from 2025-04-01 --to 2025-10-01 --format json
cmp -s out.txt asof_full.json && fail "report --as-of gave the report as of --to"
expect 0 "$lss" report co.lss --as-of 2025-07-01;  contains out.txt "as of  2025-07-01T00:00:00Z"
expect 2 "$lss" report co.lss --as-of someday;     contains err.txt "--as-of"

# atomic import: a bad line imports nothing and names the line
printf '%s\n' '{"type":"member.add","at":"2025-01-01","key":"m-x","name":"X","role":"sales"}' \
    '{"type":"deal.advance","at":"2025-01-02","deal":"d-1","to":"closed"}' > bad.jsonl
expect 1 "$lss" import co.lss bad.jsonl
contains err.txt 'line 2: deal.advance: field "to": "closed" is not a stage (expected qualified, presented or negotiated)'
expect 0 "$lss" stats co.lss;                contains out.txt "events      $events"
# keep-going: the good line is imported, the bad one reported, exit 1
expect 1 "$lss" import co.lss bad.jsonl --keep-going
contains err.txt "rejected (LSS_INVALID): line 2"; contains err.txt "1 of 2 lines rejected"
expect 0 "$lss" stats co.lss;                contains out.txt "events      $((events + 1))"
# import from standard input
printf '%s\n' '{"type":"customer.churn","at":"2025-12-31","customer":"c-000001"}' | "$lss" import co.lss - 2> err.txt \
    || fail "import from stdin failed: $(cat err.txt)"

# check: a torn tail is reported (exit 0), damage is an error (exit 1)
cp co.lss torn.lss
size=$(wc -c < torn.lss)
head -c $((size - 5)) co.lss > torn.lss
expect 0 "$lss" check torn.lss;              contains out.txt "torn tail: "
cp co.lss damaged.lss
printf 'XXXX' | dd of=damaged.lss bs=1 seek=5000 conv=notrunc 2> /dev/null
expect 1 "$lss" check damaged.lss;           contains out.txt "damaged at offset"
expect 1 "$lss" report damaged.lss;          contains err.txt "is damaged at offset"
expect 1 "$lss" check --drop-damaged-tail damaged.lss; contains err.txt "valid records follow"
cmp -s co.lss damaged.lss && fail "damaged.lss was repaired" || true
[ "$(wc -c < damaged.lss)" = "$size" ] || fail "check --drop-damaged-tail changed a journal damaged in the middle"
# one flipped bit in the last record (the import's commit): damage, not a torn tail
cp co.lss lastbit.lss
byte=$(od -An -tu1 -j $((size - 2)) -N1 lastbit.lss | tr -d ' ')
printf "$(printf '\\%03o' $((byte ^ 16)))" | dd of=lastbit.lss bs=1 seek=$((size - 2)) conv=notrunc 2> /dev/null
expect 1 "$lss" check lastbit.lss;           contains out.txt "damaged at offset"
expect 1 "$lss" import lastbit.lss /dev/null; contains err.txt "in the last record, which is whole"
[ "$(wc -c < lastbit.lss)" = "$size" ] || fail "a refused open changed the file"
expect 0 "$lss" check --drop-damaged-tail lastbit.lss; contains out.txt "cut off"
expect 0 "$lss" check lastbit.lss;           contains out.txt "ok"
# content a writer would refuse (a key with a control character, checksum fixed) is damage too
python3 - co.lss ctl.lss <<'PY' || fail "cannot craft ctl.lss"
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
i = data.index(b"c-000001")
data[i + 1] = 1
def crc32c(b, crc=0):
    crc ^= 0xFFFFFFFF
    for x in b:
        crc ^= x
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF
off = 48 if struct.unpack_from("<I", data, 8)[0] == 2 else 32  # the header: version 2 has the database id
while off < len(data):
    n = struct.unpack_from("<I", data, off + 4)[0]
    if off <= i < off + 24 + n:
        c = crc32c(data[off + 4:off + 24 + n])
        struct.pack_into("<I", data, off, ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + 0xa282ead8) & 0xFFFFFFFF)
        break
    off += 24 + n
open(sys.argv[2], "wb").write(data)
PY
expect 1 "$lss" check ctl.lss;               contains err.txt "control character 0x01"
# a short file that is not a journal is never overwritten
printf 'my notes\n' > notes.txt
expect 1 "$lss" import notes.txt /dev/null;  contains err.txt "not a libsalesservice journal"
[ "$(cat notes.txt)" = "my notes" ] || fail "import overwrote notes.txt"

# checkpoint: written, used by the next open, checked against the journal
cp co.lss ck.lss
expect 0 "$lss" stats ck.lss;                contains out.txt "checkpoint  none"
expect 0 "$lss" checkpoint ck.lss;           contains out.txt "ck.lss.checkpoint: $((events + 2)) events"
[ -s ck.lss.checkpoint ] || fail "checkpoint wrote no ck.lss.checkpoint"
expect 0 "$lss" stats ck.lss;                contains out.txt "checkpoint  $((events + 2)) events (and 0 replayed after it)"
expect 0 "$lss" report ck.lss;               cp out.txt ck-report.txt
expect 0 "$lss" report co.lss;               cmp -s out.txt ck-report.txt || fail "the report from a checkpoint differs"
printf '%s\n' '{"type":"customer.churn","at":"2025-12-31","customer":"c-000002"}' | "$lss" import ck.lss - 2> err.txt \
    || fail "import after a checkpoint failed: $(cat err.txt)"
expect 0 "$lss" stats ck.lss;                contains out.txt "(and 1 replayed after it)"
expect 0 "$lss" check ck.lss;                contains out.txt "the same state as the journal replayed from the start"
# a damaged checkpoint is left aside (and check says so); the journal is the truth
printf 'XXXX' | dd of=ck.lss.checkpoint bs=1 seek=3000 conv=notrunc 2> /dev/null
expect 0 "$lss" stats ck.lss;                contains out.txt "checkpoint  checkpoint ignored: its"
contains out.txt "events      $((events + 3))"
expect 0 "$lss" check ck.lss;                contains out.txt "checkpoint ignored"
# a file in the checkpoint's place that is not one is never overwritten
cp co.lss ck2.lss
printf 'my notes\n' > ck2.lss.checkpoint
expect 1 "$lss" checkpoint ck2.lss;          contains err.txt "is not a checkpoint; it is left as it is"
[ "$(cat ck2.lss.checkpoint)" = "my notes" ] || fail "checkpoint overwrote ck2.lss.checkpoint"
expect 0 "$lss" stats ck2.lss;               contains out.txt "checkpoint ignored: the file is not a checkpoint"
printf 'LSSK\r\n\032\n' > ck2.lss.checkpoint
expect 0 "$lss" stats ck2.lss;               contains out.txt "checkpoint ignored: it is cut short"

# readers beside a writer: an import waiting on its input holds the file for writing
cp co.lss live.lss
mkfifo live.in
"$lss" import live.lss - < live.in 2> live.err &
importer=$!
exec 3> live.in
sleep 0.3
expect 0 "$lss" stats live.lss;              contains out.txt "events      $((events + 2))"
expect 0 "$lss" report live.lss;             contains out.txt "Sales"
expect 0 "$lss" check live.lss;              contains out.txt "ok"
expect 0 "$lss" export live.lss --since $events; contains out.txt '{"seq":'"$((events + 1))"','
expect 1 "$lss" import live.lss /dev/null;   contains err.txt "open for writing by process $importer"
printf '%s\n' '{"type":"customer.churn","at":"2025-12-31","customer":"c-000003"}' >&3
exec 3>&-
wait $importer || fail "the import through the fifo failed: $(cat live.err)"
expect 0 "$lss" stats live.lss;              contains out.txt "events      $((events + 3))"

# the feed: export --since and follow --once give every event once, across restarts
expect 0 "$lss" export live.lss --since 0;   cp out.txt feed-all.txt
[ "$(wc -l < feed-all.txt)" = "$((events + 3))" ] || fail "export --since 0 is not every event"
head -1 feed-all.txt | grep -q '^{"seq":1,"type":"' || fail "export --since lacks the seq: $(head -c 80 feed-all.txt)"
expect 0 "$lss" follow live.lss --since 0 --once; cmp -s out.txt feed-all.txt || fail "follow --once differs from export --since"
half=$((events / 2))
expect 0 "$lss" follow live.lss --since 0 --once
head -n $half out.txt > feed-parts.txt
last=$(tail -1 feed-parts.txt | sed 's/^{"seq":\([0-9]*\),.*/\1/')
expect 0 "$lss" follow live.lss --since "$last" --once; cat out.txt >> feed-parts.txt
cmp -s feed-parts.txt feed-all.txt || fail "two halves of the feed are not the whole feed once"
expect 2 "$lss" follow live.lss --since -3;  contains err.txt "is not a sequence number"
expect 1 "$lss" export live.lss --since 999999999; contains err.txt "beyond the last event"
# follow, live: what another process commits while it runs, once
"$lss" follow live.lss --interval 20 > followed.txt 2> follow.err &
follower=$!
sleep 0.3
printf '%s\n' '{"type":"customer.churn","at":"2025-12-31","customer":"c-000004"}' | "$lss" import live.lss - 2> /dev/null
printf '%s\n' '{"type":"customer.churn","at":"2025-12-31","customer":"c-000005"}' | "$lss" import live.lss - 2> /dev/null
sleep 0.5
kill $follower; wait $follower 2> /dev/null
[ "$(wc -l < followed.txt)" = 2 ] || fail "follow printed $(wc -l < followed.txt) lines for 2 commits: $(cat followed.txt follow.err)"
grep -q '"seq":'"$((events + 4))"',"type":"customer.churn"' followed.txt || fail "follow lacks the first commit: $(cat followed.txt)"
grep -q '"customer":"c-000005"' followed.txt || fail "follow lacks the second commit"

# list: work queues
expect 0 "$lss" list deals co.lss --owner s-01 --open --format json
[ -s out.txt ] || fail "list deals --owner s-01 --open is empty"
lacks out.txt '"owner":"s-0[2-9]"'; lacks out.txt '"stage":"won"'; lacks out.txt '"stage":"lost"'
head -1 out.txt | grep -q '^{"key":"d-[0-9]*","customer":"c-[0-9]*","owner":"s-01","pipeline":"default","stage":' ||
    fail "list deals json row: $(head -1 out.txt)"
n=$(wc -l < out.txt)
expect 0 "$lss" list deals co.lss --owner s-01 --open --format csv
head -1 out.txt | grep -q '^key,customer,owner,pipeline,stage,amount,expected_close,forecast,probability,opened,last_at' ||
    fail "list deals csv header: $(head -1 out.txt)"
[ "$(wc -l < out.txt)" = $((n + 1)) ] || fail "csv has $(wc -l < out.txt) lines for $n rows"
expect 0 "$lss" list deals co.lss --owner s-01 --open
head -1 out.txt | grep -q '^key  *customer  *owner  *pipeline' || fail "list text header: $(head -1 out.txt)"
expect 0 "$lss" list deals co.lss --open --sort amount --desc --format json; cp out.txt all.json
expect 0 "$lss" list deals co.lss --open --sort amount --desc --limit 5 --format json
[ "$(wc -l < out.txt)" = 5 ] || fail "--limit 5 gave $(wc -l < out.txt) rows"
last=$(tail -1 out.txt | sed 's/^{"key":"\([^"]*\)".*/\1/')
expect 0 "$lss" list deals co.lss --open --sort amount --desc --limit 5 --after "$last" --format json
sed -n 6,10p all.json | cmp -s - out.txt || fail "the page after $last is not rows 6-10"
expect 0 "$lss" list customers co.lss --search EXAMPLE --limit 3 --format json
[ "$(wc -l < out.txt)" = 3 ] || fail "search EXAMPLE found $(wc -l < out.txt) customers"
expect 0 "$lss" list deals co.lss --as-of 2024-01-01;  [ "$(wc -l < out.txt)" = 1 ] || fail "a list before the first event is not empty"
expect 2 "$lss" list;                                   contains err.txt "expected deals, tickets, customers or tasks"
expect 0 "$lss" list tasks co.lss --format csv;         head -1 out.txt | tr -d '\r' | grep -q '^key,customer,member,kind,due,state,deal,ticket$' || fail "tasks csv header: $(head -1 out.txt)"
expect 2 "$lss" list tasks co.lss --state waiting;      contains err.txt '"waiting" is not a task state'
expect 1 "$lss" list tasks co.lss --member nobody;      contains err.txt 'member "nobody" not found'
expect 2 "$lss" list deals co.lss --sort title;        contains err.txt 'sort: unknown field "title"'
expect 2 "$lss" list deals co.lss --limit 0;           contains err.txt '--limit: "0"'
expect 2 "$lss" list deals co.lss --limit -2;          contains err.txt '--limit: "-2"'
expect 2 "$lss" list deals co.lss --stage won,closed;  contains err.txt '"closed" is not a stage'
expect 2 "$lss" list tickets co.lss --priority high,huge; contains err.txt '"huge" is not a priority'
expect 2 "$lss" list tickets co.lss --state waiting;   contains err.txt '"waiting" is not a ticket state'
expect 2 "$lss" list deals co.lss --closing-from 2025-03-01 --closing-to 2025-02-01; contains err.txt "closing_from"
expect 2 "$lss" list tickets co.lss --owner s-01;      contains err.txt "owner does not apply to tickets"
expect 2 "$lss" list deals co.lss --format xml;        contains err.txt '"xml" is not text, json or csv'
expect 1 "$lss" list deals co.lss --after d-nothing;   contains err.txt 'after: "d-nothing" is not a row'
expect 1 "$lss" list deals co.lss --owner m-nobody;    contains err.txt 'owner: member "m-nobody" not found'
expect 1 "$lss" list deals missing.lss;                contains err.txt "no such database"

# not a journal
echo "hello, this is not a journal at all, but long enough" > text.lss
expect 1 "$lss" stats text.lss;              contains err.txt "not a libsalesservice journal"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "lss: every command checked"
