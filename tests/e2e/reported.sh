#!/bin/sh
# tests/e2e/reported.sh - "rapporterat t.o.m." (issue 13, deliverable 2):
# the book records through which date its outcome is complete
# (rapporterat.csv), and the follow-up is as of that date, not today.
#
#  - `samla reported PERIOD` appends an audited row (date, Källa hand,
#    Registrerad, Användare) and refuses garbage, a future date and a move
#    backwards without --backwards --reason, leaving the book unchanged;
#  - registering a quarter moves it to the quarter's end (never back, never
#    into the future); `samla log` lists every row;
#  - a hand-edited file is read with the same rules.
. "$(dirname "$0")/../lib.sh"

# The clock: early December 2026, the example book registered through Q3.
export SAMLA_TODAY=2026-12-01 SAMLA_NOW=2026-12-01T09:00:00Z

# snap DIR: a listing of every file of the book with its checksum.
snap() { (cd "$1" && find . -path ./.samla-cache -prune -o -type f -print | LC_ALL=C sort | xargs sha256sum); }

# ---- The example book ------------------------------------------------------------
B=$(fresh_book)
run $SAMLA -f "$B" reported
expect_rc 0 "reported shows the date in force"
expect_out_has "Rapporterat t.o.m. 2026-09-30." "the example book is reported through 2026-09-30 (Q1–Q3 registered)"
expect_out_has "2026-09-30  quarter 2026Q3, registrerat 2026-10-07T07:52:44Z av processledare" \
    "… set by registering Q3, with when and by whom"

# ---- Set by hand: an audited row -------------------------------------------------
B=$(fresh_book_2025)
expect_eq "$(ls "$B/rapporterat.csv" 2>/dev/null)" "" "the 2025 state of the example book has no rapporterat.csv"
run $SAMLA -f "$B" reported
expect_rc 0 "reported on a book without the file"
expect_out_has "Boken anger inget rapporterat t.o.m.; uppföljningen görs per dagens datum (2026-12-01)." \
    "… says the follow-up falls back to today"
run $SAMLA -f "$B" --user eva reported 2025Q4
expect_rc 0 "reported 2025Q4 by hand"
expect_out_has "Rapporterat t.o.m. 2025-12-31. Uppföljningen görs nu per 2025-12-31." "… the quarter's last day"
expect_eq "$(tr -d '\r' <"$B/rapporterat.csv" | sed 's/^\xef\xbb\xbf//')" \
"Datum;Källa;Registrerad;Användare;Motivering
2025-12-31;hand;2026-12-01T09:00:00Z;eva;" "the file is created with one audited row (date, hand, registered, user)"
run $SAMLA -f "$B" check
expect_rc 0 "the book checks clean with the new file"

# Garbage, the future and a move backwards change nothing.
before=$(snap "$B")
for bad in 2026Q5 2026T4 2026-02-30 hello "" 26-06-30 2026-13; do
    run $SAMLA -f "$B" reported "$bad"
    expect_rc 2 "reported \"$bad\" is refused as a usage error"
done
expect_err_has "ange ett datum eller en period" "… saying what is expected"
run $SAMLA -f "$B" reported 2026-12-02
expect_rc 1 "a date after today is refused"
expect_err_has "2026-12-02 har inte kommit än (i dag är det 2026-12-01)" "… saying why"
run $SAMLA -f "$B" reported 2025T2
expect_rc 1 "an earlier date without --backwards is refused"
expect_err_has "boken är rapporterad t.o.m. 2025-12-31; 2025-08-31 skulle flytta datumet bakåt" "… naming both dates"
run $SAMLA -f "$B" reported 2025T2 --backwards
expect_rc 2 "--backwards without --reason is a usage error"
run $SAMLA -f "$B" reported 2024-12-30
expect_rc 1 "a date before the book's start is refused"
run $SAMLA -f "$B" reported 2025Q4
expect_eq "$RC" 0 "the same date again changes nothing (exit 0)"
expect_out_has "redan rapporterad t.o.m. 2025-12-31" "… and says so"
expect_eq "$(snap "$B")" "$before" "after every refusal the book is byte-identical"

run $SAMLA -f "$B" reported 2025T2 --backwards --reason "$(printf 'Q4 \001')"
expect_rc 1 "a reason with a control character is refused by the writer's value rules"
expect_err_has "--reason" "… naming the option"
expect_eq "$(snap "$B")" "$before" "… book unchanged"

run $SAMLA -f "$B" reported 2025T2 --backwards --reason "Q4 från Lerum saknas"
expect_rc 0 "backwards with --backwards --reason"
expect_out_has "Rapporterat t.o.m. 2025-08-31 (var 2025-12-31)" "… from 2025-12-31 to 2025-08-31"
expect_eq "$(tail -1 "$B/rapporterat.csv" | tr -d '\r')" "2025-08-31;hand;2026-12-01T09:00:00Z;testare;Q4 från Lerum saknas" \
    "… the reason is in the row"

# ---- Registering a quarter moves it forward ----------------------------------------
printf 'Verksamhet;Belopp\r\nPROC;1000\r\n' >"$TMPROOT/q.csv"
run $SAMLA -f "$B" quarter 2026Q1 --from "$TMPROOT/q.csv" --yes
expect_rc 0 "quarter 2026Q1 is registered"
expect_err_has "not: boken är nu rapporterad t.o.m. 2026-03-31" "… and says the book is now reported through 2026-03-31"
expect_eq "$(tail -1 "$B/rapporterat.csv" | tr -d '\r')" "2026-03-31;quarter 2026Q1;2026-12-01T09:00:00Z;testare;" \
    "… and the book is reported through 2026-03-31 (Källa quarter 2026Q1)"
run $SAMLA -f "$B" reported 2026Q3
expect_rc 0 "reported 2026Q3 by hand (Q2 and Q3 not yet registered)"
n=$(wc -l <"$B/rapporterat.csv")
run $SAMLA -f "$B" quarter 2026Q2 --from "$TMPROOT/q.csv" --yes
expect_rc 0 "quarter 2026Q2 registered late"
expect_eq "$(wc -l <"$B/rapporterat.csv")" "$n" "… does not move the date back to 2026-06-30"
run $SAMLA -f "$B" reported
expect_out_has "Rapporterat t.o.m. 2026-09-30." "… it stays 2026-09-30"
run env SAMLA_TODAY=2026-12-15 $SAMLA -f "$B" quarter 2026Q4 --from "$TMPROOT/q.csv" --yes
expect_rc 0 "quarter 2026Q4 registered before the quarter has ended"
expect_err_has "rapporterat t.o.m. flyttas inte till 2026-12-31, som inte har kommit än" "… leaves the date, with a note"
expect_eq "$(wc -l <"$B/rapporterat.csv")" "$n" "… no row"

# ---- The audit trail ------------------------------------------------------------------
run $SAMLA -f "$B" log
LOG=$(printf '%s\n' "$OUT" | tr -s ' ')
case "$LOG" in
*"2026-12-01T09:00:00Z testare reported rapporterat t.o.m. 2025-08-31: Q4 från Lerum saknas"*) ok "log lists a hand row with its reason" ;;
*) not_ok "log lists a hand row with its reason" "$LOG" ;;
esac
case "$LOG" in
*"2026-12-01T09:00:00Z testare quarter 2026Q1 rapporterat t.o.m. 2026-03-31"*) ok "… and the quarter's row" ;;
*) not_ok "… and the quarter's row" "$LOG" ;;
esac

# ---- A hand-edited file: the reader's rules --------------------------------------------
C=$(fresh_book)
printf 'Datum;Källa;Registrerad;Användare;Motivering\r\n2026-06-30;hand;;;\r\n2026-03-31;hand;;;\r\n' >"$C/rapporterat.csv"
run $SAMLA -f "$C" check
expect_rc 1 "a row moving the date back without a reason is an error"
expect_err_has "rapporterat.csv:3:1: fel: datumet ligger före 2026-06-30 på raden ovan" "… at its file:line:column"
printf 'Datum;Källa\r\n2026-06-31;hand\r\n2026-06-30;\r\n' >"$C/rapporterat.csv"
run $SAMLA -f "$C" check
expect_rc 1 "a bad date and a missing Källa are errors"
expect_err_has "rapporterat.csv:2:9: fel: ogiltigt datum \"2026-06-31\"" "… the bad date at 2:9"
expect_err_has "rapporterat.csv:3:12: fel: källa saknas" "… the missing Källa at 3:12"
printf 'Datum;Källa\r\n' >"$C/rapporterat.csv"
run $SAMLA -f "$C" reported
expect_rc 0 "a file with only its header row"
expect_out_has "Boken anger inget rapporterat t.o.m." "… means no date"

# ---- The follow-up is as of the book's date, not today --------------------------------
# cells CMD...: a report's exact cells (JSON), one "code|label|key=value" a line.
cells() {
    "$@" --format json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
print("subtitle=" + d["subtitle"])
for t in d["tables"]:
    for r in t["rows"]:
        for k, v in sorted((r.get("cells") or {}).items()):
            if isinstance(v, str):
                print("%s|%s|%s=%s" % (r.get("code") or "", r["label"], k, v))
for n in d.get("notes", []):
    print("note:%s:%s" % (n["kind"], n["text"]))'
}
has() { # has TEXT LABEL: $CELLS holds the line TEXT
    if printf '%s\n' "$CELLS" | grep -qxF -- "$1"; then ok "$2"; else not_ok "$2" "lacks: $1" "$(printf '%s\n' "$CELLS" | head -5)"; fi
}
lacks() {
    if printf '%s\n' "$CELLS" | grep -qF -- "$1"; then not_ok "$2" "has: $1"; else ok "$2"; fi
}
B=$(fresh_book)
CELLS=$(cells $SAMLA -f "$B" budget)
has "subtitle=Vårdsamverkan SAMLA (Lerum–Alingsås), 2026. Utfall t.o.m. 2026-09-30" \
    "budget without a year or --at on 2026-12-01: the 2026 follow-up per 2026-09-30, the book's date"
has "PROC|Processledare|to_date=640001.25" "… PROC's outcome Q1–Q3 640 001,25"
has "PROC|Processledare|budget_to_date=615000.00" "… against PROC's budget Q1–Q3 615 000,00"
has "PROC|Processledare|forecast=845001.25" "… forecast = 640 001,25 + Q4's budget 205 000,00"
has "SMM|Socialmedicinsk mottagning|deviation=393087.50" "… SMM's full-year deviation +393 087,50 (costs under budget)"
lacks "note:warning:" "… and no warning: every quarter through Q3 has entries"
BY_BOOK=$CELLS
CELLS=$(cells $SAMLA -f "$B" budget 2026 --at 2026-09-30)
expect_eq "$CELLS" "$BY_BOOK" "… exactly what budget 2026 --at 2026-09-30 gives"
CELLS=$(SAMLA_TODAY=2027-03-01 cells $SAMLA -f "$B" budget)
expect_eq "$CELLS" "$BY_BOOK" "… and the same on 2027-03-01: the date comes from the book, not today"
run $SAMLA -f "$B" budget --unit tkr
expect_out_has "Vårdsamverkan SAMLA (Lerum–Alingsås), 2026. Utfall t.o.m. 2026-09-30" "the terminal subtitle says it"

CELLS=$(cells $SAMLA -f "$B" earmarks)
has "subtitle=Vårdsamverkan SAMLA (Lerum–Alingsås). Utfall t.o.m. 2026-09-30" "earmarks: per the book's date, said in the subtitle"
has "OM-SMM-2026|Delfinansiering av socialmedicinsk mottagning 2026|remaining=323087.50" "… the clinic has 323 087,50 left at 2026-09-30"
has "|Ej öronmärkt (fritt överskott)|amount=5564876.15" "… free 5 564 876,15"
CELLS=$(cells $SAMLA -f "$B" surplus)
has "|2026 (t.o.m. 2026-09-30)|closing=6446449.65" "surplus: 2026 through 2026-09-30, 6 446 449,65"

CELLS=$(cells $SAMLA -f "$B" budget 2026 --at 2026-11-30)
has "note:warning:Varning: boken är rapporterad t.o.m. 2026-09-30; utfallet efter det datumet och t.o.m. 2026-11-30 är inte komplett." \
    "a follow-up later than the book's date warns that the outcome after it is not complete"
CELLS=$(cells $SAMLA -f "$B" budget 2027)
lacks "inte komplett" "… but a year that has not begun by then (2027) gets no such warning"
CELLS=$(cells $SAMLA -f "$B" result 2025)
has "subtitle=Vårdsamverkan SAMLA (Lerum–Alingsås), 2025, per 2025-12-31" "result 2025 is per 2025-12-31"

# Without a date in the book: today, and the report says so.
rm "$B/rapporterat.csv"
CELLS=$(cells $SAMLA -f "$B" budget)
has "subtitle=Vårdsamverkan SAMLA (Lerum–Alingsås), 2026. Utfall t.o.m. 2026-12-01" "a book without rapporterat.csv: per today (2026-12-01)"
has "note:warning:Boken anger inget rapporterat t.o.m. (samla reported): utan ett valt datum är uppföljningen per dagens datum." \
    "… and it says so"
CELLS=$(cells $SAMLA -f "$B" earmarks)
has "note:warning:Boken anger inget rapporterat t.o.m. (samla reported): rapporten är per dagens datum." "earmarks says so too"
has "subtitle=Vårdsamverkan SAMLA (Lerum–Alingsås). Utfall t.o.m. 2026-12-01" "… per today"

# ---- A quarter before the date without entries: a warning everywhere ------------------
M=$(fresh_book_2025)
run $SAMLA -f "$M" quarter 2026Q1 --from "$TMPROOT/q.csv" --yes
run $SAMLA -f "$M" reported 2026Q3
expect_rc 0 "a book with only Q1 registered is reported through 2026Q3"
W2="Varning: 2026Q2 har budget men inga verifikationer alls. Är kvartalet registrerat? Utfallet t.o.m. 2026-09-30 saknar det."
W3="Varning: 2026Q3 har budget men inga verifikationer alls. Är kvartalet registrerat? Utfallet t.o.m. 2026-09-30 saknar det."
CELLS=$(cells $SAMLA -f "$M" budget)
has "note:warning:$W2" "budget warns that 2026Q2 has a budget and no entries"
has "note:warning:$W3" "… and 2026Q3"
run $SAMLA -f "$M" budget
expect_out_has "$W2" "… in the terminal"
mkdir -p "$TMPROOT/m"
run $SAMLA -f "$M" export budget -o "$TMPROOT/m/budget-2026.xlsx"
expect_rc 0 "export budget without a year or --at"
if command -v unzip >/dev/null 2>&1; then
    X=$(unzip -p "$TMPROOT/m/budget-2026.xlsx" xl/sharedStrings.xml xl/worksheets/sheet1.xml 2>/dev/null)
    case "$X" in *"Utfall t.o.m. 2026-09-30"*) ok "the workbook's subtitle says Utfall t.o.m. 2026-09-30" ;;
    *) not_ok "the workbook's subtitle says Utfall t.o.m. 2026-09-30" ;; esac
    case "$X" in *"2026Q2 har budget men inga verifikationer alls"*) ok "… and its page warns about 2026Q2" ;;
    *) not_ok "… and its page warns about 2026Q2" ;; esac
else
    not_ok "the workbook's subtitle" "unzip is missing (make deps installs it)"
fi

# ---- The web pages: the same date, the same warning -----------------------------------
. "$ROOT/tests/web/serve_lib.sh"
if ! command -v curl >/dev/null 2>&1; then
    not_ok "curl is installed (make deps)"
elif serve_start "$M"; then
    J=$TMPROOT/jar
    if serve_login "$J"; then
        P=$(curl -s -b "$J" "$BASE/")
        case "$P" in *"Utfall t.o.m. 2026-09-30"*) ok "web overview: Utfall t.o.m. 2026-09-30 (the book's date, not today)" ;;
        *) not_ok "web overview: Utfall t.o.m. 2026-09-30" "$(printf '%s' "$P" | grep -o 'Utfall t.o.m. [0-9-]*' | head -3)" ;; esac
        case "$P" in *"2026Q2 har budget men inga verifikationer alls"*) ok "… warns that 2026Q2 has no entries" ;;
        *) not_ok "… warns that 2026Q2 has no entries" ;; esac
        P=$(curl -s -b "$J" "$BASE/budget")
        case "$P" in *"Utfall t.o.m. 2026-09-30"*"2026Q3 har budget men inga verifikationer alls"*) ok "web budget page: per 2026-09-30, warning about 2026Q3" ;;
        *) not_ok "web budget page: per 2026-09-30, warning about 2026Q3" ;; esac
        P=$(curl -s -b "$J" "$BASE/oronmarkt")
        case "$P" in *"Utfall t.o.m. 2026-09-30 (bokens rapporterat t.o.m.)"*) ok "web earmarks page: per the book's date, said in its subtitle" ;;
        *) not_ok "web earmarks page: per the book's date" "$(printf '%s' "$P" | grep -o 'Utfall t.o.m. [^<]*' | head -3)" ;; esac
        P=$(curl -s -b "$J" "$BASE/ladda-ned")
        case "$P" in *"utfall t.o.m. 2026-09-30"*) ok "web downloads: the budget workbook is per 2026-09-30" ;;
        *) not_ok "web downloads: the budget workbook is per 2026-09-30" "$(printf '%s' "$P" | grep -o 't.o.m. [^<]*' | head -3)" ;; esac
    fi
    serve_stop
fi

# ---- An import can set it ----------------------------------------------------------------
I=$(fresh_book_2025)
X=$ROOT/ledgers/samla/underlag-2026/alingsas-huvudboksutdrag-2026Q2.csv
before=$(snap "$I")
run $SAMLA -f "$I" import "$X" --rules "$I/importregler-alingsas.csv" --yes --reported-through 2026Q5
expect_rc 2 "import --reported-through 2026Q5 is a usage error"
run $SAMLA -f "$I" import "$X" --rules "$I/importregler-alingsas.csv" --yes --reported-through 2027-01-31
expect_rc 2 "import --reported-through a future date is a usage error"
expect_eq "$(snap "$I")" "$before" "… and nothing is imported"
run $SAMLA -f "$I" import "$X" --rules "$I/importregler-alingsas.csv" --yes --reported-through 2026Q2
expect_rc 0 "import --reported-through 2026Q2"
expect_err_has "not: boken är nu rapporterad t.o.m. 2026-06-30: uppföljningen görs per det datumet (samla reported)" \
    "… says the book is now reported through 2026-06-30"
expect_eq "$(tail -1 "$I/rapporterat.csv" | tr -d '\r')" "2026-06-30;import alingsas-huvudboksutdrag-2026Q2.csv;2026-12-01T09:00:00Z;testare;" \
    "… a row with Källa import FILE"
run $SAMLA -f "$I" import "$X" --rules "$I/importregler-alingsas.csv" --yes --reported-through 2026Q1
expect_rc 0 "importing the same extract again with an earlier date"
expect_out_has "Inget nytt att importera; boken är oförändrad." "… imports nothing and leaves the date"
expect_eq "$(tail -1 "$I/rapporterat.csv" | tr -d '\r')" "2026-06-30;import alingsas-huvudboksutdrag-2026Q2.csv;2026-12-01T09:00:00Z;testare;" \
    "… which never moves back by itself"
