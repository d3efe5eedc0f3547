#!/bin/sh
# Make the fuzzers' seed corpora from `lss generate` and, where they are
# here, the public data sets' converters: OUT/import (JSON Lines), OUT/journal
# (journal files, each once as is and once marked for the target's checksum
# repair) and OUT/api (call sequences). Deterministic for the same inputs.
# Usage: fuzz/make-corpus.sh LSS OUT [DATA_DIR]
set -eu
lss=$1 out=$2 data=${3:-}
src=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$out"
mkdir -p "$out/import" "$out/journal" "$out/api" "$out/checkpoint" "$out/zone"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# import: small generated companies, whole and in slices of 40 lines
for seed in 1 2 3 4; do
    "$lss" generate --customers 12 --seed "$seed" --days 90 --reps 2 --agents 2 -o "$tmp/gen$seed.jsonl"
    cp "$tmp/gen$seed.jsonl" "$out/import/gen$seed.jsonl"
    split -l 40 "$tmp/gen$seed.jsonl" "$out/import/gen$seed-slice-"
done
# lenient pipeline, another currency
sed '1s/"pipeline":"strict"/"pipeline":"lenient"/; 1s/"EUR"/"USD"/' "$tmp/gen1.jsonl" > "$out/import/lenient.jsonl"
# business hours and priority changes: a calendar, an SLA policy on it, a ticket raised and lowered
{
    head -n 1 "$tmp/gen1.jsonl"
    printf '%s\n' \
        '{"type":"calendar.set","at":"2025-01-01","key":"office","timezone":"Europe/Berlin","hours":[{"day":"mon","from":"09:00","to":"17:00"},{"day":"fri","from":"09:00","to":"13:00"}],"holidays":["2025-01-06"]}' \
        '{"type":"sla.set","at":"2025-01-01","priority":"high","first_response":14400,"resolution":57600,"calendar":"office"}' \
        '{"type":"member.add","at":"2025-01-01","key":"m-ben","name":"Ben","role":"service"}' \
        '{"type":"customer.add","at":"2025-01-02","key":"c-1","name":"Kraus"}' \
        '{"type":"ticket.open","at":"2025-01-03T16:30:00Z","key":"t-1","customer":"c-1","kind":"incident","channel":"phone","priority":"normal"}' \
        '{"type":"ticket.priority","at":"2025-01-03T17:00:00Z","ticket":"t-1","priority":"high"}' \
        '{"type":"ticket.contact","at":"2025-01-07T10:00:00Z","ticket":"t-1","agent":"m-ben","duration":60}' \
        '{"type":"ticket.wait","at":"2025-01-07T11:00:00Z","ticket":"t-1"}' \
        '{"type":"ticket.priority","at":"2025-01-07T12:00:00Z","ticket":"t-1","priority":"low"}' \
        '{"type":"ticket.resume","at":"2025-01-08T09:00:00Z","ticket":"t-1"}' \
        '{"type":"ticket.resolve","at":"2025-01-08T10:00:00Z","ticket":"t-1"}'
} > "$out/import/priority.jsonl"
# the public data sets, converted (the first 150 events of each)
if [ -n "$data" ] && [ -d "$data" ] && command -v python3 > /dev/null; then
    conv=$src/examples/datasets
    [ -d "$data/maven_crm_sales_opportunities" ] && python3 "$conv/maven_to_events.py" "$data/maven_crm_sales_opportunities" 2> /dev/null | head -n 150 > "$out/import/maven.jsonl" || true
    [ -d "$data/pwc_call_center" ] && python3 "$conv/pwc_to_events.py" "$data/pwc_call_center/Call-Center-Dataset.csv" 2> /dev/null | head -n 150 > "$out/import/pwc.jsonl" || true
    [ -d "$data/uci_incident_management_event_log" ] && python3 "$conv/uci_to_events.py" "$data/uci_incident_management_event_log/incident_event_log.csv" 2> /dev/null | head -n 150 > "$out/import/uci.jsonl" || true
    [ -d "$data/kaggle_customer_support_tickets" ] && python3 "$conv/kaggle_to_events.py" "$data/kaggle_customer_support_tickets/customer_support_tickets.csv" 2> /dev/null | head -n 150 > "$out/import/kaggle.jsonl" || true
    find "$out/import" -size 0 -delete
fi

# journal: the generated companies as journals (lss import writes one
# transaction), and one written event by event; the first byte of a seed
# is the target's mode (0: as is, 1: repair checksums after mutation)
for seed in 1 2; do
    "$lss" import "$tmp/j$seed.lss" "$tmp/gen$seed.jsonl" 2> /dev/null
done
head -n 60 "$tmp/gen3.jsonl" > "$tmp/small.jsonl"
"$lss" import "$tmp/small.lss" "$tmp/small.jsonl" 2> /dev/null
i=0
while read -r line; do
    i=$((i + 1))
    [ $i -gt 30 ] && break
    printf '%s\n' "$line" | "$lss" import "$tmp/events.lss" - 2> /dev/null || true
done < "$tmp/gen4.jsonl"
for j in "$tmp"/*.lss; do
    b=$(basename "$j" .lss)
    { printf '\000'; cat "$j"; } > "$out/journal/$b-raw"
    { printf '\001'; cat "$j"; } > "$out/journal/$b-repair"
done

# checkpoint: the checkpoint of the first generated company (fuzz_checkpoint's
# journal is the same company), as is and marked for repair, and cut short
"$lss" import "$tmp/ck.lss" "$tmp/gen1.jsonl" 2> /dev/null
"$lss" checkpoint "$tmp/ck.lss" > /dev/null
{ printf '\000'; cat "$tmp/ck.lss.checkpoint"; } > "$out/checkpoint/gen1-raw"
{ printf '\001'; cat "$tmp/ck.lss.checkpoint"; } > "$out/checkpoint/gen1-repair"
{ printf '\001'; head -c 2000 "$tmp/ck.lss.checkpoint"; } > "$out/checkpoint/gen1-short"
rm -f "$tmp/ck.lss" "$tmp/ck.lss.checkpoint"

# api: call sequences (any bytes are one; these are a few of each shape)
python3 - "$out/api" <<'PY'
import random, sys
r = random.Random(14)
for k in range(24):
    n = r.choice([16, 64, 256, 1024])
    data = bytes([k % 4]) + bytes(r.randrange(256) for _ in range(n))
    open("%s/seq%02d" % (sys.argv[1], k), "wb").write(data)
PY
# zone: real zone files (tzdata) behind a calendar's bytes: Mon-Fri 09:00-17:00, two holidays
for z in Europe/Berlin America/New_York Australia/Sydney Asia/Kolkata America/Sao_Paulo UTC; do
    f=/usr/share/zoneinfo/$z
    [ -f "$f" ] || continue
    { printf '\004\000\044\040\001\044\040\002\044\040\003\044\040\004\044\040\002\001\000\150\001\001\002\003\004\005\006\007\010'; cat "$f"; } > "$out/zone/$(echo "$z" | tr / _)"
done
echo "corpus: $(ls "$out/import" | wc -l) import, $(ls "$out/journal" | wc -l) journal, $(ls "$out/api" | wc -l) api, $(ls "$out/checkpoint" | wc -l) checkpoint, $(ls "$out/zone" | wc -l) zone seeds in $out"
