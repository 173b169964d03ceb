#!/bin/sh
# End-to-end tests of the ledger core (issue 2): check, add, reverse, init,
# the book chosen by -f / SAMLA_BOOK / ledgers/, refused input changes
# nothing, and a corpus of broken books with their exact messages.
. "$(dirname "$0")/../lib.sh"

B=$(fresh_book)

run $SAMLA -f "$B" check
expect_rc 0 "the example book checks clean"
expect_out_has "140 verifikationer (2025–2026), 4 finansiärer, 13 konton, 8 verksamheter, 3 öronmärkningar." "check reports the entry count"

# The default book: the only one under ./ledgers/.
run sh -c "cd '$ROOT' && '$SAMLA' check"
expect_rc 0 "the book under ./ledgers/ is found without -f"
run env SAMLA_BOOK="$B" $SAMLA check
expect_out_has "$B" "SAMLA_BOOK chooses the book"

# A malformed amount is refused with its column; the journal is unchanged.
cp "$B/verifikationer.csv" "$TMPROOT/j.before"
run $SAMLA -f "$B" add --date 2026-02-01 --account 5010 --activity PROC --amount 12,3,4 --text x
expect_rc 1 "add with amount 12,3,4 exits 1"
expect_err_has '--amount "12,3,4": fel: två decimaltecken i kolumn 5' "the fault's column is named"
expect_same_file "$B/verifikationer.csv" "$TMPROOT/j.before" "the journal is byte-for-byte unchanged"

run $SAMLA -f "$B" add --date 2026-02-01 --account 5010 --amount 100 --text x
expect_rc 1 "a cost without activity is refused"
expect_err_has "saknar verksamhet" "… saying the activity is missing"
run $SAMLA -f "$B" add --date 2026-02-01 --account 3510 --amount 100 --text x
expect_err_has "saknar finansiär" "income without a funder is refused"
run $SAMLA -f "$B" add --date 2026-02-01 --account 5010 --activity PROC --funder HSNV --amount 100 --text x
expect_err_has "ska inte ha finansiär" "a funder on a cost is refused"
run $SAMLA -f "$B" add --date 2026-02-01 --account 5010 --activity NOPE --amount 100 --text x
expect_err_has 'okänd verksamhet "NOPE"' "an unknown activity is refused"
run $SAMLA -f "$B" add --date 2026-02-30 --account 5010 --activity PROC --amount 100 --text x
expect_err_has 'kolumn 9: fel: dagen finns inte i månaden' "a non-existent date is refused with its column"
expect_same_file "$B/verifikationer.csv" "$TMPROOT/j.before" "refused adds changed nothing"

# A good add gets the next number of its year: the example book holds
# 2026:1–2026:61 (through Q3), so the next is 2026:62.
run $SAMLA -f "$B" add --date 2026-02-01 --account 5010 --activity PROC --amount "1 234,50" --text "Lön januari"
expect_rc 0 "add saves an entry"
expect_out_has "Sparade verifikation 2026:62" "… as voucher 2026:62"
run $SAMLA -f "$B" add --date 2025-12-31 --account 7690 --activity GEM --amount "−250 kr" --text "Kreditnota"
expect_out_has "Sparade verifikation 2025:80" "a late 2025 entry gets 2025:80"
line=$(tail -n 1 "$B/verifikationer.csv" | tr -d '\r')
expect_eq "$line" "80;2025-12-31;7690;GEM;;;-250,00;Kreditnota;;;2026-01-15T10:00:00Z;testare;add;" "the saved row holds every column (audit trail)"

# Reverse: a new entry with the opposite amount naming the original.
run $SAMLA -f "$B" reverse 2026:62 --date 2026-03-01 --yes
expect_rc 0 "reverse saves a correction"
expect_out_has "2026:63 som rättar 2026:62" "… named as correcting 2026:62"
line=$(tail -n 1 "$B/verifikationer.csv" | tr -d '\r')
expect_eq "$line" "63;2026-03-01;5010;PROC;;;-1234,50;Rättelse av 2026:62: Lön januari;;2026:62;2026-01-15T10:00:00Z;testare;reverse;" "the reversal row is exact"
run $SAMLA -f "$B" reverse 2026:62
expect_rc 1 "an entry can be reversed only once"
run $SAMLA -f "$B" reverse 2024:1
expect_err_has "finns inte" "reversing a missing voucher is refused"
run $SAMLA -f "$B" reverse nonsense
expect_rc 2 "a malformed voucher reference is a usage error"
run $SAMLA -f "$B" check
expect_rc 0 "the book still checks clean after add and reverse"

# A cost before the earmark decision that would leave the earmarks larger
# than the surplus that day is refused, and the book stays loadable.
run $SAMLA -f "$B" add --date 2025-12-01 --account 7690 --activity GEM --amount 5000000 --text x
expect_rc 0 "a large cost that the surplus still covers is saved"
cp "$B/verifikationer.csv" "$TMPROOT/j.before2"
run $SAMLA -f "$B" add --date 2025-12-01 --account 7690 --activity GEM --amount 5000000 --text x
expect_rc 1 "a cost that breaks the earmark cover is refused"
expect_err_has "inget sparades" "… saying nothing was saved"
expect_same_file "$B/verifikationer.csv" "$TMPROOT/j.before2" "… and the journal is unchanged"
run $SAMLA -f "$B" check
expect_rc 0 "the book still loads after the refused add"

# init creates a book that checks clean and takes entries.
N="$TMPROOT/ny"
run $SAMLA init "$N" --name "Samverkan Test" --start 2026-01-01 --opening "1 000 000"
expect_rc 0 "init creates a book"
printf 'Kod;Namn;Typ;Invånare\r\nKOM;Kommunen;kommun;1000\r\n' >> /dev/null
run $SAMLA -f "$N" check
expect_rc 0 "a new book checks clean"
run $SAMLA init "$N" --name X
expect_rc 2 "init refuses an existing folder"

# Usage errors exit 2; --help exits 0 for every command.
run $SAMLA nosuchcommand
expect_rc 2 "an unknown command exits 2"
run $SAMLA add --bogus
expect_rc 2 "an unknown option exits 2"
for c in init add reverse check list; do
    run $SAMLA $c --help
    expect_rc 0 "samla $c --help exits 0"
done

# ---- broken books: each with its exact message ---------------------------
# broken NAME FILE SED-SCRIPT EXPECTED-LINE
broken() {
    d=$(fresh_book)
    sed -i "$3" "$d/$2"
    run $SAMLA -f "$d" check
    if [ "$RC" -eq 1 ]; then
        case "$ERR" in
            *"$d/$4"*) ok "broken book: $1" ;;
            *) not_ok "broken book: $1" "expected: $d/$4" "stderr: $ERR" ;;
        esac
    else
        not_ok "broken book: $1" "exit status $RC, expected 1"
    fi
}
broken "impossible date" verifikationer.csv '3s/;2025-01-31;/;2025-02-30;/' \
    'verifikationer.csv:3:11: fel: ogiltigt datum "2025-02-30": dagen finns inte i månaden'
broken "two-digit year" verifikationer.csv '3s/;2025-01-31;/;25-01-31;/' \
    'verifikationer.csv:3:5: fel: ogiltigt datum "25-01-31": ogiltigt datum, väntade ÅÅÅÅ-MM-DD'
broken "amount with two decimal signs" verifikationer.csv '3s/;165566,00;/;1,2,3;/' \
    'verifikationer.csv:3:30: fel: ogiltigt belopp "1,2,3": två decimaltecken'
broken "unknown account" verifikationer.csv '3s/;3531;/;3999;/' \
    'verifikationer.csv:3:14: fel: okänt konto "3999"'
broken "unknown funder" verifikationer.csv '3s/;LERUM;/;LERUMS;/' \
    'verifikationer.csv:3:20: fel: okänd finansiär "LERUMS"'
broken "income without funder" verifikationer.csv '3s/;LERUM;/;;/' \
    'verifikationer.csv:3: fel: ver 2025:2: intäkt på konto 3531 saknar finansiär'
broken "duplicate voucher number" verifikationer.csv '3s/^2;/1;/' \
    'verifikationer.csv:3:1: fel: verifikationsnummer 2025:1 finns redan eller går bakåt (nästa ska vara 2)'
broken "missing voucher number" verifikationer.csv '3d' \
    'verifikationer.csv:3:1: fel: verifikation 2025:2 saknas (nummer får inte hoppas över)'
broken "unknown column" konton.csv '1s/Typ/Typx/' \
    'konton.csv:1:'
broken "duplicate account" konton.csv '3s/^[0-9]*;/3510;/' \
    'konton.csv:3:1: fel: kontot 3510 finns redan'
broken "bad account type" konton.csv '2s/;intäkt/;inkomst/' \
    'konton.csv:2:'
broken "earmark over the surplus" oronmarkningar.csv '2s/;2180000,00;/;9180000,00;/' \
    'oronmarkningar.csv:3: fel: öronmärkningarna'
broken "currency not SEK" organisation.csv '2s/;SEK;/;EUR;/' \
    'organisation.csv:2:'
