#!/bin/sh
# tests/example/build-2026.sh BOOK - enter the example book's 2026 (Q1–Q3)
# into BOOK, a copy of ledgers/samla as it stood at the end of 2025, with
# samla's own commands, the way the process leader would have: the state
# grant as a grant earmark, each quarter from the file in
# ledgers/samla/underlag-2026/, the Q2 ledger extract from Alingsås kommun
# through `samla import`, one correction (reverse + the right entry).
#
# tests/e2e/example_book.sh runs this on the 2025 state and requires the
# result to be byte-identical to ledgers/samla, so the example book is what
# the program writes. To change the example's 2026, change the inputs or
# this script and run:  sh tests/example/build-2026.sh --rebuild
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SAMLA=${SAMLA:-$ROOT/build/samla}
IN=$ROOT/ledgers/samla/underlag-2026

# The 2025 state of the example book into folder $1: the journal's 2025
# rows, the 2025 earmark decisions, everything else as it is.
state_2025() {
    mkdir -p "$1"
    cp -R "$ROOT/ledgers/samla/." "$1/"
    rm -rf "$1/underlag-2026"
    rm -f "$1/rapporterat.csv" # each registered quarter of 2026 writes a row
    rm -f "$1/kommentarer.csv" # the comments are on the 2026 follow-up
    awk -F';' 'NR == 1 || $2 ~ /^2025-/' "$ROOT/ledgers/samla/verifikationer.csv" >"$1/verifikationer.csv"
    awk -F';' 'NR == 1 || $7 ~ /^2025-/' "$ROOT/ledgers/samla/oronmarkningar.csv" >"$1/oronmarkningar.csv"
}

if [ "${1:-}" = "--state-2025" ]; then
    state_2025 "$2"
    exit 0
fi
if [ "${1:-}" = "--rebuild" ]; then
    tmp=$(mktemp -d)
    state_2025 "$tmp/bok"
    sh "$0" "$tmp/bok"
    for f in verifikationer.csv oronmarkningar.csv budget.csv rapporterat.csv kommentarer.csv; do
        cp "$tmp/bok/$f" "$ROOT/ledgers/samla/$f"
    done
    rm -rf "$tmp"
    exit 0
fi
B=$1
export SAMLA_USER=processledare
unset SAMLA_BOOK
at() { # at DAY TIME: the clock of the next command
    SAMLA_TODAY=$1
    SAMLA_NOW=$1T$2Z
    export SAMLA_TODAY SAMLA_NOW
}
s() { "$SAMLA" -f "$B" "$@" >/dev/null; }

# The state grant for psychiatric health and suicide prevention is bound to
# its purpose: income and costs tagged with it form a restricted balance,
# never free surplus.
at 2026-02-16 08:40:12
s earmark add SB-PSYK-2026 --grant --amount "440 000" \
    --purpose "Statsbidrag psykisk hälsa och suicidprevention 2026: MHFA-utbildning och delregional samordnare för suicidprevention, bundet till ändamålet" \
    --decided-by "Västra Götalandsregionen" --date 2026-02-13 \
    --paragraph "Fördelning av statsbidrag 2026" --from 2026-01-01 --to 2026-12-31

# Q1, registered in April from the invoices gathered in a file.
at 2026-04-08 07:31:05
s quarter 2026Q1 --from "$IN/kvartal-2026Q1.csv" --yes

# Q2: Alingsås kommun sends its ledger extract (the clinic's social worker
# and premises, and the municipality's invoiced contribution); the rest
# from the file.
at 2026-07-06 08:12:40
s import "$IN/alingsas-huvudboksutdrag-2026Q2.csv" --rules "$B/importregler-alingsas.csv" --yes
at 2026-07-08 07:45:18
s quarter 2026Q2 --from "$IN/kvartal-2026Q2.csv" --yes
# The follow-up for the coordination group: why the clinic runs below
# budget (a comment on the year's line, shown on every follow-up of 2026).
at 2026-07-08 08:02:31
s comment 2026 SMM "Sjuksköterska 60 % vakant sedan jan."

# Reconciling Q2 shows that the communicator's Q1 invoice (12 960,00) was
# typed as 21 960,00: a reversing entry and the right one, dated when the
# error was found.
at 2026-07-09 09:03:27
"$SAMLA" -f "$B" reverse 2026:5 --yes --date 2026-06-30 \
    --text "Rättelse av 2026:5: fakturan är på 12 960,00, inte 21 960,00" >/dev/null
at 2026-07-09 09:05:02
s add --date 2026-06-30 --account 7690 --activity KOMM --amount "12 960,00" \
    --text "Extern kommunikatör, webb och nyhetsbrev januari–mars (rätt belopp, ersätter 2026:5)" \
    --doc "Faktura 2026-009"

# Q3, registered in October.
at 2026-10-07 07:52:44
s quarter 2026Q3 --from "$IN/kvartal-2026Q3.csv" --yes
# The Q3 follow-up's comments: the clinic's comment replaced (the earlier
# one stays in kommentarer.csv), the process leader's overlap for this
# quarter only, the shared costs' overrun for the year.
at 2026-10-07 08:10:05
s comment 2026 SMM "Sjuksköterska 60 % vakant hela året"
at 2026-10-07 08:11:40
s comment 2026 PROC "Överlapp vid byte av processledare" --at 2026Q3
at 2026-10-07 08:12:58
s comment 2026 GEM "Konferensen i maj blev dyrare"
