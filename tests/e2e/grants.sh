#!/bin/sh
# tests/e2e/grants.sh - restricted grants (issue 12, item 5): the example
# book books the state grant for psychiatric health and suicide prevention
# as a grant earmark (SB-PSYK-2026), and every report that splits the
# accumulated surplus - surplus, earmarks, the budget follow-up - shows the
# unspent grant apart as bound, never as free surplus.
. "$(dirname "$0")/../lib.sh"

cells() {
    "$@" --format json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
for t in d["tables"]:
    for r in t["rows"]:
        for k, v in sorted((r.get("cells") or {}).items()):
            if isinstance(v, str):
                print("%s|%s|%s=%s" % (r.get("code") or "", r["label"], k, v))'
}
has() {
    case "$CELLS" in *"$1"*) ok "$2" ;; *) not_ok "$2" "lacks: $1" ;; esac
}

B=$(fresh_book)

# ---- The example books the grant as a grant earmark ----------------------------
row=$(grep '^SB-PSYK-2026;reservera;' "$B/oronmarkningar.csv" | cut -d';' -f3)
expect_eq "$row" "bidrag" "SB-PSYK-2026 is a grant earmark (Typ bidrag)"
n=$(grep -c ';3510;;STATEN;SB-PSYK-2026;' "$B/verifikationer.csv")
expect_eq "$n" 2 "both 2026 payments of the state grant are tagged with it"
n=$(awk -F';' '$3 == 3510 && $2 ~ /^2026/ && $6 != "SB-PSYK-2026"' "$B/verifikationer.csv" | wc -l)
expect_eq "$n" 0 "no 2026 state grant income is booked as free income"

# ---- surplus: bound apart ------------------------------------------------------
CELLS=$(cells $SAMLA -f "$B" surplus --at 2026-09-30)
has "|2026 (t.o.m. 2026-09-30)|bound=361772.00" "surplus 2026: the unspent grant 361 772,00 is bound"
has "|2026 (t.o.m. 2026-09-30)|earmarked=519801.50" "… apart from the reservations 519 801,50"
has "|2026 (t.o.m. 2026-09-30)|free=5564876.15" "… and the free surplus 5 564 876,15 excludes both"
has "|2025|bound=0.00" "2025 has no bound grant"
has "|2025|free=3801236.45" "2025 free surplus unchanged, 3 801 236,45"

# ---- earmarks and the budget follow-up agree ----------------------------------
# (The earmarks report lists the grant after the reservations with its own
# sum; its surplus table has the same Varav lines as the budget follow-up.)
CELLS=$(cells $SAMLA -f "$B" earmarks --at 2026-09-30)
has "SB-PSYK-2026|Statsbidrag psykisk hälsa och suicidprevention 2026: MHFA-utbildning och delregional samordnare för suicidprevention, bundet till ändamålet|remaining=361772.00" "earmarks: the grant's unspent 361 772,00 on its own row"
has "|Ej öronmärkt (fritt överskott)|amount=5564876.15" "earmarks: free 5 564 876,15"
has "|Varav bundna bidrag (ej förbrukat)|amount=361772.00" "earmarks: bound grants 361 772,00, as in the budget follow-up"
has "|Varav öronmärkt (beslut om reservation)|amount=519801.50" "earmarks: earmarked 519 801,50, as in the budget follow-up"
CELLS=$(cells $SAMLA -f "$B" budget 2026 --at 2026-09-30)
has "|Summa bundna bidrag|" "budget follow-up: the grants have their own sum"
has "|Varav öronmärkt (beslut om reservation)|amount=519801.50" "budget follow-up: earmarked 519 801,50"
has "|Varav bundna bidrag (ej förbrukat)|amount=361772.00" "budget follow-up: bound grants 361 772,00 on a line of their own"
has "|Ej öronmärkt (fritt överskott)|amount=5564876.15" "budget follow-up: free 5 564 876,15"
has "SB-PSYK-2026|" "budget follow-up: the grant earmark is listed with the earmarks"

# ---- More state money tagged with the grant never becomes free ----------------
run $SAMLA -f "$B" add --date 2026-09-30 --account 3510 --funder STATEN --earmark SB-PSYK-2026 --amount "100 000" --text "Statsbidrag, tilläggsutbetalning"
expect_rc 0 "a further grant payment tagged with the grant earmark is booked"
CELLS=$(cells $SAMLA -f "$B" surplus --at 2026-09-30)
has "|2026 (t.o.m. 2026-09-30)|bound=461772.00" "the bound grant grows by the payment: 461 772,00"
has "|2026 (t.o.m. 2026-09-30)|free=5564876.15" "the free surplus is unchanged: 5 564 876,15"
CELLS=$(cells $SAMLA -f "$B" budget 2026 --at 2026-09-30)
has "|Ej öronmärkt (fritt överskott)|amount=5564876.15" "the budget follow-up's free surplus is unchanged too"
# Spending it moves money from bound to spent, still never free.
run $SAMLA -f "$B" add --date 2026-09-30 --account 7610 --activity MHFA --earmark SB-PSYK-2026 --amount "40 000" --text "MHFA-utbildning 4"
expect_rc 0 "a cost drawing on the grant is booked"
CELLS=$(cells $SAMLA -f "$B" surplus --at 2026-09-30)
has "|2026 (t.o.m. 2026-09-30)|bound=421772.00" "the cost draws the bound grant down: 421 772,00"
has "|2026 (t.o.m. 2026-09-30)|free=5564876.15" "… and the free surplus stays 5 564 876,15"

# ---- A reservation saved after the grant (later in oronmarkningar.csv) is
# still listed and summed with the reservations, before the grant
# (report_earmark_order) ------------------------------------------------------
run $SAMLA -f "$B" earmark add OM-NY-2026 --amount "10 000" --purpose "Ny reservation" --decided-by Samordningsgruppen --date 2026-01-10 --paragraph "§ 3"
expect_rc 0 "a reservation saved after the grant is saved"
ORDER=$($SAMLA -f "$B" earmarks --at 2026-09-30 --format csv | cut -d';' -f1,2 | grep -E '^(OM-|SB-|;Summa)' | cut -c1-30 | tr '\n' ' ')
case "$ORDER" in
"OM-SMM-2026;"*"OM-FACT-2026;"*"OM-NY-2026;"*"SB-PSYK-2026;"*";Summa öronmärkt överskott "*";Summa bundna bidrag "*) ok "earmarks: the reservations (the new one too), then the grant, then each kind's sum" ;;
*) not_ok "earmarks: the reservations (the new one too), then the grant, then each kind's sum" "$ORDER" ;;
esac
CELLS=$(cells $SAMLA -f "$B" earmarks --at 2026-09-30)
has "|Summa öronmärkt överskott|remaining=529801.50" "the reservations' sum takes the new one: 529 801,50"
has "|Varav öronmärkt (beslut om reservation)|amount=529801.50" "… equal to the surplus table's Varav öronmärkt"
CELLS=$(cells $SAMLA -f "$B" budget 2026 --at 2026-09-30)
has "|Summa öronmärkt överskott|remaining=529801.50" "budget follow-up: the same reservations' sum 529 801,50"
