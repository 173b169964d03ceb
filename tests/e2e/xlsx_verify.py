#!/usr/bin/python3
"""xlsx_verify - checks a samla workbook the way a user would see it.

Used by tests/e2e/xlsx.sh. Standard library only (run it with
/usr/bin/python3). Prints TAP-like lines "ok - ..." / "not ok - ..." (with
"#   " detail lines), as tests/lib.sh does.

    xlsx_verify.py budget  SAMLA BOOK ORIG RECALC YEAR [AT|-] [UNIT]
    xlsx_verify.py annual  SAMLA BOOK ORIG RECALC YEAR
    xlsx_verify.py text    RECALC_OR_ORIG SHEET TEXT...
    xlsx_verify.py row-text RECALC_OR_ORIG SHEET LABEL TEXT
    xlsx_verify.py same-cells A.xlsx B.xlsx
    xlsx_verify.py journal-split SAMLA BOOK ORIG RECALC YEAR ROWS

ORIG is the workbook samla wrote; RECALC the copy LibreOffice recalculated
(every formula evaluated again). The checks:
  - no cell in either is an error value (#REF!, #VALUE!, #NAME?, #DIV/0! ...);
  - every formula's recalculated value equals the value samla stored with
    it, and every number cell is unchanged, to the öre;
  - every figure of every sheet equals the tool's own exact value, from
    `samla ... --format json` (or the journal's CSV file), to the öre;
  - the defined names, print settings, frozen panes, number formats, chart
    and document properties are there.
"""

import csv
import datetime
import decimal
import json
import os
import re
import subprocess
import sys
import zipfile
from fractions import Fraction
from xml.etree import ElementTree as ET

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
}
ORE = decimal.Decimal("0.01")
FAILED = 0


def ok(text):
    print("ok - " + text)


def not_ok(text, *details):
    global FAILED
    FAILED += 1
    print("not ok - " + text)
    for d in details[:12]:
        print("#   " + str(d))
    if len(details) > 12:
        print("#   ... and %d more" % (len(details) - 12))


def check(cond, text, *details):
    if cond:
        ok(text)
    else:
        not_ok(text, *details)
    return cond


# ---- Reading a workbook --------------------------------------------------


def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def split_ref(ref):
    m = re.match(r"^\$?([A-Z]+)\$?(\d+)$", ref)
    return int(m.group(2)) - 1, col_index(m.group(1))


def ref_name(row, col):
    s = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return "%s%d" % (s, row + 1)


class Cell:
    __slots__ = ("t", "v", "f", "s")

    def __init__(self, t, v, f, s):
        self.t, self.v, self.f, self.s = t, v, f, s

    def is_number(self):
        return self.t in ("n", None) and self.v is not None

    def is_text(self):
        return self.t in ("s", "str", "inlineStr")

    def text(self):
        return self.v if self.is_text() else None


class Workbook:
    def __init__(self, path):
        self.path = path
        self.z = zipfile.ZipFile(path)
        self.names = set(self.z.namelist())
        wb = ET.fromstring(self.z.read("xl/workbook.xml"))
        rels = ET.fromstring(self.z.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels}
        self.sheet_order = []
        self.sheet_file = {}
        for sh in wb.find("m:sheets", NS):
            name = sh.get("name")
            rid = sh.get("{%s}id" % NS["r"])
            t = target[rid]
            t = t[1:] if t.startswith("/") else "xl/" + t
            self.sheet_order.append(name)
            self.sheet_file[name] = t
        self.defined = {}
        dn = wb.find("m:definedNames", NS)
        if dn is not None:
            for d in dn:
                key = d.get("name")
                if d.get("localSheetId") is not None:
                    key += "@" + d.get("localSheetId")
                self.defined[key] = d.text
        self.strings = []
        if "xl/sharedStrings.xml" in self.names:
            for si in ET.fromstring(self.z.read("xl/sharedStrings.xml")):
                self.strings.append(
                    "".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
        self.numfmt = {}
        self.xf_fmt = []
        st = ET.fromstring(self.z.read("xl/styles.xml"))
        nf = st.find("m:numFmts", NS)
        if nf is not None:
            for f in nf:
                self.numfmt[int(f.get("numFmtId"))] = f.get("formatCode")
        xfs = st.find("m:cellXfs", NS)
        for xf in xfs:
            self.xf_fmt.append(int(xf.get("numFmtId", "0")))
        self._sheets = {}

    def xml(self, name):
        return self.z.read(name).decode("utf-8")

    def sheet_xml(self, sheet):
        return self.xml(self.sheet_file[sheet])

    def cells(self, sheet):
        if sheet in self._sheets:
            return self._sheets[sheet]
        root = ET.fromstring(self.z.read(self.sheet_file[sheet]))
        out = {}
        # A cell's r is optional (ECMA-376 Part 1, 18.3.1.4): without it a
        # cell is the one after the previous cell of its row (samla's own
        # journal rows leave it out where it says nothing new), and a row
        # without r is the one after the previous row.
        cells = []
        row_no = -1
        for row in root.iter("{%s}row" % NS["m"]):
            row_no = int(row.get("r")) - 1 if row.get("r") else row_no + 1
            col = -1
            for c in row.iter("{%s}c" % NS["m"]):
                if c.get("r"):
                    rr, col = split_ref(c.get("r"))
                    if rr != row_no:
                        not_ok("%s: cell %s is in its row %d" % (
                            sheet, c.get("r"), row_no + 1))
                else:
                    col += 1
                cells.append(((row_no, col), c))
        for pos, c in cells:
            t = c.get("t")
            f = c.find("m:f", NS)
            v = c.find("m:v", NS)
            val = v.text if v is not None else None
            if t == "s" and val is not None:
                val = self.strings[int(val)]
            elif t == "inlineStr":
                val = "".join(x.text or "" for x in c.iter("{%s}t" % NS["m"]))
            elif t == "str" and val is None:
                val = ""
            s = c.get("s")
            out[pos] = Cell(
                t, val, f.text if f is not None else None,
                int(s) if s is not None else 0)
        self._sheets[sheet] = out
        return out

    def format_code(self, cell):
        if cell.s >= len(self.xf_fmt):
            return ""
        fid = self.xf_fmt[cell.s]
        return self.numfmt.get(fid, "builtin:%d" % fid)

    def resolve(self, name):
        """A defined name -> (sheet, [(row, col), ...])."""
        ref = self.defined.get(name)
        if ref is None:
            return None, []
        ref = ref.lstrip("=")
        m = re.match(r"^'?(.*?)'?!(\$?[A-Z]+\$?\d+)(?::(\$?[A-Z]+\$?\d+))?$",
                     ref)
        sheet = m.group(1).replace("''", "'")
        r1, c1 = split_ref(m.group(2))
        r2, c2 = split_ref(m.group(3)) if m.group(3) else (r1, c1)
        return sheet, [(r, c) for r in range(r1, r2 + 1)
                       for c in range(c1, c2 + 1)]


# ---- Values ----------------------------------------------------------------


def dec(s):
    return decimal.Decimal(s)


def same_ore(cell_value, exact):
    """A cell's number (text as written in the file) equals an exact
    decimal amount to the öre."""
    v = dec(cell_value)
    return abs(v - dec(exact)) < decimal.Decimal("0.005") and \
        v.quantize(ORE, rounding=decimal.ROUND_HALF_EVEN) == dec(exact)


def same_ratio(cell_value, num, den):
    exact = Fraction(dec(num)) / Fraction(dec(den))
    return abs(Fraction(dec(cell_value)) - exact) <= Fraction(1, 10 ** 9)


def serial_date(v):
    return (datetime.date(1899, 12, 30) +
            datetime.timedelta(days=int(dec(v)))).isoformat()


def samla_json(samla, book, *args):
    out = subprocess.run([samla, "-f", book] + list(args) + ["--format",
                                                             "json"],
                         check=True, capture_output=True)
    return json.loads(out.stdout.decode("utf-8"))


# ---- Workbook against its recalculated copy -------------------------------


def check_errors(wb, label):
    bad = []
    for sheet in wb.sheet_order:
        for (r, c), cell in wb.cells(sheet).items():
            if cell.t == "e":
                bad.append("%s!%s = %s" % (sheet, ref_name(r, c), cell.v))
            elif cell.is_text() and cell.f is not None and cell.v and \
                    cell.v.startswith("#") and cell.v.endswith(("!", "?")):
                bad.append("%s!%s = %s" % (sheet, ref_name(r, c), cell.v))
    check(not bad, "%s: no error values (#REF!, #VALUE!, #NAME?, #DIV/0!)"
          % label, *bad)


def check_recalc(orig, recalc, label):
    """Every formula recalculated equals the value stored with it; every
    number is unchanged."""
    check(orig.sheet_order == recalc.sheet_order,
          "%s: the recalculated copy has the same sheets" % label,
          orig.sheet_order, recalc.sheet_order)
    nform = nnum = 0
    bad = []
    for sheet in orig.sheet_order:
        rc = recalc.cells(sheet) if sheet in recalc.sheet_file else {}
        for pos, cell in orig.cells(sheet).items():
            where = "%s!%s" % (sheet, ref_name(*pos))
            other = rc.get(pos)
            if cell.f is not None:
                nform += 1
                if other is None or other.f is None:
                    bad.append("%s: formula lost" % where)
                    continue
                if cell.t == "str":
                    if (other.v or "") != (cell.v or ""):
                        bad.append("%s: =%s gives %r, stored %r"
                                   % (where, cell.f, other.v, cell.v))
                    continue
                if not other.is_number() or cell.v is None:
                    bad.append("%s: =%s gives %r (%s), stored %r"
                               % (where, cell.f, other.v, other.t, cell.v))
                    continue
                a, b = dec(cell.v), dec(other.v)
                fmt = orig.format_code(cell)
                if "%" in fmt:
                    good = abs(a - b) <= decimal.Decimal("1e-10")
                else:
                    good = same_ore(other.v, a.quantize(ORE))
                if not good:
                    bad.append("%s: =%s recalculates to %s, stored %s"
                               % (where, cell.f, other.v, cell.v))
            elif cell.is_number():
                # libxlsxwriter prints 16 significant digits
                # ("650830.8199999999") and LibreOffice 15 ("650830.82"):
                # both must read as the very same double.
                nnum += 1
                if other is None or not other.is_number() or \
                        float(other.v) != float(cell.v):
                    bad.append("%s: %s became %r" % (where, cell.v,
                                                     other and other.v))
    check(nform > 0 and not bad,
          "%s: all %d formulas recalculate in LibreOffice to the stored "
          "values, %d numbers unchanged" % (label, nform, nnum), *bad)
    return nform


# ---- Workbook against the tool's JSON ---------------------------------------


class Coverage:
    """The number cells of each sheet that some check compared."""

    def __init__(self):
        self.seen = {}

    def mark(self, sheet, pos):
        self.seen.setdefault(sheet, set()).add(pos)

    def check_all(self, wb, sheet, label):
        cells = wb.cells(sheet)
        missing = ["%s!%s = %s" % (sheet, ref_name(*p), c.v)
                   for p, c in sorted(cells.items())
                   if c.is_number() and p not in self.seen.get(sheet, set())]
        check(not missing, "%s: every figure on %s was compared with the "
              "tool's values" % (label, sheet), *missing)


def row_texts(cells, row):
    return {c: cell.v for (r, c), cell in cells.items()
            if r == row and cell.is_text()}


def find_table(cells, table, start, keys=None):
    """The heading row of a JSON table on a sheet: the label heading, then
    the headings of the columns `keys` (default: all) in order, one after
    the other or, with `keys`, further right with blank cells between.
    Returns (row, label_col, {key: sheet column}) or None."""
    cols = [c for c in table["columns"] if keys is None or c["key"] in keys]
    maxrow = max((r for r, _ in cells), default=-1)
    for row in range(start, maxrow + 1):
        texts = row_texts(cells, row)
        for col, t in texts.items():
            if t != table["label_heading"]:
                continue
            at = {}
            c = col
            good = True
            for k in cols:
                c += 1
                if keys is not None:
                    while c <= max(texts) and texts.get(c) in (None, ""):
                        c += 1
                if texts.get(c) != k["heading"]:
                    good = False
                    break
                at[k["key"]] = c
            if good:
                return row, col, at
    return None


def compare_table(wb, sheet, table, start, cov, label, keys=None):
    """Every row and cell of one JSON table against the sheet (only the
    columns `keys` when given: a sheet that shows some of them)."""
    cells = wb.cells(sheet)
    where = find_table(cells, table, start, keys)
    name = table.get("caption") or table["label_heading"]
    if where is None:
        not_ok("%s: table \"%s\" found on %s" % (label, name, sheet))
        return start
    head, lc, colat = where
    bad = []
    n = 0
    for i, row in enumerate(table["rows"]):
        r = head + 1 + i
        if row.get("label") is not None and row["kind"] != "blank":
            got = cells.get((r, lc))
            if got is None or got.text() != row["label"]:
                bad.append("%s: label %r, expected %r"
                           % (ref_name(r, lc), got and got.v, row["label"]))
        if row.get("code") is not None:
            got = cells.get((r, lc - 1))
            if got is None or got.text() != row["code"]:
                bad.append("%s: code %r, expected %r"
                           % (ref_name(r, lc - 1), got and got.v,
                              row["code"]))
        for col in table["columns"]:
            if col["key"] not in colat:
                continue
            pos = (r, colat[col["key"]])
            got = cells.get(pos)
            want = row["cells"].get(col["key"])
            at = "%s (%s / %s)" % (ref_name(*pos), row.get("label"),
                                   col["heading"])
            if want is None:
                if got is not None and got.v not in (None, ""):
                    bad.append("%s: %r, expected empty" % (at, got.v))
                continue
            if got is None or got.v is None:
                bad.append("%s: empty, expected %r" % (at, want))
                continue
            kind = col["kind"]
            if kind == "amount":
                n += 1
                cov.mark(sheet, pos)
                if not got.is_number() or not same_ore(got.v, want):
                    bad.append("%s: %s, exact %s" % (at, got.v, want))
            elif kind == "percent":
                n += 1
                cov.mark(sheet, pos)
                if not got.is_number() or not same_ratio(got.v, want["num"],
                                                        want["den"]):
                    bad.append("%s: %s, exact %s/%s" % (at, got.v,
                                                        want["num"],
                                                        want["den"]))
            elif kind == "date":
                n += 1
                cov.mark(sheet, pos)
                if not got.is_number() or serial_date(got.v) != want:
                    bad.append("%s: %s, expected %s" % (at, got.v, want))
            elif kind == "integer":
                n += 1
                cov.mark(sheet, pos)
                if not got.is_number() or dec(got.v) != dec(want):
                    bad.append("%s: %s, expected %s" % (at, got.v, want))
            else:
                if got.text() != want:
                    bad.append("%s: %r, expected %r" % (at, got.v, want))
    check(not bad, "%s: %s, table \"%s\": all %d figures and every label "
          "equal the tool's exact values" % (label, sheet, name, n), *bad)
    return head + 1 + len(table["rows"])


# The columns of the earmarks report that the annual workbook's earmarks
# sheet leaves out (src/xlsx_annual.c, sheet_earmarks).
EAR_HIDDEN = ("body", "decided", "paragraph")


def compare_report(wb, sheet, rep, cov, label, start=0):
    for t in rep["tables"]:
        start = compare_table(wb, sheet, t, start, cov, label)
    return start


def json_row(rep, table_index, label):
    for row in rep["tables"][table_index]["rows"]:
        if row.get("label") == label:
            return row
    raise KeyError(label)


def json_result_row(rep, table_index=0):
    """The first total row (a result: income - costs)."""
    for row in rep["tables"][table_index]["rows"]:
        if row["kind"] == "total":
            return row
    raise KeyError("total")


def name_values(wb, name):
    sheet, cells = wb.resolve(name)
    if sheet is None:
        return None, []
    sc = wb.cells(sheet)
    return sheet, [(pos, sc.get(pos)) for pos in cells]


def check_name_row(wb, name, row, columns, label, cov=None):
    """A defined name over a row of cells equals a JSON row, column by
    column."""
    sheet, vals = name_values(wb, name)
    if sheet is None:
        return not_ok("%s: defined name %s" % (label, name))
    bad = []
    for (pos, cell), col in zip(vals, columns):
        want = row["cells"].get(col["key"])
        if cov is not None:
            cov.mark(sheet, pos)
        if want is None:
            if cell is not None and cell.v not in (None, ""):
                bad.append("%s: %r, expected empty" % (col["heading"],
                                                       cell.v))
        elif col["kind"] == "percent":
            if cell is None or not same_ratio(cell.v, want["num"],
                                              want["den"]):
                bad.append("%s: %r, exact %s/%s" % (col["heading"],
                                                    cell and cell.v,
                                                    want["num"], want["den"]))
        elif cell is None or not cell.is_number() or \
                not same_ore(cell.v, want):
            bad.append("%s: %r, exact %s" % (col["heading"], cell and cell.v,
                                             want))
    check(len(vals) == len(columns) and not bad,
          "%s: %s (%s) equals the tool's exact values in all %d columns"
          % (label, name, row["label"], len(columns)), *bad)


def check_name_cell(wb, name, exact, label, cov=None):
    sheet, vals = name_values(wb, name)
    if sheet is None or len(vals) != 1 or vals[0][1] is None:
        return not_ok("%s: defined name %s names one filled cell" % (label,
                                                                     name))
    pos, cell = vals[0]
    if cov is not None:
        cov.mark(sheet, pos)
    check(cell.is_number() and same_ore(cell.v, exact),
          "%s: %s = %s, exactly the tool's %s" % (label, name, cell.v, exact),
          "%s!%s holds %r" % (sheet, ref_name(*pos), cell.v))


# ---- XML checks ----------------------------------------------------------------


def check_print(wb, sheet, label, landscape=True, one_page=False):
    """A4, fitted to one page wide and never to the height (as long as it
    needs); with one_page, fitted to one page (the budget sheet)."""
    x = wb.sheet_xml(sheet)
    ps = re.search(r"<pageSetup [^>]*>", x)
    ps = ps.group(0) if ps else ""
    tall = ('fitToHeight' not in ps or 'fitToHeight="1"' in ps) \
        if one_page else 'fitToHeight="0"' in ps
    good = 'paperSize="9"' in ps and tall and \
        ('fitToWidth' not in ps or 'fitToWidth="1"' in ps) and \
        'fitToPage="1"' in x
    if landscape:
        good = good and 'orientation="landscape"' in ps
    check(good, "%s: %s prints on A4%s, %s" %
          (label, sheet, " landscape" if landscape else "",
           "one page" if one_page else "one page wide"), ps, wb.path)
    hf = re.search(r"<oddHeader>(.*?)</oddHeader>", x)
    ft = re.search(r"<oddFooter>(.*?)</oddFooter>", x)
    check(hf and "Rapportdatum" in hf.group(1) and ft and
          "Sida &amp;P av &amp;N" in ft.group(1),
          "%s: %s has a header with the report date and a footer "
          "\"Sida &P av &N\"" % (label, sheet),
          hf and hf.group(1), ft and ft.group(1))
    check('state="frozen"' in x,
          "%s: %s has frozen heading rows" % (label, sheet))
    idx = wb.sheet_order.index(sheet)
    check(("_xlnm.Print_Titles@%d" % idx) in wb.defined,
          "%s: %s repeats its heading row on every printed page"
          % (label, sheet), sorted(wb.defined))


def check_formats(wb, label, want):
    codes = set(wb.numfmt.values())
    missing = [w for w in want if w not in codes]
    check(not missing, "%s: number formats %s" % (label, ", ".join(want)),
          "missing: %s" % missing, "present: %s" % sorted(codes))


def check_props(wb, label, title, org):
    core = ET.fromstring(wb.z.read("docProps/core.xml"))
    app = ET.fromstring(wb.z.read("docProps/app.xml"))
    t = core.findtext("dc:title", namespaces=NS)
    a = core.findtext("dc:creator", namespaces=NS)
    c = core.findtext("dcterms:created", namespaces=NS)
    comp = app.findtext("ep:Company", namespaces=NS)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    want_c = None
    if epoch:
        want_c = datetime.datetime.fromtimestamp(
            int(epoch), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    check(t == title and a == org and comp == org and
          (want_c is None or c == want_c),
          "%s: document properties: title \"%s\", author and company the "
          "organisation, created %s" % (label, title, c),
          "title=%r creator=%r company=%r created=%r (want %r)"
          % (t, a, comp, c, want_c))


def org_name(book):
    with open(os.path.join(book, "organisation.csv"), encoding="utf-8-sig") \
            as f:
        rows = list(csv.reader(f, delimiter=";"))
    return rows[1][rows[0].index("Namn")]


# ---- The budget workbook -----------------------------------------------------


BOARD_KEYS = ["budget", "budget_to_date", "to_date", "deviation_to_date",
              "forecast", "deviation", "pct", "comment"]
BOARD_FIGURES = BOARD_KEYS[:-1]
EARMARK_KEYS = ["decided", "drawn_year", "drawn", "remaining", "decision"]


def json_table(rep, caption):
    for t in rep["tables"]:
        if t["caption"] == caption:
            return t
    raise KeyError(caption)


def cmd_budget(samla, book, orig_p, recalc_p, year, at=None, unit="tkr",
               by=None):
    orig, recalc = Workbook(orig_p), Workbook(recalc_p)
    label = os.path.basename(orig_p)
    check_errors(orig, label + " (as written)")
    check_errors(recalc, label + " (recalculated)")
    check_recalc(orig, recalc, label)

    at = None if at in (None, "-") else at
    by = None if by in (None, "-") else by
    args = ["budget", year] + (["--at", at] if at else []) + \
        (["--by", by] if by else [])
    rep = samla_json(samla, book, *args)
    periods = [c["key"] for c in json_table(rep, "Budgetuppföljning")
               ["columns"] if re.match(r"^[qtm]\d+$", c["key"])]
    per = {"q": "kvartal", "t": "tertial", "m": "månad"}[periods[0][0]]
    sheet = "Budget %s" % year
    detail = "Utfall per %s %s" % (per, year)
    want = [sheet, "Diagram %s" % year, detail, "Om arbetsboken"]
    check(recalc.sheet_order == want, "%s: sheets %s" % (label, ", ".join(
        want)), recalc.sheet_order)
    lbl = label + " recalculated"
    cov = Coverage()
    # The page the group reads: the follow-up without the period columns,
    # with the comments; each earmark with its decision in the comments'
    # column; the surplus split.
    follow = json_table(rep, "Budgetuppföljning")
    end = compare_table(recalc, sheet, follow, 0, cov, lbl, BOARD_KEYS)
    end = compare_table(recalc, sheet, json_table(rep, "Öronmärkta medel"),
                        end, cov, lbl, EARMARK_KEYS)
    compare_table(recalc, sheet, json_table(rep, "Ackumulerat överskott"),
                  end, cov, lbl)
    cov.check_all(recalc, sheet, lbl)
    # The outcome of every period on the next sheet (no comments there).
    compare_table(recalc, detail, follow, 0, cov, lbl,
                  [c["key"] for c in follow["columns"]
                   if c["key"] != "comment"])
    cov.check_all(recalc, detail, lbl)
    # Warnings are on the page; the definitions on "Om arbetsboken".
    texts = [c.v for c in recalc.cells(sheet).values() if c.is_text()]
    about = " ".join(c.v for c in recalc.cells("Om arbetsboken").values()
                     if c.is_text())
    warnings = [n["text"] for n in rep["notes"] if n["kind"] == "warning"]
    infos = [n["text"] for n in rep["notes"] if n["kind"] == "info"]
    joined = " ".join(texts)
    # The date of the follow-up (the book's reported-through date unless
    # --at asked for another) is the report's subtitle's, on the page.
    check(rep["subtitle"] in texts,
          "%s: the page's subtitle is the follow-up's: %s" % (
              lbl, rep["subtitle"]), *[t for t in texts if "t.o.m." in t][:3])
    check(all(w in joined or w.replace(" ", "") in joined.replace(" ", "")
              for w in warnings),
          "%s: the follow-up's %d warnings are on the page" % (
              lbl, len(warnings)), *warnings)
    check(infos and all(i.split(" ")[0] in about for i in infos) and
          "formler" in about and "15 värdesiffror" in about and
          not any("formler" in t for t in texts),
          "%s: formulas and exactness are explained on \"Om arbetsboken\", "
          "not on the page" % lbl)

    # The figures the coordination group looks at first, by name.
    cols = [c for c in follow["columns"] if c["key"] in BOARD_FIGURES]
    check_name_row(recalc, "Intakter_totalt",
                   json_row(rep, 0, "Summa intäkter"), cols, label)
    check_name_row(recalc, "Kostnader_totalt",
                   json_row(rep, 0, "Summa kostnader"), cols, label)
    check_name_row(recalc, "Resultat_%s" % year, json_result_row(rep), cols,
                   label)
    # ... and they are live formulas.
    for name in ("Intakter_totalt", "Kostnader_totalt", "Resultat_%s" % year):
        sheet_n, vals = name_values(orig, name)
        consts = [ref_name(*p) for p, c in vals
                  if c is not None and c.v not in (None, "") and c.f is None]
        check(vals and not consts, "%s: %s are formulas" % (label, name),
              *consts)
    rows = json_table(rep, "Ackumulerat överskott")["rows"]
    for name, row in (("Overskott_ackumulerat", rows[0]),
                      ("Oronmarkt", rows[1]), ("Bundna_bidrag", rows[2]),
                      ("Ej_oronmarkt", rows[-1])):
        check_name_cell(recalc, name, row["cells"]["amount"], label)

    # In tkr (the default) the page the group reads is one page; in kr its
    # figures are wider, and it continues on a second page rather than
    # print below 8 pt.
    check_print(orig, sheet, label, one_page=(unit == "tkr"))
    check_print(orig, detail, label)
    check_formats(orig, label, [{"tkr": "[$-41D][Red][<=-500]#,##0,;[>=500]#,##0,;#,##0,",
                                 "kr": "[$-41D]#,##0.00;[Red]-#,##0.00"}[unit],
                                "[$-41D]0.0%;[Red]-0.0%"])
    check_props(orig, label, "Budget och uppföljning %s" % year,
                org_name(book))
    chart = "xl/charts/chart1.xml" in orig.names
    cx = orig.xml("xl/charts/chart1.xml") if chart else ""
    # A column chart: its legend lists the series left to right in the
    # order the columns stand (a horizontal bar chart's legend runs against
    # its bars in LibreOffice or in Excel).
    names = re.findall(r"<c:tx><c:strRef><c:f>([^<]*)</c:f>", cx)
    check(chart and "<c:barDir val=\"col\"/>" in cx and
          "Budget %s" % year in cx and cx.count("<c:ser>") == 3 and
          len(names) == 3,
          "%s: a column chart of budget, outcome and forecast per activity "
          "(xl/charts/chart1.xml) reads the budget sheet" % label, names)
    heads = []
    cells = recalc.cells(sheet)
    for n in names:
        m = re.match(r"^'?(.*?)'?!\$([A-Z]+)\$(\d+)$", n)
        if m:
            c = cells.get((int(m.group(3)) - 1, col_index(m.group(2))))
            heads.append(c.v if c else None)
    check(heads == ["Budget helår", "Utfall t.o.m.", "Prognos helår"],
          "%s: the chart's series (and legend), in order: %s" % (
              label, ", ".join(str(h) for h in heads)))


# ---- The annual accounts workbook -----------------------------------------------


def journal_rows(book, year):
    """The journal of `year` from the book's CSV files, in voucher order."""
    def read(name):
        with open(os.path.join(book, name), encoding="utf-8-sig",
                  newline="") as f:
            rows = list(csv.reader(f, delimiter=";"))
        return [dict(zip(rows[0], r)) for r in rows[1:] if r]
    kinds = {a["Konto"]: a["Typ"] for a in read("konton.csv")}
    names = {a["Konto"]: a["Namn"] for a in read("konton.csv")}
    out = []
    for e in read("verifikationer.csv"):
        if e["Datum"][:4] != str(year):
            continue
        # A stored text that begins with an apostrophe reads back without
        # it (the formula-safe form, docs/file-formats.md).
        for k in ("Text", "Underlag", "Användare"):
            if e.get(k, "").startswith("'"):
                e[k] = e[k][1:]
        e["_kind"] = kinds[e["Konto"]]
        e["_accname"] = names[e["Konto"]]
        e["_amount"] = dec(e["Belopp"].replace(",", ".").replace(" ", ""))
        out.append(e)
    out.sort(key=lambda e: int(e["Ver"]))
    return out


JHEAD = ["Ver", "Datum", "Konto", "Kontonamn", "Verksamhet", "Finansiär",
         "Öronmärkning", "Intäkt", "Kostnad", "Text", "Underlag", "Rättar",
         "Registrerad av"]


def check_journal(wb, book, year, label, cov, sheets):
    """The journal sheets against verifikationer.csv, row by row; the totals
    row of each sheet is the sum of its rows."""
    want = journal_rows(book, year)
    got = []
    bad = []
    for sheet in sheets:
        cells = wb.cells(sheet)
        head = None
        for r in range(0, 12):
            if [row_texts(cells, r).get(c) for c in range(len(JHEAD))] == \
                    JHEAD:
                head = r
                break
        if head is None:
            not_ok("%s: %s has the journal's heading row" % (label, sheet))
            continue
        x = wb.sheet_xml(sheet)
        last = max(r for r, _ in cells)
        check('<autoFilter ref="A%d:M%d"' % (head + 1, last + 1) in x,
              "%s: %s has an autofilter over the heading and all rows"
              % (label, sheet), re.findall(r"<autoFilter[^>]*>", x))
        inc = cost = decimal.Decimal(0)
        n = 0
        for r in range(head + 1, last + 1):
            row = {JHEAD[c]: cells.get((r, c)) for c in range(len(JHEAD))}
            got.append((sheet, r, row))
            for c in range(len(JHEAD)):
                if cells.get((r, c)) is not None and \
                        cells[(r, c)].is_number():
                    cov.mark(sheet, (r, c))
            if row["Intäkt"] is not None and row["Intäkt"].v:
                inc += dec(row["Intäkt"].v)
            if row["Kostnad"] is not None and row["Kostnad"].v:
                cost += dec(row["Kostnad"].v)
            n += 1
        tr = head - 1
        ti, tc = cells.get((tr, 7)), cells.get((tr, 8))
        cov.mark(sheet, (tr, 7))
        cov.mark(sheet, (tr, 8))
        check(ti is not None and tc is not None and ti.f and tc.f and
              same_ore(ti.v, inc.quantize(ORE)) and
              same_ore(tc.v, cost.quantize(ORE)),
              "%s: %s's totals (SUBTOTAL over the filtered rows) are the "
              "sums of its %d rows" % (label, sheet, n),
              "income %r / %s, costs %r / %s" % (ti and ti.v, inc,
                                                  tc and tc.v, cost))
    if len(got) != len(want):
        bad.append("%d rows on the sheets, %d in the journal"
                   % (len(got), len(want)))
    for (sheet, r, row), e in zip(got, want):
        def txt(k):
            c = row[k]
            return c.text() if c is not None and c.text() is not None else ""

        def num(k):
            c = row[k]
            return dec(c.v) if c is not None and c.is_number() else None
        at = "%s!row %d (ver %s)" % (sheet, r + 1, e["Ver"])
        checks = [
            ("Ver", num("Ver") == dec(e["Ver"])),
            ("Datum", row["Datum"] is not None and row["Datum"].is_number()
             and serial_date(row["Datum"].v) == e["Datum"]),
            ("Konto", txt("Konto") == e["Konto"]),
            ("Kontonamn", txt("Kontonamn") == e["_accname"]),
            ("Verksamhet", txt("Verksamhet") == e["Verksamhet"]),
            ("Finansiär", txt("Finansiär") == e["Finansiär"]),
            ("Öronmärkning", txt("Öronmärkning") == e["Öronmärkning"]),
            ("Text", txt("Text") == e["Text"]),
            ("Underlag", txt("Underlag") == e["Underlag"]),
            ("Rättar", txt("Rättar") == e["Rättar"]),
            ("Registrerad av", txt("Registrerad av") ==
             " ".join(x for x in (e["Registrerad"], e["Användare"]) if x)),
        ]
        col = "Intäkt" if e["_kind"] == "intäkt" else "Kostnad"
        other = "Kostnad" if col == "Intäkt" else "Intäkt"
        v = num(col)
        checks.append((col, v is not None and
                       same_ore(row[col].v, e["_amount"].quantize(ORE))))
        checks.append((other, row[other] is None))
        for k, good in checks:
            if not good:
                c = row.get(k)
                bad.append("%s %s: %r, journal %r" % (at, k, c and c.v,
                                                      e.get(k, e["_amount"])))
    check(not bad, "%s: the journal sheets hold all %d entries of %s, each "
          "field equal to verifikationer.csv" % (label, len(want), year),
          *bad)
    return got


def journal_sheets(wb):
    return [s for s in wb.sheet_order if s.startswith("Verifikationer")]


def cmd_annual(samla, book, orig_p, recalc_p, year):
    orig, recalc = Workbook(orig_p), Workbook(recalc_p)
    label = os.path.basename(orig_p)
    check_errors(orig, label + " (as written)")
    check_errors(recalc, label + " (recalculated)")
    check_recalc(orig, recalc, label)

    long_names = [s for s in orig.sheet_order if len(s) > 31]
    check(not long_names, "%s: every sheet name fits Excel's 31 characters"
          % label, *long_names)
    specs = []
    with open(os.path.join(book, "verksamheter.csv"), encoding="utf-8-sig") \
            as f:
        for a in csv.DictReader(f, delimiter=";"):
            if a["Specifikation"].strip().lower() == "ja":
                specs.append(a["Kod"])
    spec_sheets = {code: [s for s in orig.sheet_order
                          if s.startswith(code + " ")] for code in specs}
    expected = ["Resultaträkning", "Kvartal", "Finansiärer", "Verksamheter",
                "Eget kapital och öronmärkning", "Öronmärkta medel"]
    expected += [spec_sheets[c][0] for c in specs if spec_sheets[c]]
    expected += journal_sheets(orig)
    check(orig.sheet_order == expected and
          all(len(v) == 1 for v in spec_sheets.values()),
          "%s: sheets %s" % (label, ", ".join(orig.sheet_order)),
          "expected %s" % expected)

    cov = Coverage()
    lbl = label + " recalculated"
    res = samla_json(samla, book, "result", year)
    heads = [c["heading"] for c in res["tables"][0]["columns"]]
    check(heads == ["Budget %s" % year, "Utfall %s" % year, "Avvikelse",
                    "Utfall %d" % (int(year) - 1)],
          "%s: the income statement has budget, outcome, deviation and the "
          "previous year's outcome" % lbl, heads)
    check(res["subtitle"].endswith("per %s-12-31" % year),
          "%s: the income statement is per %s-12-31" % (lbl, year),
          res["subtitle"])
    compare_report(recalc, "Resultaträkning", res, cov, lbl)
    p = ["--period", year, "--by", "quarter"]
    for sheet, rows in (("Kvartal", "account"), ("Finansiärer", "funder"),
                        ("Verksamheter", "activity")):
        rep = samla_json(samla, book, "balance", *p, "--rows", rows)
        compare_report(recalc, sheet, rep, cov, lbl)
    sur = samla_json(samla, book, "surplus", "--at", year)
    ear = samla_json(samla, book, "earmarks", "--at", year)
    compare_report(recalc, "Eget kapital och öronmärkning", sur, cov, lbl)
    # The earmarks sheet leaves each earmark's decision out (the equity
    # note names it, checked below); every other column is compared.
    start = 0
    for t in ear["tables"]:
        keys = [c["key"] for c in t["columns"] if c["key"] not in EAR_HIDDEN]
        start = compare_table(recalc, "Öronmärkta medel", t, start, cov, lbl,
                              keys)
    for code in specs:
        if spec_sheets[code]:
            rep = samla_json(samla, book, "activity", code, *p)
            compare_report(recalc, spec_sheets[code][0], rep, cov, lbl)

    # Names: the income statement and the equity note.
    total = json_result_row(res)
    check_name_cell(recalc, "Resultat_%s" % year, total["cells"]["amount"],
                    lbl, cov)
    check_name_cell(recalc, "Intakter_totalt",
                    json_row(res, 0, "Summa intäkter")["cells"]["amount"],
                    lbl, cov)
    check_name_cell(recalc, "Kostnader_totalt",
                    json_row(res, 0, "Summa kostnader")["cells"]["amount"],
                    lbl, cov)
    yrow = json_row(sur, 0, year)["cells"]
    check_name_cell(recalc, "Eget_kapital_ingaende_%s" % year,
                    yrow["opening"], lbl, cov)
    check_name_cell(recalc, "Eget_kapital_utgaende_%s" % year,
                    yrow["closing"], lbl, cov)
    free = json_result_row(ear, 1)
    # "Öronmärkt" is the reservations alone in every view; the bound
    # grants have their own name when the year has any.
    earmarked = json_row(ear, 1, "Varav öronmärkt (beslut om reservation)")
    check_name_cell(recalc, "Oronmarkt_%s" % year,
                    earmarked["cells"]["amount"], lbl, cov)
    bound = json_row(ear, 1, "Varav bundna bidrag (ej förbrukat)")
    if any(r.get("cells", {}).get("type") == "bidrag"
           for r in ear["tables"][0]["rows"]):
        check_name_cell(recalc, "Bundna_bidrag_%s" % year,
                        bound["cells"]["amount"], lbl, cov)
    else:
        check(recalc.resolve("Bundna_bidrag_%s" % year)[0] is None and
              bound["cells"]["amount"] in ("0", "0.00"),
              "%s: no bound grant in %s, no Bundna_bidrag_%s" %
              (lbl, year, year))
    check_name_cell(recalc, "Ej_oronmarkt_%s" % year,
                    free["cells"]["amount"], lbl, cov)
    # The rest of the note: the year's result and each earmark's remainder.
    note = recalc.cells("Eget kapital och öronmärkning")
    bad = []
    n = 0
    for (r, c), cell in note.items():
        if not cell.is_text():
            continue
        val = note.get((r, c + 1)) if c == 1 else None
        if cell.v == "Årets resultat" and val is not None and \
                val.is_number():
            n += 1
            cov.mark("Eget kapital och öronmärkning", (r, c + 1))
            if not same_ore(val.v, yrow["result"]):
                bad.append("Årets resultat %s, exact %s" % (val.v,
                                                            yrow["result"]))
    for row in ear["tables"][0]["rows"]:
        if row["kind"] != "line":
            continue
        hits = [(r, c) for (r, c), cell in note.items()
                if c == 0 and cell.text() == row["code"]]
        for r, c in hits:
            n += 1
            # The decision the earmarks sheet leaves out is in the label.
            lab = note.get((r, 1))
            cells_ = row["cells"]
            parts = [cells_.get("body"), cells_.get("decided"),
                     cells_.get("paragraph")]
            if lab is None or not all(p in lab.text() for p in parts if p):
                bad.append("%s: label %r lacks the decision %r" % (
                    row["code"], lab and lab.v, parts))
            val = note.get((r, 2))
            cov.mark("Eget kapital och öronmärkning", (r, 2))
            if val is None or not same_ore(val.v, row["cells"]["remaining"]):
                bad.append("%s %r, exact %s" % (row["code"], val and val.v,
                                                row["cells"]["remaining"]))
    check(n >= 1 and not bad, "%s: the equity note's result and earmarks "
          "(%d figures) equal the tool's exact values" % (lbl, n), *bad)

    # The headline: the year's result equals what `samla result YEAR --unit
    # kr` prints, in its Swedish form.
    out = subprocess.run([samla, "-f", book, "result", year, "--unit", "kr"],
                         check=True, capture_output=True).stdout.decode()
    # The outcome column follows the budget: the second figure of the line.
    m = re.search(r"Årets resultat\s+\S+(?:\u00a0\d{3})*,\d{2}\s+"
                  r"(\S+(?:\u00a0\d{3})*,\d{2})", out)
    printed = None
    if m:
        printed = m.group(1).replace("\u2212", "-").replace("\u00a0", "") \
            .replace(",", ".")
    _, vals = name_values(recalc, "Resultat_%s" % year)
    cellv = vals[0][1].v if vals and vals[0][1] is not None else None
    check(printed is not None and cellv is not None and
          same_ore(cellv, printed),
          "%s: Resultat_%s recalculated = %s = `samla result %s --unit kr` "
          "(%s)" % (lbl, year, cellv, year, m and m.group(1)))

    check_journal(recalc, book, int(year), lbl, cov, journal_sheets(recalc))
    for sheet in recalc.sheet_order:
        cov.check_all(recalc, sheet, lbl)

    for sheet in ("Resultaträkning", "Kvartal", "Verifikationer"):
        check_print(orig, sheet, label, landscape=(sheet != "Resultaträkning"))
    check_formats(orig, label, ["[$-41D]#,##0.00;[Red]-#,##0.00",
                                "[$-41D]0.0%;[Red]-0.0%", "yyyy-mm-dd"])
    check_props(orig, label, "Årsbokslut %s" % year, org_name(book))
    names = [n for n in orig.defined if not n.startswith("_xlnm")]
    check(all(re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", n) for n in names) and
          "Verifikationer_%s" % year in names,
          "%s: defined names %s" % (label, ", ".join(sorted(names))))


# ---- Smaller checks ----------------------------------------------------------


def cmd_text(path, sheet, texts):
    """Each text is in a string cell of the sheet, never a formula."""
    wb = Workbook(path)
    label = os.path.basename(os.path.dirname(path)) + "/" + \
        os.path.basename(path)
    cells = wb.cells(sheet)
    for t in texts:
        hits = [(p, c) for p, c in cells.items() if c.v == t]
        check(hits and all(c.is_text() and c.f is None for _, c in hits),
              "%s: %r is a text cell, not a formula" % (label, t),
              *["%s t=%s f=%r" % (ref_name(*p), c.t, c.f) for p, c in hits])


def cmd_row_text(path, sheet, label, text):
    """The row of the sheet whose text cell is LABEL holds TEXT in a text
    cell of its own (a comment beside its budget line), never a formula."""
    wb = Workbook(path)
    name = os.path.basename(path)
    cells = wb.cells(sheet)
    rows = sorted(p[0] for p, c in cells.items()
                  if c.is_text() and c.v == label)
    hits = [((r, c), cell) for (r, c), cell in cells.items()
            if rows and r == rows[0] and cell.v == text]
    check(len(rows) == 1 and hits and
          all(c.is_text() and c.f is None for _, c in hits),
          "%s: %s row %r holds the text %r" % (name, sheet, label, text),
          "rows labelled so: %s" % [r + 1 for r in rows],
          "that row: %s" % sorted((ref_name(*p), c.v) for p, c in
                                  cells.items() if rows and p[0] == rows[0]))


def cmd_same_cells(a_p, b_p):
    """Two workbooks hold the same sheets, values and formulas (e.g. one
    written in constant-memory mode, with inline strings)."""
    a, b = Workbook(a_p), Workbook(b_p)
    bad = []
    if a.sheet_order != b.sheet_order:
        bad.append("sheets %s / %s" % (a.sheet_order, b.sheet_order))
    for sheet in a.sheet_order:
        if sheet not in b.sheet_file:
            continue
        ca, cb = a.cells(sheet), b.cells(sheet)
        for pos in sorted(set(ca) | set(cb)):
            x, y = ca.get(pos), cb.get(pos)
            vx = (x.v if x else None, x.f if x else None,
                  x.is_text() if x else None)
            vy = (y.v if y else None, y.f if y else None,
                  y.is_text() if y else None)
            if vx != vy and not (vx[0] in (None, "") and vy[0] in (None, "")
                                 and vx[1] == vy[1]):
                bad.append("%s!%s: %r / %r" % (sheet, ref_name(*pos), vx, vy))
    check(not bad, "%s and %s hold the same cells" %
          (os.path.basename(a_p), os.path.basename(b_p)), *bad)


def cmd_journal_split(samla, book, orig_p, recalc_p, year, rows):
    orig, recalc = Workbook(orig_p), Workbook(recalc_p)
    label = os.path.basename(orig_p)
    check_errors(recalc, label + " (recalculated)")
    check_recalc(orig, recalc, label)
    sheets = journal_sheets(recalc)
    n = len(journal_rows(book, year))
    rows = int(rows)
    want = (n + rows - 1) // rows
    names = ["Verifikationer"] + ["Verifikationer %d" % i
                                  for i in range(2, want + 1)]
    check(sheets == names, "%s: %d entries at %d a sheet continue on %s"
          % (label, n, rows, ", ".join(names)), sheets)
    cov = Coverage()
    check_journal(recalc, book, int(year), label, cov, sheets)
    for s in sheets:
        cov.check_all(recalc, s, label)


def main(argv):
    mode = argv[1]
    if mode == "budget":
        cmd_budget(*argv[2:])
    elif mode == "annual":
        cmd_annual(*argv[2:])
    elif mode == "text":
        cmd_text(argv[2], argv[3], argv[4:])
    elif mode == "row-text":
        cmd_row_text(argv[2], argv[3], argv[4], argv[5])
    elif mode == "same-cells":
        cmd_same_cells(argv[2], argv[3])
    elif mode == "journal-split":
        cmd_journal_split(*argv[2:])
    else:
        print("not ok - xlsx_verify: unknown mode %s" % mode)
        return 2
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
