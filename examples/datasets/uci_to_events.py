#!/usr/bin/env python3
"""Convert the UCI "Incident management process enriched event log" to
libsalesservice events.

Usage: uci_to_events.py incident_event_log.csv > uci.jsonl
(../shared/data/uci_incident_management_event_log). Standard library only.

Mapping (docs/datasets.md says the same):
- Every incident is a ticket (key = its number), kind incident, opened at
  opened_at; channel from contact_type (Phone and IVR: phone, Email: email,
  Self service and Direct opening: web); priority from priority (1 - Critical:
  urgent, 2 - High: high, 3 - Moderate: normal, 4 - Low: low).
- The caller is the customer ("Caller 2403" -> "caller-2403"), added before
  their first incident; a "?" caller is "caller-unknown".
- Agents: assigned_to ("Resolver 17" -> member "resolver-17", role service);
  with no assignee ("?"), the assignment group ("Group 56" -> "group-56");
  with neither, "unassigned".
- Each audit row (in sys_mod_count order, at sys_updated_at) moves the ticket
  to the row's state: Active assigns (or resumes from waiting, or reopens a
  resolved incident, or reassigns); Awaiting ... waits; Resolved resolves;
  Closed closes (an incident closed without being resolved first - 1,556 of
  them - is resolved and closed at the same moment). An incident still New
  when it needs to be open is assigned first. A row that changes nothing
  (the same state again, the same assignee) adds no event.
- Dates are day-first "d/m/yyyy HH:MM" (UTC assumed). A row earlier than the
  incident's previous event is applied at the previous event's time (counted).
- Dropped, and counted on standard error: rows with the invalid state -100,
  and rows after an incident was closed (closed is final in the event
  format; the log has a few incidents that change again after closing).
"""
import csv
import json
import re
import sys
from collections import defaultdict

CHANNEL = {"Phone": "phone", "IVR": "phone", "Email": "email", "Self service": "web", "Direct opening": "web"}
PRIORITY = {"1 - Critical": "urgent", "2 - High": "high", "3 - Moderate": "normal", "4 - Low": "low"}


def out(event):
    sys.stdout.write(json.dumps(event, separators=(",", ":")) + "\n")


def when(text):
    d, t = text.split(" ")
    day, month, year = d.split("/")
    h, m = t.split(":")
    return "%04d-%02d-%02dT%02d:%02d:00Z" % (int(year), int(month), int(day), int(h), int(m))


def key_of(prefix, text):
    return prefix + "-" + re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def agent_of(row):
    if row["assigned_to"] != "?":
        return key_of("resolver", row["assigned_to"].replace("Resolver", ""))
    if row["assignment_group"] != "?":
        return key_of("group", row["assignment_group"].replace("Group", ""))
    return "unassigned"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: uci_to_events.py incident_event_log.csv > uci.jsonl")
    incidents = defaultdict(list)
    invalid = 0
    for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
        if r["incident_state"] == "-100":
            invalid += 1
            continue
        incidents[r["number"]].append(r)
    for rows in incidents.values():
        rows.sort(key=lambda r: int(r["sys_mod_count"]))
    order = sorted(incidents, key=lambda n: (when(incidents[n][0]["opened_at"]), n))
    first = when(incidents[order[0]][0]["opened_at"])
    out({"type": "db.config", "at": first, "currency": "EUR", "pipeline": "strict"})
    agents = sorted({agent_of(r) for rows in incidents.values() for r in rows})
    for a in agents:
        out({"type": "member.add", "at": first, "key": a, "name": a.replace("-", " ").title(), "role": "service"})
    callers, clamped, after_close = set(), 0, 0
    for number in order:
        rows = incidents[number]
        r0 = rows[0]
        caller = key_of("caller", r0["caller_id"].replace("Caller", "")) if r0["caller_id"] != "?" else "caller-unknown"
        at = when(r0["opened_at"])
        if caller not in callers:
            callers.add(caller)
            out({"type": "customer.add", "at": at, "key": caller, "name": r0["caller_id"]})
        out({"type": "ticket.open", "at": at, "key": number, "customer": caller, "kind": "incident",
             "channel": CHANNEL.get(r0["contact_type"], "web"), "priority": PRIORITY[r0["priority"]],
             "subject": r0["category"] + " / " + r0["subcategory"]})
        state, assignee, last = "new", None, at
        for r in rows:
            t = when(r["sys_updated_at"])
            if t < last:
                t, clamped = last, clamped + 1
            last = t
            s = r["incident_state"]
            agent = agent_of(r)

            def emit(kind, **fields):
                out(dict({"type": kind, "at": t, "ticket": number}, **fields))

            def open_it():
                nonlocal state, assignee
                if state == "new":
                    emit("ticket.assign", agent=agent)
                    state, assignee = "open", agent
                elif state == "pending":
                    emit("ticket.resume")
                    state = "open"
                elif state == "resolved":
                    emit("ticket.reopen")
                    state = "open"

            if state == "closed":
                after_close += 1  # closed is final in the event format
                continue
            if s == "New":
                continue
            if s == "Active":
                open_it()
                if assignee != agent:
                    emit("ticket.assign", agent=agent)
                    assignee = agent
            elif s.startswith("Awaiting"):
                if state != "pending":
                    open_it()
                    emit("ticket.wait")
                    state = "pending"
            elif s in ("Resolved", "Closed"):
                if state in ("new", "open", "pending"):
                    if state == "new":
                        open_it()
                    emit("ticket.resolve")
                    state = "resolved"
                if s == "Closed" and state == "resolved":
                    emit("ticket.close")
                    state = "closed"
    sys.stderr.write("uci_to_events: %d incidents converted; %d rows with state -100 dropped; %d rows after "
                     "the incident was closed dropped; %d row times moved up to the incident's previous event\n"
                     % (len(incidents), invalid, after_close, clamped))


if __name__ == "__main__":
    main()
