#!/usr/bin/env python3
"""sie_gen.py - test data for the SIE tests (tests/e2e/sie_export.sh).

  sie_gen.py book SEED DIR      a random book in DIR (a new folder): random
                                accounts, activities, funders, earmarks and
                                a year 2025 of entries (costs, income with and
                                without an activity, earmarked costs,
                                reversals), texts with å ä ö, quotes,
                                backslashes and semicolons
  sie_gen.py vouchers N FILE    a SIE 4 file of N balanced vouchers (PC8,
                                dimensions, #KSUMMA by zlib.crc32), for the
                                large-file test; prints the expected total
                                of the cost rows

Everything is decided by the seed, so a failure can be reproduced.
"""
import os
import random
import sys
import zlib
from decimal import Decimal

BOM = "\ufeff"

WORDS = ["Lön", "Hyra", "Konferens", "Utbildning", "Ärende", "Övrigt",
         "Socionom", "Sjuksköterska", "Handledning", "Material", "Resa",
         "Å\u00e9tgärd", "Möte", "Ökning", "Ändring", "Faktura"]
ODD = ['"citat"', "a\\b", "x;y", "50 %", "(del 1)", "Q1–Q2"]


def text(rng):
    n = rng.randint(1, 5)
    parts = [rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.3:
        parts.insert(rng.randint(0, len(parts)), rng.choice(ODD))
    return " ".join(parts)


def csv_field(s):
    if any(c in s for c in ';"\r\n') or s != s.strip():
        return '"' + s.replace('"', '""') + '"'
    return s


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(BOM + ";".join(header) + "\r\n")
        for r in rows:
            f.write(";".join(csv_field(str(x)) for x in r) + "\r\n")


def money(ore):
    s = "-" if ore < 0 else ""
    ore = abs(ore)
    return "%s%d,%02d" % (s, ore // 100, ore % 100)


def book(seed, d):
    rng = random.Random(seed)
    os.makedirs(d)
    opening = rng.randint(0, 5_000_000_00)
    write(os.path.join(d, "organisation.csv"),
          ["Namn", "Kortnamn", "Valuta", "Startdatum",
           "Ingående ackumulerat överskott"],
          [["Testsamverkan %d (Öst–Väst)" % seed, "TEST", "SEK", "2025-01-01",
            money(opening)]])
    funders = ["F%d" % i for i in range(rng.randint(1, 5))]
    write(os.path.join(d, "finansiarer.csv"), ["Kod", "Namn", "Typ", "Invånare"],
          [[f, "Finansiär " + text(rng), "kommun", rng.randint(1000, 90000)]
           for f in funders])
    income = sorted(rng.sample(range(3000, 3999), rng.randint(1, 4)))
    cost = sorted(rng.sample(range(4000, 7999), rng.randint(2, 8)))
    write(os.path.join(d, "konton.csv"), ["Konto", "Namn", "Typ"],
          [[a, "Intäkt " + text(rng), "intäkt"] for a in income] +
          [[a, "Kostnad " + text(rng), "kostnad"] for a in cost])
    acts = ["A%d" % i for i in range(rng.randint(1, 8))]
    write(os.path.join(d, "verksamheter.csv"), ["Kod", "Namn", "Specifikation"],
          [[a, "Verksamhet " + text(rng), rng.choice(["ja", "nej"])]
           for a in acts])
    marks = ["OM-%d" % i for i in range(rng.randint(0, 3))]
    write(os.path.join(d, "oronmarkningar.csv"),
          ["Kod", "Händelse", "Typ", "Ändamål", "Belopp", "Beslutsorgan",
           "Beslutsdatum", "Paragraf", "Giltig från", "Giltig till",
           "Registrerad", "Användare"],
          [[m, "reservera", "reservation", "Ändamål " + text(rng),
            money(rng.randint(100, max(101, opening // 10 // max(1, len(marks))))),
            "Samordningsgruppen", "2025-01-10", "§ %d" % (i + 1), "2025-01-01",
            "2025-12-31", "2025-01-11T08:00:00Z", "testare"]
           for i, m in enumerate(marks)])
    entries, reversed_ = [], set()
    n = rng.randint(5, 150)
    for v in range(1, n + 1):
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        date = "2025-%02d-%02d" % (month, day)
        reg = "2025-%02d-%02dT%02d:00:00Z" % (month, day, rng.randint(6, 18))
        if entries and rng.random() < 0.08:
            # A reversal of an earlier entry (once, and not of a reversal).
            o = rng.choice(entries)
            if o[9] == "" and o[0] not in reversed_ and o[1] <= date:
                reversed_.add(o[0])
                entries.append([v, date, o[2], o[3], o[4], o[5], money(-o[10]),
                                "Rättelse av 2025:%d: %s" % (o[0], o[7]), o[8],
                                "2025:%d" % o[0], -o[10]])
                continue
        amount = rng.randint(-5000_00, 400_000_00) if rng.random() < 0.9 else \
            rng.randint(1, 99)
        if rng.random() < 0.3:
            acc = rng.choice(income)
            act = rng.choice(acts) if rng.random() < 0.3 else ""
            fun = rng.choice(funders)
            mark = ""
        else:
            acc = rng.choice(cost)
            act = rng.choice(acts)
            fun = ""
            mark = rng.choice(marks) if marks and rng.random() < 0.2 else ""
            if mark:
                amount = rng.randint(1, 9999_00)  # a small draw
        doc = "Faktura %d-%04d" % (seed, v) if rng.random() < 0.8 else ""
        entries.append([v, date, acc, act, fun, mark, money(amount), text(rng),
                        doc, "", amount])
    rows = []
    for e in entries:
        reg = "2025-12-31T10:00:00Z"
        src = "reverse" if e[9] else "seed"
        rows.append(e[:10] + [reg, "testare", src, ""])
    write(os.path.join(d, "verifikationer.csv"),
          ["Ver", "Datum", "Konto", "Verksamhet", "Finansiär", "Öronmärkning",
           "Belopp", "Text", "Underlag", "Rättar", "Registrerad", "Användare",
           "Källa", "Fingeravtryck"], rows)
    write(os.path.join(d, "budget.csv"),
          ["År", "Typ", "Kod", "Konto", "Q1", "Q2", "Q3", "Q4", "Prognos",
           "Text"], [])
    write(os.path.join(d, "bokslut.csv"),
          ["År", "Händelse", "Resultat", "Utgående ackumulerat överskott",
           "Antal verifikationer", "Kontrollsumma", "Registrerad", "Användare",
           "Motivering"], [])
    print(money(opening))


def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def vouchers(n, path):
    rng = random.Random(n)
    lines = ["#FLAGGA 0", "#KSUMMA"]
    body = ['#PROGRAM "sie_gen" 1', "#FORMAT PC8", "#GEN 20260115",
            "#SIETYP 4", '#FNAMN "Alingsås kommun"',
            "#RAR 0 20250101 20251231", "#DIM 1 \"Ansvar\"",
            '#DIM 6 "Projekt"', '#OBJEKT 1 "51200" "Vårdsamverkan"',
            '#OBJEKT 6 "SAMLA-SMM" "Socialmedicinsk mottagning"',
            '#OBJEKT 6 "SAMLA-KONF" "Konferens"',
            '#KONTO 2440 "Leverantörsskulder"', '#KONTO 4621 "Köp"',
            '#KONTO 7610 "Konferens"']
    total = 0
    for v in range(1, n + 1):
        ore = rng.randint(-100_00, 100_000_00)
        total += ore
        proj = "SAMLA-SMM" if v % 2 else "SAMLA-KONF"
        acc = "4621" if v % 2 else "7610"
        amt = "%s%d.%02d" % ("-" if ore < 0 else "", abs(ore) // 100, abs(ore) % 100)
        neg = "%s%d.%02d" % ("" if ore < 0 else "-", abs(ore) // 100, abs(ore) % 100)
        body += ['#VER "L" %d 2025%02d%02d %s' % (v, 1 + v % 12, 1 + v % 28,
                                                 q("Rad %d åäö ÅÄÖ \"x\"" % v)),
                 "{",
                 '   #TRANS %s {1 "51200" 6 "%s"} %s' % (acc, proj, amt),
                 "   #TRANS 2440 {} %s" % neg,
                 "}"]
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from sie_verify import tokens
    crc = 0
    for line in body:
        # The same summing as sie_verify.py: label and field contents.
        for kind, s in tokens(line):
            if kind == "w":
                crc = zlib.crc32(s.encode("cp437"), crc)
    lines += body + ["#KSUMMA %d" % crc]
    with open(path, "wb") as f:
        f.write(("\r\n".join(lines) + "\r\n").encode("cp437"))
    print("%s%d,%02d" % ("-" if total < 0 else "", abs(total) // 100, abs(total) % 100))


if __name__ == "__main__":
    if sys.argv[1] == "book":
        book(int(sys.argv[2]), sys.argv[3])
    else:
        vouchers(int(sys.argv[2]), sys.argv[3])
