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
