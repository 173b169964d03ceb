#!/usr/bin/env python3
"""sie_verify.py - an independent reading of a SIE 4 file, for the tests.

Written apart from samla's C reader and writer (tests/e2e/sie_export.sh):
Python's own cp437 codec decodes the text, zlib.crc32 computes #KSUMMA over
what SIE 4B says is summed (each record's label and the contents of its
fields, without the spaces between them, the quotes around texts or the
braces of object lists, from the record after the opening #KSUMMA up to the
closing one), and decimal.Decimal sums the amounts. It checks that

  - the bytes are code page 437 with CRLF line ends and #FORMAT PC8;
  - #KSUMMA matches;
  - every #VER's #TRANS rows sum to zero;
  - each #UB equals its #IB plus the year's rows on that account, and each
    #RES equals the year's rows on its account;

and prints a summary (vouchers, rows, totals) for the test to compare.
Usage: sie_verify.py FILE.se  -> exit 0 and the summary, or exit 1 with
the first fault.
"""
import sys
import zlib
from decimal import Decimal


def tokens(line):
    """The record's tokens: (kind, text) with kind 'w' (word/string),
    '{' or '}'. Escaped quotes become quotes."""
    out, i, n = [], 0, len(line)
    while i < n:
        c = line[i]
        if c in " \t":
            i += 1
        elif c in "{}":
            out.append((c, c))
            i += 1
        elif c == '"':
            i += 1
            s = []
            while True:
                if i >= n:
                    raise ValueError("unterminated string: " + line)
                if line[i] == "\\" and i + 1 < n and line[i + 1] in '"\\':
                    s.append(line[i + 1])
                    i += 2
                elif line[i] == '"':
                    i += 1
                    break
                else:
                    s.append(line[i])
                    i += 1
            out.append(("w", "".join(s)))
        else:
            j = i
            while j < n and line[j] not in ' \t{}':
                j += 1
            out.append(("w", line[i:j]))
            i = j
    return out


def fail(msg):
    print("sie_verify: " + msg)
    sys.exit(1)


def main(path):
    data = open(path, "rb").read()
    if b"\n" in data.replace(b"\r\n", b""):
        fail("a line ends without CR")
    text = data.decode("cp437")
    lines = text.split("\r\n")
    if lines[-1] == "":
        lines.pop()
    crc, summing, declared = 0, False, None
    fmt = None
    ib, ub, res = {}, {}, {}
    moves = {}
    vouchers, rows = 0, 0
    cur = None
    total_debit = Decimal(0)
    for no, line in enumerate(lines, 1):
        t = tokens(line)
        if not t:
            continue
        label = t[0][1]
        if label == "#KSUMMA":
            if len(t) == 1:
                summing, crc = True, 0
            else:
                declared = int(t[1][1])
                summing = False
            continue
        if summing and t[0][0] == "w":
            for kind, s in t:
                if kind == "w":
                    crc = zlib.crc32(s.encode("cp437"), crc)
        words = [s for k, s in t if k == "w"]
        if label == "#FORMAT":
            fmt = words[1]
        elif label in ("#IB", "#UB", "#RES"):
            target = {"#IB": ib, "#UB": ub, "#RES": res}[label]
            target[words[2]] = Decimal(words[3])
        elif label == "#VER":
            vouchers += 1
            cur = Decimal(0)
        elif label == "}":
            if cur != 0:
                fail("line %d: voucher does not balance (%s)" % (no, cur))
            cur = None
        elif label == "#TRANS":
            rows += 1
            # account, {objects}, amount: the amount is the first word after }
            close = [k for k, _ in t].index("}")
            amount = Decimal(t[close + 1][1])
            cur += amount
            moves[words[1]] = moves.get(words[1], Decimal(0)) + amount
            if amount > 0:
                total_debit += amount
    if fmt != "PC8":
        fail("#FORMAT is %r, not PC8" % fmt)
    if declared is None:
        fail("no closing #KSUMMA")
    if declared != crc:
        fail("#KSUMMA %d, computed %d" % (declared, crc))
    for acc, v in ub.items():
        if ib.get(acc, Decimal(0)) + moves.get(acc, Decimal(0)) != v:
            fail("#UB %s %s != #IB + rows" % (acc, v))
    for acc, v in res.items():
        if moves.get(acc, Decimal(0)) != v:
            fail("#RES %s %s != rows %s" % (acc, v, moves.get(acc)))
    result = -sum(res.values(), Decimal(0))
    print("vouchers %d rows %d debit %s result %s ksumma %d ok" %
          (vouchers, rows, total_debit, result, crc))


if __name__ == "__main__":
    main(sys.argv[1])
