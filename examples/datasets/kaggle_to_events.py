#!/usr/bin/env python3
"""Convert Kaggle's generated "Customer Support Ticket Dataset" to
libsalesservice events - as it is, including its impossible timestamps.

Usage: kaggle_to_events.py customer_support_tickets.csv > kaggle.jsonl
(../shared/data/kaggle_customer_support_tickets). Standard library only.

This data set is synthetic and its times are inconsistent: in about half of
the closed tickets the resolution comes before the first response. The
converter does not repair that: it is an import test. `lss import
--keep-going` applies every consistent ticket and rejects each bad line
with the reason (an event earlier than the ticket's last event).

Mapping (docs/datasets.md says the same):
- One customer per ticket ("k-<Ticket ID>", its name and email), added at the
  Date of Purchase; one service member "agent" handles every ticket.
- The ticket "t-<Ticket ID>" is opened at its First Response Time (the data
  has no creation time), kind from Ticket Type (Technical issue: incident,
  Billing and Product inquiry: question, Refund and Cancellation request:
  complaint), channel from Ticket Channel (Social media: social), priority
  from Ticket Priority (Critical: urgent, High: high, Medium: normal, Low: low).
- First Response Time: a ticket.contact by "agent" (duration 0: the data has no
  handle time). Status "Pending Customer Response": then ticket.wait.
  Status "Closed": ticket.resolve at Time to Resolution, then ticket.rate
  with Customer Satisfaction Rating, then ticket.close.
- Tickets without a First Response Time stay new.
"""
import csv
import json
import sys

KIND = {"Technical issue": "incident", "Billing inquiry": "question", "Product inquiry": "question",
        "Refund request": "complaint", "Cancellation request": "complaint"}
CHANNEL = {"Email": "email", "Phone": "phone", "Chat": "chat", "Social media": "social"}
PRIORITY = {"Critical": "urgent", "High": "high", "Medium": "normal", "Low": "low"}


def out(event):
    sys.stdout.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")


def iso(text):
    return text.replace(" ", "T") + "Z"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: kaggle_to_events.py customer_support_tickets.csv > kaggle.jsonl")
    rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
    first = min(r["Date of Purchase"] for r in rows)
    out({"type": "db.config", "at": first, "currency": "USD", "pipeline": "strict"})
    out({"type": "member.add", "at": first, "key": "agent", "name": "Support agent", "role": "service"})
    for r in rows:
        n = r["Ticket ID"]
        cust, key = "k-" + n, "t-" + n
        out({"type": "customer.add", "at": r["Date of Purchase"], "key": cust, "name": r["Customer Name"],
             "email": r["Customer Email"]})
        if not r["First Response Time"]:
            continue
        at = iso(r["First Response Time"])
        out({"type": "ticket.open", "at": at, "key": key, "customer": cust, "kind": KIND[r["Ticket Type"]],
             "channel": CHANNEL[r["Ticket Channel"]], "priority": PRIORITY[r["Ticket Priority"]],
             "subject": r["Ticket Subject"]})
        out({"type": "ticket.contact", "at": at, "ticket": key, "agent": "agent", "duration": 0})
        if r["Ticket Status"] == "Pending Customer Response":
            out({"type": "ticket.wait", "at": at, "ticket": key})
        elif r["Ticket Status"] == "Closed" and r["Time to Resolution"]:
            done = iso(r["Time to Resolution"])
            out({"type": "ticket.resolve", "at": done, "ticket": key})
            if r["Customer Satisfaction Rating"]:
                out({"type": "ticket.rate", "at": done, "ticket": key,
                     "score": int(float(r["Customer Satisfaction Rating"]))})
            out({"type": "ticket.close", "at": done, "ticket": key})
    sys.stderr.write("kaggle_to_events: %d tickets converted (times kept as they are)\n" % len(rows))


if __name__ == "__main__":
    main()
