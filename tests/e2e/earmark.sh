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
expect_rc 2 "a code with a space is a usage error"
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
