#!/bin/sh
# The same quarter entered by each of the three paths gives the same book
# (issue 12, deliverables 1 and 8): the example book's Q1 2026 facts
# (ledgers/samla/underlag-2026/kvartal-2026Q1.csv), entered into the
# example's 2025 state by
#   A. `samla quarter 2026Q1 --from FILE`,
#   B. the dialog of `samla quarter 2026Q1` on a pseudo-terminal (every row
#      typed; the clinic's line reopened in the review and typed again),
#   C. the web form (GET the form, post it to the summary, post the
#      summary's save form, as a browser does),
# with SMM's and FACT's Öronmärkning left empty in the facts: those rows
# must draw on OM-SMM-2026 and OM-FACT-2026 because the budget lines are
# financed by them (budget.csv Öronmärkning), in every path.
#
# What may differ between the three journals: Registrerad (when) and
# Användare (who: the web records the logged-in user). Everything else -
# voucher numbers, dates, accounts, codes, earmarks, amounts, texts,
# Underlag, Rättar, Källa ("quarter 2026Q1") and Fingeravtryck (empty) - is
# compared byte for byte, and equals the example book's own 2026:1-18.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/web/serve_lib.sh"

NB=$(printf '\302\240')
FACTS=$ROOT/ledgers/samla/underlag-2026/kvartal-2026Q1.csv
# The facts without SMM's and FACT's earmarks (the budget lines give them).
sed 's/;OM-SMM-2026\r$/;\r/; s/;OM-FACT-2026\r$/;\r/' "$FACTS" >"$TMPROOT/q1.csv"
expect_eq "$(grep -c 'OM-' "$TMPROOT/q1.csv")" 0 "the facts name no OM- earmark"
expect_eq "$(grep -c 'SB-PSYK-2026' "$TMPROOT/q1.csv")" 3 "… the state grant's three rows keep theirs (overrides)"

# A fresh 2025 book with the state grant as build-2026.sh adds it.
prep() {
    pb=$(fresh_book_2025)
    SAMLA_NOW=2026-02-16T08:40:12Z SAMLA_TODAY=2026-02-16 SAMLA_USER=processledare \
        $SAMLA -f "$pb" earmark add SB-PSYK-2026 --grant --amount "440 000" \
        --purpose "Statsbidrag psykisk hälsa och suicidprevention 2026: MHFA-utbildning och delregional samordnare för suicidprevention, bundet till ändamålet" \
        --decided-by "Västra Götalandsregionen" --date 2026-02-13 \
        --paragraph "Fördelning av statsbidrag 2026" --from 2026-01-01 --to 2026-12-31 >/dev/null
    printf '%s\n' "$pb"
}
export SAMLA_TODAY=2026-04-08 SAMLA_NOW=2026-04-08T07:31:05Z
# The journal without Registrerad and Användare (fields 11 and 12).
journal() { tr -d '\r' <"$1/verifikationer.csv" | cut -d';' -f1-10,13-; }

# ---- A: --from -----------------------------------------------------------------
BA=$(prep)
run $SAMLA -f "$BA" quarter 2026Q1 --from "$TMPROOT/q1.csv" --yes </dev/null
expect_rc 0 "A: --from saves the quarter"
expect_out_has "Sparade 18 verifikationer för 2026Q1: 2026:1–2026:18." "A: … 18 vouchers"

# ---- B: the dialog on a pseudo-terminal -------------------------------------------
BB=$(prep)
run /usr/bin/python3 "$ROOT/tests/e2e/quarter_paths.py" dialog "$SAMLA" "$BB" "$TMPROOT/q1.csv"
expect_out_has "EXIT 0 LEFT 0" "B: the dialog runs to the end on a pseudo-terminal"
expect_out_has "Öronmärkning [OM-SMM-2026] (- = ingen): " "B: SMM's rows suggest OM-SMM-2026 (Enter takes it)"
expect_out_has "Öronmärkning [OM-FACT-2026] (- = ingen): " "B: FACT's row suggests OM-FACT-2026"
expect_out_has "  4  SMM  Socialmedicinsk mottagning: 4 rader, 616${NB}312,50 kr" \
    "B: the review lists SMM's four rows and their exact sum"
expect_out_has "  1  PROC  Processledare: 2 rader, 212${NB}795,10 kr" "B: … PROC's wages and social fees as two rows"
expect_out_has "  7  GEM  Gemensamma kostnader (övrigt): 3 rader, 19${NB}762,50 kr" "B: … GEM's three rows"
expect_out_has "Sparade 18 verifikationer för 2026Q1: 2026:1–2026:18." "B: … and saves 18 vouchers"

# ---- C: the web form -----------------------------------------------------------------
BC=$(prep)
JAR="$TMPROOT/jar"
if serve_start "$BC" && serve_login "$JAR"; then
    curl -s -b "$JAR" -o "$TMPROOT/form.html" "$BASE/kvartal?kvartal=2026Q1"
    grep -q '<select id="om19" name="om19"><option value="-">ingen</option><option value="OM-SMM-2026" selected>' "$TMPROOT/form.html" &&
        ok "C: the form preselects OM-SMM-2026 on SMM's rows" || not_ok "C: the form preselects OM-SMM-2026 on SMM's rows"
    grep -q '<select id="om20_1" name="om20_1"><option value="-">ingen</option><option value="OM-SMM-2026">OM-SMM-2026</option><option value="OM-FACT-2026" selected>' "$TMPROOT/form.html" &&
        ok "C: … and OM-FACT-2026 on FACT's" || not_ok "C: … and OM-FACT-2026 on FACT's"
    grep -q '<select id="om16" name="om16"><option value="-" selected>ingen</option>' "$TMPROOT/form.html" &&
        ok "C: … and none on PROC's" || not_ok "C: … and none on PROC's"
    /usr/bin/python3 "$ROOT/tests/e2e/quarter_paths.py" form "$TMPROOT/form.html" "$TMPROOT/q1.csv" >"$TMPROOT/form.body"
    code=$(curl -s -b "$JAR" -o "$TMPROOT/sum.html" -w '%{http_code}' --data @"$TMPROOT/form.body" "$BASE/kvartal")
    expect_eq "$code" 200 "C: the posted form goes to the summary"
    grep -q '<strong>18 verifikationer</strong>' "$TMPROOT/sum.html" && ok "C: … of 18 vouchers" ||
        not_ok "C: … of 18 vouchers" "$(grep -o 'field-error[^<]*<[^<]*' "$TMPROOT/sum.html" | head -5)"
    /usr/bin/python3 "$ROOT/tests/e2e/quarter_paths.py" save "$TMPROOT/sum.html" >"$TMPROOT/save.body"
    loc=$(curl -s -D - -o /dev/null -b "$JAR" --data @"$TMPROOT/save.body" "$BASE/kvartal/spara" |
        tr -d '\r' | sed -n 's/^Location: //p')
    expect_eq "$loc" "/kvartal?kvartal=2026Q1&sparat=18" "C: the summary's save form saves 18 vouchers"
    serve_stop
fi

# ---- The same book -------------------------------------------------------------------
journal "$BA" >"$TMPROOT/ja"
journal "$BB" >"$TMPROOT/jb"
journal "$BC" >"$TMPROOT/jc"
expect_same_file "$TMPROOT/jb" "$TMPROOT/ja" "dialog and --from give byte-identical journals (apart from Registrerad, Användare)"
expect_same_file "$TMPROOT/jc" "$TMPROOT/ja" "web form and --from give byte-identical journals (apart from Registrerad, Användare)"
tr -d '\r' <"$ROOT/ledgers/samla/verifikationer.csv" | cut -d';' -f1-10,13- |
    awk -F';' 'NR == 1 || $2 ~ /^2025-/ || ($2 ~ /^2026-/ && $1 <= 18)' >"$TMPROOT/jex"
expect_same_file "$TMPROOT/ja" "$TMPROOT/jex" "… and equal to the example book's 2025 and 2026:1–18 (entered with explicit earmarks)"
got=$(grep '^[0-9]*;2026-' "$TMPROOT/ja" | cut -d';' -f1,4,6 | grep 'OM-')
want='6;SMM;OM-SMM-2026
7;SMM;OM-SMM-2026
8;SMM;OM-SMM-2026
9;SMM;OM-SMM-2026
10;FACT;OM-FACT-2026'
expect_eq "$got" "$want" "SMM's and FACT's rows drew on the lines' earmarks"
# Registrerad and Användare as each path recorded them: the command line's
# clock and user for A and B, the web's logged-in user for C.
got=$(tail -n 18 "$BA/verifikationer.csv" | tr -d '\r' | cut -d';' -f11,12 | sort -u)
expect_eq "$got" "2026-04-08T07:31:05Z;testare" "A: Registrerad and Användare of the command line"
expect_eq "$(tail -n 18 "$BC/verifikationer.csv" | tr -d '\r' | cut -d';' -f11 | sort -u | wc -l)" 1 \
    "C: one Registrerad for the whole quarter (one batch)"

# Earmarks and free surplus at the quarter's end, the same in all three.
for x in A B C; do
    eval "bk=\$B$x"
    $SAMLA -f "$bk" earmarks --at 2026-03-31 >"$TMPROOT/em$x" 2>&1
done
expect_same_file "$TMPROOT/emB" "$TMPROOT/emA" "earmarks --at 2026-03-31: dialog = --from"
expect_same_file "$TMPROOT/emC" "$TMPROOT/emA" "earmarks --at 2026-03-31: web = --from"
em=$(sed "s/$NB/ /g" "$TMPROOT/emA" | tr -s ' ')
case "$em" in *"OM-SMM-2026 Delfinansiering av socialmedicinsk mottagning 2026 reservation 2 180 000,00 0,00 616 312,50 1 563 687,50"*)
    ok "OM-SMM-2026: Förbrukat 616 312,50, Återstår 1 563 687,50" ;;
  *) not_ok "OM-SMM-2026: Förbrukat 616 312,50, Återstår 1 563 687,50" "$em" ;; esac
case "$em" in *"reservation 820 000,00 0,00 205 537,20 614 462,80"*)
    ok "OM-FACT-2026: Förbrukat 205 537,20, Återstår 614 462,80" ;;
  *) not_ok "OM-FACT-2026: Förbrukat 205 537,20, Återstår 614 462,80" "$em" ;; esac
case "$em" in *"Ackumulerat överskott 6 548 362,80"*"Ej öronmärkt (fritt överskott) 4 177 053,75"*)
    ok "accumulated surplus 6 548 362,80, free surplus 4 177 053,75" ;;
  *) not_ok "accumulated surplus 6 548 362,80, free surplus 4 177 053,75" "$em" ;; esac
