#!/usr/bin/env python3
"""The options of each lss command are the same in `lss COMMAND --help`,
in its section of docs/lss.md and in its entry of docs/lss.1: the help
text is the one source, and this check fails on any option one of the
three names and another does not.

Usage: check_help_docs.py LSS DOCS_DIR"""
import re
import subprocess
import sys

COMMANDS = ["demo", "generate", "import", "export", "report", "check", "checkpoint", "follow", "list", "stats",
            "dashboard", "publish", "replicate"]
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def options(text):
    """The long options a text names (--help, which every command takes, aside)."""
    return set(OPTION.findall(text)) - {"--help"}


def md_sections(text):
    parts = re.split(r"^## lss (\w+).*$", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def man_entries(text):
    text = text.replace("\\-", "-")
    body = text.split(".SH COMMANDS", 1)[1].split(".SH EXIT STATUS", 1)[0]
    entries = {}
    for entry in body.split(".TP\n")[1:]:
        m = re.match(r"\.BR? (\w+)", entry)
        if m:
            entries[m.group(1)] = entry
    return entries


def main():
    lss, docs = sys.argv[1], sys.argv[2]
    md = md_sections(open(f"{docs}/lss.md", encoding="utf-8").read())
    man = man_entries(open(f"{docs}/lss.1", encoding="utf-8").read())
    failures = 0
    for c in COMMANDS:
        help_text = subprocess.run([lss, c, "--help"], capture_output=True, text=True, check=True).stdout
        want = options(help_text)
        for name, sections in (("docs/lss.md", md), ("docs/lss.1", man)):
            if c not in sections:
                print(f"FAIL: {name} has no entry for lss {c}")
                failures += 1
                continue
            got = options(sections[c])
            if got != want:
                print(f"FAIL: lss {c}: {name} lacks {sorted(want - got)}, has beyond --help {sorted(got - want)}")
                failures += 1
    print(f"{len(COMMANDS)} commands, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
