#!/bin/sh
# today.sh - "today" is the Swedish date (issue 11): the date in
# Europe/Stockholm of the present instant unless TZ is set, never the UTC
# date. Between 00:00 and 01:00 (winter) or 02:00 (summer) Swedish time the
# two differ; on New Year's Eve by a year, perhaps into a closed one.
# Registration timestamps stay UTC ("Z").
#
# The clock is $SAMLA_NOW (a UTC instant, as tests set it); $SAMLA_TODAY,
# which would override the date, is unset here, and so is TZ.
. "$(dirname "$0")/../lib.sh"

unset SAMLA_TODAY TZ
book=$(mktemp -d "$TMPROOT/book.XXXXXX")
cp -R "$ROOT/tests/hostile/base/." "$book/"
J=$book/verifikationer.csv

# at STAMP CMD...: runs samla on the book with the clock at STAMP.
at() {
    stamp=$1
    shift
    run env SAMLA_NOW="$stamp" $SAMLA -f "$book" "$@"
}
last_row() { tail -1 "$J" | tr -d '\r'; }

# Half an hour before midnight UTC on New Year's Eve it is already 2026 in
# Sweden: a year that has ended, so it may be closed...
at 2025-12-31T22:30:00Z close 2025 --yes
expect_rc 1 "New Year's Eve 23:30 Swedish time: 2025 cannot be closed yet"
expect_err_has "år 2025 är inte slut än (i dag är det 2025)" "New Year's Eve 23:30: today is in 2025"
at 2025-12-31T23:30:00Z close 2025 --yes
expect_rc 0 "New Year's Eve 23:30 UTC = 00:30 on 1 January in Sweden: 2025 is over and closes"
expect_eq "$(tail -1 "$book/bokslut.csv" | cut -d';' -f1,2,7)" "2025;stängt;2025-12-31T23:30:00Z" \
    "the close's registration stays UTC"

# ... and an entry without --date goes into 2026, not the closed 2025.
at 2025-12-31T23:45:00Z add --account 7690 --activity PROC --amount 10 --text "Nyårsnatt"
expect_rc 0 "add at 23:45 UTC on New Year's Eve (no --date)"
expect_out_has "Sparade verifikation 2026:1" "it is voucher 2026:1"
expect_eq "$(last_row)" "1;2026-01-01;7690;PROC;;;10,00;Nyårsnatt;;;2025-12-31T23:45:00Z;testare;add;" \
    "dated 2026-01-01 (Swedish), registered 2025-12-31T23:45:00Z (UTC)"

# An earmark decided "today" (1 January in Sweden) is not in the future.
at 2025-12-31T23:50:00Z earmark add OM-NYAR --amount 100 --purpose "Nyår" \
    --decided-by Samordningsgruppen --date 2026-01-01 --paragraph "§ 1"
expect_rc 0 "earmark decided 2026-01-01 at 23:50 UTC on New Year's Eve: not in the future"

# Midnight in summer: UTC+2.
at 2026-06-30T21:59:59Z add --account 7690 --activity PROC --amount 11 --text "Sommar 1"
expect_eq "$(last_row | cut -d';' -f1,2,11)" "2;2026-06-30;2026-06-30T21:59:59Z" \
    "21:59:59 UTC on 30 June is 23:59:59 the same day in Sweden"
at 2026-06-30T22:00:00Z add --account 7690 --activity PROC --amount 12 --text "Sommar 2"
expect_eq "$(last_row | cut -d';' -f1,2,11)" "3;2026-07-01;2026-06-30T22:00:00Z" \
    "22:00 UTC on 30 June is midnight, 1 July, in Sweden"
at 2026-01-14T23:30:00Z add --account 7690 --activity PROC --amount 13 --text "Vinter"
expect_eq "$(last_row | cut -d';' -f1,2)" "4;2026-01-15" \
    "23:30 UTC in January is 00:30 the next day in Sweden"

# With TZ set, that zone's date (a POSIX rule: no time zone data needed).
run env TZ=UTC0 SAMLA_NOW=2026-06-30T22:30:00Z $SAMLA -f "$book" add --account 7690 \
    --activity PROC --amount 14 --text "UTC"
expect_eq "$(last_row | cut -d';' -f1,2)" "5;2026-06-30" "TZ=UTC0: the UTC date"

# The reports' "today" too: the list of the current year without --period.
at 2025-12-31T23:30:00Z list
expect_out_has "Nyårsnatt" "list without a period shows Sweden's current year (2026)"
run $SAMLA -f "$book" check
expect_rc 0 "the book checks"
