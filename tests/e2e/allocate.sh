#!/bin/sh
# tests/e2e/allocate.sh - allocation by population (issue 12, item 4):
#  - `samla allocate` reproduces the example book's municipal contributions
#    (budget.csv, 15,20 and 15,50 kr per inhabitant) to the öre, and
#    --set-budget writes them through the budget code unchanged;
#  - a shared cost is booked as one entry per municipality (Finansiär) in
#    one write, and the parts sum exactly to the amount;
#  - invanare.csv: the reader's rules (a municipality, above zero, one row
#    per year), the writer (`allocate population`), the fallback to
#    finansiarer.csv;
#  - `activity SMM --per-municipality`: each row's parts sum to its total.
. "$(dirname "$0")/../lib.sh"

# json CMD...: one "code|label|key=value" line per cell of a JSON report.
cells() {
    "$@" --format json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
for t in d["tables"]:
    for r in t["rows"]:
        for k, v in sorted((r.get("cells") or {}).items()):
            print("%s|%s|%s=%s" % (r.get("code") or "", r["label"], k, v))'
}
has() {
    case "$CELLS" in *"$1"*) ok "$2" ;; *) not_ok "$2" "lacks: $1" "$CELLS" ;; esac
}

B=$(fresh_book)

# ---- The contributions of the example book ------------------------------------
CELLS=$(cells $SAMLA -f "$B" allocate 2026 --per-capita 15,50)
has "LERUM|Lerums kommun|amount=675335.00" "2026: Lerum 43 570 × 15,50 = 675 335,00"
has "ALINGSAS|Alingsås kommun|amount=662160.00" "2026: Alingsås 42 720 × 15,50 = 662 160,00"
has "LERUM|Lerums kommun|q1=168833.75" "2026: Lerum per quarter 168 833,75"
has "LERUM|Lerums kommun|q4=168833.75" "… in each quarter"
has "ALINGSAS|Alingsås kommun|q3=165540.00" "2026: Alingsås per quarter 165 540,00"
has "|Summa|amount=1337495.00" "2026: together 1 337 495,00"
CELLS=$(cells $SAMLA -f "$B" allocate 2025 --per-capita 15,20)
has "LERUM|Lerums kommun|q2=165566.00" "2025: Lerum per quarter 165 566,00 (15,20 kr)"
has "ALINGSAS|Alingsås kommun|q2=162336.00" "2025: Alingsås per quarter 162 336,00"
has "ALINGSAS|Alingsås kommun|amount=649344.00" "2025: Alingsås per year 649 344,00"

# The budget lines written by --set-budget are the example's, byte for byte.
cp "$B/budget.csv" "$TMPROOT/budget.before"
run $SAMLA -f "$B" allocate 2026 --per-capita 15,50 --set-budget
expect_rc 0 "allocate 2026 --per-capita 15,50 --set-budget exits 0"
expect_out_has "Sparade 2 budgetrader" "… and says it saved two budget lines"
expect_same_file "$B/budget.csv" "$TMPROOT/budget.before" "… which are the example's 2026 contributions exactly (budget.csv unchanged)"
run $SAMLA -f "$B" allocate 2025 --per-capita 15,20 --set-budget
expect_same_file "$B/budget.csv" "$TMPROOT/budget.before" "the 2025 contributions (15,20 kr) are the example's too"

# Another rate changes exactly the two lines and the text says the rate.
run $SAMLA -f "$B" allocate 2026 --per-capita 16 --set-budget
expect_rc 0 "a new rate 16,00 is saved"
line=$(grep '^2026;intäkt;LERUM;' "$B/budget.csv" | tr -d '\r')
expect_eq "$line" "2026;intäkt;LERUM;;174280,00;174280,00;174280,00;174280,00;;16,00 kr per invånare;" "Lerum 2026 becomes 4 × 174 280,00 = 43 570 × 16,00"
run $SAMLA -f "$B" check
expect_rc 0 "the book checks clean after --set-budget"

# --total: an amount split by population, largest remainder.
CELLS=$(cells $SAMLA -f "$B" allocate 2026 --total 100000)
# 10 000 000 öre × 43 570 / 86 290 = 5 049 252,52 öre, × 42 720 / 86 290 =
# 4 950 747,47 öre: the one öre left goes to the larger remainder (Lerum).
has "LERUM|Lerums kommun|amount=50492.53" "100 000,00 by population: Lerum 50 492,53 (the öre left over to the larger remainder)"
has "ALINGSAS|Alingsås kommun|amount=49507.47" "… Alingsås 49 507,47"

# ---- A shared cost: one entry per municipality, one write --------------------------
B=$(fresh_book)
n0=$(awk 'END { print NR }' "$B/verifikationer.csv")
run $SAMLA -f "$B" allocate --amount "12 345,67" --account 7690 --activity KONF --text "Konferenslokal, delad" --date 2026-10-15 --doc "Faktura 77"
expect_rc 0 "allocate --amount books a shared cost"
expect_out_has "2026:62" "… as voucher 2026:62"
expect_out_has "2026:63" "… and 2026:63"
n1=$(awk 'END { print NR }' "$B/verifikationer.csv")
expect_eq "$((n1 - n0))" 2 "two entries were appended, one per municipality"
tail -2 "$B/verifikationer.csv" | tr -d '\r' | cut -d';' -f1-8 >"$TMPROOT/shared"
printf '%s\n' "62;2026-10-15;7690;KONF;LERUM;;6233,64;Konferenslokal, delad" \
    "63;2026-10-15;7690;KONF;ALINGSAS;;6112,03;Konferenslokal, delad" >"$TMPROOT/shared.want"
expect_same_file "$TMPROOT/shared" "$TMPROOT/shared.want" "the entries carry the municipality in Finansiär: 6 233,64 + 6 112,03"
CELLS=$(cells $SAMLA -f "$B" list --period 2026-10-15)
has "|Summa kostnader|amount=12345.67" "the shared cost sums exactly to 12 345,67"
run $SAMLA -f "$B" check
expect_rc 0 "the book with the shared cost checks clean"
expect_eq "$ERR" "" "… without a warning"

# A reversal of one part and a negative amount split into exact opposites.
run $SAMLA -f "$B" allocate --amount "-12 345,67" --account 7690 --activity KONF --text "Återbetalning" --date 2026-10-20 --dry-run
expect_rc 0 "a negative shared amount can be shown (--dry-run)"
NB=$(printf '\302\240')
expect_out_has "−6${NB}233,64" "… Lerum's part is −6 233,64"
expect_out_has "Inget sparades (--dry-run)" "… and --dry-run saves nothing"
n2=$(awk 'END { print NR }' "$B/verifikationer.csv")
expect_eq "$n2" "$n1" "the journal is unchanged after --dry-run"

# Refusals change nothing.
cp "$B/verifikationer.csv" "$TMPROOT/j.before"
run $SAMLA -f "$B" allocate --amount 100 --account 3531 --activity KONF --text x --date 2026-10-15
expect_rc 1 "an income account is refused"
expect_err_has "intäktskonto" "… saying --amount shares a cost"
run $SAMLA -f "$B" allocate --amount 100 --account 7690 --activity KONFF --text x --date 2026-10-15
expect_rc 1 "an unknown activity is refused"
expect_err_has 'menade du KONF' "… with the nearest code"
run $SAMLA -f "$B" allocate --amount 100 --account 7690 --activity KONF --text x --date 2027-01-15
expect_rc 1 "a year without populations is refused"
expect_err_has "invånarantal saknas för 2027" "… naming the year"
run $SAMLA -f "$B" allocate --amount 0 --account 7690 --activity KONF --text x --date 2026-10-15
expect_rc 1 "a zero amount is refused"
expect_err_has "inget att fördela" "… with nothing to share"
run $SAMLA -f "$B" allocate --amount 100 --activity KONF
expect_rc 2 "missing options are a usage error"
expect_err_has "--account och --text saknas" "… naming each missing option"
expect_same_file "$B/verifikationer.csv" "$TMPROOT/j.before" "refused allocations changed nothing"

# A cost may name a municipality, never another funder.
run $SAMLA -f "$B" add --date 2026-10-15 --account 7690 --activity KONF --funder HSNV --amount 100 --text x
expect_rc 1 "a cost with the region as funder is still refused"
expect_err_has "på en kostnad får bara en kommun stå" "… saying only a municipality may stand on a cost"

# ---- invanare.csv: writer, reader, fallback ------------------------------------
run $SAMLA -f "$B" allocate population 2027 LERUM 43800 --source "SCB 2026-11-01"
expect_rc 0 "allocate population adds a row"
run $SAMLA -f "$B" allocate population 2027 ALINGSAS 42900 --source "SCB 2026-11-01"
line=$(tail -1 "$B/invanare.csv" | tr -d '\r')
expect_eq "$line" "2027;ALINGSAS;42900;SCB 2026-11-01" "the row is written with its source"
run $SAMLA -f "$B" allocate population 2027 LERUM 43810
expect_rc 0 "a population is changed in place"
n=$(grep -c '^2027;LERUM;' "$B/invanare.csv")
expect_eq "$n" 1 "… still one row for LERUM 2027"
CELLS=$(cells $SAMLA -f "$B" allocate 2027 --per-capita 15,50)
has "LERUM|Lerums kommun|amount=679055.00" "2027 uses the new populations: 43 810 × 15,50"
run $SAMLA -f "$B" allocate population 2027 HSNV 5
expect_rc 1 "a population for the region is refused"
expect_err_has "inte en kommun" "… it is not a municipality"
run $SAMLA -f "$B" allocate population 2027 LERUM 0
expect_rc 2 "a population of zero is a usage error"

# The reader's rules on a hand-edited file.
C=$(fresh_book)
printf '\357\273\277År;Finansiär;Invånare;Källa\r\n2026;LERUM;43570;\r\n2026;LERUM;43571;\r\n2026;HSNV;10;\r\n2026;ALINGSAS;0;\r\n' >"$C/invanare.csv"
run $SAMLA -f "$C" check
expect_rc 1 "a bad invanare.csv fails the check"
expect_err_has "invanare.csv:3:6: fel: invånarantalet för LERUM 2026 finns redan på rad 2" "a second row for a year and municipality is named with its line"
expect_err_has "invanare.csv:4:6: fel: finansiären HSNV är inte en kommun" "a population for a non-municipality is refused"
expect_err_has "invanare.csv:5:" "a population of zero is refused"

# A book with invanare.csv needs each year's rows: no silent fallback.
run $SAMLA -f "$B" allocate 2028 --per-capita 15,50
expect_rc 1 "a year missing from invanare.csv is refused"
expect_err_has "invånarantal saknas för 2028" "… naming the year"

# Without invanare.csv the populations of finansiarer.csv are used.
D=$(fresh_book)
rm "$D/invanare.csv"
CELLS=$(cells $SAMLA -f "$D" allocate 2026 --per-capita 15,50)
has "ALINGSAS|Alingsås kommun|amount=662160.00" "without invanare.csv, finansiarer.csv's Invånare are the fallback"
run $SAMLA -f "$D" allocate 2026 --per-capita 15,50
expect_out_has "Invånare enligt finansiarer.csv" "… and the report says so"

# ---- The clinic per municipality ---------------------------------------------------
B=$(fresh_book)
CELLS=$(cells $SAMLA -f "$B" activity SMM --period 2026 --per-municipality)
has "4610|Köp av verksamhet, region|LERUM=606983.27" "SMM 2026 account 4610: Lerum's part 606 983,27"
has "4610|Köp av verksamhet, region|ALINGSAS=595141.73" "… Alingsås's part 595 141,73"
has "4610|Köp av verksamhet, region|total=1202125.00" "… together the account's 1 202 125,00"
has "|Summa kostnader|total=1856912.50" "the clinic's costs Q1–Q3 1 856 912,50 in total"
has "|Summa kostnader|LERUM=937602.01" "… Lerum 937 602,01"
has "|Summa kostnader|ALINGSAS=919310.49" "… Alingsås 919 310,49 (sum 1 856 912,50)"
has "|Nettokostnad (kostnader − intäkter)|total=1256912.50" "net cost after HSNV's 600 000,00"
# Every row: the municipalities' parts add up to Summa.
bad=$($SAMLA -f "$B" activity SMM --period 2026 --per-municipality --format json | /usr/bin/python3 -c '
import json, sys
from decimal import Decimal
d = json.load(sys.stdin)
bad = 0
for t in d["tables"]:
    for r in t["rows"]:
        c = r.get("cells") or {}
        if c.get("total"):
            parts = sum(Decimal(v) for k, v in c.items() if k != "total")
            bad += parts != Decimal(c["total"])
print(bad)')
expect_eq "$bad" 0 "every row's parts add up exactly to its total"
# A cost booked with a municipality counts wholly for it.
run $SAMLA -f "$B" add --date 2026-10-01 --account 4621 --activity SMM --funder ALINGSAS --amount 1000 --text "Alingsås egen"
expect_rc 0 "a cost with a municipality as funder is booked"
CELLS=$(cells $SAMLA -f "$B" activity SMM --period 2026 --per-municipality)
has "4621|Köp av verksamhet, Alingsås kommun|ALINGSAS=170686.87" "… and counts wholly for Alingsås (169 686,87 + 1 000,00)"
has "4621|Köp av verksamhet, Alingsås kommun|LERUM=173063.13" "… Lerum's part unchanged"
run $SAMLA -f "$B" activity SMM --per-municipality --by quarter
expect_rc 2 "--per-municipality with --by is a usage error"
