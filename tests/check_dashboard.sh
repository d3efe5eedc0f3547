#!/bin/sh
# lss dashboard in a real browser: the page is self-contained (no script,
# nothing fetched), headless Chromium renders it to a PNG that is not blank,
# and the DOM Chromium built holds the nine charts and the two tables.
# Usage: check_dashboard.sh LSS WORKDIR
set -u
lss=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
    echo "FAIL: chromium is not installed (scripts/install-deps.sh installs Debian's chromium)"
    exit 1
fi
"$lss" generate --customers 3000 -o co.jsonl || exit 1
"$lss" import co.lss co.jsonl 2> /dev/null || exit 1
"$lss" dashboard co.lss --from 2025-01-01 --to 2026-01-01 --title 'Q&A <GmbH>' -o dash.html || fail "dashboard exited $?"
[ -e dash.html.tmp ] && fail "the temporary file was left"
charts=$(grep -c '<svg class="chart"' dash.html)
[ "$charts" = 9 ] || fail "dash.html has $charts charts, expected 9"
grep -qi '<script' dash.html && fail "dash.html has a script"
grep -Eqi '(src|href)="?(https?:)?//' dash.html && fail "dash.html fetches something"
grep -q '<title>Q&amp;A &lt;GmbH&gt;</title>' dash.html || fail "the title is not escaped"
grep -q 'id="overdue-tasks"' dash.html || fail "no overdue tasks table"

flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --hide-scrollbars --user-data-dir=$work/profile"
# shellcheck disable=SC2086
timeout 120 "$chromium" $flags --window-size=1240,2000 --screenshot="$work/dash.png" "file://$work/dash.html" \
    > chromium.log 2>&1 || fail "chromium --screenshot exited $?: $(tail -3 chromium.log)"
# shellcheck disable=SC2086
timeout 120 "$chromium" $flags --dump-dom "file://$work/dash.html" > dom.html 2> chromium2.log ||
    fail "chromium --dump-dom exited $?: $(tail -3 chromium2.log)"
python3 - "$work/dash.png" "$work/dom.html" <<'PY' || failures=$((failures + 1))
import re, struct, sys, zlib

def pixels(path):
    """The rows of an 8-bit RGB(A) PNG, unfiltered (what Chromium writes)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, color = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    assert depth == 8 and color in (2, 6), (depth, color)
    bpp = 3 if color == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows

w, h, bpp, rows = pixels(sys.argv[1])
assert (w, h) == (1240, 2000), (w, h)
colors, inked = set(), 0
for line in rows[::4]:
    for x in range(0, w * bpp, bpp * 4):
        px = bytes(line[x:x + 3])
        colors.add(px)
        inked += px != b"\xfa\xfa\xfa" and px != b"\xff\xff\xff"
sampled = (h // 4) * (w // 4)
print("png: %dx%d, %d colours, %.1f%% not background" % (w, h, len(colors), 100 * inked / sampled))
assert len(colors) >= 20, "too few colours: a blank or failed render"
assert inked / sampled > 0.05, "almost nothing drawn"
dom = open(sys.argv[2], encoding="utf-8").read()
charts = len(re.findall(r'<svg class="chart"', dom))
bars = len(re.findall(r'<rect class="bar"', dom))
lines = len(re.findall(r'<polyline class="line"', dom))
rows_ = len(re.findall(r"<tr>", dom))
print("dom: %d charts, %d bars, %d lines, %d table rows" % (charts, bars, lines, rows_))
assert charts == 9, charts
assert bars >= 5 + 12 + 5, bars        # funnel, monthly revenue, forecast at least
assert lines >= 6, lines               # quota, win rate, velocity, two SLA targets, CSAT, NPS
assert rows_ >= 3, rows_
PY

# errors: a usage error, a database that is not there, a folder that cannot be written
"$lss" dashboard co.lss --by fortnight > out.txt 2> err.txt; [ $? = 2 ] || fail "--by fortnight did not exit 2"
grep -q '"fortnight" is not day, week, month or quarter' err.txt || fail "--by fortnight: $(cat err.txt)"
"$lss" dashboard missing.lss -o x.html > out.txt 2> err.txt; [ $? = 1 ] || fail "a missing database did not exit 1"
[ -e x.html ] && fail "a failed dashboard left x.html"
"$lss" dashboard co.lss -o /nonexistent/dir/d.html > out.txt 2> err.txt; [ $? = 1 ] || fail "an unwritable -o did not exit 1"
grep -q 'cannot write' err.txt || fail "unwritable -o: $(cat err.txt)"
echo "$failures failures"
[ "$failures" = 0 ]
