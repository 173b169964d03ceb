#!/bin/sh
# End-to-end tests of the overlap guard (issue 12, item 2): `samla quarter`
# (--from, the dialog, the web form) and `samla import` (CSV) look for
# entries already booked for the same period, account and activity/funder by
# the other path, or by an earlier import with other fingerprints, show them
# (voucher, date, account, code, amount, text), and save only with
# --allow-overlap (the web form: the tick box "Spara ändå"). Without it:
# exit 1, every book file byte-identical, a Swedish message.
#
# The facts: the example's Q1 2026 from ledgers/samla/underlag-2026/
# kvartal-2026Q1.csv (without the state grant's earmark, decided only in
# February) and Alingsås kommun's Raindance extract for the same quarter,
# tests/data/alingsas-huvudboksutdrag-2026Q1.csv: the social worker's
# January–March (SMM, 4621) and the premises (SMM, 6010 -> 4621), and the
# municipality's invoiced contribution (ALINGSAS, 3532) - the same facts as
# the quarter file's SMM/4621 114 250,00 and ALINGSAS/3532 165 540,00.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/web/serve_lib.sh"

X="$TMPROOT/alingsas-huvudboksutdrag-2026Q1.csv"
cp "$ROOT/tests/data/alingsas-huvudboksutdrag-2026Q1.csv" "$X"
RULES="$ROOT/ledgers/samla/importregler-alingsas.csv"
sed 's/SB-PSYK-2026//' "$ROOT/ledgers/samla/underlag-2026/kvartal-2026Q1.csv" >"$TMPROOT/q1.csv"
Q1="$TMPROOT/q1.csv"
NB=$(printf '\302\240')

# snapshot B / book_same B TEXT: every file of the book byte-identical.
snapshot() { rm -rf "$TMPROOT/snap"; mkdir "$TMPROOT/snap"; cp "$1"/*.csv "$TMPROOT/snap/"; }
book_same() {
    same=1
    for f in "$TMPROOT"/snap/*; do cmp -s "$f" "$1/$(basename "$f")" || same=0; done
    [ "$(ls "$1"/*.csv | wc -l)" -eq "$(ls "$TMPROOT"/snap/* | wc -l)" ] || same=0
    expect_eq "$same" 1 "$2"
}
# entries B: the number of journal rows of 2026.
entries() { grep -c '^[0-9]*;2026-' "$1/verifikationer.csv"; }

# ---- Quarter first, then the import ------------------------------------------
B=$(fresh_book_2025)
run $SAMLA -f "$B" quarter 2026Q1 --from "$Q1" --yes
expect_rc 0 "quarter 2026Q1 --from saves the quarter"
expect_out_has "Sparade 18 verifikationer för 2026Q1: 2026:1–2026:18." "… as 2026:1–2026:18"
case "$ERR$OUT" in *"finns redan"*) not_ok "… without an overlap warning (nothing imported yet)" "$ERR" ;; *) ok "… without an overlap warning (nothing imported yet)" ;; esac
snapshot "$B"

run $SAMLA -f "$B" import "$X" --rules "$RULES" --yes
expect_rc 1 "importing the Q1 extract afterwards is refused without --allow-overlap"
expect_out_has "Varning: 2 verifikationer finns redan för samma period, konto och verksamhet/finansiär" \
    "… with a warning counting the entries already booked"
expect_out_has "2026:7   2026-03-31  4621   SMM                   114${NB}250,00  Socialmedicinsk mottagning, socionom 100 % och bidrag till lokal, Alingsås kommun Q1  quarter 2026Q1" \
    "… showing SMM/4621 2026:7: voucher, date, account, activity, amount, text, Källa"
expect_out_has "2026:18  2026-03-31  3532   ALINGSAS              165${NB}540,00  Bidrag Alingsås kommun Q1 (15,50 kr/invånare)" \
    "… and ALINGSAS/3532 2026:18"
expect_err_has "fel: 2 verifikationer finns redan för samma period, konto och verksamhet/finansiär, bokförda med samla quarter eller import (2026:7, 2026:18)" \
    "… the error names the vouchers"
expect_err_has "spara med --allow-overlap" "… and says how to save anyway"
expect_err_has "samla import: inget importerades" "… and that nothing was imported"
book_same "$B" "… every book file is byte-identical after the refusal"

run $SAMLA -f "$B" import "$X" --rules "$RULES" --dry-run
expect_rc 0 "import --dry-run shows the overlap and saves nothing"
expect_out_has "2026:7   2026-03-31  4621   SMM" "… listing the overlapping voucher"
expect_out_has "Att spara kräver --allow-overlap." "… and saying what saving needs"
book_same "$B" "… book byte-identical after the dry run"

run sh -c "printf 'j\n' | $SAMLA -f '$B' import '$X' --rules '$RULES'"
expect_rc 1 "an interactive import is refused before the question"
case "$OUT" in *"Importera 5 rader?"*) not_ok "… no question is asked" "$OUT" ;; *) ok "… no question is asked" ;; esac
book_same "$B" "… book byte-identical"

run $SAMLA -f "$B" import "$X" --rules "$RULES" --yes --allow-overlap
expect_rc 0 "with --allow-overlap the import is saved"
expect_out_has "Sparas ändå (--allow-overlap)." "… after showing the overlap"
expect_out_has "Importerade 5 verifikationer: 2026:19–2026:23." "… as 2026:19–2026:23"
expect_eq "$(entries "$B")" 23 "… 23 entries of 2026 in the journal"

snapshot "$B"
run $SAMLA -f "$B" import "$X" --rules "$RULES" --yes
expect_rc 0 "re-running the same import (same fingerprints) needs no --allow-overlap"
expect_out_has "5 redan importerade" "… it recognises all five rows as imported"
expect_out_has "Inget nytt att importera; boken är oförändrad." "… and adds nothing"
book_same "$B" "… book byte-identical"

# ---- The import first, then the quarter ------------------------------------
B2=$(fresh_book_2025)
run $SAMLA -f "$B2" import "$X" --rules "$RULES" --yes
expect_rc 0 "importing the Q1 extract into a fresh book"
expect_out_has "Importerade 5 verifikationer: 2026:1–2026:5." "… as 2026:1–2026:5"
snapshot "$B2"
run $SAMLA -f "$B2" quarter 2026Q1 --from "$Q1" --yes
expect_rc 1 "quarter --from afterwards is refused without --allow-overlap"
expect_out_has "Varning: 5 verifikationer finns redan" "… counting the five imported entries"
expect_out_has "2026:1  2026-01-31  4621   SMM                    34${NB}083,33  Socionom 100 % januari" \
    "… listing the imported January salary"
expect_out_has "2026:3  2026-03-13  3532   ALINGSAS              165${NB}540,00" "… and the invoiced contribution"
expect_out_has "import alingsas-huvudboksutdrag-2026Q1.csv:10" "… with its Källa"
expect_err_has "(2026:1, 2026:2, 2026:3, 2026:4, 2026:5)" "… the error names the five vouchers"
expect_err_has "samla quarter: inget sparades" "… nothing saved"
book_same "$B2" "… every book file byte-identical"

run $SAMLA -f "$B2" quarter 2026Q1 --from "$Q1" --dry-run
expect_rc 0 "quarter --dry-run shows the overlap"
expect_out_has "Att spara kräver --allow-overlap." "… and what saving needs"
book_same "$B2" "… book byte-identical"

# The dialog (answers on stdin): only SMM's line, one row on 4621 (text,
# Underlag and earmark as suggested), the other lines nothing, the review
# passed, then j.
ANSWERS='\n\n\n114 250\n4621\n\n\n\n\n\n\n\n\n\n\n\n\nj\n'
run sh -c "printf '$ANSWERS' | $SAMLA -f '$B2' quarter 2026Q1"
expect_rc 1 "the dialog is refused too (the overlap shown after the summary)"
expect_out_has "2026:4  2026-03-31  4621   SMM" "… listing the imported SMM/4621 entries"
case "$OUT" in *"Spara? [j/N]"*) not_ok "… before the confirmation is asked" "$OUT" ;; *) ok "… before the confirmation is asked" ;; esac
book_same "$B2" "… book byte-identical"

# A line the import did not touch is no overlap.
printf 'Verksamhet;Konto;Belopp;Text\r\nKOMM;7690;21 960,00;Kommunikatör Q1\r\n' >"$TMPROOT/komm.csv"
run $SAMLA -f "$B2" quarter 2026Q1 --from "$TMPROOT/komm.csv" --yes
expect_rc 0 "a quarter line the import did not book (KOMM/7690) is saved without --allow-overlap"
case "$ERR$OUT" in *"finns redan"*) not_ok "… without an overlap warning" "$ERR" ;; *) ok "… without an overlap warning" ;; esac

run $SAMLA -f "$B2" quarter 2026Q1 --from "$Q1" --yes --allow-overlap
expect_rc 0 "with --allow-overlap the quarter is saved"
expect_out_has "Sparas ändå (--allow-overlap)." "… after showing the overlap"
expect_out_has "Sparade 18 verifikationer för 2026Q1: 2026:7–2026:24." "… as 2026:7–2026:24"

# ---- An earlier import with other fingerprints ------------------------------
# The same quarter exported again with the voucher column renamed: every
# row's fingerprint differs, its dates, accounts and codes do not.
B3=$(fresh_book_2025)
$SAMLA -f "$B3" import "$X" --rules "$RULES" --yes >/dev/null 2>&1
sed 's/Verifikation;Text/Ver.nr;Text/' "$X" >"$TMPROOT/reexport.csv"
sed 's/kolumn verifikation;Verifikation/kolumn verifikation;Ver.nr/' "$RULES" >"$TMPROOT/rules2.csv"
snapshot "$B3"
run $SAMLA -f "$B3" import "$TMPROOT/reexport.csv" --rules "$TMPROOT/rules2.csv" --yes
expect_rc 1 "a re-export of imported rows (other fingerprints) is refused"
expect_out_has "0 redan importerade" "… its rows are not recognised by fingerprint"
expect_err_has "(2026:1, 2026:2, 2026:3, 2026:4, 2026:5)" "… but the earlier import's vouchers are named"
book_same "$B3" "… book byte-identical"
# Another month's extract (April) is no overlap.
printf 'Konto;Ansvar;Verksamhet;Projekt;Motpart;Datum;Verifikation;Text;Belopp\r\n4621;51200;7310;SAMLA-SMM;VGR;2026-04-30;418220;Socionom 100 %% april;34 083,33\r\n' >"$TMPROOT/april.csv"
run $SAMLA -f "$B3" import "$TMPROOT/april.csv" --rules "$RULES" --yes
expect_rc 0 "an extract of another period imports without --allow-overlap"
expect_out_has "Importerade 1 verifikationer: 2026:6–2026:6." "… as 2026:6"

# ---- The web form -------------------------------------------------------------
B4=$(fresh_book_2025)
$SAMLA -f "$B4" import "$X" --rules "$RULES" --yes >/dev/null 2>&1
J="$TMPROOT/jar"
serve_start "$B4" || exit 1
serve_login "$J" || exit 1
page=$(curl -s -b "$J" "$BASE/kvartal?kvartal=2026Q1")
# The SMM line's fields: radN carries "k:SMM:".
n=$(printf '%s\n' "$page" | sed -n 's/.*name="rad\([0-9]*\)" value="k:SMM:".*/\1/p' | head -1)
[ -n "$n" ] && ok "the form has the SMM line (rad$n)" || not_ok "the form has the SMM line"
csrf=$(form_field "$page" csrf)
id=$(form_field "$page" inskick)
FIELDS="kvartal=2026Q1&rad$n=k%3ASMM%3A&belopp$n=114+250%2C00&konto$n=4621"
snapshot "$B4"
code=$(curl -s -b "$J" -o "$TMPROOT/g.html" -w '%{http_code}' --data "csrf=$csrf&inskick=$id&$FIELDS&steg=granska" "$BASE/kvartal")
expect_eq "$code" 422 "web: Granska with an overlap shows the form again (422)"
grep -q '<input type="checkbox" id="overlapp" name="overlapp" value="1" aria-invalid="true" aria-describedby="overlapp-fel"> <label for="overlapp">Spara ändå' "$TMPROOT/g.html" &&
    ok "web: … the tick box has its label and carries the error (aria-invalid, aria-describedby)" ||
    not_ok "web: … the tick box has its label and carries the error" "$(grep -o '<div class="check">.*' "$TMPROOT/g.html" | head -3)"
grep -q '<span class="field-error" id="overlapp-fel">Det finns redan poster' "$TMPROOT/g.html" &&
    ok "web: … the error is beside the box" || not_ok "web: … the error is beside the box"
grep -q '<a href="#overlapp">' "$TMPROOT/g.html" && ok "web: … the error summary links to the box" || not_ok "web: … the error summary links to the box"
grep -q 'Varning: 4 verifikationer finns redan' "$TMPROOT/g.html" && ok "web: … the page counts the four imported SMM/4621 entries" ||
    not_ok "web: … the page counts the four imported SMM/4621 entries" "$(grep -o 'Varning:[^<]*' "$TMPROOT/g.html")"
grep -q 'Lokalbidrag Q1 mottagning Alingsås' "$TMPROOT/g.html" && ok "web: … and lists them with their texts" || not_ok "web: … and lists them with their texts"

code=$(curl -s -b "$J" -o "$TMPROOT/s.html" -w '%{http_code}' --data "csrf=$csrf&inskick=$id&$FIELDS" "$BASE/kvartal/spara")
expect_eq "$code" 409 "web: saving without the tick is refused (409)"
grep -q 'aria-invalid="true" aria-describedby="overlapp-fel"' "$TMPROOT/s.html" && ok "web: … the error is on the tick box" || not_ok "web: … the error is on the tick box"
book_same "$B4" "web: … every book file byte-identical"

page=$(curl -s -b "$J" "$BASE/kvartal?kvartal=2026Q1")
csrf=$(form_field "$page" csrf)
id=$(form_field "$page" inskick)
code=$(curl -s -b "$J" -o "$TMPROOT/g2.html" -w '%{http_code}' --data "csrf=$csrf&inskick=$id&$FIELDS&overlapp=1&steg=granska" "$BASE/kvartal")
expect_eq "$code" 200 "web: with the tick, Granska shows the summary"
grep -q 'Rutan Spara ändå är ikryssad.' "$TMPROOT/g2.html" && ok "web: … still showing the overlap" || not_ok "web: … still showing the overlap"
grep -q '<input type="hidden" name="overlapp" value="1">' "$TMPROOT/g2.html" && ok "web: … and carrying the tick to the save" || not_ok "web: … and carrying the tick to the save"
loc=$(curl -s -i -b "$J" --data "csrf=$csrf&inskick=$id&$FIELDS&overlapp=1" "$BASE/kvartal/spara" | tr -d '\r' | sed -n 's/^Location: //p')
expect_eq "$loc" "/kvartal?kvartal=2026Q1&sparat=1" "web: with the tick the save is made"
expect_eq "$(grep -c ';quarter 2026Q1;' "$B4/verifikationer.csv")" 1 "web: … one quarter entry in the journal"
serve_stop
