#!/usr/bin/env python3
"""tests/e2e/quarter_paths.py - drivers for tests/e2e/quarter_paths.sh.

  dialog SAMLA BOOK FACTS.csv  enter the quarter's facts through the
                               dialog of `samla quarter 2026Q1` on a
                               pseudo-terminal, reopening SMM (line 4) in
                               the review; prints the session and
                               "EXIT n LEFT n"
  form PAGE.html FACTS.csv     the form post a browser sends for the facts:
                               each row's fields as typed, the earmark
                               select left as the page preselected it when
                               the fact names none
  save PAGE.html               the hidden fields of the summary page's save
                               form (what "Spara kvartalet" posts)
"""
import csv, html, os, pty, re, select, sys, time, urllib.parse

# The example's 2026 budget lines in dialog order, with their index in
# budget.csv (the web form's field numbers).
LINES = [("k", "PROC", 16), ("k", "REGSAM", 17), ("k", "KOMM", 18),
         ("k", "SMM", 19), ("k", "FACT", 20), ("k", "MHFA", 21),
         ("k", "GEM", 22), ("i", "STATEN", 12), ("i", "HSNV", 13),
         ("i", "LERUM", 14), ("i", "ALINGSAS", 15)]


def facts(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def rows_of(rows, kind, code):
    if kind == "k":
        return [r for r in rows if r["Verksamhet"] == code and not r["Finansiär"]]
    return [r for r in rows if r["Finansiär"] == code]


def line_answers(rows, kind, code):
    a = []
    for r in rows_of(rows, kind, code):
        a += [("belopp: ", r["Belopp"]), ("Konto [", r["Konto"]),
              ("Text [", r["Text"]), ("Underlag: ", r["Underlag"]),
              ("Öronmärkning [", r["Öronmärkning"])]
    return a + [("belopp: ", "")]


def dialog(samla, book, path):
    rows = facts(path)
    answers = []
    for kind, code, _ in LINES:
        answers += line_answers(rows, kind, code)
    answers += [("vidare: ", "4")] + line_answers(rows, "k", "SMM")
    answers += [("vidare: ", ""), ("Spara? [j/N] ", "j")]
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(samla, [samla, "-f", book, "quarter", "2026Q1"])
    buf, out, deadline = b"", b"", time.time() + 120
    while True:
        r, _, _ = select.select([fd], [], [], 1)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            buf += data
            out += data
        text = buf.decode("utf-8", "replace")
        if answers and answers[0][0] in text and text.endswith((": ", "] ")):
            os.write(fd, (answers.pop(0)[1] + "\n").encode())
            buf = b""
        if time.time() > deadline:
            os.kill(pid, 9)
            break
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(out.decode("utf-8", "replace"))
    sys.stdout.write("\nEXIT %d LEFT %d\n" % (os.waitstatus_to_exitcode(status), len(answers)))


def selected(page, name):
    m = re.search(r'<select id="%s" name="%s"[^>]*>(.*?)</select>' % (name, name), page, re.S)
    if not m:
        return None
    s = re.search(r'<option value="([^"]*)" selected>', m.group(1))
    return html.unescape(s.group(1)) if s else None


def hidden_field(page, name):
    m = re.search(r'name="%s" value="([^"]*)"' % name, page)
    return html.unescape(m.group(1)) if m else ""


def form(page_path, path):
    page = open(page_path, encoding="utf-8").read()
    rows = facts(path)
    f = [("csrf", hidden_field(page, "csrf")), ("inskick", hidden_field(page, "inskick")),
         ("kvartal", "2026Q1"), ("steg", "granska")]
    for kind, code, idx in LINES:
        f.append(("rad%d" % idx, "%s:%s:" % (kind, code)))
        for k, r in enumerate(rows_of(rows, kind, code)):
            sfx = "%d" % idx if k == 0 else "%d_%d" % (idx, k)
            em = r["Öronmärkning"]
            if not em:
                em = selected(page, "om" + sfx)
                if em is None:
                    sys.exit("the page has no earmark field om%s" % sfx)
            f += [("belopp" + sfx, r["Belopp"]), ("konto" + sfx, r["Konto"]),
                  ("text" + sfx, r["Text"]), ("underlag" + sfx, r["Underlag"]),
                  ("om" + sfx, em)]
    sys.stdout.write(urllib.parse.urlencode(f))


def save(page_path):
    page = open(page_path, encoding="utf-8").read()
    m = re.search(r'<form[^>]*action="/kvartal/spara".*?</form>', page, re.S)
    if not m:
        sys.exit("no save form on the page")
    f = [(html.unescape(n), html.unescape(v)) for n, v in
         re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', m.group(0))]
    sys.stdout.write(urllib.parse.urlencode(f))


if __name__ == "__main__":
    {"dialog": lambda: dialog(*sys.argv[2:5]), "form": lambda: form(*sys.argv[2:4]),
     "save": lambda: save(sys.argv[2])}[sys.argv[1]]()
