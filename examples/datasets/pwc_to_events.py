#!/usr/bin/env python3
"""Convert PwC's "Call Centre Trends" calls to libsalesservice events.

Usage: pwc_to_events.py Call-Center-Dataset.csv > pwc.jsonl
(../shared/data/pwc_call_center). Standard library only.

Mapping (docs/datasets.md says the same):
- database: currency USD. Every agent is a member (role service, team
  "PhoneNow"), key "agent-<name>".
- The calls carry no customer: all of them belong to one customer,
  "c-callers" ("PhoneNow callers"), added at the first call.
- Each call is a ticket "call-<Call Id>" opened at Date + Time on the phone
  channel, priority normal; kind incident for Technical Support and
  Streaming, question for Contract, Payment and Admin Support.
- Answered Y: one ticket.contact by the call's agent, "Speed of answer"
  seconds after the call came in, lasting AvgTalkDuration (so the average
  handle time is the mean talk time of the answered calls).
  Resolved Y: ticket.resolve when the talk ends, then ticket.rate with the
  Satisfaction rating.
  Resolved N: the ticket stays open; its rating is not recorded (a rating
  needs a resolved ticket): counted on standard error.
- Answered N: the ticket stays new (an abandoned call, in the backlog).
"""
import csv
import json
import sys
from datetime import datetime, timedelta, timezone

KIND = {"Technical Support": "incident", "Streaming": "incident", "Contract related": "question",
        "Payment related": "question", "Admin Support": "question"}


def out(event):
    sys.stdout.write(json.dumps(event, separators=(",", ":")) + "\n")


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def seconds(hms):
    h, m, s = hms.split(":")
    return int(h) * 3600 + int(m) * 60 + int(s)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: pwc_to_events.py Call-Center-Dataset.csv > pwc.jsonl")
    rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
    for r in rows:
        h, m, s = r["Time"].split(":")
        r["at"] = datetime.strptime(r["Date"], "%Y-%m-%d").replace(
            hour=int(h), minute=int(m), second=int(s), tzinfo=timezone.utc)
    rows.sort(key=lambda r: (r["at"], r["Call Id"]))
    first = iso(rows[0]["at"])
    out({"type": "db.config", "at": first, "currency": "USD", "pipeline": "strict"})
    for agent in sorted({r["Agent"] for r in rows}):
        out({"type": "member.add", "at": first, "key": "agent-" + agent.lower(), "name": agent,
             "role": "service", "team": "PhoneNow"})
    out({"type": "customer.add", "at": first, "key": "c-callers", "name": "PhoneNow callers", "segment": "consumer"})
    unrated = 0
    for r in rows:
        key = "call-" + r["Call Id"]
        out({"type": "ticket.open", "at": iso(r["at"]), "key": key, "customer": "c-callers",
             "kind": KIND[r["Topic"]], "channel": "phone", "priority": "normal", "subject": r["Topic"]})
        if r["Answered (Y/N)"] != "Y":
            continue
        answered = r["at"] + timedelta(seconds=int(r["Speed of answer in seconds"]))
        talk = seconds(r["AvgTalkDuration"])
        out({"type": "ticket.contact", "at": iso(answered), "ticket": key, "agent": "agent-" + r["Agent"].lower(),
             "duration": talk})
        if r["Resolved"] != "Y":
            unrated += r["Satisfaction rating"] != ""
            continue
        done = iso(answered + timedelta(seconds=talk))
        out({"type": "ticket.resolve", "at": done, "ticket": key})
        if r["Satisfaction rating"]:
            out({"type": "ticket.rate", "at": done, "ticket": key, "score": int(r["Satisfaction rating"])})
    sys.stderr.write("pwc_to_events: %d calls converted; %d ratings of calls not resolved on the call not "
                     "recorded\n" % (len(rows), unrated))


if __name__ == "__main__":
    main()
