#!/bin/sh
# Real data: convert the public data sets, import them with lss, and check
# figures that anyone can compute from the source files with a spreadsheet
# (here computed independently with a few lines of Python over the CSVs).
# Usage: check_datasets.sh LSS SOURCE_DIR WORKDIR
# The data sets are looked for in $LSS_DATA_DIR, SOURCE_DIR/../shared/data and
# /work/shared/data; without them the test reports SKIPPED (exit 77).
set -u
lss=$1 src=$2 work=$3
data=""
for d in "${LSS_DATA_DIR:-}" "$src/../shared/data" /work/shared/data; do
    if [ -n "$d" ] && [ -f "$d/maven_crm_sales_opportunities/sales_pipeline.csv" ]; then data=$d; break; fi
done
if [ -z "$data" ]; then
    echo "SKIPPED: the public data sets are not here (set LSS_DATA_DIR to the folder that holds them)"
    exit 77
fi
if ! command -v python3 > /dev/null; then
    echo "FAIL: python3 is needed to run the converters (scripts/install-deps.sh installs it)"
    exit 1
fi
conv=$src/examples/datasets
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# field FILE PART NAME: one value of a report's JSON
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]][sys.argv[3]])" "$@"; }
same() { [ "$2" = "$3" ] && echo "ok: $1 = $2" || fail "$1: the library says $2, the source says $3"; }

# ---- Maven: win rate and won revenue
python3 "$conv/maven_to_events.py" "$data/maven_crm_sales_opportunities" > maven.jsonl 2> maven.err || fail "maven converter"
grep -q "500 Prospecting deals dropped (no date)" maven.err || fail "maven converter does not report what it drops"
"$lss" import maven.lss maven.jsonl 2> /dev/null || fail "maven import"
"$lss" report maven.lss --format json > maven.json || fail "maven report"
expect=$(python3 - "$data/maven_crm_sales_opportunities/sales_pipeline.csv" <<'PY'
import csv, sys
from decimal import Decimal, ROUND_HALF_EVEN
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
won = [r for r in rows if r["deal_stage"] == "Won"]
lost = [r for r in rows if r["deal_stage"] == "Lost"]
rate = (Decimal(len(won)) / Decimal(len(won) + len(lost))).quantize(Decimal("0.000001"), ROUND_HALF_EVEN)
print(len(won), len(lost), "%d.00" % sum(int(r["close_value"]) for r in won), rate)
PY
)
set -- $expect
same "Maven won deals" "$(field maven.json sales won)" "$1"
same "Maven lost deals" "$(field maven.json sales lost)" "$2"
same "Maven won revenue" "$(field maven.json sales revenue)" "$3"
same "Maven win rate" "$(field maven.json sales win_rate)" "$4"

# ---- PwC: average handle time = mean talk time of the answered calls
python3 "$conv/pwc_to_events.py" "$data/pwc_call_center/Call-Center-Dataset.csv" > pwc.jsonl 2> /dev/null || fail "pwc converter"
"$lss" import pwc.lss pwc.jsonl 2> /dev/null || fail "pwc import"
"$lss" report pwc.lss --format json > pwc.json || fail "pwc report"
expect=$(python3 - "$data/pwc_call_center/Call-Center-Dataset.csv" <<'PY'
import csv, sys
from decimal import Decimal, ROUND_HALF_EVEN
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
talk = [sum(int(x) * m for x, m in zip(r["AvgTalkDuration"].split(":"), (3600, 60, 1)))
        for r in rows if r["Answered (Y/N)"] == "Y"]
aht = (Decimal(sum(talk)) / len(talk)).quantize(Decimal("0.000001"), ROUND_HALF_EVEN)
print(len(rows), str(aht).rstrip("0"), sum(1 for r in rows if r["Answered (Y/N)"] == "Y" and r["Resolved"] == "Y"))
PY
)
set -- $expect
same "PwC calls" "$(field pwc.json service tickets_opened)" "$1"
same "PwC average handle time (s)" "$(field pwc.json service aht_seconds)" "$2"
same "PwC calls resolved on the call" "$(field pwc.json service resolved)" "$3"

# ---- UCI: the number of incidents, and the share resolved by the end of the log
python3 "$conv/uci_to_events.py" "$data/uci_incident_management_event_log/incident_event_log.csv" > uci.jsonl 2> uci.err \
    || fail "uci converter"
grep -q "5 rows with state -100 dropped" uci.err || fail "uci converter does not report the invalid rows"
"$lss" import uci.lss uci.jsonl --sync off 2> /dev/null || fail "uci import"
"$lss" report uci.lss --format json > uci.json || fail "uci report"
expect=$(python3 - "$data/uci_incident_management_event_log/incident_event_log.csv" <<'PY'
import csv, sys
last = {}
for r in csv.DictReader(open(sys.argv[1], newline="")):
    if r["incident_state"] != "-100" and int(r["sys_mod_count"]) >= last.get(r["number"], (-1, ""))[0]:
        last[r["number"]] = (int(r["sys_mod_count"]), r["incident_state"])
done = sum(1 for n, s in last.values() if s in ("Resolved", "Closed"))
print(len(last), "%.6f" % (done / len(last)))
PY
)
set -- $expect
same "UCI incidents" "$(field uci.json service tickets_opened)" "$1"
same "UCI resolved share" "$(python3 -c "print('%.6f' % $(field uci.json service resolution_rate))")" "$2"

# ---- Kaggle: the import rejects exactly the lines of tickets resolved before their first response
python3 "$conv/kaggle_to_events.py" "$data/kaggle_customer_support_tickets/customer_support_tickets.csv" > kaggle.jsonl 2> /dev/null \
    || fail "kaggle converter"
if "$lss" import kaggle.lss kaggle.jsonl 2> atomic.err; then fail "kaggle: the atomic import accepted bad time order"; fi
grep -q "is earlier than its last event at" atomic.err || fail "kaggle: the error does not say why: $(cat atomic.err)"
"$lss" import kaggle2.lss kaggle.jsonl --keep-going 2> keep.err && fail "kaggle: keep-going reported no rejection"
expect=$(python3 - "$data/kaggle_customer_support_tickets/customer_support_tickets.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
bad = [r for r in rows if r["Ticket Status"] == "Closed" and r["Time to Resolution"] and r["First Response Time"]
       and r["Time to Resolution"] < r["First Response Time"]]
# each bad ticket's resolve, rating (when it has one) and close come before its first contact
print(sum(2 + (r["Customer Satisfaction Rating"] != "") for r in bad))
PY
)
same "Kaggle lines rejected for time order" "$(grep -c 'rejected (LSS_OUT_OF_ORDER)' keep.err)" "$expect"
same "Kaggle lines rejected for other reasons" "$(grep 'rejected (LSS_' keep.err | grep -vc 'LSS_OUT_OF_ORDER')" "0"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "datasets: every figure matches its source"
