#!/usr/bin/env python3
"""lss report --merge: a generated company split into three shards by
customer (a customer, its deals, tickets, activities and tasks in one shard;
members, quotas, pipelines, SLAs and calendars in every shard) gives, merged,
byte for byte the report of one database holding every event, for every
filter and window; with --sketch-error the percentiles are within the error
and everything else is the same; shards given twice or in other currencies
are refused.

Usage: check_merge.py LSS WORKDIR"""
import json
import os
import shutil
import subprocess
import sys
import zlib

LSS, WORK = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
failures = []


def fail(what):
    print("FAIL:", what)
    failures.append(what)


def lss(*args, code=0):
    r = subprocess.run([LSS] + list(args), cwd=WORK, capture_output=True, text=True, timeout=300)
    if r.returncode != code:
        fail("lss %s exited %d, expected %d: %s" % (" ".join(args), r.returncode, code, r.stderr.strip()))
    return r


def split(path, n):
    """Shard of each customer (its referrer's, so that a referral stays whole); global events everywhere."""
    owner_of = {"deal": {}, "ticket": {}, "task": {}}
    shard_of = {}
    out = [[] for _ in range(n)]
    for line in open(path):
        e = json.loads(line)
        t = e["type"]
        if t == "customer.add":
            ref = e.get("referred_by")
            shard_of[e["key"]] = shard_of[ref] if ref else zlib.crc32(e["key"].encode()) % n
            customer = e["key"]
        elif "customer" in e:
            customer = e["customer"]
        else:
            customer = next((owner_of[k][e[k]] for k in ("deal", "ticket", "task") if k in e), None)
        for k in ("deal", "ticket", "task"):
            if t == k + ".open" or t == k + ".add":
                owner_of[k][e["key"]] = customer
        if customer is None:
            for s in out:
                s.append(line)
        else:
            out[shard_of[customer]].append(line)
    return out


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    lss("generate", "--customers", "1500", "--seed", "4", "--order", "time", "-o", "all.jsonl")
    shards = split(os.path.join(WORK, "all.jsonl"), 3)
    names = []
    for k, lines in enumerate(shards):
        p = "shard%d.jsonl" % k
        open(os.path.join(WORK, p), "w").writelines(lines)
        lss("import", "shard%d.lss" % k, p)
        names.append("shard%d.lss" % k)
    lss("import", "all.lss", "all.jsonl")
    sizes = [len(s) for s in shards]
    print("shards of %s events (each with the shared events)" % sizes)
    queries = [[], ["--from", "2025-04-01", "--to", "2025-07-01"], ["--team", "North"], ["--member", "s-02"],
               ["--channel", "email"], ["--segment", "smb"], ["--from", "2025-01-01", "--to", "2026-01-01",
               "--as-of", "2025-08-15"], ["--pipeline", "default"], ["--member", "a-01", "--from", "2025-06-01"]]
    for q in queries:
        merged = lss("report", "--merge", *names, "--format", "json", *q).stdout
        one = lss("report", "all.lss", "--format", "json", *q).stdout
        if merged != one:
            fail("merge %s differs from the one database:\n%s\n%s" % (q, merged[:800], one[:800]))
    text = lss("report", "--merge", *names, "--team", "North").stdout
    if text != lss("report", "all.lss", "--team", "North").stdout:
        fail("the text of the merge differs")
    # a sketch: the percentiles within 1 %, the rest the same
    exact = json.loads(lss("report", "all.lss", "--format", "json").stdout)
    approx = json.loads(lss("report", "--merge", *names, "--sketch-error", "0.01", "--format", "json").stdout)
    checked = 0
    for part, name in (("service", "first_response_seconds"), ("service", "resolution_seconds"),
                       ("service", "first_response_business_seconds"), ("service", "full_resolution_seconds")):
        a, e = approx[part][name], exact[part][name]
        if a["mean"] != e["mean"]:
            fail("sketch changed the mean of %s" % name)
        for k in ("median", "p90"):
            if e[k] is None or e[k] == 0:
                continue
            checked += 1
            if abs(a[k] - e[k]) > 0.01 * e[k] + 1:  # + 1: the sketch's values are whole seconds
                fail("%s %s: sketch %s, exact %s: beyond 1 %%" % (name, k, a[k], e[k]))
    for part, name in (("service", "first_response_seconds"), ("service", "resolution_seconds")):
        approx[part][name] = exact[part][name]
    for part in ("service",):
        for name in ("first_response_business_seconds", "resolution_business_seconds", "full_resolution_seconds"):
            approx[part][name] = exact[part][name]
    for g in range(4):
        approx["sales"]["stage_durations"][g]["median_days"] = exact["sales"]["stage_durations"][g]["median_days"]
    if approx != exact:
        fail("a sketch changed more than the percentiles")
    if checked < 6:
        fail("too few percentiles compared (%d)" % checked)
    # refused: the same database twice (its id), another currency, nothing that has the member
    r = lss("report", "--merge", "shard0.lss", "shard0.lss", code=1)
    if "the same database" not in r.stderr:
        fail("a database given twice: %s" % r.stderr)
    open(os.path.join(WORK, "usd.jsonl"), "w").write(
        '{"type":"db.config","at":"2025-01-01T00:00:00Z","currency":"USD","pipeline":"strict"}\n')
    lss("import", "usd.lss", "usd.jsonl")
    r = lss("report", "--merge", "shard0.lss", "usd.lss", code=1)
    if "one report needs one currency" not in r.stderr:
        fail("currencies that differ: %s" % r.stderr)
    r = lss("report", "--merge", *names, "--member", "nobody", code=1)
    if 'filter member "nobody" does not exist' not in r.stderr:
        fail("a member no shard has: %s" % r.stderr)
    lss("report", "--merge", "shard0.lss", code=2)
    lss("report", "--merge", *names, "--by", "month", code=2)
    print("%d queries compared, %d failures" % (len(queries), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
