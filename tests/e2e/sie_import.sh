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
