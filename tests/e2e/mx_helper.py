#!/usr/bin/env python3
"""mx_helper.py - byte-exact helpers of tests/e2e/write_matrix.sh.

  stored FILE COLUMN [KEY=VALUE ...]
      the raw stored bytes of COLUMN in the last data row of the book file
      FILE (samla's CSV: ';', UTF-8, optional BOM, quoted fields may hold
      line breaks) whose KEY columns equal VALUE; exit 3 when none.
  json-text LABEL
      the "text" cell of the row labelled LABEL in `samla list --format
      json` read from stdin, as UTF-8 bytes; exit 3 when none.
  term-safe FILE
      exit 1 (and say what) when FILE holds a byte a terminal would act on
      or that is not text: ESC, another C0 control than LF and TAB, DEL,
      a C1 control (U+0080..U+009F), a bidirectional embedding, override
      or isolate (U+202A..U+202E, U+2066..U+2069), or invalid UTF-8.
"""
import csv
import io
import json
import sys


def out(b):
    sys.stdout.buffer.write(b)


def stored(path, column, keys):
    with open(path, 'rb') as f:
        data = f.read()
    if data.startswith(b'\xef\xbb\xbf'):
        data = data[3:]
    # surrogateescape: any byte survives, so what is printed is what is
    # stored.
    text = data.decode('utf-8', 'surrogateescape')
    rows = list(csv.reader(io.StringIO(text, newline=''), delimiter=';'))
    head = rows[0]
    col = head.index(column)
    want = [(head.index(k), v) for k, v in (kv.split('=', 1) for kv in keys)]
    for r in reversed(rows[1:]):
        if all(i < len(r) and r[i] == v for i, v in want):
            out(r[col].encode('utf-8', 'surrogateescape'))
            return 0
    return 3


def json_text(label):
    doc = json.load(sys.stdin)
    for t in doc.get('tables', []):
        for r in t.get('rows', []):
            if r.get('label') == label:
                out((r['cells'].get('text') or '').encode('utf-8'))
                return 0
    return 3


def term_safe(path):
    with open(path, 'rb') as f:
        data = f.read()
    try:
        s = data.decode('utf-8')
    except UnicodeDecodeError as e:
        print('invalid UTF-8 at byte %d: %r' % (e.start, data[e.start:e.start + 4]))
        return 1
    for i, ch in enumerate(s):
        cp = ord(ch)
        bad = (cp < 0x20 and ch not in '\n\t') or 0x7F <= cp <= 0x9F or \
            0x202A <= cp <= 0x202E or 0x2066 <= cp <= 0x2069
        if bad:
            print('U+%04X at character %d: %r' % (cp, i, s[max(0, i - 30):i + 10]))
            return 1
    return 0


def main():
    cmd = sys.argv[1]
    if cmd == 'stored':
        return stored(sys.argv[2], sys.argv[3], sys.argv[4:])
    if cmd == 'json-text':
        return json_text(sys.argv[2])
    if cmd == 'term-safe':
        return term_safe(sys.argv[2])
    print('unknown command', cmd, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main())
