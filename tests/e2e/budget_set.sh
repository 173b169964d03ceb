#!/bin/sh
# End-to-end tests of budget entry (issue 5, item 4): `samla budget set`
# with --year spread exactly over the quarters (the parts are checked to
# the öre) and with single quarters; the type inferred from the code or
# given with --type; `samla budget import` replaces and adds lines all or
# nothing; `samla forecast set` and --clear; refusals change nothing.
. "$(dirname "$0")/../lib.sh"

NB=$(printf '\302\240') # amounts are shown with no-break spaces
B=$(fresh_book)
BU="$B/budget.csv"
line() { tr -d '\r' <"$BU" | grep "^$1;" ; }

# ---- budget set --year: exact spread ------------------------------------------------
run $SAMLA -f "$B" budget set 2026 KONF --year "100 000,01" --text "Konferens 2026"
expect_rc 0 "budget set --year creates a new line"
expect_out_has "Budgetrad 2026 kostnad KONF (ny):" "… a cost line, inferred from the activity code"
expect_eq "$(line '2026;kostnad;KONF')" "2026;kostnad;KONF;;25000,01;25000,00;25000,00;25000,00;;Konferens 2026;" \
    "100 000,01 is spread as 25 000,01 + 25 000 + 25 000 + 25 000"
# The new line goes after the other 2026 cost lines (GEM), before nothing.
expect_eq "$(tr -d '\r' <"$BU" | tail -n 1 | cut -d';' -f1-3)" "2026;kostnad;KONF" \
    "… placed after the year's other cost lines"
run $SAMLA -f "$B" budget set 2026 KONF --year "-0,03"
expect_eq "$(line '2026;kostnad;KONF')" "2026;kostnad;KONF;;-0,01;-0,01;-0,01;0,00;;Konferens 2026;" \
    "-0,03 is spread as -0,01 -0,01 -0,01 0 (the text is kept)"
run $SAMLA -f "$B" budget set 2026 MHFA --year "40 000,02"
expect_eq "$(line '2026;kostnad;MHFA')" "2026;kostnad;MHFA;;10000,01;10000,01;10000,00;10000,00;;;" \
    "an existing line is replaced: 40 000,02 as 10 000,01 + 10 000,01 + 10 000 + 10 000"
expect_out_has "förut:" "… showing what it was"

# ---- budget set --qN: the other quarters are kept ---------------------------------------
run $SAMLA -f "$B" budget set 2026 SMM --q3 "800 000" --q4 "700 000,50"
expect_rc 0 "budget set --q3 --q4 changes those quarters"
expect_eq "$(line '2026;kostnad;SMM')" "2026;kostnad;SMM;;750000,00;750000,00;800000,00;700000,50;;Delfinansieras med öronmärkning OM-SMM-2026;OM-SMM-2026" \
    "… and keeps Q1, Q2 and the text"
run $SAMLA -f "$B" budget set 2026 LERUM --q1 170000 --q2 170000 --q3 170000 --q4 "170 000"
expect_out_has "Budgetrad 2026 intäkt LERUM:" "a funder's code makes an income line"
expect_eq "$(line '2026;intäkt;LERUM')" "2026;intäkt;LERUM;;170000,00;170000,00;170000,00;170000,00;;15,50 kr per invånare;" \
    "… with the four quarters given"
run $SAMLA -f "$B" budget set 2026 SMM/4621 --q1 1000
expect_eq "$(line '2026;kostnad;SMM;4621')" "2026;kostnad;SMM;4621;1000,00;0,00;0,00;0,00;;;" \
    "CODE/ACCOUNT makes a line narrowed to the account"
run $SAMLA -f "$B" check
expect_rc 0 "the book checks clean after the changes"

# ---- Refusals change nothing ---------------------------------------------------------------
cp "$BU" "$TMPROOT/bu1"
run $SAMLA -f "$B" budget set 2026 NOPE --year 5
expect_rc 1 "an unknown code is refused"
expect_err_has '"NOPE" är varken en finansiär (intäktsrad) eller en verksamhet (kostnadsrad)' "… saying so"
run $SAMLA -f "$B" budget set 2026 SMM/3510 --q1 5
expect_rc 1 "an income account on a cost line is refused"
expect_err_has "konto 3510 är inte ett kostnadskonto" "… saying so"
run $SAMLA -f "$B" budget set 2026 SMM --year "1 2"
expect_rc 1 "a malformed amount is refused"
expect_err_has 'fel: tusentalsgrupper ska ha tre siffror i kolumn 4' "… with its column"
run $SAMLA -f "$B" budget set 2026 SMM --year 5 --q1 1
expect_rc 2 "--year with --q1 is a usage error"
run $SAMLA -f "$B" budget set 26 SMM --year 5
expect_rc 2 "a malformed year is a usage error"
expect_same_file "$BU" "$TMPROOT/bu1" "refusals leave budget.csv unchanged"

# A code that is both a funder and an activity needs --type.
printf 'HSNV;Projekt finansierat av HSNV;nej\r\n' >>"$B/verksamheter.csv"
run $SAMLA -f "$B" budget set 2026 HSNV --q1 1
expect_rc 1 "a code that is both funder and activity is ambiguous"
expect_err_has "ange --type intäkt eller --type kostnad" "… asking for --type"
run $SAMLA -f "$B" budget set 2026 HSNV --q1 "1 000" --type kostnad
expect_eq "$(line '2026;kostnad;HSNV')" "2026;kostnad;HSNV;;1000,00;0,00;0,00;0,00;;;" "--type kostnad decides"
run $SAMLA -f "$B" budget set 2026 HSNV --q1 "334 373,76" --type intäkt
expect_eq "$(line '2026;intäkt;HSNV' | cut -d';' -f1-8)" "2026;intäkt;HSNV;;334373,76;934373,75;334373,75;334373,75" \
    "--type intäkt decides"

# ---- forecast set ---------------------------------------------------------------------------
run $SAMLA -f "$B" forecast set 2026 SMM "2 950 000"
expect_rc 0 "forecast set stores a forecast"
expect_eq "$(line '2026;kostnad;SMM;' | cut -d';' -f9)" "2950000,00" "… in the line's Prognos"
run $SAMLA -f "$B" forecast set 2026 SMM --clear
expect_eq "$(line '2026;kostnad;SMM;' | cut -d';' -f9)" "" "forecast set --clear removes it"
expect_out_has "togs bort (var 2${NB}950${NB}000,00${NB}kr)" "… saying what it was"
cp "$BU" "$TMPROOT/bu2"
run $SAMLA -f "$B" forecast set 2026 KOMM/7690 5
expect_rc 1 "a forecast for a line that does not exist is refused"
expect_err_has "budgetraden 2026 KOMM/7690 finns inte; lägg in den med 'samla budget set 2026 KOMM/7690'" "… saying how to add it"
run $SAMLA -f "$B" forecast 2026 SMM 5
expect_rc 2 "forecast without 'set' is a usage error"
expect_same_file "$BU" "$TMPROOT/bu2" "… and budget.csv is unchanged"

# ---- budget import ----------------------------------------------------------------------------
B2=$(fresh_book)
BU="$B2/budget.csv"
cat >"$TMPROOT/budget-in.csv" <<'EOF'
År;Typ;Kod;Konto;Q1;Q2;Q3;Q4;Prognos
2026;kostnad;SMM;;700 000;700 000;700 000;700 000,50;2 800 000
2026;kostnad;KONF;7610;0;0;20 000;80 000;
2027;intäkt;STATEN;;225000;0;225000;0;
EOF
run $SAMLA -f "$B2" budget import "$TMPROOT/budget-in.csv"
expect_rc 0 "budget import succeeds"
expect_out_has "Budgeten sparades: 1 rader ersattes, 2 nya." "… replacing one line and adding two"
expect_eq "$(line '2026;kostnad;SMM')" "2026;kostnad;SMM;;700000,00;700000,00;700000,00;700000,50;2800000,00;Delfinansieras med öronmärkning OM-SMM-2026;OM-SMM-2026" \
    "the replaced line has the file's quarters and forecast (no Text column: text kept)"
expect_eq "$(line '2026;kostnad;KONF')" "2026;kostnad;KONF;7610;0,00;0,00;20000,00;80000,00;;;" "a new line with an account"
expect_eq "$(line '2027;intäkt;STATEN')" "2027;intäkt;STATEN;;225000,00;0,00;225000,00;0,00;;;" "a new year's line"
run $SAMLA -f "$B2" check
expect_rc 0 "the book checks clean after the import"

cp "$BU" "$TMPROOT/bu3"
cat >"$TMPROOT/budget-bad.csv" <<'EOF'
År;Typ;Kod;Konto;Q1;Q2;Q3;Q4
2026;kostnad;PROC;;1;1;1;1
2026;kostnad;GEM;;1;1;1 0;1
2026;utgift;GEM;;1;1;1;1
2026;kostnad;NOPE;;1;1;1;1
2026;kostnad;PROC;;2;2;2;2
EOF
run $SAMLA -f "$B2" budget import "$TMPROOT/budget-bad.csv"
expect_rc 1 "a budget file with errors is refused"
expect_err_has "budget-bad.csv:3:26: fel: ogiltigt belopp \"1 0\"" "a bad amount is named file:line:column"
expect_err_has "budget-bad.csv:4:6: fel: ogiltig typ \"utgift\"" "a bad type is named"
expect_err_has "budget-bad.csv:5:14: fel: okänd verksamhet \"NOPE\"" "an unknown code is named"
expect_err_has "budget-bad.csv:6:14: fel: budgetraden finns redan på rad 2 i filen" "a repeated line is named"
expect_same_file "$BU" "$TMPROOT/bu3" "… and nothing is saved, not even the good PROC line"
run $SAMLA -f "$B2" budget import "$TMPROOT/budget-in.csv" --dry-run
expect_out_has "Torrkörning: 3 rader skulle ersättas och 0 läggas till; inget sparades." "budget import --dry-run saves nothing"
expect_same_file "$BU" "$TMPROOT/bu3" "… budget.csv unchanged"

# ---- A closed year's budget is not changed --------------------------------------------------
run $SAMLA -f "$B2" close 2025 --yes
if [ "$RC" -eq 0 ]; then
    cp "$BU" "$TMPROOT/bu4"
    run $SAMLA -f "$B2" budget set 2025 SMM --q1 1
    expect_rc 1 "budget set for a closed year is refused"
    expect_err_has "år 2025 är stängt (bokslut)" "… saying so"
    run $SAMLA -f "$B2" forecast set 2025 SMM 1
    expect_rc 1 "forecast set for a closed year is refused"
    expect_same_file "$BU" "$TMPROOT/bu4" "… and budget.csv is unchanged"
else
    not_ok "close 2025 (needed to test a closed year's budget)" "$ERR"
fi
