#!/bin/sh
# tests/e2e/example_book.sh - the example book (ledgers/samla) is what samla
# writes, and holds the figures ledgers/samla/README.md states.
#
#  - its 2026 (Q1–Q3) is entered again into its 2025 state with samla's own
#    commands (tests/example/build-2026.sh): the journal and the earmark
#    decisions come out byte-identical to the committed files, apart from
#    nothing (the script sets the registration times and the user);
#  - the 2025 figures are the published ones, unchanged;
#  - the 2026 figures per quarter, the earmarks at each quarter's end and
#    the free surplus are exact to the öre.
. "$(dirname "$0")/../lib.sh"

# ---- The book is what the program writes ----------------------------------
R=$TMPROOT/rebuilt
SAMLA="$SAMLA" sh "$ROOT/tests/example/build-2026.sh" --state-2025 "$R"
n=$(awk 'END { print NR }' "$R/verifikationer.csv")
expect_eq "$n" 80 "the 2025 state holds the 79 entries of 2025 (and the heading)"
SAMLA="$SAMLA" sh "$ROOT/tests/example/build-2026.sh" "$R"
expect_eq "$?" 0 "2026 Q1–Q3 is entered with samla's commands"
for f in verifikationer.csv oronmarkningar.csv budget.csv finansiarer.csv bokslut.csv rapporterat.csv kommentarer.csv; do
    expect_same_file "$R/$f" "$ROOT/ledgers/samla/$f" "$f comes out byte-identical to the example book's"
done

B=$(fresh_book)
run $SAMLA -f "$B" check
expect_rc 0 "the example book checks clean"
expect_out_has "140 verifikationer (2025–2026)" "… 79 entries for 2025 and 61 for 2026"
expect_eq "$ERR" "" "… without a warning"

# cells CMD...: the exact values of a report (JSON), one
# "code|label|column=value" a line; balance columns are p1, p2, ... and total.
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
# has LINE TEXT: the report's cells hold LINE
has() {
    case "$CELLS" in *"$1"*) ok "$2" ;; *) not_ok "$2" "lacks: $1" ;; esac
}

# ---- 2025: the published figures, unchanged ---------------------------------
CELLS=$(cells $SAMLA -f "$B" result 2025)
has "|Summa intäkter|amount=3656403.50" "2025 income 3 656 403,50"
has "|Summa kostnader|amount=4934608.22" "2025 costs 4 934 608,22"
has "|Utgående ackumulerat överskott|amount=6801236.45" "closing 2025 6 801 236,45"

# ---- 2026 per quarter ----------------------------------------------------------
CELLS=$(cells $SAMLA -f "$B" balance --period 2026 --by quarter --rows activity)
has "|Summa intäkter|p1=888591.25" "Q1 income 888 591,25"
has "|Summa intäkter|p2=1268747.50" "Q2 income 1 268 747,50 (HSNV's 600 000,00 to the clinic)"
has "|Summa intäkter|p3=888591.25" "Q3 income 888 591,25"
has "|Summa kostnader|p1=1141464.90" "Q1 costs 1 141 464,90"
has "|Summa kostnader|p2=1142862.30" "Q2 costs 1 142 862,30"
has "|Summa kostnader|p3=1116389.60" "Q3 costs 1 116 389,60"
has "|Resultat (intäkter − kostnader)|total=-354786.80" "result Q1–Q3 −354 786,80"
has "SMM|Socialmedicinsk mottagning|total=1856912.50" "the clinic's costs Q1–Q3 1 856 912,50"
has "KOMM|Kommunikatör|p2=5040.00" "KOMM Q2 5 040,00 after the correction"
CELLS=$(cells $SAMLA -f "$B" balance --period 2026 --rows funder)
has "STATEN|Staten|p1=439687.50" "state grant 439 687,50"
has "HSNV|Hälso- och sjukvårdsnämnden Västra|p1=1603121.25" "HSNV 1 603 121,25"
has "LERUM|Lerums kommun|p1=506501.25" "Lerum 506 501,25"
has "ALINGSAS|Alingsås kommun|p1=496620.00" "Alingsås 496 620,00"

# ---- Earmarks and the free surplus at each quarter's end ---------------------
CELLS=$(cells $SAMLA -f "$B" earmarks --at 2026-03-31)
has "OM-SMM-2026|Delfinansiering av socialmedicinsk mottagning 2026|drawn=616312.50" "2026-03-31: the clinic drew 616 312,50"
has "|Ej öronmärkt (fritt överskott)|amount=4177053.75" "2026-03-31: free 4 177 053,75"
CELLS=$(cells $SAMLA -f "$B" earmarks --at 2026-06-30)
has "OM-FACT-2026|Projektledare för mobilt team barn och unga (FACT ung) 2026|remaining=400525.60" "2026-06-30: FACT ung has 400 525,60 left"
has "|Ej öronmärkt (fritt överskott)|amount=5167719.15" "2026-06-30: free 5 167 719,15"
CELLS=$(cells $SAMLA -f "$B" earmarks --at 2026-09-30)
has "OM-SMM-2026|Delfinansiering av socialmedicinsk mottagning 2026|remaining=323087.50" "2026-09-30: the clinic has 323 087,50 left"
has "OM-FACT-2026|Projektledare för mobilt team barn och unga (FACT ung) 2026|remaining=196714.00" "2026-09-30: FACT ung has 196 714,00 left"
has "SB-PSYK-2026|" "the state grant is an earmark"
case "$CELLS" in
*"SB-PSYK-2026|"*"|reserved=439687.50"*) ok "… holding the grant income 439 687,50" ;;
*) not_ok "… holding the grant income 439 687,50" "$CELLS" ;;
esac
case "$CELLS" in
*"SB-PSYK-2026|"*"|remaining=361772.00"*) ok "… of which 361 772,00 unspent and bound" ;;
*) not_ok "… of which 361 772,00 unspent and bound" "$CELLS" ;;
esac
has "|Ackumulerat överskott|amount=6446449.65" "2026-09-30: accumulated surplus 6 446 449,65"
has "|Varav öronmärkt (beslut om reservation)|amount=519801.50" "2026-09-30: earmarked (reservations) 519 801,50"
has "|Varav bundna bidrag (ej förbrukat)|amount=361772.00" "2026-09-30: bound grants 361 772,00 on a line of their own"
# Each kind has its own sum; "öronmärkt" never adds the grant to the
# reservations (519 801,50 everywhere, never 881 573,50).
has "|Summa öronmärkt överskott|reserved=3000000.00" "2026-09-30: the reservations' own sum: 3 000 000,00 decided …"
has "|Summa öronmärkt överskott|remaining=519801.50" "… of which 519 801,50 remains, as the surplus table's Varav öronmärkt"
has "|Summa bundna bidrag|remaining=361772.00" "… and the grants' own sum, 361 772,00 remaining"
case "$CELLS" in
*"881573.50"*) not_ok "no view sums reservations and grants (881 573,50)" "$CELLS" ;;
*) ok "no view sums reservations and grants (881 573,50)" ;;
esac
has "|Ej öronmärkt (fritt överskott)|amount=5564876.15" "2026-09-30: free 5 564 876,15 (the unspent grant is not free)"
run $SAMLA -f "$B" earmark show SB-PSYK-2026 --date 2026-09-30
expect_out_has "Typ: bidrag (bundna medel)" "the grant is shown as restricted money"

# ---- Comments on the follow-up (kommentarer.csv) -------------------------------
CELLS=$(cells $SAMLA -f "$B" budget 2026 --at 2026Q3)
has "SMM|Socialmedicinsk mottagning|comment=Sjuksköterska 60 % vakant hela året" "per 2026-09-30 SMM carries the July comment's replacement"
has "PROC|Processledare|comment=Överlapp vid byte av processledare" "… PROC the comment on 2026Q3"
has "GEM|Gemensamma kostnader (övrigt)|comment=Konferensen i maj blev dyrare" "… GEM the comment on the year"
CELLS=$(cells $SAMLA -f "$B" budget 2026 --at 2026-12-31)
case "$CELLS" in *"PROC|Processledare|comment="*) not_ok "per 2026-12-31 PROC has no comment (it was for 2026Q3)" ;;
    *) ok "per 2026-12-31 PROC has no comment (it was for 2026Q3)" ;; esac
