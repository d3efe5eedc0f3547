#!/usr/bin/env python3
"""What a data analyst would write: load a JSON Lines file of events and print
the monthly win rate and CSAT for a year.

Usage: monthly.py EVENTS.jsonl [YEAR]
  (for example the output of `lss generate`, or of a converter in
  examples/datasets/). The library is found as described in docs/python.md
  (LSS_LIBRARY, next to the package, or the system path).
"""
import os
import sys
from datetime import date

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bindings", "python"))
import salesservice as lss  # noqa: E402


def pct(x):
    return "     -" if x is None else "%5.1f%%" % (x * 100)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    year = int(sys.argv[2]) if len(sys.argv) == 3 else 2025
    with lss.Database() as db:
        applied, rejected = db.import_file(sys.argv[1], keep_going=True)
        print("%d events loaded%s" % (applied, ", %d lines rejected" % len(rejected) if rejected else ""))
        print("month     deals won  win rate   tickets   CSAT  revenue (%s)" % db.currency)
        for m in range(1, 13):
            start = date(year, m, 1)
            end = date(year + (m == 12), m % 12 + 1, 1)
            r = db.report(start=start, end=end)
            s, v = r["sales"], r["service"]
            csat = None if v["csat_percent"] is None else v["csat_percent"] / 100
            print("%s  %9d  %8s  %8d  %6s  %s" % (start.strftime("%Y-%m"), s["won"], pct(s["win_rate"]),
                                                  v["tickets_opened"], pct(csat), s["revenue"]))


if __name__ == "__main__":
    main()
