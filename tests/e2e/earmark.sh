#!/bin/sh
# End-to-end tests of earmark decisions (issue 5, item 3): reserving,
# reserving more, releasing, closing, refusals with figures, costs drawing
# an earmark down (and the warning when they draw more than remains), and a
# restricted grant whose unspent money is kept apart from the free surplus.
#
# The example book: closing accumulated surplus 2025 = 6 801 236,45;
# earmarks OM-SMM-2026 2 180 000,00 and OM-FACT-2026 820 000,00 (decided
# 2025-12-12); free = 3 801 236,45. Amounts print with U+00A0 between
# thousands and before "kr", and U+2212 as minus.
. "$(dirname "$0")/../lib.sh"

NB=$(printf '\302\240')
MINUS=$(printf '\342\210\222')
# kr '1 234,50' -> the amount as samla prints it: "1 234,50 kr" with
# U+00A0 in the number and before "kr", and U+2212 for a minus.
kr() { printf '%s%skr' "$(printf '%s' "$1" | sed "s/ /$NB/g; s/-/$MINUS/")" "$NB"; }

B=$(fresh_book_2025)
S="$SAMLA -f $B"
DEC="--decided-by Samordningsgruppen --paragraph"

# ---- Over-committing the surplus is refused with the figures ---------------
mkdir "$TMPROOT/before"
cp "$B"/* "$TMPROOT/before/"
run $S earmark add OM-KONF-2026 --amount "3 801 236,46" --purpose "Konferens 2026" $DEC "§ 7" --date 2026-01-12
expect_rc 1 "reserving 0,01 kr more than the free surplus is refused"
expect_err_has "kan inte reservera $(kr '3 801 236,46') den 2026-01-12" "… naming the amount and the date"
expect_err_has "Ackumulerat överskott 2026-01-12" "… showing the accumulated surplus label"
expect_err_has "$(kr '6 801 236,45')" "… the accumulated surplus 6 801 236,45"
expect_err_has "Redan öronmärkt" "… the already earmarked label"
expect_err_has "$(kr '3 000 000,00')" "… already earmarked 3 000 000,00"
expect_err_has "Ej öronmärkt (fritt)" "… the free label"
expect_err_has "$(kr '3 801 236,45')" "… free 3 801 236,45"
expect_err_has "Begärt" "… the amount asked"
expect_err_has "$(kr '0,01')" "… and what is missing, 0,01"
expect_err_has "inget sparades" "… and says nothing was saved"
same=1
for f in "$TMPROOT"/before/*; do
    cmp -s "$f" "$B/$(basename "$f")" || same=0
done
[ "$(ls "$B" | wc -l)" -eq "$(ls "$TMPROOT/before" | wc -l)" ] || same=0
expect_eq "$same" 1 "every book file is byte-identical after the refusal (cmp), no file added"

# ---- Reserve, reserve more, release, close ---------------------------------
run $S earmark add OM-KONF-2026 --amount "500 000" --purpose "Konferens 2026" $DEC "§ 7" --date 2026-01-12 --from 2026-01-01 --to 2026-12-31
expect_rc 0 "a reservation within the free surplus is saved"
expect_out_has "OM-KONF-2026 reserveras $(kr '500 000,00')" "… with its amount"
expect_out_has "$(kr '3 301 236,45')" "… and the free surplus drops to 3 301 236,45"
line=$(tail -n 1 "$B/oronmarkningar.csv" | tr -d '\r')
expect_eq "$line" "OM-KONF-2026;reservera;reservation;Konferens 2026;500000,00;Samordningsgruppen;2026-01-12;§ 7;2026-01-01;2026-12-31;2026-01-15T10:00:00Z;testare" "the decision row is exact (with registered time and user)"

run $S earmark add OM-KONF-2026 --amount "100 000" $DEC "§ 3" --date 2026-01-13
expect_rc 0 "reserving more on an existing code is allowed"
expect_out_has "$(kr '600 000,00')" "… the earmark now holds 600 000,00"
expect_out_has "$(kr '3 201 236,45')" "… free is 3 201 236,45"
expect_eq "$(grep -c '^OM-KONF-2026;reservera;' "$B/oronmarkningar.csv")" 2 "… as a second reservera row"

run $S earmark add OM-KONF-2026 --amount 1 --purpose "Annat ändamål" $DEC "§ 3" --date 2026-01-13
expect_rc 1 "a different purpose on an existing code is refused"
run $S earmark add OM-KONF-2026 --grant --amount 1 $DEC "§ 3" --date 2026-01-13
expect_rc 1 "--grant on an existing reservation is refused"
expect_err_has "är en reservation sedan tidigare" "… saying what it is"

run $S earmark release OM-KONF-2026 --amount "150 000" $DEC "§ 4" --date 2026-01-14
expect_rc 0 "a partial release is saved"
expect_out_has "Kvar                                           $(kr '450 000,00')" "… 450 000,00 remains"
expect_out_has "$(kr '3 351 236,45')" "… free is 3 351 236,45"

run $S earmark release OM-KONF-2026 --amount "450 000,01" $DEC "§ 4" --date 2026-01-14
expect_rc 1 "releasing more than remains is refused"
expect_err_has "bara $(kr '450 000,00') återstår" "… naming what remains"

run $S earmark release OM-KONF-2026 $DEC "§ 4" --date 2026-01-14
expect_rc 0 "a release without --amount releases all that remains"
expect_out_has "$(kr '450 000,00') av OM-KONF-2026 frigörs" "… that is 450 000,00"
expect_out_has "$(kr '3 801 236,45')" "… and free is back at 3 801 236,45"
line=$(tail -n 1 "$B/oronmarkningar.csv" | tr -d '\r')
expect_eq "$line" "OM-KONF-2026;frigör;reservation;Konferens 2026;450000,00;Samordningsgruppen;2026-01-14;§ 4;2026-01-01;2026-12-31;2026-01-15T10:00:00Z;testare" "the release row is exact"

run $S earmark release OM-KONF-2026 $DEC "§ 4" --date 2026-01-14
expect_rc 1 "nothing left to release is refused"

run $S earmark close OM-KONF-2026 $DEC "§ 5" --date 2026-01-15
expect_rc 0 "closing an earmark is saved"
expect_out_has "OM-KONF-2026 avslutas" "… and says so"
line=$(tail -n 1 "$B/oronmarkningar.csv" | tr -d '\r')
expect_eq "$line" "OM-KONF-2026;avsluta;reservation;Konferens 2026;;Samordningsgruppen;2026-01-15;§ 5;2026-01-01;2026-12-31;2026-01-15T10:00:00Z;testare" "the close row has no amount"
run $S earmark add OM-KONF-2026 --amount 1 $DEC "§ 6" --date 2026-01-15
expect_rc 1 "a closed earmark takes no more decisions"
expect_err_has "avslutades 2026-01-15" "… saying when it was closed"

# Closing with money left releases it.
run $S earmark close OM-FACT-2026 $DEC "§ 5" --date 2026-01-15
expect_rc 0 "closing OM-FACT-2026 with 820 000,00 left"
expect_out_has "det som återstod, $(kr '820 000,00'), frigörs" "… releases the 820 000,00"
expect_out_has "$(kr '4 621 236,45')" "… free surplus 4 621 236,45"

# ---- Refusals that need no figures --------------------------------------------
run $S earmark add OM-X --amount 1 --purpose x $DEC "§ 1" --date 2026-01-16
expect_rc 1 "a decision dated in the future is refused"
run $S earmark add OM-X --amount 1 --purpose x --decided-by Samordningsgruppen --date 2026-01-10
expect_rc 2 "a decision without paragraph is a usage error"
run $S earmark add OM-X --amount 0 --purpose x $DEC "§ 1" --date 2026-01-10
expect_rc 1 "a zero amount is refused"
run $S earmark release NOPE $DEC "§ 1" --date 2026-01-10
expect_err_has "öronmärkningen NOPE finns inte" "releasing an unknown code is refused"
run $S earmark add "OM X" --amount 1 --purpose x $DEC "§ 1" --date 2026-01-10
expect_rc 1 "a code with a space is refused as a bad value (exit 1, as a bad --amount)"
expect_err_has 'samla earmark add: fel: KOD: ogiltig kod "OM X": tecknet " " är inte tillåtet' "… naming the code and the character"
run $S check
expect_rc 0 "the book checks clean after the decisions"

# ---- Costs draw an earmark down; overdrawing is a warning --------------------
B=$(fresh_book_2025)
S="$SAMLA -f $B"
run $S add --date 2026-02-15 --account 4610 --activity SMM --earmark OM-SMM-2026 --amount "545 000" --text "SMM regionala resurser januari"
expect_rc 0 "a cost tagged with OM-SMM-2026 is saved"
expect_eq "$ERR" "" "… without a warning"
run $S earmark show OM-SMM-2026
expect_out_has "Förbrukat (märkta kostnader)                   $(kr '545 000,00')" "show: drawn 545 000,00"
expect_out_has "Kvar                                         $(kr '1 635 000,00')" "show: remaining 1 635 000,00"
expect_out_has "2026:1    2026-02-15  kostnad" "show lists the tagged voucher"

run $S add --date 2026-03-31 --account 5010 --activity FACT --earmark OM-FACT-2026 --amount "900 000" --text "Projektledare FACT ung"
expect_rc 0 "a cost drawing more than remains is saved (a warning, not an error)"
expect_out_has "Sparade verifikation 2026:2" "… as 2026:2"
expect_err_has "varning: ver 2026:2 (2026-03-31) drar $(kr '900 000,00') från öronmärkningen OM-FACT-2026, mer än som återstår: kvar före $(kr '820 000,00'), efter $(kr '-80 000,00')" "… with a clear warning and the figures"
run $S check
expect_rc 0 "check passes with the overdrawn earmark"
expect_err_has "verifikationer.csv:82: varning: ver 2026:2" "… and warns at the voucher's line"
run $S add --date 2026-04-01 --account 3510 --funder STATEN --earmark OM-SMM-2026 --amount 1 --text "fel märkning"
expect_err_has "som är en reservation av överskottet och inte ett bidrag" "income tagged with a reservation is warned about"

# ---- A restricted grant --------------------------------------------------------
B=$(fresh_book_2025)
S="$SAMLA -f $B"
run $S earmark add FAR-2026 --grant --amount "400 000" --purpose "FAR, fysisk aktivitet på recept (statsbidrag)" $DEC "§ 9" --date 2026-01-13 --from 2026-01-01 --to 2026-12-31
expect_rc 0 "a grant earmark is saved"
expect_out_has "bidraget FAR-2026 (beviljat $(kr '400 000,00'))" "… as a grant"
expect_eq "$(grep -c '^FAR-2026;reservera;bidrag;' "$B/oronmarkningar.csv")" 1 "… with Typ bidrag"
run $S add --date 2026-01-14 --account 3510 --funder STATEN --earmark FAR-2026 --amount "400 000" --text "Statsbidrag FAR 2026"
expect_rc 0 "grant income tagged with FAR-2026"
run $S add --date 2026-01-15 --account 7690 --activity GEM --earmark FAR-2026 --amount "125 000,50" --text "FAR-utbildning för vårdpersonal"
expect_rc 0 "a cost tagged with FAR-2026"
run $S earmark show FAR-2026
expect_out_has "Typ: bidrag (bundna medel)" "show: the type is a grant"
expect_out_has "Bidragsintäkter (märkta)                       $(kr '400 000,00')" "show: grant income 400 000,00"
expect_out_has "Kvar (bundet bidrag)                           $(kr '274 999,50')" "show: restricted remainder 274 999,50"
expect_out_has "Ackumulerat överskott 2026-01-15             $(kr '7 076 235,95')" "the surplus includes the unspent grant"
expect_out_has "varav bundna bidrag                          $(kr '274 999,50')" "… shown apart as restricted grant money"
expect_out_has "varav reserverat (beslut)                  $(kr '3 000 000,00')" "… reservations apart from it"
expect_out_has "varav ej öronmärkt (fritt)                 $(kr '3 801 236,45')" "… and the free surplus unchanged at 3 801 236,45"
run $S earmark add OM-Y --amount "3 801 236,46" --purpose "Test" $DEC "§ 1" --date 2026-01-15
expect_rc 1 "unspent grant money cannot be reserved as if it were free"
expect_err_has "Bundna bidrag (ej fritt)" "… the refusal shows the grant apart"
run $S check
expect_rc 0 "the book with a grant checks clean"
expect_eq "$ERR" "" "… without warnings"

# ---- Earmark decisions stay consistent, in every order of events (issue 12) --
# A close or release dated before costs already marked on the earmark is
# refused with those vouchers named; a cost marked on or after a close is
# refused (what a close released never changes); the close's summary line,
# `earmarks` and its warnings agree; an earmark overdrawn at its close shows
# the same negative Återstår on its row and in the Summa row.
B=$(fresh_book_2025)
S="$SAMLA -f $B"
# book_same DIR: every file of the book is byte-identical to DIR's copy.
snapshot() { rm -rf "$TMPROOT/snap"; mkdir "$TMPROOT/snap"; cp "$B"/*.csv "$TMPROOT/snap/"; }
book_same() {
    same=1
    for f in "$TMPROOT"/snap/*; do cmp -s "$f" "$B/$(basename "$f")" || same=0; done
    [ "$(ls "$B"/*.csv | wc -l)" -eq "$(ls "$TMPROOT"/snap/* | wc -l)" ] || same=0
    expect_eq "$same" 1 "$1"
}
# row CODE: the earmark's row of `earmarks --at 2026-12-31` as CSV.
row() { $S earmarks --at 2026-12-31 --format csv 2>/dev/null | grep "^$1;" | cut -d';' -f4-7; }
sumrow() { $S earmarks --at 2026-12-31 --format csv 2>/dev/null | grep '^;Summa;' | cut -d';' -f4-7; }

# Mark, then close (or release) dated before the marks: refused.
run $S add --date 2026-01-10 --account 5010 --activity FACT --earmark OM-FACT-2026 --amount "100 000" --text "Projektledare FACT januari"
expect_rc 0 "order 1: a cost dated 2026-01-10 is marked on OM-FACT-2026"
snapshot
run $S earmark close OM-FACT-2026 $DEC "§ 5" --date 2026-01-09
expect_rc 1 "order 1: closing dated 2026-01-09, before the marked cost, is refused"
expect_err_has "OM-FACT-2026 har 1 märkt verifikation daterad efter beslutsdatumet 2026-01-09" "… saying why"
expect_err_has "2026:1    2026-01-10         $(kr '100 000,00')  Projektledare FACT januari" "… naming the voucher, its date, amount and text"
expect_err_has "inget sparades" "… and that nothing was saved"
book_same "order 1: the book is byte-identical after the refused close"
run $S earmark release OM-FACT-2026 --amount "1 000" $DEC "§ 5" --date 2026-01-09
expect_rc 1 "order 1: a release dated before the marked cost is refused too"
expect_err_has "2026:1    2026-01-10" "… naming the voucher"
book_same "order 1: the book is byte-identical after the refused release"

# Close after the marks: the summary, the table and `earmark show` agree.
run $S earmark close OM-FACT-2026 $DEC "§ 5" --date 2026-01-12
expect_rc 0 "order 2: closing after the marked cost is saved"
expect_out_has "det som återstod, $(kr '720 000,00'), frigörs" "… its summary releases 720 000,00"
expect_out_has "Frigjort                                       $(kr '720 000,00')" "… and the state it prints says Frigjort 720 000,00"
expect_eq "$(row OM-FACT-2026)" "820000,00;720000,00;100000,00;0,00" "order 2: earmarks: Beslutat 820 000, Frigjort 720 000 (= the summary), Förbrukat 100 000, Återstår 0"
run $S earmarks --at 2026-12-31
expect_eq "$ERR" "" "order 2: … with no warning"

# Close, then mark after (or on) the close date: refused; Frigjort unchanged.
snapshot
run $S add --date 2026-01-14 --account 5010 --activity FACT --earmark OM-FACT-2026 --amount "45" --text "Sen kostnad"
expect_rc 1 "order 3: a cost marked on the earmark dated after its close is refused"
expect_err_has "är märkt med öronmärkningen OM-FACT-2026, som avslutades 2026-01-12" "… saying it was closed and when"
book_same "order 3: the book is byte-identical after the refused cost"
run $S add --date 2026-01-12 --account 5010 --activity FACT --earmark OM-FACT-2026 --amount "45" --text "Sen kostnad"
expect_rc 1 "order 3: a cost marked dated on the close day, after the close was saved, is refused"
book_same "order 3: … book byte-identical"
expect_eq "$(row OM-FACT-2026)" "820000,00;720000,00;100000,00;0,00" "order 3: Frigjort is still 720 000,00"
run $S add --date 2026-01-14 --account 5010 --activity FACT --amount "45" --text "Sen kostnad"
expect_rc 0 "order 3: the same cost without the earmark is saved"
run $S reverse 2026:1 --date 2026-01-15 --yes
expect_rc 0 "order 3: a correction of a marked cost after the close is saved (it repeats the tag)"
expect_eq "$ERR" "" "… without a warning"
expect_eq "$(row OM-FACT-2026)" "820000,00;720000,00;100000,00;0,00" "order 3: the correction is not counted on the closed earmark: Frigjort still 720 000,00"

# Overdrawn at its close: the row and the Summa row agree.
run $S add --date 2026-01-13 --account 4610 --activity SMM --earmark OM-SMM-2026 --amount "2 180 050" --text "SMM regionala resurser"
expect_rc 0 "order 4: a cost overdrawing OM-SMM-2026 by 50,00 is saved"
expect_err_has "efter $(kr '-50,00')" "… with the overdraw warning"
run $S earmark close OM-SMM-2026 $DEC "§ 6" --date 2026-01-14
expect_rc 0 "order 4: closing the overdrawn earmark is saved"
expect_out_has "den är överdragen med $(kr '50,00'), så inget frigörs" "… its summary says nothing is released"
expect_out_has "Kvar                                               $(kr '-50,00')" "… and its state shows Kvar −50,00"
expect_eq "$(row OM-SMM-2026)" "2180000,00;0,00;2180050,00;-50,00" "order 4: earmarks row: Frigjort 0, Förbrukat 2 180 050, Återstår −50,00"
expect_eq "$(sumrow)" "3000000,00;720000,00;2280050,00;-50,00" "order 4: Summa row: Återstår −50,00 = 0,00 + −50,00 (the rows' sum)"
run $S earmarks --at 2026-12-31
expect_out_has "Varning: öronmärkningen OM-SMM-2026 avslutades 2026-01-14 överdragen med $(kr '50,00')" "order 4: the report warns about the overdrawn close"
expect_eq "$($S earmarks --at 2026-12-31 --format csv 2>/dev/null | grep '^Ej öronmärkt' | tr -d '\r')" "Ej öronmärkt (fritt överskott);4621141,45" "order 4: free surplus = 6 801 236,45 − 2 180 095,00 (net costs; 100 000 reversed), nothing earmarked"
run $S check
expect_rc 0 "the book checks after every order of events"
