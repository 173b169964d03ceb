#!/bin/sh
# tests/e2e/messages.sh - the messages a careless user meets (issue 12,
# item 7), in every path that reads the same thing:
#  - a stray letter in an amount is named as such, with its column, before
#    any rule about thousands groups: "ogiltigt tecken 'O' i kolumn 6" in
#    the quarter dialog, `quarter --from`, the web form and `add`;
#  - U+2009 (thin space) separates thousands, as docs/file-formats.md says;
#  - an unknown code suggests the nearest valid ones ("menade du PROC?");
#  - missing options are named one by one ("--text saknas");
#  - `check` counts its warnings in its last line;
#  - `reverse` shows the entry it will book and asks; without an answer
#    (stdin empty) nothing is booked; --yes books without asking.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/web/serve_lib.sh"

B=$(fresh_book_2025)
J="$B/verifikationer.csv"
cp "$J" "$TMPROOT/j0"
TYPO='41 25O,00'
WHY="ogiltigt tecken 'O' i kolumn 6"

# ---- A stray letter, in every path --------------------------------------------
run sh -c "printf '$TYPO\navbryt\n' | $SAMLA -f '$B' quarter 2026Q1"
expect_out_has "Fel: $WHY. Försök igen" "dialog: the letter O is named with its column"
printf 'Verksamhet;Belopp\r\nPROC;%s\r\n' "$TYPO" >"$TMPROOT/typo.csv"
run $SAMLA -f "$B" quarter 2026Q1 --from "$TMPROOT/typo.csv" --yes
expect_err_has "typo.csv:2:11: fel: ogiltigt belopp \"$TYPO\": $WHY" "--from: the same reason, at file:line:column"
run $SAMLA -f "$B" add --date 2026-02-01 --account 5010 --activity PROC --amount "$TYPO" --text Lön
expect_err_has "--amount \"$TYPO\": fel: $WHY" "add: the same reason"
run $SAMLA -f "$B" add --date 2026-02-01 --account 5010 --activity PROC --amount "41 25,00" --text Lön
expect_err_has "tusentalsgrupper ska ha tre siffror i kolumn 6" "a real group fault keeps its own reason"
expect_same_file "$J" "$TMPROOT/j0" "nothing was saved by the refused inputs"

# The web form: an HTTP-level post of the same amount (the browser adds
# nothing to how the server reads a field).
export SAMLA_TODAY=2026-04-10
if serve_start "$B"; then
    url=$BASE
    serve_login "$TMPROOT/jar"
    page=$(curl -s -b "$TMPROOT/jar" "$url/kvartal?kvartal=2026Q1")
    res=$(curl -s -b "$TMPROOT/jar" -w '\n%{http_code}' \
        --data "csrf=$(form_field "$page" csrf)&inskick=$(form_field "$page" inskick)&kvartal=2026Q1&rad16=k%3APROC%3A&belopp16=41+25O%2C00&steg=granska" \
        "$url/kvartal")
    code=$(printf '%s\n' "$res" | tail -n 1)
    expect_eq "$code" 422 "web: the post is refused (422)"
    case "$res" in
    *"Ogiltigt belopp: ogiltigt tecken &#39;O&#39; i kolumn 6."* | *"Ogiltigt belopp: ogiltigt tecken 'O' i kolumn 6."*)
        ok "web: the same reason at the field" ;;
    *) not_ok "web: the same reason at the field" "$(printf '%s\n' "$res" | grep -i 'ogiltigt' | head -3)" ;;
    esac
    serve_stop
fi
unset SAMLA_TODAY
export SAMLA_TODAY=2026-01-15

# ---- Thin space ---------------------------------------------------------------
THIN=$(printf '\342\200\211')
run $SAMLA -f "$B" add --date 2026-02-01 --account 5010 --activity PROC --amount "1${THIN}234,50" --text "Lön"
expect_rc 0 "add: 1 234,50 with U+2009 between the groups is accepted"
expect_eq "$(tail -n 1 "$J" | cut -d';' -f7)" "1234,50" "… as 1 234,50 exactly"
printf 'Verksamhet;Belopp\r\nKOMM;12%s000\r\n' "$THIN" >"$TMPROOT/thin.csv"
run $SAMLA -f "$B" quarter 2026Q1 --from "$TMPROOT/thin.csv" --dry-run
expect_rc 0 "--from: U+2009 is accepted"
cp "$J" "$TMPROOT/j1"

# ---- Nearest codes --------------------------------------------------------------
run $SAMLA -f "$B" add --date 2026-02-01 --account 5010 --activity PRC --amount 1 --text x
expect_err_has 'okänd verksamhet "PRC"; menade du PROC?' "add: an unknown activity suggests the nearest"
run $SAMLA -f "$B" add --date 2026-02-01 --account 5100 --activity PROC --amount 1 --text x
expect_err_has 'okänt konto "5100"; menade du 5010?' "add: an unknown account suggests the nearest (two digits swapped)"
run $SAMLA -f "$B" add --date 2026-02-01 --account 7690 --activity GEM --earmark OM- --amount 1 --text x
expect_err_has 'okänd öronmärkning "OM-"; menade du OM-SMM-2026 eller OM-FACT-2026?' "add: several near codes are all named, in the book's order"
run $SAMLA -f "$B" add --date 2026-02-01 --account 7690 --activity GEM --earmark OM-SMM --amount 1 --text x
expect_err_has 'okänd öronmärkning "OM-SMM"; menade du OM-SMM-2026?' "add: a code's beginning suggests the whole code"
run $SAMLA -f "$B" add --date 2026-02-01 --account 7690 --activity XYZ --amount 1 --text x
expect_err_has 'okänd verksamhet "XYZ"' "add: a code near nothing …"
case "$ERR" in *menade*) not_ok "… suggests nothing" "$ERR" ;; *) ok "… suggests nothing" ;; esac
printf 'Verksamhet;Finansiär;Belopp\r\nPRC;;5\r\n;LERM;5\r\n' >"$TMPROOT/codes.csv"
run $SAMLA -f "$B" quarter 2026Q1 --from "$TMPROOT/codes.csv" --yes
expect_err_has 'codes.csv:2:1: fel: okänd verksamhet "PRC"; menade du PROC?' "--from: an unknown activity suggests the nearest"
expect_err_has 'codes.csv:3:2: fel: okänd finansiär "LERM"; menade du LERUM?' "--from: an unknown funder too"
C=$(fresh_book_2025)
sed 's/^3;2025-01-31;3532;;ALINGSAS;/3;2025-01-31;3532;;ALINGSÅS;/' "$C/verifikationer.csv" >"$TMPROOT/v" && cp "$TMPROOT/v" "$C/verifikationer.csv"
run $SAMLA -f "$C" check
expect_err_has 'okänd finansiär "ALINGSÅS"; menade du ALINGSAS?' "the journal: an unknown funder suggests the nearest (Å counts as one letter)"
expect_same_file "$J" "$TMPROOT/j1" "nothing was saved by the refused codes"

# ---- Missing options one by one ---------------------------------------------------
run $SAMLA -f "$B" add --date 2026-02-01 --account 5010 --activity PROC --amount 1
expect_rc 2 "add without --text is a usage error"
expect_err_has "samla add: --text saknas" "… naming only --text"
run $SAMLA -f "$B" add --activity PROC --amount 1
expect_err_has "samla add: --account och --text saknas" "two missing options are both named"
run $SAMLA -f "$B" earmark release OM-SMM-2026 --date 2026-01-10 --decided-by Samordningsgruppen
expect_err_has "--paragraph saknas" "earmark: the missing --paragraph is named"

# ---- check counts its warnings --------------------------------------------------------
run $SAMLA -f "$B" check
expect_out_has "boken är korrekt." "a clean book is korrekt"
W=$(fresh_book_2025)
$SAMLA -f "$W" add --date 2026-03-31 --account 4610 --activity FACT --earmark OM-FACT-2026 --amount 900000 --text "Projektledare" >/dev/null 2>&1
run $SAMLA -f "$W" check
expect_rc 0 "a book with an overdrawn earmark has no errors"
expect_err_has "varning: ver 2026:1" "… but a warning"
last=$(printf '%s\n' "$OUT" | tail -n 1)
case "$last" in
*"boken har inga fel men 1 varning (se ovan)."*) ok "check's last line counts the warning" ;;
*) not_ok "check's last line counts the warning" "$last" ;;
esac
case "$OUT" in *"boken är korrekt"*) not_ok "… and does not say korrekt beside it" "$OUT" ;; *) ok "… and does not say korrekt beside it" ;; esac

# ---- reverse shows and asks ------------------------------------------------------------
R=$(fresh_book)
cp "$R/verifikationer.csv" "$TMPROOT/r0"
run $SAMLA -f "$R" reverse 2026:12 --date 2026-10-01 </dev/null
expect_rc 1 "reverse without an answer (stdin empty) books nothing"
expect_out_has "Rättelse som bokförs (numret är preliminärt):" "… after showing what it would book"
expect_out_has "ny      2026:62  2026-10-01  konto 7690  GEM  −4${NBSP:-$(printf '\302\240')}512,50" "… the reversing entry with its number, date, account and amount"
expect_out_has "Inget bokfördes. (Utan terminal: svara j på standard in eller kör med --yes.)" "… and says how to confirm"
expect_same_file "$R/verifikationer.csv" "$TMPROOT/r0" "… the journal is unchanged"
run sh -c "printf 'n\n' | $SAMLA -f '$R' reverse 2026:12 --date 2026-10-01"
expect_rc 1 "answering n books nothing"
expect_same_file "$R/verifikationer.csv" "$TMPROOT/r0" "… the journal is unchanged"
run sh -c "printf 'j\n' | $SAMLA -f '$R' reverse 2026:12 --date 2026-10-01"
expect_rc 0 "answering j books the reversal"
expect_out_has "Sparade verifikation 2026:62 som rättar 2026:12" "… as 2026:62"
run $SAMLA -f "$R" reverse 2026:13 --date 2026-10-01 --yes </dev/null
expect_rc 0 "--yes books without asking"
case "$OUT" in *"Bokför rättelsen?"*) not_ok "… and asks nothing" "$OUT" ;; *) ok "… and asks nothing" ;; esac
expect_eq "$(tail -n 2 "$R/verifikationer.csv" | cut -d';' -f1,2,3,4,7,10 | tr -d '\r' | tr '\n' ' ')" \
    "62;2026-10-01;7690;GEM;-4512,50;2026:12 63;2026-10-01;6010;GEM;-9000,00;2026:13 " "the two reversals are exact"
