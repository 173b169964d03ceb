#!/bin/sh
# End-to-end tests of `samla import` (issue 5, item 2) with the sample
# extract tests/data/kommun-huvudboksutdrag-2025Q4.csv (a byte-for-byte copy
# of the synthetic sample in the shared samples folder) and the example rules
# ledgers/samla/importregler-alingsas.csv:
#   - --dry-run shows the rows and changes nothing;
#   - the import gives exactly the expected entries (account, activity,
#     funder, amount with the book's sign, text with ; and "", Underlag,
#     Källa FILE:LINE, a SHA-256 fingerprint of the canonical row);
#   - importing the same file again adds nothing (journal byte-identical);
#     an overlapping extract with other columns order adds only its new row;
#   - a row no rule maps blocks the whole import and is named file:line;
#   - a Windows-1252 copy imports the same entries (and is recognised as
#     already imported);
#   - another system's export (other column names and order, Windows-1252,
#     no BOM, a period column 202510, amounts without thousands separators)
#     is read by configuration only;
#   - errors in the rules or the extract are named file:line:column;
#   - the confirmation question.
. "$(dirname "$0")/../lib.sh"

SAMPLE="$ROOT/tests/data/kommun-huvudboksutdrag-2025Q4.csv"
NAME=kommun-huvudboksutdrag-2025Q4.csv
cp "$SAMPLE" "$TMPROOT/$NAME"
X="$TMPROOT/$NAME"
RULES="$ROOT/ledgers/samla/importregler-alingsas.csv"

# The journal from line $2 on without CR and without the fingerprint.
rows_from() { tail -n +"$2" "$1" | tr -d '\r' | sed 's/;[0-9a-f]\{64\}$//'; }

B=$(fresh_book)
J="$B/verifikationer.csv"
N0=$(wc -l <"$J")
cp "$J" "$TMPROOT/j0"

# ---- Dry run ---------------------------------------------------------------
run $SAMLA -f "$B" import "$X" --rules "$RULES" --dry-run
expect_rc 0 "import --dry-run succeeds"
expect_out_has "7 rader importeras" "… counting seven rows to import"
expect_out_has "1 hoppas över enligt regel" "… and the sum row skipped by a rule"
expect_out_has "Rad 13 hoppas över (regeln på rad 11" "… naming the skip rule"
expect_out_has "Torrkörning: inget sparades." "… and saying nothing was saved"
expect_same_file "$J" "$TMPROOT/j0" "… the journal is byte-identical"

# ---- Declining, then importing ---------------------------------------------------
run sh -c "printf 'n\n' | $SAMLA -f '$B' import '$X' --rules '$RULES'"
expect_rc 1 "answering n imports nothing"
expect_out_has "Importera 7 rader? [j/N]" "… after the question"
expect_same_file "$J" "$TMPROOT/j0" "… the journal is unchanged"

run sh -c "printf 'j\n' | $SAMLA -f '$B' import '$X' --rules '$RULES'"
expect_rc 0 "answering j imports"
expect_out_has "Importerade 7 verifikationer: 2025:80–2025:86." "… seven entries, 2025:80–86"
got=$(rows_from "$J" $((N0 + 1)))
S="2026-01-15T10:00:00Z;testare;import $NAME"
want="80;2025-10-31;4621;SMM;;;38083,33;Socionom 100 % oktober;Alingsås kommun ver 412877;;$S:6
81;2025-11-30;4621;SMM;;;38083,33;Socionom 100 % november;Alingsås kommun ver 413502;;$S:7
82;2025-12-31;4621;SMM;;;38083,34;Socionom 100 % december;Alingsås kommun ver 414390;;$S:8
83;2025-12-31;4621;SMM;;;12000,00;Lokalbidrag Q4 mottagning Alingsås;Alingsås kommun ver 414391;;$S:9
84;2025-11-21;7610;KONF;;;86450,00;\"Konferens 21/11 \"\"Tillsammans med ny kraft\"\", lokal och förtäring\";Alingsås kommun ver 413230;;$S:10
85;2025-11-28;7610;KONF;;;-2500,00;Kreditering föreläsararvode konferens;Alingsås kommun ver 413611;;$S:11
86;2025-12-15;3532;;ALINGSAS;;310000,00;Fakturerat bidrag 2025, Alingsås andel;Alingsås kommun ver 414002;;$S:12"
expect_eq "$got" "$want" "the imported entries are exact: accounts, activities, funder, signs, texts, Källa"
nfp=$(tail -n 7 "$J" | tr -d '\r' | grep -c ';[0-9a-f]\{64\}$')
expect_eq "$nfp" 7 "every imported entry has a SHA-256 fingerprint"
nuniq=$(tail -n 7 "$J" | tr -d '\r' | sed 's/.*;//' | sort -u | wc -l)
expect_eq "$nuniq" 7 "… all different"
# The fingerprint is SHA-256 of the row's fields by column name (sorted),
# name US value RS each, then "#" and the occurrence number (docs/import.md).
want_fp=$(/usr/bin/python3 -c '
import hashlib
h = "Konto;Ansvar;Verksamhet;Projekt;Motpart;Datum;Verifikation;Text;Belopp".split(";")
v = "4621;51200;7310;SAMLA-SMM;VGR;2025-10-31;412877;Socionom 100 % oktober;38 083,33".split(";")
s = "".join(n + "\x1f" + x + "\x1e" for n, x in sorted(zip(h, v), key=lambda p: p[0].encode())) + "#1"
print(hashlib.sha256(s.encode()).hexdigest())')
got_fp=$(sed -n "$((N0 + 1))p" "$J" | tr -d '\r' | sed 's/.*;//')
expect_eq "$got_fp" "$want_fp" "the fingerprint is the documented SHA-256 of the canonical row"
run $SAMLA -f "$B" check
expect_rc 0 "the book checks clean after the import"

# ---- Idempotent -----------------------------------------------------------------
cp "$J" "$TMPROOT/j1"
run $SAMLA -f "$B" import "$X" --rules "$RULES" --yes
expect_rc 0 "importing the same file again succeeds"
expect_out_has "0 rader importeras" "… importing nothing"
expect_out_has "7 redan importerade" "… reporting seven rows as already imported"
expect_out_has "Rad 6 är redan importerad: verifikation 2025:80 (import $NAME:6)" "… naming the voucher of each"
expect_out_has "Inget nytt att importera; boken är oförändrad." "… and saying the book is unchanged"
expect_same_file "$J" "$TMPROOT/j1" "the journal is byte-identical after the second import"

# An overlapping extract from another file, its columns in another order:
# rows 6 and 7 again plus one new row; only the new row is imported.
{
    printf 'Huvudboksutdrag november\r\n\r\n'
    printf 'Belopp;Text;Verifikation;Datum;Motpart;Projekt;Verksamhet;Ansvar;Konto\r\n'
    printf '38 083,33;Socionom 100 %% oktober;412877;2025-10-31;VGR;SAMLA-SMM;7310;51200;4621\r\n'
    printf '38 083,33;Socionom 100 %% november;413502;2025-11-30;VGR;SAMLA-SMM;7310;51200;4621\r\n'
    printf '1 500,00;Extra socionomtimmar november;413777;2025-11-30;VGR;SAMLA-SMM;7310;51200;4621\r\n'
} >"$TMPROOT/nov.csv"
run $SAMLA -f "$B" import "$TMPROOT/nov.csv" --rules "$RULES" --yes
expect_rc 0 "an overlapping extract imports"
expect_out_has "1 rad importeras" "… only its one new row"
expect_out_has "2 redan importerade" "… recognising the two rows of the first file"
got=$(rows_from "$J" $((N0 + 8)))
expect_eq "$got" "87;2025-11-30;4621;SMM;;;1500,00;Extra socionomtimmar november;Alingsås kommun ver 413777;;2026-01-15T10:00:00Z;testare;import nov.csv:6" \
    "… as voucher 2025:87 with Källa nov.csv:6"

# Two identical rows in one file are two entries (occurrence numbers), and
# a re-import still adds nothing.
B5=$(fresh_book)
{
    printf 'Konto;Ansvar;Verksamhet;Projekt;Motpart;Datum;Verifikation;Text;Belopp\r\n'
    printf '7610;51200;7310;SAMLA-KONF;;2025-11-21;;Fika;500,00\r\n'
    printf ';;;;;;;;\r\n'
    printf '7610;51200;7310;SAMLA-KONF;;2025-11-21;;Fika;500,00\r\n'
    printf ';;;;;;;;\r\n'
} >"$TMPROOT/twice.csv"
run $SAMLA -f "$B5" import "$TMPROOT/twice.csv" --rules "$RULES" --yes
expect_out_has "Importerade 2 verifikationer" "two identical rows of one file are both imported (rows of empty fields are blank lines)"
cp "$B5/verifikationer.csv" "$TMPROOT/j5"
run $SAMLA -f "$B5" import "$TMPROOT/twice.csv" --rules "$RULES" --yes
expect_same_file "$B5/verifikationer.csv" "$TMPROOT/j5" "… and not again on a re-import"

# ---- An unmapped row blocks everything ------------------------------------------------
B2=$(fresh_book)
cp "$B2/verifikationer.csv" "$TMPROOT/j2"
grep -v 'SAMLA-KONF' "$RULES" >"$TMPROOT/rules-nokonf.csv"
run $SAMLA -f "$B2" import "$X" --rules "$TMPROOT/rules-nokonf.csv" --yes
expect_rc 1 "an import with unmapped rows fails"
expect_err_has "$NAME:10: fel: ingen regel passar raden: 7610;51200;7310;SAMLA-KONF;;2025-11-21;413230;\"Konferens 21/11 \"\"Tillsammans med ny kraft\"\", lokal och förtäring\";86 450,00" \
    "… naming the unmapped row by file:line with its text"
expect_err_has "$NAME:11: fel: ingen regel passar raden: 7610;51200;7310;SAMLA-KONF;;2025-11-28;413611;Kreditering föreläsararvode konferens;-2 500,00" \
    "… and every other unmapped row"
expect_err_has "2 rader saknar regel; inget importerades" "… saying nothing was imported"
expect_same_file "$B2/verifikationer.csv" "$TMPROOT/j2" "… and the journal is unchanged (no other row imported)"

# ---- Windows-1252 ------------------------------------------------------------------------
tail -c +4 "$X" | iconv -f UTF-8 -t WINDOWS-1252 >"$TMPROOT/cp1252.csv"
if grep -q "$(printf 'Alings\345s')" "$TMPROOT/cp1252.csv"; then
    ok "the Windows-1252 copy has å as the single byte 0xE5"
else
    not_ok "the Windows-1252 copy has å as the single byte 0xE5"
fi
B3=$(fresh_book)
run $SAMLA -f "$B3" import "$TMPROOT/cp1252.csv" --rules "$RULES" --yes
expect_rc 0 "the Windows-1252 copy imports"
expect_err_has "lästes som Windows-1252 och konverterades" "… with a note that it was converted"
a=$(rows_from "$J" $((N0 + 1)) | head -n 7 | sed 's/;import [^;]*$//')
b=$(rows_from "$B3/verifikationer.csv" $((N0 + 1)) | sed 's/;import [^;]*$//')
expect_eq "$b" "$a" "… to the same entries as the UTF-8 file"
a=$(sed -n "$((N0 + 1)),$((N0 + 7))p" "$J" | tr -d '\r' | sed 's/.*;//')
b=$(tail -n 7 "$B3/verifikationer.csv" | tr -d '\r' | sed 's/.*;//')
expect_eq "$b" "$a" "… with the same fingerprints"
run $SAMLA -f "$B" import "$TMPROOT/cp1252.csv" --rules "$RULES" --yes
expect_out_has "7 redan importerade" "the Windows-1252 copy is recognised as already imported"
# Forced by the rules (kodning windows-1252) it reads the same.
sed 's/;kodning;auto;/;kodning;windows-1252;/' "$RULES" >"$TMPROOT/rules-cp.csv"
run $SAMLA -f "$B" import "$TMPROOT/cp1252.csv" --rules "$TMPROOT/rules-cp.csv" --dry-run
expect_out_has "7 redan importerade" "kodning windows-1252 reads the copy the same way"
run $SAMLA -f "$B" import "$X" --rules "$TMPROOT/rules-cp.csv" --dry-run
expect_rc 1 "kodning windows-1252 refuses a file with a UTF-8 BOM"
expect_err_has "UTF-8-markering (BOM)" "… saying why"
sed 's/;kodning;auto;/;kodning;utf-8;/' "$RULES" >"$TMPROOT/rules-u8.csv"
run $SAMLA -f "$B" import "$TMPROOT/cp1252.csv" --rules "$TMPROOT/rules-u8.csv" --dry-run
expect_rc 1 "kodning utf-8 refuses a Windows-1252 file"

# ---- Another system, by configuration only ---------------------------------------------------
# The region's export: other names and order, a period column (ÅÅÅÅMM),
# amounts with a decimal point and no thousands separator, debit/credit
# sign for income (all flipped: the region books costs negative here),
# Windows-1252 without BOM, tab-separated.
printf 'Period\tKto\tProj\tMotp\tBelopp SEK\tBeskrivning\tVerNr\r\n' >"$TMPROOT/region.txt"
printf '202510\t4610\tP-SMM\t\t-185000.50\tSjuksköterskor oktober\tR-1\r\n' >>"$TMPROOT/region.txt"
printf '202511\t4610\tP-FACT\t\t-68512.40\tProjektledare november\tR-2\r\n' >>"$TMPROOT/region.txt"
printf '202512\t3520\tP-SAMLA\tHSNV\t327902.00\tBidrag Q4\tR-3\r\n' >>"$TMPROOT/region.txt"
printf 'Totalt\t\t\t\t74389.10\t\t\r\n' >>"$TMPROOT/region.txt"
iconv -f UTF-8 -t WINDOWS-1252 "$TMPROOT/region.txt" >"$TMPROOT/region.csv"
cat >"$TMPROOT/rules-region.csv" <<'EOF'
Typ;Inställning;Värde;Villkor;Konto;Verksamhet;Finansiär;Tecken
inställning;kolumn datum;Period;;;;;
inställning;datumformat;ÅÅÅÅMM;;;;;
inställning;kolumn belopp;Belopp SEK;;;;;
inställning;decimaltecken;.;;;;;
inställning;kolumn text;Beskrivning;;;;;
inställning;kolumn verifikation;VerNr;;;;;
inställning;underlag;VGR ver;;;;;
inställning;tecken;vänd alla;;;;;
inställning;kodning;windows-1252;;;;;
inställning;avgränsare;tab;;;;;
hoppa över;;;Period=Totalt;;;;
regel;;;Proj=P-SMM;{Kto};SMM;;
regel;;;Proj=P-FACT;{Kto};FACT;;
regel;;;Kto=35* & Motp=HSNV;3520;;HSNV;behåll
EOF
B4=$(fresh_book)
run $SAMLA -f "$B4" import "$TMPROOT/region.csv" --rules "$TMPROOT/rules-region.csv" --yes
expect_rc 0 "another system's export imports by configuration"
got=$(rows_from "$B4/verifikationer.csv" $((N0 + 1)))
want="80;2025-10-31;4610;SMM;;;185000,50;Sjuksköterskor oktober;VGR ver R-1;;2026-01-15T10:00:00Z;testare;import region.csv:2
81;2025-11-30;4610;FACT;;;68512,40;Projektledare november;VGR ver R-2;;2026-01-15T10:00:00Z;testare;import region.csv:3
82;2025-12-31;3520;;HSNV;;327902,00;Bidrag Q4;VGR ver R-3;;2026-01-15T10:00:00Z;testare;import region.csv:4"
expect_eq "$got" "$want" "… periods become the month's last day, signs and accounts as configured"

# Compact dates (ÅÅÅÅMMDD) and debit/credit columns.
printf 'Datum;Konto;Projekt;Debet;Kredit;Text\r\n20251031;7690;GEM;1 000,00;;Porto\r\n20251105;7690;GEM;;250,00;Kreditnota porto\r\n' >"$TMPROOT/dk.csv"
cat >"$TMPROOT/rules-dk.csv" <<'EOF'
Typ;Inställning;Värde;Villkor;Konto;Verksamhet
inställning;kolumn datum;Datum;;;
inställning;datumformat;ÅÅÅÅMMDD;;;
inställning;kolumn debet;Debet;;;
inställning;kolumn kredit;Kredit;;;
inställning;kolumn text;Text;;;
regel;;;Projekt=GEM;{Konto};GEM
EOF
run $SAMLA -f "$B4" import "$TMPROOT/dk.csv" --rules "$TMPROOT/rules-dk.csv" --yes
got=$(rows_from "$B4/verifikationer.csv" $((N0 + 4)) | cut -d';' -f1-8)
want="83;2025-10-31;7690;GEM;;;1000,00;Porto
84;2025-11-05;7690;GEM;;;-250,00;Kreditnota porto"
expect_eq "$got" "$want" "compact dates and debit minus credit"

# ---- Errors with their places -------------------------------------------------------------
cp "$B4/verifikationer.csv" "$TMPROOT/j4"
cat >"$TMPROOT/rules-bad.csv" <<'EOF'
Typ;Inställning;Värde;Villkor;Konto;Verksamhet
inställning;kolumn datum;Datum;;;
inställning;kolumn belopp;Belopp;;;
inställning;färg;röd;;;
regel;;;Konto 4621;4621;SMM
regel;;;Projekt=X;9999;SMM
EOF
run $SAMLA -f "$B4" import "$X" --rules "$TMPROOT/rules-bad.csv" --yes
expect_rc 1 "a bad rules file is refused"
expect_err_has 'rules-bad.csv:4:13: fel: okänd inställning "färg"' "an unknown setting is named by line and column"
expect_err_has 'rules-bad.csv:5:9: fel: ogiltigt villkor "Konto 4621"' "a malformed condition is named"
cat >"$TMPROOT/rules-bad2.csv" <<'EOF'
Typ;Inställning;Värde;Villkor;Konto;Verksamhet
inställning;kolumn datum;Datum;;;
inställning;kolumn belopp;Belopp;;;
regel;;;Färg=röd;4621;SMM
regel;;;Projekt=X;9999;SMM
EOF
run $SAMLA -f "$B4" import "$X" --rules "$TMPROOT/rules-bad2.csv" --yes
expect_err_has "rules-bad2.csv:4:9: fel: kolumnen \"Färg\" finns inte i rubrikraden i $X:5" \
    "a condition on a column the extract lacks is named"
sed 's/^regel;;;Färg=röd;4621;SMM$/regel;;;Konto=*;4621;SMM/' "$TMPROOT/rules-bad2.csv" >"$TMPROOT/rules-bad3.csv"
run $SAMLA -f "$B4" import "$X" --rules "$TMPROOT/rules-bad3.csv" --yes
expect_err_has 'rules-bad3.csv:5:19: fel: okänt konto "9999" (finns inte i boken)' \
    "an unknown account in a rule is named"
# A rules row with more fields than the header (an unquoted ; in a text)
# is refused, as in a book file, instead of shifting its values.
cat >"$TMPROOT/rules-long.csv" <<'EOF'
Typ;Inställning;Värde;Villkor;Konto;Verksamhet;Kommentar
inställning;kolumn datum;Datum;;;;
inställning;kolumn belopp;Belopp;;;;
regel;;;Konto=*;4621;SMM;Alla rader; även summan
EOF
run $SAMLA -f "$B4" import "$X" --rules "$TMPROOT/rules-long.csv" --yes
expect_rc 1 "a rules row with more fields than the header is refused"
expect_err_has 'rules-long.csv:4:38: fel: raden har 8 fält men rubrikraden har 7' \
    "… named by line and the column of the extra field"
sed 's/38 083,33/38 O83,33/' "$X" >"$TMPROOT/badamount.csv"
run $SAMLA -f "$B4" import "$TMPROOT/badamount.csv" --rules "$RULES" --yes
expect_rc 1 "a bad amount in the extract is refused"
expect_err_has "badamount.csv:6:75: fel: ogiltigt belopp \"38 O83,33\"" "… named by file:line:column"
expect_same_file "$B4/verifikationer.csv" "$TMPROOT/j4" "refused imports changed nothing"

# ---- Thousands separators must separate groups of three (issue 11) -----------------
# With "decimaltecken ," the dot is a thousands separator; it used to be
# deleted unchecked, so "1234.50" imported as 123 450,00 kr and "12.5" as
# 125,00. Now it must separate groups of three digits, else the row is
# refused with its line and column, and nothing is saved.
cat >"$TMPROOT/rules-sep.csv" <<'EOF'
Typ;Inställning;Värde;Villkor;Konto;Verksamhet
inställning;kolumn datum;Datum;;;
inställning;kolumn belopp;Belopp;;;
inställning;kolumn text;Text;;;
inställning;decimaltecken;,;;;
regel;;;Konto=7690;7690;GEM
EOF
B5=$(fresh_book_2025)
cp "$B5/verifikationer.csv" "$TMPROOT/j.sep"
for amount in 1234.50 12.5 1.2345,00 12. .5 1.23.456,00; do
    printf 'Datum;Konto;Text;Belopp\r\n2025-11-30;7690;Porto;%s\r\n' "$amount" >"$TMPROOT/sep.csv"
    run $SAMLA -f "$B5" import "$TMPROOT/sep.csv" --rules "$TMPROOT/rules-sep.csv" --yes
    expect_rc 1 "decimaltecken ,: \"$amount\" is refused"
    expect_err_has "sep.csv:2:" "… naming line 2 and the column of \"$amount\""
    expect_err_has "ogiltigt belopp \"$amount\"" "… as an invalid amount \"$amount\""
done
expect_same_file "$B5/verifikationer.csv" "$TMPROOT/j.sep" "decimaltecken ,: nothing was imported from the refused rows"
printf 'Datum;Konto;Text;Belopp\r\n2025-11-30;7690;Porto;1234.50\r\n' >"$TMPROOT/sep.csv"
run $SAMLA -f "$B5" import "$TMPROOT/sep.csv" --rules "$TMPROOT/rules-sep.csv" --yes
expect_eq "$ERR" "$TMPROOT/sep.csv:2:27: fel: ogiltigt belopp \"1234.50\": tusentalsgrupper ska ha tre siffror i kolumn 5
samla import: inget importerades" "decimaltecken ,: the exact message for 1234.50 (column 27, at the dot)"
printf 'Datum;Konto;Text;Belopp\r\n2025-11-29;7690;Porto 1;1.234,50\r\n2025-11-30;7690;Porto 2;1.234.567\r\n2025-11-30;7690;Porto 3;-12,5\r\n' >"$TMPROOT/sep.csv"
run $SAMLA -f "$B5" import "$TMPROOT/sep.csv" --rules "$TMPROOT/rules-sep.csv" --yes
expect_rc 0 "decimaltecken ,: 1.234,50, 1.234.567 and -12,5 import"
expect_eq "$(grep -c ';Porto [123];' "$B5/verifikationer.csv")" 3 "… three rows"
expect_eq "$(grep ';Porto [123];' "$B5/verifikationer.csv" | cut -d';' -f7 | tr '\n' ' ')" "1234,50 1234567,00 -12,50 " \
    "… as 1 234,50, 1 234 567,00 and −12,50"

# ---- UTF-16 extracts and a byte-order mark in mid-file get their own message -------
printf 'Datum;Konto;Text;Belopp\r\n2025-11-30;7690;Porto;12,50\r\n' >"$TMPROOT/u8.csv"
iconv -f UTF-8 -t UTF-16 "$TMPROOT/u8.csv" >"$TMPROOT/u16.csv"
run $SAMLA -f "$B5" import "$TMPROOT/u16.csv" --rules "$TMPROOT/rules-sep.csv" --yes
expect_rc 1 "a UTF-16 extract (with BOM) is refused"
expect_err_has "u16.csv:1:1: fel: filen är UTF-16 (den börjar med byte-ordningsmarkeringen för UTF-16); spara den som CSV UTF-8" \
    "… saying it is UTF-16 and how to save it"
iconv -f UTF-8 -t UTF-16BE "$TMPROOT/u8.csv" >"$TMPROOT/u16be.csv"
run $SAMLA -f "$B5" import "$TMPROOT/u16be.csv" --rules "$TMPROOT/rules-sep.csv" --yes
expect_rc 1 "a UTF-16 extract without BOM is refused"
expect_err_has "u16be.csv:1:1: fel: filen ser ut att vara UTF-16 utan byte-ordningsmarkering" "… with its own message"
{ cat "$TMPROOT/u8.csv"; printf '\357\273\277Datum;Konto;Text;Belopp\r\n2025-11-30;7690;Porto;1,00\r\n'; } >"$TMPROOT/joined.csv"
run $SAMLA -f "$B5" import "$TMPROOT/joined.csv" --rules "$TMPROOT/rules-sep.csv" --yes
expect_rc 1 "an extract with a byte-order mark in mid-file is refused"
expect_err_has "joined.csv:3:1: fel: UTF-8-markering (BOM) mitt i filen" "… at the mark's line and column"
