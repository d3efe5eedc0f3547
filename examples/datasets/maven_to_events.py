#!/usr/bin/env python3
"""Convert Maven Analytics' "CRM Sales Opportunities" to libsalesservice events.

Usage: maven_to_events.py DATA_DIR > maven.jsonl
DATA_DIR holds sales_teams.csv, accounts.csv, products.csv, sales_pipeline.csv
(../shared/data/maven_crm_sales_opportunities). Standard library only.

Mapping (docs/datasets.md says the same):
- database: currency USD, lenient pipeline (the data has only Prospecting,
  Engaging, Won and Lost: a deal is won straight from "engaging").
- sales_teams.csv: each sales agent is a member (role sales), key
  "m-<name>", team = regional office (Central, East, West).
- accounts.csv: each account is a customer, key "a-<name>", segment =
  sector ("technolgy" is corrected to "technology"), company = the parent
  in subsidiary_of when there is one. Added at its first deal's engage date.
- sales_pipeline.csv, one deal per opportunity, key = opportunity_id, owner
  = the agent, opened at engage_date with the product's list price as its
  amount (the pipeline's "GTXPro" is products.csv's "GTX Pro"):
  Engaging -> deal.open + deal.advance to qualified (engage_date);
  Won      -> the same, then deal.win at close_date for close_value;
  Lost     -> the same, then deal.lose at close_date, reason "other" (the data
              has no reason).
- Dropped, and counted on standard error: Prospecting deals (no date at all,
  so no event can be placed in time). Engaging deals without an account are
  kept, on the customer "a-unknown" ("(no account in the data)").
"""
import csv
import json
import os
import re
import sys


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def out(event):
    sys.stdout.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: maven_to_events.py DATA_DIR > maven.jsonl")
    d = sys.argv[1]
    read = lambda name: list(csv.DictReader(open(os.path.join(d, name), newline="", encoding="utf-8-sig")))
    teams, accounts, products, pipeline = (read("sales_teams.csv"), read("accounts.csv"),
                                           read("products.csv"), read("sales_pipeline.csv"))
    price = {p["product"]: p["sales_price"] for p in products}
    price["GTXPro"] = price["GTX Pro"]  # a known spelling difference between the two files

    kept = [r for r in pipeline if r["engage_date"]]
    dropped = len(pipeline) - len(kept)
    first = min(r["engage_date"] for r in kept)
    out({"type": "db.config", "at": first, "currency": "USD", "pipeline": "lenient"})
    for t in teams:
        out({"type": "member.add", "at": first, "key": "m-" + slug(t["sales_agent"]),
             "name": t["sales_agent"], "role": "sales", "team": t["regional_office"]})

    first_deal = {}
    for r in kept:
        acc = r["account"] or "(no account in the data)"
        first_deal[acc] = min(first_deal.get(acc, r["engage_date"]), r["engage_date"])
    info = {a["account"]: a for a in accounts}
    for acc in sorted(first_deal, key=lambda a: (first_deal[a], a)):
        a = info.get(acc)
        ev = {"type": "customer.add", "at": first_deal[acc],
              "key": "a-unknown" if acc.startswith("(") else "a-" + slug(acc), "name": acc}
        if a:
            if a["subsidiary_of"]:
                ev["company"] = a["subsidiary_of"]
            ev["segment"] = "technology" if a["sector"] == "technolgy" else a["sector"]
        out(ev)

    for r in sorted(kept, key=lambda r: (r["engage_date"], r["opportunity_id"])):
        key = r["opportunity_id"]
        cust = "a-" + slug(r["account"]) if r["account"] else "a-unknown"
        out({"type": "deal.open", "at": r["engage_date"], "key": key, "customer": cust,
             "owner": "m-" + slug(r["sales_agent"]), "amount": price[r["product"]], "title": r["product"]})
        out({"type": "deal.advance", "at": r["engage_date"], "deal": key, "to": "qualified"})
    for r in sorted(kept, key=lambda r: (r["close_date"], r["opportunity_id"])):
        if r["deal_stage"] == "Won":
            out({"type": "deal.win", "at": r["close_date"], "deal": r["opportunity_id"],
                 "amount": r["close_value"]})
        elif r["deal_stage"] == "Lost":
            out({"type": "deal.lose", "at": r["close_date"], "deal": r["opportunity_id"], "reason": "other"})
    sys.stderr.write("maven_to_events: %d deals converted; %d Prospecting deals dropped (no date)\n"
                     % (len(kept), dropped))


if __name__ == "__main__":
    main()
