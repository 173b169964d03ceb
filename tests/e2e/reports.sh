#!/bin/sh
# End-to-end tests of the reports (issue 3) and `list`: the example book's
# published figures, exact kr, earmarks and the free surplus, budget
# forecast and deviation, the same values in term, CSV and JSON, rounding
# footnotes, and the balance/list sums on randomized books.
#
# Amounts are compared as text, or converted to whole öre and summed with
# awk: whole numbers below 2^53 are exact there, so the sums are exact.
. "$(dirname "$0")/../lib.sh"

NB=$(printf '\302\240')   # U+00A0, the thousands separator
MI=$(printf '\342\210\222') # U+2212, the minus sign
B=$(fresh_book)

# row LABEL: the first line of $OUT that contains LABEL, trailing blanks cut.
row() { printf '%s\n' "$OUT" | grep -F -- "$1" | head -n 1 | sed 's/ *$//'; }
# expect_row LABEL VALUE TEXT: that line ends in the field VALUE.
expect_row() {
    r=$(row "$1")
    case "$r" in *"  $2") ok "$3" ;; *) not_ok "$3" "row: $r" "expected it to end in: $2" ;; esac
}

# ---- result ----------------------------------------------------------------
# The income statement's columns: Budget 2025, Utfall 2025, Avvikelse,
# Utfall 2024 (empty: the book begins in 2025). outcome LABEL: the Utfall
# field of that line (the one before the deviation).
outcome() { row "$1" | awk -F'  +' '{ print $(NF - 1) }'; }
expect_outcome() {
    v=$(outcome "$1")
    if [ "$v" = "$2" ]; then ok "$3"; else not_ok "$3" "row: $(row "$1")" "outcome field: $v, expected $2"; fi
}
run $SAMLA -f "$B" result 2025 --unit mnkr
expect_rc 0 "result 2025 --unit mnkr runs"
expect_outcome "Summa intäkter" "3,7" "income 2025 is 3,7 mnkr"
expect_outcome "Summa kostnader" "4,9" "costs 2025 are 4,9 mnkr"
expect_outcome "Årets resultat" "${MI}1,3" "the result is −1,3 mnkr (U+2212)"
expect_outcome "Utgående ackumulerat överskott" "6,8" "closing surplus is 6,8 mnkr"
expect_outcome "Ingående ackumulerat överskott" "8,1" "opening surplus is 8,1 mnkr"
expect_out_has "Avrundningsdifferenser kan förekomma." "mnkr carries the rounding note"
expect_out_has "Avrundningsdifferens: de avrundade delarna summerar inte till den avrundade summan i Summa intäkter (Budget 2025, Utfall 2025); Processledare (Avvikelse); Summa kostnader (Budget 2025, Utfall 2025); Årets resultat (Budget 2025, Utfall 2025)." \
    "the footnote names the rows whose rounded parts do not add up (3,7 − 4,9 ≠ −1,3)"
MNKR_OUT=$OUT

run $SAMLA -f "$B" result 2025 --unit kr
expect_outcome "Summa intäkter" "3${NB}656${NB}403,50" "income 2025 exact: 3 656 403,50"
expect_outcome "Summa kostnader" "4${NB}934${NB}608,22" "costs 2025 exact: 4 934 608,22"
expect_outcome "Årets resultat" "${MI}1${NB}278${NB}204,72" "result exact: −1 278 204,72"
expect_outcome "Ingående ackumulerat överskott" "8${NB}079${NB}441,17" "opening exact: 8 079 441,17"
expect_outcome "Utgående ackumulerat överskott" "6${NB}801${NB}236,45" "closing exact: 6 801 236,45"
case "$OUT" in *Avrundningsdifferens*) not_ok "no rounding notes in kr with öre" ;; *) ok "no rounding notes in kr with öre" ;; esac
expect_out_has "Vårdsamverkan SAMLA (Lerum–Alingsås), 2025, per 2025-12-31" "an income statement of a year is per YEAR-12-31 (not today)"
# Budget, outcome and deviation (positive when favourable) beside each other.
# fields LABEL: the last three fields of that line (budget|outcome|deviation).
fields() { row "$1" | awk -F'  +' '{ print $(NF - 2) "|" $(NF - 1) "|" $NF }'; }
expect_eq "$(fields Staten)" "430${NB}000,00|433${NB}187,50|3${NB}187,50" \
    "income above budget: Staten 433 187,50 against 430 000, deviation +3 187,50 (favourable)"
expect_eq "$(fields "Socialmedicinsk mottagning")" "3${NB}100${NB}000,00|3${NB}137${NB}882,52|${MI}37${NB}882,52" \
    "costs above budget: the clinic 3 137 882,52 against 3 100 000, deviation −37 882,52 (unfavourable)"
expect_eq "$(fields "Gemensamma kostnader")" "110${NB}000,00|77${NB}797,20|32${NB}202,80" \
    "costs below budget: GEM 77 797,20 against 110 000, deviation +32 202,80 (favourable)"
expect_eq "$(fields "Årets resultat")" "${MI}1${NB}356${NB}784,00|${MI}1${NB}278${NB}204,72|78${NB}579,28" \
    "the result: −1 278 204,72 against a budgeted −1 356 784, deviation +78 579,28 (favourable)"
expect_out_has "Boken börjar 2025-01-01; utfallet för 2024 finns inte i den." "the previous year's column says why it is empty"
run $SAMLA -f "$B" result 2025
expect_rc 0 "result without --unit runs"
expect_outcome "Årets resultat" "${MI}1${NB}278${NB}204,72" "kr with öre is the default unit"
run $SAMLA -f "$B" result 2025 --at 2025Q2 --format json
case "$OUT" in *'"subtitle": "Vårdsamverkan SAMLA (Lerum–Alingsås), 2025, per 2025-06-30"'*) ok "result --at 2025Q2: per 2025-06-30" ;; *) not_ok "result --at" "$(printf '%s\n' "$OUT" | grep subtitle)" ;; esac
run $SAMLA -f "$B" result 2025 --at 2026Q1
expect_rc 2 "result --at outside the year is a usage error"

run $SAMLA -f "$B" result 2025 --detail
expect_row "Summa Socialmedicinsk mottagning" "3${NB}137${NB}882,52" "--detail: the clinic's subtotal"
expect_out_has "4610" "--detail lists accounts"

run $SAMLA -f "$B" result 2025 --unit tkr
expect_outcome "Summa kostnader" "4${NB}935" "tkr has no decimals"

# Display widths: every amount column ends in the same terminal column even
# with å/ä/ö in the labels (code points, not bytes, are counted).
widths=$(printf '%s\n' "$MNKR_OUT" | grep -E ',[0-9]$' | while IFS= read -r l; do printf '%s' "$l" | LC_ALL=C.UTF-8 wc -m; done | sort -u | wc -l)
expect_eq "$widths" "1" "amounts line up in display columns (UTF-8 labels)"
case "$MNKR_OUT" in *"$(printf '\033')"*) not_ok "no colour codes when stdout is not a terminal" ;; *) ok "no colour codes when stdout is not a terminal" ;; esac

# ---- earmarks ---------------------------------------------------------------
run $SAMLA -f "$B" earmarks --at 2026-01-01
expect_rc 0 "earmarks --at 2026-01-01 runs"
expect_out_has "OM-SMM-2026" "the clinic's earmark is shown"
expect_out_has "OM-FACT-2026" "FACT ung's earmark is shown"
case "$(row OM-SMM-2026)" in *"2${NB}180${NB}000,00"*aktiv) ok "OM-SMM-2026: 2 180 000,00, aktiv" ;; *) not_ok "OM-SMM-2026: 2 180 000,00, aktiv" "$(row OM-SMM-2026)" ;; esac
case "$(row OM-FACT-2026)" in *"820${NB}000,00"*"Samordningsgruppen"*"2025-12-12"*"§ 8"*) ok "OM-FACT-2026: 820 000,00 and its decision" ;; *) not_ok "OM-FACT-2026: 820 000,00 and its decision" "$(row OM-FACT-2026)" ;; esac
case "$(row Summa)" in *"3${NB}000${NB}000,00"*) ok "earmarks total 3 000 000,00" ;; *) not_ok "earmarks total 3 000 000,00" "$(row Summa)" ;; esac
expect_row "Ackumulerat överskott" "6${NB}801${NB}236,45" "accumulated surplus at 2026-01-01"
expect_row "Varav öronmärkt (beslut om reservation)" "3${NB}000${NB}000,00" "earmarked remaining at 2026-01-01"
expect_row "Varav bundna bidrag (ej förbrukat)" "0,00" "no bound grant at 2026-01-01"
expect_row "Ej öronmärkt (fritt överskott)" "3${NB}801${NB}236,45" "free surplus = 6 801 236,45 − 3 000 000,00 to the öre"
run $SAMLA -f "$B" earmarks --at 2025-12-01
expect_out_has "Inga öronmärkningar" "before the decision there are no earmarks"
expect_row "Ej öronmärkt (fritt överskott)" "$(printf '%s' "$(row 'Ackumulerat överskott')" | sed 's/.*  //')" "… and all the surplus is free"

# Draw one earmark past its amount: a warning, and the status says so.
E=$(fresh_book)
$SAMLA -f "$E" add --date 2026-02-10 --account 4610 --activity FACT --earmark OM-FACT-2026 --amount "900 000" --text "Projektledare" >/dev/null 2>&1
run $SAMLA -f "$E" earmarks --at 2026-03-01
case "$(row OM-FACT-2026)" in *överdragen) ok "an overdrawn earmark has status överdragen" ;; *) not_ok "an overdrawn earmark has status överdragen" "$(row OM-FACT-2026)" ;; esac
expect_out_has "Varning: öronmärkningen OM-FACT-2026 är överdragen med 80${NB}000,00${NB}kr" "… and a warning with the excess"
run $SAMLA -f "$E" earmarks --at 2027-01-31
case "$(row OM-SMM-2026)" in *utgången) ok "an earmark past its validity is utgången" ;; *) not_ok "an earmark past its validity is utgången" "$(row OM-SMM-2026)" ;; esac
expect_out_has "gick ut 2026-12-31" "… with a warning"

# ---- surplus ------------------------------------------------------------------
run $SAMLA -f "$B" surplus --at 2025-12-31
expect_rc 0 "surplus runs"
case "$(printf '%s\n' "$OUT" | grep '^2025  ')" in *"8${NB}079${NB}441,17"*"${MI}1${NB}278${NB}204,72"*"6${NB}801${NB}236,45"*"3${NB}000${NB}000,00"*"3${NB}801${NB}236,45"*) ok "surplus 2025: opening, result, closing, earmarked, free" ;; *) not_ok "surplus 2025: opening, result, closing, earmarked, free" "$OUT" ;; esac

# ---- activity -----------------------------------------------------------------
run $SAMLA -f "$B" activity SMM --period 2025
expect_rc 0 "activity SMM runs"
expect_row "Köp av verksamhet, region" "2${NB}263${NB}418,37" "SMM 4610 = 2 263 418,37"
expect_row "Köp av verksamhet, Alingsås kommun" "457${NB}012,40" "SMM 4621 = 457 012,40"
expect_row "Köp av verksamhet, Lerums kommun" "215${NB}087,75" "SMM 4622 = 215 087,75"
expect_row "Administrativa tjänster" "187${NB}964,00" "SMM 7410 = 187 964,00"
expect_row "Hälso- och sjukvårdsnämnden Västra" "600${NB}000,00" "HSNV income to SMM = 600 000,00"
expect_row "Nettokostnad" "2${NB}537${NB}882,52" "SMM net cost = costs − income"
run $SAMLA -f "$B" activity NOPE --period 2025
expect_rc 1 "an unknown activity is a data error"

# ---- balance, list ------------------------------------------------------------
# The quarters of each row add up to the year column, the rows add up to
# the totals, and each activity's year figure is what list sums for it.
# check_balance CSV: prints "bad ..." for every sum that does not hold.
check_balance() {
    awk -F';' '
    function ore(x) { gsub(/,/, "", x); return x + 0 }
    $2 == "Intäkter" { sec = "I"; next }
    $2 == "Kostnader" { sec = "K"; next }
    sec != "" && NF >= 5 && $2 !~ /^Summa/ {
        s = 0; for (i = 3; i < NF; i++) { s += ore($i); col[sec, i] += ore($i) }
        col[sec, NF] += ore($NF)
        if (s != ore($NF)) print "bad row " $2 ": " s " != " ore($NF)
        if ($1 != "") printf "year %s %s %.0f\n", sec, $1, ore($NF) > "/dev/stderr"
    }
    $2 ~ /^Summa (intäkter|kostnader)$/ {
        for (i = 3; i <= NF; i++) if (col[sec, i] != ore($i)) print "bad column " i " of " $2
        tot[sec] = ore($NF); sec = ""
    }
    $2 ~ /^Resultat/ { if (tot["I"] - tot["K"] != ore($NF)) print "bad result" }
    ' "$1"
}
# list_sum FILTER...: "INCOME COST" in öre, from list's sum rows.
list_sum() {
    $SAMLA -f "$BK" list --format csv "$@" | awk -F';' '
        function ore(x) { gsub(/,/, "", x); return x + 0 }
        $1 == "Summa intäkter" { i = ore($7) } $1 == "Summa kostnader" { k = ore($7) }
        END { printf "%.0f %.0f\n", i, k }'
}
# check_list_agrees: every activity year figure of the balance is list's sum.
check_list_agrees() {
    while read -r _ sec code val; do
        sums=$(list_sum --period 2025 --activity "$code")
        if [ "$sec" = I ]; then got=${sums% *}; else got=${sums#* }; fi
        [ "$got" = "$val" ] || echo "bad list $sec $code: $got != $val"
    done
}

BK=$B
run $SAMLA -f "$B" balance --period 2025 --by quarter --rows activity --format csv
expect_rc 0 "balance --by quarter --rows activity runs"
printf '%s\n' "$OUT" | tr -d '\r' > "$TMPROOT/bal.csv"
bad=$(check_balance "$TMPROOT/bal.csv" 2>"$TMPROOT/years")
expect_eq "$bad" "" "example: quarters add up to the year column; rows to the totals"
bad=$(check_list_agrees < "$TMPROOT/years")
expect_eq "$bad" "" "example: each activity's year figure is what list sums for it"
expect_eq "$(grep -c '^year K' "$TMPROOT/years")" "8" "example: eight activities with costs"
run $SAMLA -f "$B" balance --period 2025 --by quarter --rows activity
r=$(printf '%s\n' "$OUT" | grep '^SMM ' | tail -n 1)
case "$r" in *"  3${NB}137${NB}882,52") ok "term: SMM's year cost" ;; *) not_ok "term: SMM's year cost" "$r" ;; esac
case "$(row 'Summa kostnader')" in *"1${NB}099${NB}063,20"*"4${NB}934${NB}608,22") ok "term: costs per quarter and the year" ;; *) not_ok "term: costs per quarter and the year" "$(row 'Summa kostnader')" ;; esac
run $SAMLA -f "$B" balance --period 2025 --rows funder
expect_row "Summa intäkter" "3${NB}656${NB}403,50" "balance per funder: income"
run $SAMLA -f "$B" balance --period 2025 --by month --rows account --format csv
printf '%s\n' "$OUT" | tr -d '\r' > "$TMPROOT/bal2.csv"
expect_eq "$(check_balance "$TMPROOT/bal2.csv" 2>/dev/null)" "" "per account by month: months add up"
run $SAMLA -f "$B" balance --period 2025T2 --by quarter --rows activity --format csv
printf '%s\n' "$OUT" | tr -d '\r' > "$TMPROOT/bal3.csv"
expect_eq "$(check_balance "$TMPROOT/bal3.csv" 2>/dev/null)" "" "a tertial split by quarter (clipped) adds up"
run $SAMLA -f "$B" balance --period 2025Q5
expect_rc 2 "a malformed period is a usage error"
run $SAMLA -f "$B" balance --rows nothing
expect_rc 2 "a bad --rows is a usage error"
run $SAMLA -f "$B" balance --bogus
expect_rc 2 "an unknown option is a usage error"

run $SAMLA -f "$B" list --period 2025Q1 --activity SMM
expect_rc 0 "list runs"
expect_out_has "2025:12" "list shows Ver as YEAR:NUM"
case "$(row 'Summa kostnader')" in *"745${NB}732,59"*) ok "list SMM Q1: costs 745 732,59" ;; *) not_ok "list SMM Q1: costs 745 732,59" "$(row 'Summa kostnader')" ;; esac
run $SAMLA -f "$B" list --period 2025 --funder HSNV
case "$(row 'Summa intäkter')" in *"1${NB}911${NB}608,00"*) ok "list per funder sums its income" ;; *) not_ok "list per funder sums its income" "$(row 'Summa intäkter')" ;; esac
run $SAMLA -f "$B" list --account 4622 --period 2025-09
expect_out_has "2025:47" "list by account and month"
expect_out_has "$(printf '%s' '-99 804,60' | sed "s/-/$MI/; s/ /$NB/")" "a correction's negative amount is shown"
run $SAMLA -f "$B" list --earmark NOPE
expect_rc 1 "an unknown earmark code is a data error"
run $SAMLA -f "$B" list --period 2019
expect_out_has "Inga verifikationer" "an empty selection says so"

# Randomized books: a fixed-seed generator (an LCG in shell arithmetic, so
# every machine makes the same books), 20 books, the same sums checked.
SEED=20250101
rnd() { SEED=$(( (SEED * 1103515245 + 12345) % 2147483648 )); R=$(( SEED / 65536 % $1 )); }
gen_book() { # DIR
    d=$1; mkdir -p "$d"
    bom=$(printf '\357\273\277')
    printf '%sNamn;Kortnamn;Valuta;Startdatum;Ingående ackumulerat överskott\r\nTestbok;T;SEK;2024-01-01;1000000,00\r\n' "$bom" > "$d/organisation.csv"
    printf '%sKod;Namn;Typ;Invånare\r\nF1;Finansiär ett;stat;\r\nF2;Finansiär två;kommun;100\r\nF3;Finansiär tre;region;\r\n' "$bom" > "$d/finansiarer.csv"
    printf '%sKonto;Namn;Typ\r\n3510;Bidrag A;intäkt\r\n3520;Bidrag B;intäkt\r\n4610;Köp;kostnad\r\n5010;Löner;kostnad\r\n7690;Övrigt;kostnad\r\n' "$bom" > "$d/konton.csv"
    printf '%sKod;Namn;Specifikation\r\nA1;Åtgärd ett;nej\r\nA2;Ärende två;nej\r\nA3;Tre;ja\r\nA4;Fyra;nej\r\n' "$bom" > "$d/verksamheter.csv"
    printf '%sÅr;Typ;Kod;Konto;Q1;Q2;Q3;Q4;Prognos;Text\r\n' "$bom" > "$d/budget.csv"
    printf '%sKod;Händelse;Typ;Ändamål;Belopp;Beslutsorgan;Beslutsdatum;Paragraf;Giltig från;Giltig till;Registrerad;Användare\r\n' "$bom" > "$d/oronmarkningar.csv"
    printf '%sÅr;Händelse;Resultat;Utgående ackumulerat överskott;Antal verifikationer;Kontrollsumma;Registrerad;Användare;Motivering\r\n' "$bom" > "$d/bokslut.csv"
    j="$d/verifikationer.csv"
    printf '%sVer;Datum;Konto;Verksamhet;Finansiär;Öronmärkning;Belopp;Text;Underlag;Rättar;Registrerad;Användare;Källa;Fingeravtryck\r\n' "$bom" > "$j"
    for y in 2024 2025; do
        rnd 40; n=$((R + 5)); m=1; day=1; v=0
        while [ $v -lt $n ]; do
            v=$((v + 1))
            rnd 3; day=$((day + R * 9)); if [ $day -gt 28 ]; then day=$((day - 28)); m=$((m + 1)); fi
            [ $m -gt 12 ] && m=12
            rnd 32768; amt=$R; rnd 32768; amt=$((amt * 32768 + R)); rnd 100; ore=$R
            rnd 10; sign=""; [ "$R" -eq 0 ] && sign="-"
            rnd 5; a=$((R)); rnd 3; f=$((R + 1))
            date=$(printf '%d-%02d-%02d' "$y" "$m" "$day")
            rnd 3
            if [ "$R" -eq 0 ]; then
                acc=3510; [ $((amt % 2)) -eq 1 ] && acc=3520
                act=""; [ $a -gt 0 ] && act="A$a"
                row="$v;$date;$acc;$act;F$f;;$sign$amt,$(printf '%02d' $ore);Intäkt $v;;;2025-01-01T00:00:00Z;gen;seed;"
            else
                case $((amt % 3)) in 0) acc=4610 ;; 1) acc=5010 ;; *) acc=7690 ;; esac
                [ $a -eq 0 ] && a=1
                row="$v;$date;$acc;A$a;;;$sign$amt,$(printf '%02d' $ore);Kostnad $v;;;2025-01-01T00:00:00Z;gen;seed;"
            fi
            printf '%s\r\n' "$row" >> "$j"
        done
    done
}
failures=""
k=0
while [ $k -lt 20 ]; do
    k=$((k + 1))
    BK="$TMPROOT/rand$k"
    gen_book "$BK"
    if ! $SAMLA -f "$BK" check >/dev/null 2>"$TMPROOT/err"; then
        failures="$failures
book $k does not load: $(head -3 "$TMPROOT/err")"
        continue
    fi
    for by in quarter month tertial; do
        $SAMLA -f "$BK" balance --period 2025 --by $by --rows activity --format csv | tr -d '\r' > "$TMPROOT/r.csv"
        bad=$(check_balance "$TMPROOT/r.csv" 2>"$TMPROOT/years")
        [ -n "$bad" ] && failures="$failures
book $k by $by: $bad"
    done
    bad=$(check_list_agrees < "$TMPROOT/years")
    [ -n "$bad" ] && failures="$failures
book $k list: $bad"
    # The result report's totals are the balance's.
    bi=$(awk -F';' '$2 == "Summa intäkter" { gsub(/,/, "", $NF); printf "%.0f\n", $NF }' "$TMPROOT/r.csv")
    ri=$($SAMLA -f "$BK" result 2025 --format json | grep -F '"label": "Summa intäkter"' | sed -E 's/.*"amount": "([^"]*)".*/\1/' | tr -d '.' | sed 's/^0*//; s/^$/0/')
    [ "$bi" = "$ri" ] || failures="$failures
book $k: result income $ri != balance $bi"
    all=$(list_sum --period 2025)
    [ "${all% *}" = "$bi" ] || failures="$failures
book $k: list income ${all% *} != balance $bi"
done
expect_eq "$failures" "" "20 random books: quarters/months/tertials add up to the year, rows to totals, each activity to list's sum, result to balance"

# ---- budget -------------------------------------------------------------------
U=$(fresh_book_2025)
$SAMLA -f "$U" add --date 2026-01-31 --account 3520 --funder HSNV --amount "334 373,75" --text "Bidrag HSNV Q1" >/dev/null &&
$SAMLA -f "$U" add --date 2026-02-15 --account 5010 --activity PROC --amount "150 000" --text "Lön" >/dev/null &&
$SAMLA -f "$U" add --date 2026-03-31 --account 4610 --activity SMM --amount "500 000,50" --text "SMM Q1" >/dev/null &&
$SAMLA -f "$U" add --date 2026-03-31 --account 7610 --activity KONF --amount "12 000" --text "Konferens" >/dev/null &&
$SAMLA -f "$U" add --date 2026-04-15 --account 5010 --activity PROC --amount "1 000" --text "Efter Q1" >/dev/null
expect_eq "$?" "0" "2026 entries for the budget test are saved"

run $SAMLA -f "$U" budget 2026 --at 2026Q1 --format json
expect_rc 0 "budget 2026 --at 2026Q1 --format json runs"
J=$OUT
jrow() { printf '%s\n' "$J" | grep -F "\"code\": \"$1\"" | head -n 1; }
case "$(jrow PROC)" in *'"budget": "820000.00", "q1": "150000.00", "q2": null, "q3": null, "q4": null, "budget_to_date": "205000.00", "to_date": "150000.00", "deviation_to_date": "55000.00", "forecast": "765000.00", "deviation": "55000.00", "pct": {"num": "150000.00", "den": "820000.00", "percent": "18.29"}'*) ok "PROC (cost under budget): forecast = outcome 150 000 + Q2–Q4 budget 615 000; deviations budget − outcome = +55 000 (favourable)" ;; *) not_ok "PROC forecast/deviation" "$(jrow PROC)" ;; esac
case "$(jrow SMM)" in *'"to_date": "500000.50", "deviation_to_date": "249999.50", "forecast": "2750000.50", "deviation": "249999.50"'*) ok "SMM: forecast and deviation to the öre" ;; *) not_ok "SMM: forecast and deviation to the öre" "$(jrow SMM)" ;; esac
case "$(jrow HSNV)" in *'"budget_to_date": "334373.75", "to_date": "334373.75", "deviation_to_date": "0.00", "forecast": "1937495.00", "deviation": "0.00"'*) ok "HSNV income on budget: deviation 0" ;; *) not_ok "HSNV income on budget: deviation 0" "$(jrow HSNV)" ;; esac
case "$(jrow STATEN)" in *'"budget": "440000.00", "q1": "0.00", "q2": null, "q3": null, "q4": null, "budget_to_date": "220000.00", "to_date": "0.00", "deviation_to_date": "-220000.00", "forecast": "220000.00", "deviation": "-220000.00"'*) ok "STATEN (income short of budget): deviation outcome − budget = −220 000 (unfavourable)" ;; *) not_ok "income shortfall is a negative deviation" "$(jrow STATEN)" ;; esac
case "$(jrow KONF)" in *'(ej budgeterad)'*'"budget": "0.00", "q1": "12000.00", "q2": null, "q3": null, "q4": null, "budget_to_date": "0.00", "to_date": "12000.00", "deviation_to_date": "-12000.00", "forecast": "12000.00", "deviation": "-12000.00"'*) ok "unbudgeted cost gets its own line, deviation −12 000 (unfavourable)" ;; *) not_ok "unbudgeted outcome gets its own line" "$(jrow KONF)" ;; esac
case "$J" in *'"q2": "'*|*'"q3": "'*|*'"q4": "'*) not_ok "quarters after --at are empty" ;; *) ok "quarters after --at are empty" ;; esac
case "$J" in *'"q4": null'*) ok "all four quarter columns are there" ;; *) not_ok "all four quarter columns are there" ;; esac
case "$(printf '%s\n' "$J" | grep -F '"label": "Summa kostnader"')" in *'"q1": "662000.50", "q2": null, "q3": null, "q4": null, "budget_to_date": "1254000.00", "to_date": "662000.50", "deviation_to_date": "591999.50", "forecast": "4424000.50", "deviation": "591999.50"'*) ok "cost totals: outcome, the sum of the lines' forecasts, budget − outcome" ;; *) not_ok "cost totals" "$(printf '%s\n' "$J" | grep -F '"label": "Summa kostnader"')" ;; esac
case "$(printf '%s\n' "$J" | grep -F '"label": "Summa intäkter"')" in *'"budget_to_date": "888747.50", "to_date": "334373.75", "deviation_to_date": "-554373.75", "forecast": "3160616.25", "deviation": "-554373.75"'*) ok "income totals: outcome − budget (short: negative)" ;; *) not_ok "income totals" "$(printf '%s\n' "$J" | grep -F '"label": "Summa intäkter"')" ;; esac
case "$(printf '%s\n' "$J" | grep -F '"label": "Resultat (intäkter − kostnader)"')" in *'"budget": "-1301010.00",'*'"budget_to_date": "-365252.50", "to_date": "-327626.75", "deviation_to_date": "37625.75", "forecast": "-1263384.25", "deviation": "37625.75"'*) ok "result: outcome − budget, +37 625,75 = income −554 373,75 + costs +591 999,50 (favourable)" ;; *) not_ok "result deviation" "$(printf '%s\n' "$J" | grep -F '"label": "Resultat (intäkter − kostnader)"')" ;; esac
case "$J" in *'"subtitle": "Vårdsamverkan SAMLA (Lerum–Alingsås), 2026. Utfall t.o.m. 2026-03-31"'*) ok "the subtitle says through which date the outcome counts" ;; *) not_ok "budget subtitle" "$(printf '%s\n' "$J" | grep subtitle)" ;; esac

# The same exact values in all three forms:
# label|budget|q1|budget_to_date|to_date|deviation_to_date|forecast|deviation.
from_json() {
    printf '%s\n' "$J" | sed -n '/"caption": "Budgetuppföljning"/,/"caption": "Öronmärkta medel"/p' |
        grep -E '"kind": "(line|subtotal|total)"' |
        sed -E 's/.*"label": "([^"]*)".*"budget": "([^"]*)", "q1": "([^"]*)", "q2": null, "q3": null, "q4": null, "budget_to_date": "([^"]*)", "to_date": "([^"]*)", "deviation_to_date": "([^"]*)", "forecast": "([^"]*)", "deviation": "([^"]*)".*/\1|\2|\3|\4|\5|\6|\7|\8/'
}
from_csv() {
    $SAMLA -f "$U" budget 2026 --at 2026Q1 --format csv | tr -d '\r' |
        sed -n '/^Kod;Budgetrad/,/^Öronmärkta medel$/p' |
        awk -F';' 'NF >= 13 && $1 != "Kod" { for (i = 3; i <= 12; i++) sub(/,/, ".", $i); print $2 "|" $3 "|" $4 "|" $8 "|" $9 "|" $10 "|" $11 "|" $12 }'
}
from_term() {
    $SAMLA -f "$U" budget 2026 --at 2026Q1 --unit kr |
        sed -n '/^Kod  /,/^Öronmärkta medel$/p' |
        awk -F'  +' -v nb="$NB" -v mi="$MI" 'NF >= 9 && $1 != "Kod" {
            for (i = 3; i <= 9; i++) { gsub(nb, "", $i); sub(mi, "-", $i); sub(/,/, ".", $i) }
            print $2 "|" $3 "|" $4 "|" $5 "|" $6 "|" $7 "|" $8 "|" $9 }'
}
JS=$(from_json); CS=$(from_csv); TS=$(from_term)
expect_eq "$(printf '%s\n' "$JS" | wc -l | tr -d ' ')" "15" "JSON: 15 budget rows with amounts (13 lines, 2 sums, the result)"
expect_eq "$CS" "$JS" "CSV carries the same exact values as JSON"
expect_eq "$TS" "$JS" "the terminal form (kr) carries the same exact values as JSON"

# Each earmark, and the surplus split into earmarked, bound grants and free.
case "$(jrow OM-SMM-2026)" in *'"decided": "2180000.00", "drawn_year": "0.00", "drawn": "0.00", "remaining": "2180000.00", "decision": "Samordningsgruppen 2025-12-12 § 8"'*) ok "the follow-up lists each earmark: decided, drawn this year and in total, remaining" ;; *) not_ok "earmark lines in the follow-up" "$(jrow OM-SMM-2026)" ;; esac
case "$J" in *'"label": "Ej öronmärkt (fritt överskott)", "level": 0, "warn": false, "cells": {"amount": "3473609.70"}'*) ok "free surplus at 2026-03-31: 6 473 609,70 − 3 000 000 earmarked − 0 bound grants" ;; *) not_ok "free surplus in the follow-up" "$(printf '%s\n' "$J" | grep -F 'Ej öronmärkt')" ;; esac

run $SAMLA -f "$U" budget 2026 --at 2026-02 --format json
J=$OUT
case "$(jrow STATEN)" in *'"budget_to_date": "0.00", "to_date": "0.00", "deviation_to_date": "0.00", "forecast": "440000.00"'*) ok "mid-quarter --at: the budget is per quarter, so Q1 in progress counts in full as after the date (forecast 0 + 440 000)" ;; *) not_ok "mid-quarter forecast" "$(jrow STATEN)" ;; esac

# Tertials: --at 2026T2 gives columns T1–T3 (T3 empty); Q3, in progress at
# 2026-08-31, counts in full as after the date.
run $SAMLA -f "$U" budget 2026 --at 2026T2 --format json
J=$OUT
case "$(jrow PROC)" in *'"budget": "820000.00", "t1": "151000.00", "t2": "0.00", "t3": null, "budget_to_date": "410000.00", "to_date": "151000.00", "deviation_to_date": "259000.00", "forecast": "561000.00", "deviation": "259000.00"'*) ok "--at 2026T2: tertial columns T1–T3, budget t.o.m. Q1+Q2, forecast 151 000 + Q3–Q4 410 000" ;; *) not_ok "tertial columns" "$(jrow PROC)" ;; esac
case "$J" in *'"q1"'*) not_ok "--at 2026T2 has no quarter columns" ;; *) ok "--at 2026T2 has no quarter columns" ;; esac
run $SAMLA -f "$U" budget 2026 --at 2026Q2 --by tertial --format json
case "$OUT" in *'"heading": "Utfall T1"'*'"heading": "Utfall T3"'*) ok "--by tertial gives tertial columns at a quarter's end" ;; *) not_ok "--by tertial" ;; esac
run $SAMLA -f "$U" budget 2026 --by week
expect_rc 2 "--by week is a usage error"

# A quarter that has ended, has a budget and no entries at all is warned about.
run $SAMLA -f "$U" budget 2026 --at 2026Q3
expect_out_has "Varning: 2026Q3 har budget men inga verifikationer alls." "a budgeted quarter without entries is warned about"
case "$OUT" in *"2026Q1 har budget men inga"*|*"2026Q2 har budget men inga"*) not_ok "quarters with entries are not warned about" ;; *) ok "quarters with entries are not warned about" ;; esac

# The terminal fits its width: COLUMNS=80 gives lines of at most 80
# characters (labels shortened with …, the quarter columns left out and
# named); --wide prints everything.
longest() { LC_ALL=C.UTF-8 wc -L | tr -d ' '; }
w=$(COLUMNS=80 $SAMLA -f "$U" budget 2026 --at 2026Q1 --unit tkr | longest)
[ "$w" -le 80 ] && ok "COLUMNS=80: the budget report is at most 80 characters wide ($w)" || not_ok "COLUMNS=80 budget width" "$w"
run env COLUMNS=80 $SAMLA -f "$U" budget 2026 --at 2026Q1 --unit tkr
expect_out_has "Mobilt team barn och ung…" "a long label is shortened with an ellipsis"
expect_out_has "Utelämnat för terminalens bredd (80 tecken)" "the left-out columns are named"
w=$(COLUMNS=80 $SAMLA -f "$U" earmarks --at 2026-01-01 | longest)
[ "$w" -le 80 ] && ok "COLUMNS=80: the earmarks report is at most 80 characters wide ($w)" || not_ok "COLUMNS=80 earmarks width" "$w"
w=$(COLUMNS=80 $SAMLA -f "$U" budget 2026 --at 2026Q1 --unit tkr --wide | longest)
[ "$w" -gt 150 ] && ok "--wide prints every column ($w characters)" || not_ok "--wide" "$w"

run $SAMLA -f "$U" budget 2026 --at 2026Q1 --unit tkr
expect_out_has "Avrundningsdifferens i tabellen Budgetuppföljning" "budget in tkr: a footnote where rounded parts disagree"
expect_out_has "Avrundningsdifferenser kan förekomma." "budget in tkr: the rounding note"
run $SAMLA -f "$U" budget 2026 --at 2026Q5
expect_rc 2 "a malformed --at is a usage error"
run $SAMLA -f "$U" budget 26
expect_rc 2 "a malformed year is a usage error"

# ---- formats, files ----------------------------------------------------------------
run $SAMLA -f "$B" result 2025 -o "$TMPROOT/r.csv"
expect_rc 0 "-o FILE.csv writes a file"
expect_eq "$(head -c 3 "$TMPROOT/r.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "the CSV starts with a UTF-8 BOM"
expect_eq "$(grep -c "$(printf '\r')\$" "$TMPROOT/r.csv")" "$(wc -l < "$TMPROOT/r.csv" | tr -d ' ')" "every CSV line ends in CRLF"
grep -q '^;Årets resultat;-1356784,00;-1278204,72;78579,28;' "$TMPROOT/r.csv" && ok "CSV amounts: exact, decimal comma, '-'" || not_ok "CSV amounts: exact, decimal comma, '-'" "$(grep resultat "$TMPROOT/r.csv")"
run $SAMLA -f "$B" result 2025 -o "$TMPROOT/r.json"
grep -q '"amount": "-1278204.72"' "$TMPROOT/r.json" && ok "-o FILE.json writes JSON with exact strings" || not_ok "-o FILE.json writes JSON" "$(head -5 "$TMPROOT/r.json")"
run $SAMLA -f "$B" result 2025 -o "$TMPROOT/r.txt" --format csv
expect_eq "$(head -c 3 "$TMPROOT/r.txt" | od -An -tx1 | tr -d ' ')" "efbbbf" "--format overrides the extension"
run $SAMLA -f "$B" result 2025 --format xml
expect_rc 2 "an unknown format is a usage error"
run $SAMLA -f "$B" result 2025 --unit gkr
expect_rc 2 "an unknown unit is a usage error"

# Text that Excel would run as a formula is neutralised in CSV; JSON escapes.
X=$(fresh_book_2025)
$SAMLA -f "$X" add --date 2026-01-20 --account 7690 --activity GEM --amount 10 --text '=HYPERLINK("http://x";"y")' >/dev/null
$SAMLA -f "$X" add --date 2026-01-21 --account 7690 --activity GEM --amount 10 --text '@SUM(1) "quoted" \ back' >/dev/null
run $SAMLA -f "$X" list --period 2026 --format csv
expect_out_has "\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\"" "a text beginning with = is prefixed with '"
expect_out_has "'@SUM(1)" "a text beginning with @ is prefixed with '"
run $SAMLA -f "$X" list --period 2026 --format json
expect_out_has '"text": "@SUM(1) \"quoted\" \\ back"' "JSON escapes quotes and backslashes"

# ---- help, usage ------------------------------------------------------------------
for c in balance result surplus earmarks budget activity list; do
    run $SAMLA $c --help
    case "$RC:$OUT" in 0:Användning:*) ok "$c --help (Swedish, exit 0)" ;; *) not_ok "$c --help" "rc $RC" "$OUT" ;; esac
done
run $SAMLA -f "$B" result 2025 extra
expect_rc 2 "an extra argument is a usage error"
run $SAMLA -f "$TMPROOT/none" result 2025
expect_rc 1 "a missing book is a data error"
