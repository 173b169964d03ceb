#!/bin/sh
# memory.sh - bounded memory (issue 11): the size of an index is bounded by
# the number of rows, not by the values in them. One mistyped voucher
# number (99999999) once made `check` allocate ~800 MB (a dense index per
# year); now it must load in a few MB, with the same messages as any gap.
#
# Measured as the maximum resident size (GNU time's %M) of the optimised
# build ($SAMLA_FAST, default build/samla; the sanitizer build reserves
# memory of its own), against a bound of 64 MB, generous for a book of a
# handful of rows and an order of magnitude under the old 800 MB.
. "$(dirname "$0")/../lib.sh"

FAST=${SAMLA_FAST:-$ROOT/build/samla}
if [ ! -x "$FAST" ]; then
    not_ok "memory: $FAST saknas (kör make)"
    exit 0
fi
if [ ! -x /usr/bin/time ]; then
    not_ok "memory: /usr/bin/time (Debian package time) is installed"
    exit 0
fi
LIMIT_KB=65536

# maxrss BOOK ARGS...: runs samla, leaves stderr in $ERR, status in $RC and
# the maximum resident size in KB in $RSS.
maxrss() {
    book=$1
    shift
    /usr/bin/time -f '%M' -o "$TMPROOT/rss" "$FAST" -f "$book" "$@" >/dev/null 2>"$TMPROOT/err"
    RC=$?
    ERR=$(cat "$TMPROOT/err")
    RSS=$(tail -1 "$TMPROOT/rss")
}

book=$(mktemp -d "$TMPROOT/book.XXXXXX")
cp -R "$ROOT/tests/hostile/base/." "$book/"
maxrss "$book" check
expect_rc 0 "memory: the small book checks"
base=$RSS

# One mistyped number (the largest the reader takes), in two years.
sed -i '2s/^1;/99999999;/' "$book/verifikationer.csv"
printf '99999999;2026-01-20;7690;PROC;;;1,00;Felskrivet nummer;;;2026-01-21T08:00:00Z;testare;seed;\r\n' >>"$book/verifikationer.csv"
maxrss "$book" check
expect_rc 1 "memory: a mistyped voucher number is an error"
expect_err_has "verifikationerna 2025:1–99999998 saknas (nummer får inte hoppas över)" \
    "memory: the gap is reported as any gap"
expect_err_has "verifikationsnummer 2025:2 finns redan eller går bakåt (nästa ska vara 100000000)" \
    "memory: the rows after it are out of sequence"
expect_err_has "verifikationerna 2026:1–99999998 saknas" "memory: in a second year too"
if [ "$RSS" -lt $LIMIT_KB ]; then
    ok "memory: check of a book with voucher 99999999 in two years stays under $LIMIT_KB KB (max RSS $RSS KB; the book alone $base KB)"
else
    not_ok "memory: check stays under $LIMIT_KB KB" "max RSS $RSS KB (the book alone $base KB)"
fi
# A writer refuses the book, within the same bound.
maxrss "$book" add --date 2026-01-15 --account 7690 --activity PROC --amount 5 --text x
expect_rc 1 "memory: add refuses a book with a mistyped voucher number"
if [ "$RSS" -lt $LIMIT_KB ]; then
    ok "memory: add stays under $LIMIT_KB KB (max RSS $RSS KB)"
else
    not_ok "memory: add stays under $LIMIT_KB KB" "max RSS $RSS KB"
fi
