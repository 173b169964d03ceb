#!/bin/sh
# End-to-end tests of `samla import FILE.se` (issue 15, item 1) with the
# sample SIE 4 file tests/data/kommun-huvudbok-2025Q4.se (a byte-for-byte
# copy of the synthetic sample in the shared samples folder: #FORMAT PC8,
# CRLF, #DIM/#OBJEKT, balanced #VER blocks with counter rows on 1510/2440)
# and the rules ledgers/samla/importregler-alingsas-sie.csv:
#   - the file is recognised by its head (no --format needed);
#   - the transactions become exactly the entries the CSV extract of the
#     same quarter gives (amounts, signs, activities, funder, texts with
#     CP437 letters and \"), with Underlag = the voucher's series and number;
#   - the counter rows are skipped by rule; importing again adds nothing;
#   - every fault of a hand-written file is named file:line:column and
#     nothing is imported.
. "$(dirname "$0")/../lib.sh"

NAME=kommun-huvudbok-2025Q4.se
cp "$ROOT/tests/data/$NAME" "$TMPROOT/$NAME"
X="$TMPROOT/$NAME"
RULES="$ROOT/ledgers/samla/importregler-alingsas-sie.csv"

rows_from() { tail -n +"$2" "$1" | tr -d '\r' | sed 's/;[0-9a-f]\{64\}$//'; }

B=$(fresh_book)
J="$B/verifikationer.csv"
N0=$(wc -l <"$J")
cp "$J" "$TMPROOT/j0"

run $SAMLA -f "$B" import "$X" --rules "$RULES" --dry-run
expect_rc 0 "a SIE file is recognised by its head and read with the rules"
expect_out_has "7 rader importeras (påverkar resultatet med 99" "seven transactions to import"
expect_out_has "7 hoppas över enligt regel, 0 redan importerade." \
    "… seven transactions to import, the seven counter rows skipped"
expect_out_has "Rad 25 hoppas över (regeln på rad 4" "… a counter row on 1510 skipped by the rule for balance-sheet accounts"
expect_same_file "$J" "$TMPROOT/j0" "… the dry run changed nothing"

run $SAMLA -f "$B" import "$X" --rules "$RULES" --yes
expect_rc 0 "the SIE import succeeds"
expect_out_has "Importerade 7 verifikationer: 2025:80–2025:86." "… seven entries"
got=$(rows_from "$J" $((N0 + 1)))
S="2026-01-15T10:00:00Z;testare;import $NAME"
want="80;2025-12-15;3532;;ALINGSAS;;310000,00;Fakturerat bidrag 2025, Alingsås andel;Alingsås kommun ver K 414002;;$S:24
81;2025-10-31;4621;SMM;;;38083,33;Socionom 100 % oktober;Alingsås kommun ver L 412877;;$S:29
82;2025-11-21;7610;KONF;;;86450,00;\"Konferens 21/11 \"\"Tillsammans med ny kraft\"\", lokal och förtäring\";Alingsås kommun ver L 413230;;$S:34
83;2025-11-30;4621;SMM;;;38083,33;Socionom 100 % november;Alingsås kommun ver L 413502;;$S:39
84;2025-11-28;7610;KONF;;;-2500,00;Kreditering föreläsararvode konferens;Alingsås kommun ver L 413611;;$S:44
85;2025-12-31;4621;SMM;;;38083,34;Socionom 100 % december;Alingsås kommun ver L 414390;;$S:49
86;2025-12-31;4621;SMM;;;12000,00;Lokalbidrag Q4 mottagning Alingsås;Alingsås kommun ver L 414391;;$S:54"
expect_eq "$got" "$want" "the entries are exact: CP437 å ä ö decoded, \\\" kept, income sign flipped, Underlag = series and number"
run $SAMLA -f "$B" check
expect_rc 0 "the book checks clean after the SIE import"

# The same figures as the CSV extract of the same quarter gives.
B2=$(fresh_book)
$SAMLA -f "$B2" import "$ROOT/tests/data/kommun-huvudboksutdrag-2025Q4.csv" \
    --rules "$ROOT/ledgers/samla/importregler-alingsas.csv" --yes >/dev/null
a=$($SAMLA -f "$B" result 2025 --format json)
b=$($SAMLA -f "$B2" result 2025 --format json)
expect_eq "$a" "$b" "the SIE file and the CSV extract of the quarter give the same result report"
a=$($SAMLA -f "$B" balance --period 2025 --by quarter --rows activity --format json)
b=$($SAMLA -f "$B2" balance --period 2025 --by quarter --rows activity --format json)
expect_eq "$a" "$b" "… and the same balance by activity and quarter"

cp "$J" "$TMPROOT/j1"
run $SAMLA -f "$B" import "$X" --rules "$RULES" --yes
expect_rc 0 "importing the same SIE file again succeeds"
expect_out_has "7 redan importerade" "… recognising all seven by their fingerprints"
expect_out_has "Inget nytt att importera; boken är oförändrad." "… and saving nothing"
expect_same_file "$J" "$TMPROOT/j1" "… the journal is byte-identical"

# --format sie on a file whose head is not recognised; --format csv on a
# SIE file is refused by the rules (they are for SIE).
printf '\r\n' >"$TMPROOT/lead.se"
cat "$X" >>"$TMPROOT/lead.se"
B3=$(fresh_book)
run $SAMLA -f "$B3" import "$TMPROOT/lead.se" --rules "$RULES" --format sie --yes
expect_rc 0 "--format sie reads a SIE file whatever its head"
run $SAMLA -f "$B3" import "$X" --rules "$RULES" --format csv --yes
expect_rc 1 "--format csv with rules for SIE is refused"
expect_err_has "regelfilen är för SIE-filer men filen är en CSV-fil" "… saying why"
run $SAMLA -f "$B3" import "$X" --rules "$ROOT/ledgers/samla/importregler-alingsas.csv" --yes
expect_rc 1 "a SIE file with rules for CSV is refused"
expect_err_has "importregler-alingsas.csv:6: fel: inställningen \"datumformat\" gäller inte SIE-filer" \
    "… naming the CSV-only setting"

# ---- Encodings: the same file in UTF-8 and Windows-1252 -----------------------
# Recognised (with a note), and the same transactions: their fingerprints
# are those of the PC8 file's, so nothing is imported twice.
iconv -f CP437 -t UTF-8 "$X" >"$TMPROOT/utf8.se"
run $SAMLA -f "$B" import "$TMPROOT/utf8.se" --rules "$RULES" --yes
expect_rc 0 "the sample in UTF-8 is read"
expect_err_has "utf8.se: not: filen anger #FORMAT PC8 men är kodad i UTF-8; den lästes som UTF-8" \
    "… saying it was UTF-8 though it declares PC8"
expect_out_has "7 redan importerade" "… and its transactions are those already imported"
iconv -f CP437 -t WINDOWS-1252 "$X" >"$TMPROOT/w1252.se"
run $SAMLA -f "$B" import "$TMPROOT/w1252.se" --rules "$RULES" --yes
expect_rc 0 "the sample in Windows-1252 is read"
expect_err_has "w1252.se:6: not: filen anger #FORMAT PC8 men å, ä och ö är skrivna som i Windows-1252" \
    "… saying so, with the first line that shows it"
expect_out_has "7 redan importerade" "… the same transactions"
printf 'inställning;kodning;utf-8;;;;;;;;\r\n' | cat "$RULES" - >"$TMPROOT/rules-utf8.csv"
run $SAMLA -f "$B" import "$TMPROOT/w1252.se" --rules "$TMPROOT/rules-utf8.csv" --yes
expect_rc 1 "rules that insist on UTF-8 refuse a Windows-1252 file"
expect_err_has "w1252.se:6:15: fel: ogiltig UTF-8 (byte 0xE5) fast regelfilen säger kodning utf-8" \
    "… at the first byte that is not UTF-8"
expect_same_file "$J" "$TMPROOT/j1" "the journal is still unchanged"

# ---- Faults of a hand-written file: all named, nothing imported -------------------
B5=$(fresh_book)
cp "$B5/verifikationer.csv" "$TMPROOT/j5"
printf '%s\r\n' '#FLAGGA 0' '#FORMAT PC8' '#SIETYP 4' '#DIM 6 "Projekt"' \
    '#OBJEKT 6 "SAMLA-SMM" "Socialmedicinsk mottagning"' \
    '#VER "L" 1 20251031 "Obalanserad"' '{' \
    '#TRANS 4621 {6 "SAMLA-SMM"} 100.00' '#TRANS 2440 {} -90.00' '}' \
    '#VER "L" 2 20251031 "Okänd dimension"' '{' \
    '#TRANS 4621 {7 "X"} 5.00' '#TRANS 2440 {} -5.00' '}' \
    '#VER "L" 3 20251031 "Oavslutad' '{' '#TRANS 4621 {} 1.00' '#TRANS 2440 {} -1.00' '}' \
    '#VER "L" 4 20251031 "Klammer"' '{' '#TRANS 4621 {6 "SAMLA-SMM" 1.00' \
    '#TRANS 2440 {} -1.00' '}' >"$TMPROOT/faults.se"
run $SAMLA -f "$B5" import "$TMPROOT/faults.se" --rules "$RULES" --yes
expect_rc 1 "a SIE file with faults is refused"
expect_err_has "faults.se:6: fel: verifikationen L 1 är inte balanserad: raderna summerar till 10.00, inte 0" \
    "an unbalanced #VER is named by its line"
expect_err_has "faults.se:16:21: fel: citattecknet öppnas men stängs aldrig på raden" \
    "an unterminated string by line and column"
expect_err_has "faults.se:23:13: fel: obalanserade klammerparenteser: { i kolumn 13 stängs aldrig med }" \
    "an unbalanced brace by line and column"
expect_err_has "faults.se:13:14: fel: okänd dimension 7: den är inte deklarerad med #DIM" \
    "an undeclared dimension by line and column"
expect_err_has "samla import: inget importerades" "… and nothing is imported"
expect_same_file "$B5/verifikationer.csv" "$TMPROOT/j5" "… the journal is unchanged"

# A transaction no rule decides: named with its record as written.
grep -v 'Konto=2\*' "$RULES" >"$TMPROOT/rules-no2.csv"
run $SAMLA -f "$B5" import "$X" --rules "$TMPROOT/rules-no2.csv" --yes
expect_rc 1 "a transaction no rule decides stops the import"
expect_err_has "$NAME:30: fel: ingen regel passar raden: #TRANS 2440 {} -38083.33" \
    "… naming it file:line with the record as written"
expect_err_has "6 rader saknar regel; inget importerades" "… counting the rows without a rule"
expect_same_file "$B5/verifikationer.csv" "$TMPROOT/j5" "… and importing nothing"

# A rule that names a dimension the file does not declare.
printf 'regel;;;Objekt:9=X;4621;SMM;;;;;\r\n' | cat "$RULES" - >"$TMPROOT/rules-dim9.csv"
run $SAMLA -f "$B5" import "$X" --rules "$TMPROOT/rules-dim9.csv" --yes
expect_err_has "rules-dim9.csv:10:9: fel: kolumnen \"Objekt:9\" finns inte i SIE-filens transaktioner (kolumner: Datum, Konto, Belopp, Text, Serie, Verifikation, Vertext, Transtext, Objekt:1, Objekt:6)" \
    "a condition on an undeclared dimension names the file's columns"

# ---- A file of 50 000 vouchers, generated here ------------------------------------
# (2 000 under `make valgrind`, where every samla run is some fifty times
# slower: the same paths, a smaller file.)
NV=50000
[ -n "${SAMLA_VALGRIND:-}" ] && NV=2000
total=$(/usr/bin/python3 "$ROOT/tests/e2e/sie_gen.py" vouchers $NV "$TMPROOT/big.se")
B6=$(fresh_book_2025)
# Without the example's earmarks, which so many random costs would overdraw.
# (and without the budget lines' Öronmärkning, which names them)
head -n 1 "$B6/oronmarkningar.csv" >"$TMPROOT/om" && mv "$TMPROOT/om" "$B6/oronmarkningar.csv"
sed -i 's/;OM-[A-Z]*-2026\r$/;\r/' "$B6/budget.csv"
cat >"$TMPROOT/rules-big.csv" <<'RULES'
Typ;Inställning;Värde;Villkor;Konto;Verksamhet
inställning;filformat;sie;;;
hoppa över;;;Konto=2440;;
regel;;;Objekt:6=SAMLA-SMM;4621;SMM
regel;;;Objekt:6=SAMLA-KONF;7610;KONF
RULES
run $SAMLA -f "$B6" import "$TMPROOT/big.se" --rules "$TMPROOT/rules-big.csv" --yes
expect_rc 0 "a SIE file of $NV vouchers (#KSUMMA checked) imports"
expect_out_has "Importerade $NV verifikationer: 2025:80–2025:$((NV + 79))." "… every voucher's cost row"
n=$(grep -c ';import big.se:' "$B6/verifikationer.csv")
expect_eq "$n" $NV "… $NV entries in the journal"
sum=$(tail -n +2 "$B6/verifikationer.csv" | grep ';import big.se:' | cut -d';' -f7 |
    tr ',' '.' | /usr/bin/python3 -c 'import sys; from decimal import Decimal; print(sum(Decimal(l) for l in sys.stdin))')
expect_eq "$(echo "$sum" | tr '.' ',')" "$total" "… summing exactly to the generated total"
run $SAMLA -f "$B6" import "$TMPROOT/big.se" --rules "$TMPROOT/rules-big.csv" --yes
expect_out_has "$NV redan importerade" "importing it again adds nothing"

# ---- Budget records: samla budget import FILE.se --rules RULES ----------------------
printf '%s\r\n' '#FLAGGA 0' '#FORMAT PC8' '#SIETYP 2' '#RAR 0 20260101 20261231' \
    '#DIM 6 "Projekt"' '#OBJEKT 6 "SAMLA-SMM" "Socialmedicinsk mottagning"' \
    '#OBJEKT 6 "SAMLA" "SAMLA gemensamt"' \
    '#PBUDGET 0 202601 4621 {6 "SAMLA-SMM"} 38000.00' \
    '#PBUDGET 0 202602 4621 {6 "SAMLA-SMM"} 38000.00' \
    '#PBUDGET 0 202604 4621 {6 "SAMLA-SMM"} 40000.00' \
    '#PBUDGET 0 202612 6010 {6 "SAMLA-SMM"} 3000.01' \
    '#BUDGET 0 3532 {6 "SAMLA"} -662161.00' \
    '#PBUDGET 0 202601 2440 {} -38000.00' | iconv -f UTF-8 -t CP437 >"$TMPROOT/budget.se"
cat >"$TMPROOT/rules-budget.csv" <<'RULES'
Typ;Inställning;Värde;Villkor;Konto;Verksamhet;Finansiär
inställning;filformat;sie;;;;
hoppa över;;;Konto=2*;;;
regel;;;Objekt:6=SAMLA-SMM;4621;SMM;
regel;;;Konto=3532;3532;;ALINGSAS
RULES
B7=$(fresh_book)
cp "$B7/budget.csv" "$TMPROOT/b0"
run $SAMLA -f "$B7" budget import "$TMPROOT/budget.se" --rules "$TMPROOT/rules-budget.csv" --dry-run
expect_rc 0 "budget import of a SIE file's #PBUDGET/#BUDGET (dry run)"
expect_same_file "$B7/budget.csv" "$TMPROOT/b0" "… changes nothing"
run $SAMLA -f "$B7" budget import "$TMPROOT/budget.se" --rules "$TMPROOT/rules-budget.csv"
expect_rc 0 "budget import of a SIE file"
expect_out_has "5 budgetposter lästes, 1 hoppades över enligt regel." "… mapping the records by the rules"
got=$(grep '^2026;\(intäkt;ALINGSAS\|kostnad;SMM\);' "$B7/budget.csv" | tr -d '\r')
want="2026;intäkt;ALINGSAS;;165540,25;165540,25;165540,25;165540,25;;15,50 kr per invånare;
2026;kostnad;SMM;;76000,00;40000,00;0,00;3000,01;;Delfinansieras med öronmärkning OM-SMM-2026;OM-SMM-2026"
expect_eq "$got" "$want" "months summed into quarters, a year's #BUDGET spread exactly, income's credit sign flipped"
expect_eq "$(grep -c '^2026;' "$B7/budget.csv")" "$(grep -c '^2026;' "$TMPROOT/b0")" "… the other lines of 2026 are kept"
run $SAMLA -f "$B7" budget import "$TMPROOT/budget.se"
expect_rc 2 "a SIE budget file without --rules is a usage error"
expect_err_has "en SIE-fil läses med --rules REGLER.csv" "… saying what is needed"
grep -v 'Konto=2' "$TMPROOT/rules-budget.csv" >"$TMPROOT/rules-budget2.csv"
cp "$B7/budget.csv" "$TMPROOT/b1"
run $SAMLA -f "$B7" budget import "$TMPROOT/budget.se" --rules "$TMPROOT/rules-budget2.csv"
expect_rc 1 "a budget record no rule decides stops the budget import"
expect_err_has "budget.se:13: fel: ingen regel passar raden: #PBUDGET 0 202601 2440 {} -38000.00" \
    "… naming the record"
expect_same_file "$B7/budget.csv" "$TMPROOT/b1" "… and the budget is unchanged"
