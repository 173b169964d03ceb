#!/usr/bin/python3
"""pdf_fonts - the printed size of every text in a PDF (LibreOffice's print
of a workbook), to check that a sheet is readable on paper.

    pdf_fonts.py FILE.pdf MIN_PT LABEL [PAGES]

Prints TAP-like lines (as tests/lib.sh does): per page (named after the
sheet its footer names) "ok - LABEL: SHEET (page N) prints at >= MIN_PT pt
(smallest X pt)" or "not ok - ..." with the smallest words. With PAGES, also
checks that the PDF has exactly that many pages.

The size of a text is exact, not estimated from a bounding box: the PDF's
content streams are read with the standard library (FlateDecode streams,
the q/Q/cm graphics state, BT/ET, Tf, Tm, Td/TD/T*, and the text-showing
operators Tj TJ ' "), and the size is the font size of Tf scaled by the text
and graphics matrices: Tf x sqrt(|det(Tm x CTM)|). A fitted page (LibreOffice
"fit to width") is scaled this way, so this is the size on paper. Words are
named with poppler's `pdftotext -bbox` (matched by position), and the sheet
of a page by the footer's first word(s) before "Sida".
"""

import math
import re
import subprocess
import sys
import zlib
from html import unescape

# ---- A small PDF object reader ----------------------------------------------


def read_objects(data):
    """Every 'N G obj ... endobj' of the file: {N: (dict_text, stream)}."""
    objs = {}
    for m in re.finditer(rb"(\d+)\s+(\d+)\s+obj\b", data):
        num = int(m.group(1))
        start = m.end()
        end = data.find(b"endobj", start)
        if end < 0:
            continue
        body = data[start:end]
        stream = None
        sm = re.search(rb"stream\r?\n", body)
        if sm:
            head = body[:sm.start()]
            raw = body[sm.end():]
            raw = raw[:raw.rfind(b"endstream")]
            if b"/FlateDecode" in head:
                try:
                    stream = zlib.decompress(raw)
                except zlib.error:
                    stream = zlib.decompressobj().decompress(raw)
            else:
                stream = raw
            body = head
        objs[num] = (body, stream)
    return objs


def refs(text):
    return [int(x) for x in re.findall(rb"(\d+)\s+\d+\s+R", text)]


def pages_in_order(objs):
    """Page object numbers in document order (from the /Pages tree)."""
    root = None
    for num, (body, _) in objs.items():
        if re.search(rb"/Type\s*/Catalog", body):
            m = re.search(rb"/Pages\s+(\d+)\s+\d+\s+R", body)
            root = int(m.group(1)) if m else None
    out = []

    def walk(n):
        body = objs[n][0]
        if re.search(rb"/Type\s*/Pages", body):
            kids = re.search(rb"/Kids\s*\[(.*?)\]", body, re.S)
            for k in refs(kids.group(1)) if kids else []:
                walk(k)
        else:
            out.append(n)
    if root is not None:
        walk(root)
    return out


def page_contents(objs, page):
    body = objs[page][0]
    m = re.search(rb"/Contents\s*(\[.*?\]|\d+\s+\d+\s+R)", body, re.S)
    if not m:
        return b""
    return b"\n".join(objs[r][1] or b"" for r in refs(m.group(1)))


def page_height(objs, page):
    body = objs[page][0]
    m = re.search(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+"
                  rb"([-\d.]+)", body)
    return float(m.group(4)) if m else 842.0


# ---- Content streams ----------------------------------------------------------

TOKEN = re.compile(rb"""
    (?P<ws>\s+|%[^\r\n]*)
  | (?P<num>[+-]?(?:\d+\.?\d*|\.\d+))
  | (?P<name>/[^\s/\[\]()<>{}%]*)
  | (?P<str>\()
  | (?P<hex><[0-9A-Fa-f\s]*>)
  | (?P<dict><<|>>)
  | (?P<arr>[\[\]])
  | (?P<op>[A-Za-z'"*]+)
""", re.X)


def literal_string(data, i):
    """The end of a literal string starting after '(' at i (nesting and
    escapes), and whether it holds anything."""
    depth = 1
    n = 0
    while i < len(data) and depth:
        c = data[i:i + 1]
        if c == b"\\":
            i += 2
            n += 1
            continue
        if c == b"(":
            depth += 1
        elif c == b")":
            depth -= 1
            if not depth:
                break
        n += 1
        i += 1
    return i + 1, n > 0


def mul(a, b):
    """3x3 affine matrices as (a, b, c, d, e, f): a x b."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


IDENT = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def text_runs(content):
    """(size in pt, x, y) of every text-showing operator that shows
    something, in page coordinates (origin bottom left)."""
    out = []
    stack = []
    ctm = IDENT
    tm = tlm = IDENT
    size = 0.0
    leading = 0.0
    operands = []
    i = 0
    n = len(content)
    while i < n:
        m = TOKEN.match(content, i)
        if not m:
            i += 1
            continue
        i = m.end()
        kind = m.lastgroup
        if kind == "ws" or kind == "dict":
            continue
        if kind == "num":
            operands.append(float(m.group(0)))
            continue
        if kind == "name":
            operands.append(m.group(0))
            continue
        if kind == "str":
            i, nonempty = literal_string(content, i)
            operands.append(("str", nonempty))
            continue
        if kind == "hex":
            digits = re.sub(rb"\s", b"", m.group(0)[1:-1])
            operands.append(("str", len(digits) > 0))
            continue
        if kind == "arr":
            operands.append(m.group(0))
            continue
        op = m.group(0)
        nums = [x for x in operands if isinstance(x, float)]
        shows = any(isinstance(x, tuple) and x[1] for x in operands)
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop() if stack else IDENT
        elif op == b"cm" and len(nums) >= 6:
            ctm = mul(tuple(nums[-6:]), ctm)
        elif op == b"BT":
            tm = tlm = IDENT
        elif op == b"Tf" and nums:
            size = nums[-1]
        elif op == b"TL" and nums:
            leading = nums[-1]
        elif op == b"Tm" and len(nums) >= 6:
            tm = tlm = tuple(nums[-6:])
        elif op in (b"Td", b"TD") and len(nums) >= 2:
            if op == b"TD":
                leading = -nums[-1]
            tm = tlm = mul((1, 0, 0, 1, nums[-2], nums[-1]), tlm)
        elif op == b"T*":
            tm = tlm = mul((1, 0, 0, 1, 0, -leading), tlm)
        elif op in (b"Tj", b"TJ", b"'", b'"'):
            if op in (b"'", b'"'):
                tm = tlm = mul((1, 0, 0, 1, 0, -leading), tlm)
            if shows:
                full = mul(tm, ctm)
                scale = math.sqrt(abs(full[0] * full[3] - full[1] * full[2]))
                out.append((abs(size) * scale, full[4], full[5]))
        operands = []
    return out


# ---- Naming words and sheets (pdftotext -bbox) ------------------------------


def words_by_page(path):
    try:
        html = subprocess.run(["pdftotext", "-bbox", path, "-"],
                              check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    pages = []
    for page in re.findall(rb"<page [^>]*>(.*?)</page>", html, re.S):
        ws = []
        for w in re.finditer(rb'<word xMin="([-\d.]+)" yMin="([-\d.]+)" '
                             rb'xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)'
                             rb'</word>', page):
            ws.append((float(w.group(1)), float(w.group(2)),
                       float(w.group(3)), float(w.group(4)),
                       unescape(w.group(5).decode("utf-8"))))
        pages.append(ws)
    return pages


def word_at(words, x, y_top):
    """The word that starts at (x, baseline y measured from the top)."""
    best = None
    for w in words:
        if w[0] - 1.5 <= x <= w[2] and w[1] - 1 <= y_top <= w[3] + 1:
            d = abs(w[0] - x)
            if best is None or d < best[0]:
                best = (d, w[4])
    return best[1] if best else "?"


def sheet_of(words, height):
    """The footer's words before "Sida" (the footer shows the sheet's name
    on the left and "Sida n av N" on the right)."""
    low = sorted((w for w in words if w[1] > height * 0.9),
                 key=lambda w: (round(w[3]), w[0]))
    if not low:
        return "?"
    line = [w for w in low if abs(w[3] - low[-1][3]) < 2]
    name = []
    for w in sorted(line, key=lambda w: w[0]):
        if w[4] == "Sida":
            break
        name.append(w[4])
    return " ".join(name) or "?"


def main(argv):
    path, minimum, label = argv[1], float(argv[2]), argv[3]
    want_pages = int(argv[4]) if len(argv) > 4 else None
    data = open(path, "rb").read()
    objs = read_objects(data)
    pages = pages_in_order(objs)
    words = words_by_page(path)
    failed = 0
    if want_pages is not None:
        if len(pages) == want_pages:
            print("ok - %s prints on %d page%s" % (label, want_pages,
                                                  "s" if want_pages > 1
                                                  else ""))
        else:
            failed += 1
            print("not ok - %s prints on %d pages" % (label, want_pages))
            print("#   it has %d" % len(pages))
    if not pages:
        print("not ok - %s: the PDF has pages" % label)
        return 1
    for k, page in enumerate(pages):
        h = page_height(objs, page)
        runs = text_runs(page_contents(objs, page))
        pw = words[k] if k < len(words) else []
        sheet = sheet_of(pw, h)
        if not runs:
            failed += 1
            print("not ok - %s: %s (page %d) has text" % (label, sheet, k + 1))
            continue
        smallest = min(r[0] for r in runs)
        small = sorted({(round(r[0], 2), word_at(pw, r[1], h - r[2]))
                        for r in runs if r[0] < minimum - 1e-6})
        if small:
            failed += 1
            print("not ok - %s: %s (page %d) prints at >= %g pt"
                  % (label, sheet, k + 1, minimum))
            for size, word in small[:12]:
                print("#   %.2f pt: %s" % (size, word))
        else:
            print("ok - %s: %s (page %d) prints at >= %g pt (smallest "
                  "%.1f pt)" % (label, sheet, k + 1, minimum, smallest))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
