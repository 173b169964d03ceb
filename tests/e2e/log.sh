#!/bin/sh
# End-to-end tests of the audit trail (issue 5, item 6): every writing
# command fills Registrerad, Användare and Källa; `samla log` lists the save
# events in time order with who and how, entries saved together as one
# event, earmark decisions and closes/reopenings too; --user and --period
# filter.
. "$(dirname "$0")/../lib.sh"

NB=$(printf '\302\240')
MINUS=$(printf '\342\210\222')
kr() { printf '%s%skr' "$(printf '%s' "$1" | sed "s/ /$NB/g; s/-/$MINUS/")" "$NB"; }

B=$(fresh_book_2025)
at() { # at TIMESTAMP USER samla-args...: run samla as USER at a given time
    t=$1; u=$2; shift 2
    run env SAMLA_NOW="$t" $SAMLA -f "$B" --user "$u" "$@"
}

at 2026-01-20T08:00:00Z anna earmark add FAR-2026 --grant --amount "400 000" --purpose "FAR (statsbidrag)" --decided-by Samordningsgruppen --date 2026-01-13 --paragraph "§ 9"
expect_rc 0 "anna records a grant decision"
at 2026-01-20T08:10:00Z anna add --date 2026-01-14 --account 3510 --funder STATEN --earmark FAR-2026 --amount "400 000" --text "Statsbidrag FAR 2026"
expect_rc 0 "anna adds the grant income"
at 2026-01-21T09:00:00Z bertil add --date 2026-01-15 --account 7690 --activity GEM --amount "1 250" --text "Fika samordningsgruppen"
expect_rc 0 "bertil adds a cost"
at 2026-01-21T09:05:00Z bertil reverse 2026:2 --date 2026-01-15 --yes
expect_rc 0 "bertil reverses it"
at 2026-01-22T07:00:00Z anna close 2025 --yes
expect_rc 0 "anna closes 2025"
at 2026-01-23T07:00:00Z anna reopen 2025 --reason "Faktura saknades" --yes
expect_rc 0 "anna reopens 2025"

# Every row written by a command carries when, who and how.
rows=$(tail -n 3 "$B/verifikationer.csv" | tr -d '\r' | cut -d';' -f1,11-13)
expect_eq "$rows" "1;2026-01-20T08:10:00Z;anna;add
2;2026-01-21T09:00:00Z;bertil;add
3;2026-01-21T09:05:00Z;bertil;reverse" "add and reverse fill Registrerad, Användare and Källa"
expect_eq "$(tail -n 1 "$B/oronmarkningar.csv" | tr -d '\r' | cut -d';' -f11,12)" "2026-01-20T08:00:00Z;anna" "the earmark decision records when and who"
expect_eq "$(tail -n 2 "$B/bokslut.csv" | tr -d '\r' | cut -d';' -f2,7,8)" "stängt;2026-01-22T07:00:00Z;anna
återöppnat;2026-01-23T07:00:00Z;anna" "the close and the reopening record when and who"

# ---- samla log ------------------------------------------------------------------
run $SAMLA -f "$B" log
expect_rc 0 "log runs"
expect_out_has "Registrerad           Användare      Källa        Vad" "log has a heading"
expect_out_has "2025-04-08T07:32:11Z  processledare  seed         ver 2025:1  2025-01-31  3520 HSNV  $(kr '327 902,00')  Bidrag HSNV till vårdsamverkan SAMLA Q1" "the seeded entries are listed with their user and source"
expect_out_has "2025-12-15T09:02:14Z  processledare  earmark add  OM-SMM-2026 reservera $(kr '2 180 000,00') (Samordningsgruppen 2025-12-12 § 8)" "the example book's earmark decisions are listed"
expect_out_has "2026-01-20T08:00:00Z  anna           earmark add  FAR-2026 reservera (bidrag) $(kr '400 000,00') (Samordningsgruppen 2026-01-13 § 9)" "anna's grant decision"
expect_out_has "2026-01-20T08:10:00Z  anna           add          ver 2026:1  2026-01-14  3510 STATEN  $(kr '400 000,00')  Statsbidrag FAR 2026" "anna's add, with user and source"
expect_out_has "2026-01-21T09:05:00Z  bertil         reverse      ver 2026:3  2026-01-15  7690 GEM  $(kr '-1 250,00')  Rättelse av 2026:2: Fika samordningsgruppen (rättar 2026:2)" "bertil's reversal names what it corrects"
expect_out_has "2026-01-22T07:00:00Z  anna           close        stängde år 2025: resultat $(kr '-1 278 204,72'), utgående ackumulerat överskott $(kr '6 801 236,45'), 79 verifikationer" "the close"
expect_out_has "2026-01-23T07:00:00Z  anna           reopen       återöppnade år 2025: Faktura saknades" "the reopening with its reason"

# Time order: the decision of 2025-12-15 comes before the Q4 entries saved on
# 2026-01-13, and the events of this test come last, in order.
order=$(printf '%s\n' "$OUT" | awk 'NR > 2 { print $1 }')
sorted=$(printf '%s\n' "$order" | sort)
expect_eq "$order" "$sorted" "events are listed in time order"
expect_eq "$(printf '%s\n' "$OUT" | tail -n 6 | awk '{ print $3 }' | tr '\n' ' ')" "earmark add add reverse close reopen " "the last six events in the order they happened"

run $SAMLA -f "$B" log --user bertil
expect_rc 0 "log --user bertil"
expect_eq "$(printf '%s\n' "$OUT" | tail -n +3 | wc -l | tr -d ' ')" 2 "… shows bertil's two events only"
expect_out_has "bertil" "… by bertil"
case "$OUT" in *anna*) not_ok "… and none of anna's" ;; *) ok "… and none of anna's" ;; esac

run $SAMLA -f "$B" log --period 2026-01-22..2026-01-31
expect_rc 0 "log --period selects by the day of saving"
expect_eq "$(printf '%s\n' "$OUT" | tail -n +3 | awk '{ print $3 }' | tr '\n' ' ')" "close reopen " "… the close and the reopening"
run $SAMLA -f "$B" log --period 2027
expect_out_has "Inga händelser." "a period without events says so"
run $SAMLA -f "$B" log --period 2026Q5
expect_rc 2 "a bad period is a usage error"

# ---- Entries saved together form one event ------------------------------------------
# Two rows with the same Registrerad, Användare and Källa, as a batch writer
# (quarter, import) leaves them; an import's rows differ only in their line.
printf '4;2026-03-31;5010;PROC;;;1000,00;Lön mars;;;2026-04-02T10:00:00Z;carl;quarter 2026Q1;\r\n5;2026-03-31;5610;PROC;;;417,50;Sociala avgifter mars;;;2026-04-02T10:00:00Z;carl;quarter 2026Q1;\r\n6;2026-04-30;4610;SMM;;;200,00;Rad 7;;;2026-05-03T11:00:00Z;carl;import vgr-april.csv:7;ab\r\n7;2026-04-30;4610;SMM;;;300,00;Rad 9;;;2026-05-03T11:00:00Z;carl;import vgr-april.csv:9;cd\r\n' >>"$B/verifikationer.csv"
run $SAMLA -f "$B" log --user carl
expect_out_has "2026-04-02T10:00:00Z  carl       quarter 2026Q1        2 verifikationer: 2026:4–5" "a quarter's entries are one event with their voucher range"
expect_out_has "2026-05-03T11:00:00Z  carl       import vgr-april.csv  2 verifikationer: 2026:6–7 (rader 7–9)" "an import's rows are one event naming the file and its lines"
