#!/usr/bin/env python3
"""Every code block of README.md and docs/*.md, tried the way a reader would:

- ```c: compiled (-Wall -Werror, against the built library) inside a
  program that gives it the names the docs take as given (an open database
  `db` holding a generated company, times t, t0..t6, ...; `static` lines go
  to file scope), then run: it must exit 0.
- ```python: run in a fresh folder with the built library, after a prelude
  that gives it `lss` and, for fragments, a database `db` and a deal `deal`.
- ```json: parsed.
- an unlabelled block (a terminal session): every `$ ` line is run, in
  order, by sh in a folder holding the files the docs name (crm.lss,
  co.lss, company.jsonl, ...), with `lss` and build/ meaning the built ones;
  a usage error (exit 2) or a crash fails. Other lines are output.
- ```sh (build, install and benchmark commands): checked, not run here:
  the shell parses them and every script, file and build target they name
  exists. What they do is run elsewhere: README's two commands are CI
  itself, the install by install_and_consume and python_package_installs.

Usage: check_docs.py SOURCE_DIR BUILD_DIR WORKDIR"""
import json
import os
import re
import shutil
import subprocess
import sys

SRC, BUILD, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
LSS = os.path.join(BUILD, "tools", "lss")
ENV = dict(os.environ, PYTHONPATH=os.path.join(SRC, "bindings", "python"),
           LSS_LIBRARY=os.path.join(BUILD, "libsalesservice.so.0"), PYTHONDONTWRITEBYTECODE="1",
           PATH=os.path.dirname(LSS) + os.pathsep + os.environ.get("PATH", ""))
failures = []
counts = {}

C_PRELUDE = r"""
#define _POSIX_C_SOURCE 200809L
#include <salesservice.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* what the docs' fragments take as given */
static lss_time t, t0, t1, t2, t3, t4, t5, t6, at, as_of, opened, resolved, friday_1630, now_,
    start_of_quarter, end_of_quarter;
static lss_open_options o = LSS_OPEN_OPTIONS_INIT;
static lss_hours h[5];
static lss_date holidays[1];
static uint32_t nholidays;
static lss_report *r;
static void show(lss_stage s, lss_money m) { printf("%s %lld\n", lss_stage_name(s), (long long)m); }
static void given(void)
{
    (void)t; (void)t0; (void)t1; (void)t2; (void)t3; (void)t4; (void)t5; (void)t6; (void)at; (void)as_of;
    (void)opened; (void)resolved; (void)friday_1630; (void)now_; (void)start_of_quarter; (void)end_of_quarter;
    (void)o; (void)h; (void)holidays; (void)nholidays; (void)r; (void)show;
}
"""

C_MAIN = r"""
int main(void)
{
    given();
    lss_db *db;
    if (lss_db_open(&db, NULL, NULL) != LSS_OK)
        return 3;
    lss_generate_options g = LSS_GENERATE_OPTIONS_INIT;
    g.customers = 300;
    if (lss_generate(db, &g) != LSS_OK)
        return 3;
    lss_time day = 86400;
    t = t0 = 1767225600;                          /* 2026-01-01, after the generated year */
    t1 = t0 + day; t2 = t1 + day; t3 = t2 + day; t4 = t3 + 3600; t5 = t4 + 3600; t6 = t5 + day;
    at = as_of = t0;
    opened = 1741593600;                          /* 2025-03-10 */
    resolved = opened + 3 * day;
    friday_1630 = 1741969800;                     /* Friday 2025-03-14 16:30 UTC */
    start_of_quarter = 1743465600;                /* 2025-04-01 */
    end_of_quarter = 1751328000;                  /* 2025-07-01 */
    for (int d = 0; d < 5; d++)
        h[d] = (lss_hours){ (lss_weekday)d, 9 * 3600, 17 * 3600 };
    lss_query whole = LSS_QUERY_INIT;
    if (lss_report_run(&r, db, &whole) != LSS_OK)
        return 3;
    lss_member_add(NULL, db, t0, "m-anna", "Anna Berg", LSS_ROLE_SALES, "DACH");
    lss_customer_add(NULL, db, t0, "c-17", "Kraus GmbH", NULL, NULL, "smb", LSS_SOURCE_WEB, NULL);
    lss_deal_open(NULL, db, t0, "d-17", "c-17", "m-anna", 1200000, NULL, LSS_TIME_NONE);
    block(db);
    lss_report_free(r);
    lss_db_close(db);
    return 0;
}
"""


def blocks(path):
    text = open(path, encoding="utf-8").read()
    for m in re.finditer(r"^```(\w*)\n(.*?)^```", text, flags=re.M | re.S):
        yield m.group(1), m.group(2), text[:m.start()].count("\n") + 1


def fail(where, what):
    failures.append("%s: %s" % (where, what))


def folder(name):
    d = os.path.join(WORK, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def check_c(where, body, n):
    if "int main(" in body:
        source = body
    else:
        scope = "\n".join(l for l in body.split("\n") if l.startswith("static "))
        inner = "\n".join(l for l in body.split("\n") if not l.startswith("static "))
        source = (C_PRELUDE + scope + "\nstatic void block(lss_db *db)\n{\n    (void)db;\n    {\n" + inner +
                  "\n    }\n}\n" + C_MAIN.replace("now_", "now_"))
    d = folder("c%d" % n)
    with open(os.path.join(d, "block.c"), "w") as f:
        f.write(source)
    cc = subprocess.run(["cc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-Wno-unused-variable",
                         "-Wno-unused-but-set-variable", "-Wno-unused-result", "-I", os.path.join(SRC, "include"),
                         "-o", "block", "block.c", "-L", BUILD, "-lsalesservice", "-Wl,-rpath," + BUILD],
                        cwd=d, capture_output=True, text=True)
    if cc.returncode:
        return fail(where, "does not compile:\n" + cc.stderr[:1500])
    run = subprocess.run(["./block"], cwd=d, capture_output=True, text=True, timeout=120)
    if run.returncode:
        fail(where, "exited %d: %s" % (run.returncode, (run.stdout + run.stderr)[-800:]))


PY_PRELUDE = """import salesservice as lss
db = lss.Database()
db.add_member("2025-01-01", "m-anna", "Anna Berg", role="sales", team="DACH")
db.add_customer("2025-01-02", "c-1", "Kraus GmbH")
deal = db.open_deal("2025-01-06", "d-1", "c-1", "m-anna", 100)
"""


def check_python(where, body, n):
    d = folder("py%d" % n)
    with open(os.path.join(d, "block.py"), "w") as f:
        f.write(PY_PRELUDE + body)
    run = subprocess.run([sys.executable, "block.py"], cwd=d, env=ENV, capture_output=True, text=True, timeout=300)
    if run.returncode:
        fail(where, "exited %d: %s" % (run.returncode, run.stderr[-1500:]))


def session_folder():
    """The files the terminal sessions of the docs name."""
    d = folder("session")
    run = lambda *a: subprocess.run(list(a), cwd=d, env=ENV, check=True, capture_output=True)
    run(LSS, "generate", "--customers", "1000", "-o", "company.jsonl")
    run(LSS, "import", "crm.lss", "company.jsonl")
    shutil.copy(os.path.join(d, "crm.lss"), os.path.join(d, "co.lss"))
    shutil.copy(os.path.join(d, "crm.lss"), os.path.join(d, "damaged.lss"))
    data = bytearray(open(os.path.join(d, "crm.lss"), "rb").read())
    data[-1] ^= 1
    open(os.path.join(d, "lastbit.lss"), "wb").write(data)
    shutil.copy(os.path.join(d, "company.jsonl"), os.path.join(d, "events.jsonl"))
    os.makedirs(os.path.join(d, "examples"), exist_ok=True)
    for sub in ("python", "datasets"):
        src = os.path.join(SRC, "examples", sub)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(d, "examples", sub), dirs_exist_ok=True)
    os.symlink(BUILD, os.path.join(d, "build"))
    return d


def check_session(where, body, cwd):
    for line in body.split("\n"):
        if not line.startswith("$ "):
            continue
        cmd = line[2:]
        run = subprocess.run(["sh", "-c", cmd], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=300)
        if run.returncode == 2 or run.returncode >= 126:
            fail(where, "`%s` exited %d: %s" % (cmd, run.returncode, run.stderr[-600:]))


def check_sh(where, body):
    syntax = subprocess.run(["bash", "-n"], input=body, capture_output=True, text=True)
    if syntax.returncode:
        return fail(where, "does not parse: " + syntax.stderr)
    for word in re.findall(r"(?<![\w/.~-])((?:scripts|tests|bench|examples|bindings|docs|tools)/[\w./-]+)", body):
        if not os.path.exists(os.path.join(SRC, word)):
            fail(where, "names %s, which is not in the tree" % word)
    for folder_, target in re.findall(r"build[\w-]*/(bench|tools|examples)/(\w+)", body):
        if not any(os.path.exists(os.path.join(SRC, folder_, target + ext)) for ext in (".c", ".sh", "")):
            fail(where, "names the build target %s/%s, which no source builds" % (folder_, target))


def main():
    os.makedirs(WORK, exist_ok=True)
    files = [os.path.join(SRC, "README.md")] + sorted(
        os.path.join(SRC, "docs", f) for f in os.listdir(os.path.join(SRC, "docs")) if f.endswith(".md"))
    session = session_folder()
    n = 0
    for path in files:
        for lang, body, line in blocks(path):
            n += 1
            where = "%s:%d (```%s)" % (os.path.relpath(path, SRC), line, lang)
            kind = {"c": "c", "python": "python", "json": "json", "sh": "sh", "": "session"}.get(lang, lang)
            counts[kind] = counts.get(kind, 0) + 1
            if kind == "c":
                check_c(where, body, n)
            elif kind == "python":
                check_python(where, body, n)
            elif kind == "json":
                try:
                    json.loads(body)
                except ValueError as e:
                    fail(where, "not JSON: %s" % e)
            elif kind == "sh":
                check_sh(where, body)
            elif kind == "session":
                check_session(where, body, session)
            else:
                fail(where, "a code block of an unknown kind %r: label it c, python, json, sh or nothing" % lang)
    for f in failures:
        print("FAIL:", f)
    print("%d code blocks (%s), %d failures" % (n, ", ".join("%s %d" % kv for kv in sorted(counts.items())),
                                                 len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
