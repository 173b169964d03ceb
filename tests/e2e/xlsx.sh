#!/bin/sh
# tests/e2e/xlsx.sh - the Excel workbooks as a user sees them (issue 4).
#
# Exports the budget sheet and the annual accounts from a copy of the
# example book, has LibreOffice (headless, throw-away profile set to
# recalculate on load) recalculate every formula, and reads every sheet back
# from the recalculated file's XML (tests/e2e/xlsx_verify.py, standard
# library Python): no error values, every formula gives the value samla
# stored with it, every figure equals the tool's exact value (its JSON
# output, or the journal's CSV) to the öre. Also: print settings, frozen
# panes, number formats, chart, names, properties, byte-identical output,
# text that looks like a formula, the 15-digit refusal, journal sheets that
# continue, constant-memory mode, and a PDF/PNG rendering.
. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
VERIFY="$ROOT/tests/e2e/xlsx_verify.py"
export SOURCE_DATE_EPOCH=1767225600 # 2026-01-01T00:00:00Z
OUTD="$TMPROOT/out"
mkdir -p "$OUTD"

# A throw-away LibreOffice profile that recalculates .xlsx files on load
# (OOXMLRecalcMode 0 = always; the default is never).
PROFILE="$TMPROOT/lo-profile"
mkdir -p "$PROFILE/user"
cat >"$PROFILE/user/registrymodifications.xcu" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
EOF

# soffice CONVERT-TO OUTDIR FILE: soffice exits 0 even when it fails, so
# callers check that the output exists. Runs under a time limit.
soffice_convert() {
    timeout 300 soffice "-env:UserInstallation=file://$PROFILE" --headless \
        --norestore --convert-to "$1" --outdir "$2" "$3" >"$TMPROOT/soffice.log" 2>&1
}

# recalc FILE.xlsx: prints the path of LibreOffice's recalculated copy.
recalc() {
    d="$TMPROOT/recalc.$(printf '%s' "$1" | cksum | cut -d' ' -f1)"
    mkdir -p "$d"
    rm -f "$d/$(basename "$1")"
    soffice_convert xlsx "$d" "$1"
    printf '%s\n' "$d/$(basename "$1")"
}

if ! command -v soffice >/dev/null 2>&1; then
    not_ok "LibreOffice (soffice) is installed" "run make deps (libreoffice-calc)"
    exit 0
fi
if [ ! -x "$PY" ]; then
    not_ok "/usr/bin/python3 is installed"
    exit 0
fi

BOOK=$(fresh_book)

# ---- The budget sheet ------------------------------------------------------

run "$SAMLA" -f "$BOOK" export budget 2026 -o "$OUTD/budget-2026.xlsx"
expect_rc 0 "export budget 2026 succeeds"
expect_err_has "Skrev $OUTD/budget-2026.xlsx" "export budget says where it wrote"
# libxlsxwriter's temporary files go to $TMPDIR, or /dev/shm, or /tmp
# (xlsx_book.c): a $TMPDIR that is no folder is passed over (samla checks;
# libxlsxwriter 1.1.4's tmpfileplus would try other folders too), and the
# workbook is the same bytes wherever they went.
run env TMPDIR="$TMPROOT/no-such-folder" SOURCE_DATE_EPOCH=1767225600 "$SAMLA" -f "$BOOK" \
    export budget 2026 -o "$OUTD/budget-tmpdir-a.xlsx"
expect_rc 0 "export budget with \$TMPDIR naming no folder succeeds"
run env TMPDIR="$TMPROOT" SOURCE_DATE_EPOCH=1767225600 "$SAMLA" -f "$BOOK" \
    export budget 2026 -o "$OUTD/budget-tmpdir-b.xlsx"
expect_same_file "$OUTD/budget-tmpdir-a.xlsx" "$OUTD/budget-tmpdir-b.xlsx" \
    "… and writes the same workbook as with a \$TMPDIR that is one"
R=$(recalc "$OUTD/budget-2026.xlsx")
if [ -s "$R" ]; then
    ok "LibreOffice recalculates budget-2026.xlsx"
    subtests "xlsx_verify budget" "$PY" "$VERIFY" budget "$SAMLA" "$BOOK" "$OUTD/budget-2026.xlsx" "$R" 2026
else
    not_ok "LibreOffice recalculates budget-2026.xlsx" "$(cat "$TMPROOT/soffice.log")"
fi

# What a reader sees: the budget page as LibreOffice shows it (CSV of the
# shown text). In tkr an amount that rounds to 0 shows as 0, never "-0"
# (-312 kr is -0,312 tkr), as the terminal shows it; a negative one shows
# one minus sign.
mkdir -p "$OUTD/shown"
soffice_convert 'csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,true,false,false,-1' \
    "$OUTD/shown" "$OUTD/budget-2026.xlsx"
SHOWN="$OUTD/shown/budget-2026-Budget 2026.csv"
if [ -s "$SHOWN" ]; then
    if grep -Eq '(^|;)-0(,0*)?(;|$)' "$SHOWN"; then
        not_ok "the budget page shows no -0" "$(grep -E '(^|;)-0(,0*)?(;|$)' "$SHOWN" | head -3)"
    else
        ok "the budget page shows no -0 (an amount that rounds to 0 tkr shows as 0)"
    fi
    if grep -q -- '--[0-9]' "$SHOWN"; then
        not_ok "a negative amount shows one minus sign" "$(grep -- '--[0-9]' "$SHOWN" | head -3)"
    else
        ok "a negative amount shows one minus sign"
    fi
    # The result row as the terminal rounds it.
    want=$("$SAMLA" -f "$BOOK" budget 2026 --unit tkr --format csv | grep -a '^;Resultat' | cut -d';' -f3)
    got=$(grep -a '^;Resultat' "$SHOWN" | cut -d';' -f3 | sed 's/[[:space:]]//g; s/\xc2\xa0//g; s/\xe2\x80\xaf//g')
    expect_eq "$got" "$want" "the result's full-year budget shows as the terminal report rounds it ($want tkr)"
else
    not_ok "LibreOffice shows the budget page as text" "$(cat "$TMPROOT/soffice.log")"
fi

# A full year of quarter columns (as the year-end follow-up shows them).
mkdir -p "$OUTD/q4"
run "$SAMLA" -f "$BOOK" export budget 2026 --at 2026Q4 -o "$OUTD/q4/budget-2026.xlsx"
expect_rc 0 "export budget 2026 --at 2026Q4 succeeds"
R4=$(recalc "$OUTD/q4/budget-2026.xlsx")
if [ -s "$R4" ]; then
    subtests "xlsx_verify budget" "$PY" "$VERIFY" budget "$SAMLA" "$BOOK" "$OUTD/q4/budget-2026.xlsx" "$R4" 2026 2026Q4
else
    not_ok "LibreOffice recalculates the 2026Q4 budget sheet" "$(cat "$TMPROOT/soffice.log")"
fi

# Tertials: --at 2026T2 gives the tertial columns T1–T3 on the period sheet
# (the first sheet shows the same follow-up without periods).
mkdir -p "$OUTD/t2"
run "$SAMLA" -f "$BOOK" export budget 2026 --at 2026T2 -o "$OUTD/t2/budget-2026-t2.xlsx"
expect_rc 0 "export budget 2026 --at 2026T2 succeeds"
RT2=$(recalc "$OUTD/t2/budget-2026-t2.xlsx")
if [ -s "$RT2" ]; then
    subtests "xlsx_verify budget (tertials)" "$PY" "$VERIFY" budget "$SAMLA" "$BOOK" "$OUTD/t2/budget-2026-t2.xlsx" "$RT2" 2026 2026T2 |
        sed 's/^\(not \)\{0,1\}ok - /&tertials: /'
else
    not_ok "LibreOffice recalculates the 2026T2 budget sheet" "$(cat "$TMPROOT/soffice.log")"
fi

# The past year's follow-up has outcome in every quarter.
mkdir -p "$OUTD/b25"
run "$SAMLA" -f "$BOOK" export budget 2025 --unit kr -o "$OUTD/b25/budget-2025.xlsx"
expect_rc 0 "export budget 2025 --unit kr succeeds"
R25=$(recalc "$OUTD/b25/budget-2025.xlsx")
if [ -s "$R25" ]; then
    subtests "xlsx_verify budget" "$PY" "$VERIFY" budget "$SAMLA" "$BOOK" "$OUTD/b25/budget-2025.xlsx" "$R25" 2025 - kr
else
    not_ok "LibreOffice recalculates the 2025 budget sheet" "$(cat "$TMPROOT/soffice.log")"
fi

# ---- The annual accounts ----------------------------------------------------

run "$SAMLA" -f "$BOOK" export annual 2025 -o "$OUTD/arsbokslut-2025.xlsx"
expect_rc 0 "export annual 2025 succeeds"
RA=$(recalc "$OUTD/arsbokslut-2025.xlsx")
if [ -s "$RA" ]; then
    ok "LibreOffice recalculates arsbokslut-2025.xlsx"
    subtests "xlsx_verify annual" "$PY" "$VERIFY" annual "$SAMLA" "$BOOK" "$OUTD/arsbokslut-2025.xlsx" "$RA" 2025
else
    not_ok "LibreOffice recalculates arsbokslut-2025.xlsx" "$(cat "$TMPROOT/soffice.log")"
fi

# 2026 (Q1-Q3 registered) has a bound grant beside the reservations: the
# equity note sums each kind on its own (Oronmarkt_2026 = the reservations,
# Bundna_bidrag_2026 = the grant), as the earmarks report does.
mkdir -p "$OUTD/a26"
run "$SAMLA" -f "$BOOK" export annual 2026 -o "$OUTD/a26/arsbokslut-2026.xlsx"
expect_rc 0 "export annual 2026 succeeds"
RA26=$(recalc "$OUTD/a26/arsbokslut-2026.xlsx")
if [ -s "$RA26" ]; then
    subtests "xlsx_verify annual" "$PY" "$VERIFY" annual "$SAMLA" "$BOOK" "$OUTD/a26/arsbokslut-2026.xlsx" "$RA26" 2026 |
        sed 's/^\(not \)\{0,1\}ok - /&2026: /'
else
    not_ok "LibreOffice recalculates arsbokslut-2026.xlsx" "$(cat "$TMPROOT/soffice.log")"
fi

# ---- Reproducible: the same book and SOURCE_DATE_EPOCH give the same bytes --

mkdir -p "$OUTD/again"
"$SAMLA" -f "$BOOK" export budget 2026 -o "$OUTD/again/budget-2026.xlsx" 2>/dev/null
"$SAMLA" -f "$BOOK" export annual 2025 -o "$OUTD/again/arsbokslut-2025.xlsx" 2>/dev/null
expect_same_file "$OUTD/budget-2026.xlsx" "$OUTD/again/budget-2026.xlsx" \
    "budget workbook is byte-identical run to run with SOURCE_DATE_EPOCH"
expect_same_file "$OUTD/arsbokslut-2025.xlsx" "$OUTD/again/arsbokslut-2025.xlsx" \
    "annual workbook is byte-identical run to run with SOURCE_DATE_EPOCH"
left=$(find "$OUTD" -name '*.tmp*' | head -3)
expect_eq "$left" "" "no temporary files are left beside the workbooks"

# ---- Constant-memory mode gives the same cells (and passes every check) -----

mkdir -p "$OUTD/cm"
run "$SAMLA" -f "$BOOK" export annual 2025 --constant-memory on -o "$OUTD/cm/arsbokslut-2025.xlsx"
expect_rc 0 "export annual --constant-memory on succeeds"
subtests "xlsx_verify same-cells" "$PY" "$VERIFY" same-cells "$OUTD/arsbokslut-2025.xlsx" "$OUTD/cm/arsbokslut-2025.xlsx"
RC=$(recalc "$OUTD/cm/arsbokslut-2025.xlsx")
if [ -s "$RC" ]; then
    subtests "xlsx_verify annual" "$PY" "$VERIFY" annual "$SAMLA" "$BOOK" "$OUTD/cm/arsbokslut-2025.xlsx" "$RC" 2025 |
        sed 's/^\(not \)\{0,1\}ok - /&constant memory: /'
else
    not_ok "LibreOffice recalculates the constant-memory workbook" "$(cat "$TMPROOT/soffice.log")"
fi

# ---- A long journal: samla's own rows, deflated on two threads ---------------
# The journal's entry rows are written by samla into libxlsxwriter's package
# (src/xlsx_zip.c), deflated in chunks of 1 MiB on up to two threads; 12 000
# entries make several chunks. The workbook is the same bytes run to run,
# and LibreOffice reads every entry back as the book has it.

CC=${CC:-cc}
mkdir -p "$OUTD/long"
if $CC -O1 -std=c11 -D_GNU_SOURCE -o "$TMPROOT/gen" "$ROOT/bench/gen.c" 2>"$TMPROOT/gen.log" &&
    "$TMPROOT/gen" 12000 "$TMPROOT/long" 20250101 1 >/dev/null 2>&1; then
    LB="$TMPROOT/long/book"
    run "$SAMLA" -f "$LB" export annual 2025 -o "$OUTD/long/arsbokslut-2025.xlsx"
    expect_rc 0 "export annual of 12 000 entries in one year succeeds"
    "$SAMLA" -f "$LB" export annual 2025 -o "$OUTD/long/again.xlsx" 2>/dev/null
    expect_same_file "$OUTD/long/arsbokslut-2025.xlsx" "$OUTD/long/again.xlsx" \
        "a journal deflated on two threads is byte-identical run to run"
    if unzip -t "$OUTD/long/arsbokslut-2025.xlsx" >"$TMPROOT/unzip.log" 2>&1; then
        ok "unzip -t finds no error in the long journal's workbook"
    else
        not_ok "unzip -t finds no error in the long journal's workbook" "$(tail -3 "$TMPROOT/unzip.log")"
    fi
    RL=$(recalc "$OUTD/long/arsbokslut-2025.xlsx")
    if [ -s "$RL" ]; then
        subtests "xlsx_verify annual (long journal)" \
            "$PY" "$VERIFY" annual "$SAMLA" "$LB" "$OUTD/long/arsbokslut-2025.xlsx" "$RL" 2025 |
            grep -E '^(not )?ok - .*(journal sheets|no error values|formulas recalculate|checker itself ended badly)' |
            sed 's/^\(not \)\{0,1\}ok - /&long journal: /'
    else
        not_ok "LibreOffice recalculates the long journal's workbook" "$(cat "$TMPROOT/soffice.log")"
    fi
else
    not_ok "bench/gen.c builds and makes a book of 12 000 entries" "$(cat "$TMPROOT/gen.log")"
fi

# ---- A journal longer than a sheet continues on further sheets --------------
# (A real sheet holds 1 048 571 entries below its title and heading rows;
# --rows-per-sheet makes the same split testable with the example book.)

mkdir -p "$OUTD/split"
run "$SAMLA" -f "$BOOK" export annual 2025 --rows-per-sheet 30 -o "$OUTD/split/arsbokslut-2025.xlsx"
expect_rc 0 "export annual --rows-per-sheet 30 succeeds"
RS=$(recalc "$OUTD/split/arsbokslut-2025.xlsx")
if [ -s "$RS" ]; then
    subtests "xlsx_verify journal-split" "$PY" "$VERIFY" journal-split "$SAMLA" "$BOOK" "$OUTD/split/arsbokslut-2025.xlsx" "$RS" 2025 30
else
    not_ok "LibreOffice recalculates the split journal" "$(cat "$TMPROOT/soffice.log")"
fi

# ---- Text from the book is text, never a formula -----------------------------

TBOOK=$(fresh_book)
"$SAMLA" -f "$TBOOK" add --date 2025-12-30 --account 7690 --activity GEM \
    --amount 10 --text '=SUM(1;2)' --doc '@HYPERLINK("http://x")' >/dev/null 2>&1
"$SAMLA" -f "$TBOOK" add --date 2025-12-30 --account 7690 --activity GEM \
    --amount 5 --text '+46 70 123 45 67' --doc '-1+1' >/dev/null 2>&1
"$SAMLA" -f "$TBOOK" add --date 2025-12-30 --account 7690 --activity GEM \
    --amount 7 --text 'R&D <kurs> "A" & B' --doc 'a<b>&c' >/dev/null 2>&1
mkdir -p "$OUTD/text"
run "$SAMLA" -f "$TBOOK" export annual 2025 -o "$OUTD/text/arsbokslut-2025.xlsx"
expect_rc 0 "export annual with formula-like texts succeeds"
subtests "xlsx_verify text" "$PY" "$VERIFY" text "$OUTD/text/arsbokslut-2025.xlsx" Verifikationer \
    '=SUM(1;2)' '@HYPERLINK("http://x")' '+46 70 123 45 67' '-1+1' 'R&D <kurs> "A" & B'
RT=$(recalc "$OUTD/text/arsbokslut-2025.xlsx")
if [ -s "$RT" ]; then
    subtests "xlsx_verify text" "$PY" "$VERIFY" text "$RT" Verifikationer '=SUM(1;2)' '@HYPERLINK("http://x")' \
        '+46 70 123 45 67' '-1+1' 'R&D <kurs> "A" & B'
    # Only the checks that hold for this book; a crash of the checker
    # still shows (subtests adds a "checker itself ended badly" line).
    subtests "xlsx_verify annual (formula-like texts)" \
        "$PY" "$VERIFY" annual "$SAMLA" "$TBOOK" "$OUTD/text/arsbokslut-2025.xlsx" "$RT" 2025 |
        grep -E '^(not )?ok - .*(journal sheets|no error values|formulas recalculate|checker itself ended badly)' |
        sed 's/^\(not \)\{0,1\}ok - /&formula-like texts: /'
else
    not_ok "LibreOffice recalculates the workbook with formula-like texts"
fi

# ---- Amounts a cell cannot hold exactly are refused --------------------------

BIG=$(fresh_book)
"$SAMLA" -f "$BIG" add --date 2025-12-30 --account 7690 --activity GEM \
    --amount '9 999 999 999 999,00' --text 'Stor post 1' >/dev/null 2>&1
"$SAMLA" -f "$BIG" add --date 2025-12-30 --account 7690 --activity GEM \
    --amount '9 999 999 999 999,00' --text 'Stor post 2' >/dev/null 2>&1
mkdir -p "$OUTD/big"
run "$SAMLA" -f "$BIG" export annual 2025 -o "$OUTD/big/arsbokslut-2025.xlsx"
expect_rc 1 "an amount over 15 significant digits makes export fail (exit 1)"
expect_err_has "fler än 15 värdesiffror" "the refusal says why, in Swedish"
expect_err_has "Resultaträkning!" "the refusal names the sheet and cell"
if [ -e "$OUTD/big/arsbokslut-2025.xlsx" ] || [ -n "$(ls -A "$OUTD/big")" ]; then
    not_ok "a refused export leaves no file" "$(ls -A "$OUTD/big")"
else
    ok "a refused export leaves no file"
fi

# ---- Usage and file errors -----------------------------------------------------

run "$SAMLA" -f "$BOOK" export
expect_rc 2 "export without a workbook name is a usage error"
run "$SAMLA" -f "$BOOK" export ledger 2025
expect_rc 2 "export of an unknown workbook is a usage error"
run "$SAMLA" -f "$BOOK" export annual 2025 --at 2025Q1
expect_rc 2 "--at is for the budget only"
run "$SAMLA" -f "$BOOK" export budget 2026 --unit gram
expect_rc 2 "an unknown unit is a usage error"
run "$SAMLA" -f "$BOOK" export budget --help
expect_rc 0 "export --help"
expect_out_has "samla export budget" "export --help shows the usage"
run "$SAMLA" -f "$BOOK" export budget 2026 -o "$TMPROOT/no/such/folder/b.xlsx"
expect_rc 1 "an unwritable output path is a data error (exit 1)"
expect_err_has "kan inte skriva filen" "it says the file cannot be written"

# ---- Rendered as a reader sees it: PDF and PNG of the recalculated files -------
# LibreOffice's print of every sheet, fitted as the workbook asks: no text
# below 8 pt on any page (tests/e2e/pdf_fonts.py reads the size of every
# text from the PDF: the font size times the page's scale); the budget
# workbook's first sheet on one page.

if [ -s "$R" ] && [ -s "$RA" ] && command -v pdftoppm >/dev/null 2>&1; then
    mkdir -p "$OUTD/pdf"
    soffice_convert pdf "$OUTD/pdf" "$R"
    soffice_convert pdf "$OUTD/pdf" "$RA"
    if [ -s "$OUTD/pdf/budget-2026.pdf" ] && [ -s "$OUTD/pdf/arsbokslut-2025.pdf" ]; then
        subtests "pdf_fonts budget" "$PY" "$ROOT/tests/e2e/pdf_fonts.py" \
            "$OUTD/pdf/budget-2026.pdf" 8 "budget-2026.pdf" 4
        subtests "pdf_fonts annual" "$PY" "$ROOT/tests/e2e/pdf_fonts.py" \
            "$OUTD/pdf/arsbokslut-2025.pdf" 8 "arsbokslut-2025.pdf"
        first=$(pdftotext -f 1 -l 1 "$OUTD/pdf/budget-2026.pdf" - | grep -c 'Ackumulerat överskott per')
        second=$(pdftotext -f 2 -l 2 "$OUTD/pdf/budget-2026.pdf" - | grep -c 'Kostnader per verksamhet')
        [ "$first" -ge 1 ] && [ "$second" -ge 1 ] &&
            ok "the budget sheet (follow-up, earmarks, surplus) prints on page 1, the chart on page 2" ||
            not_ok "the budget sheet prints on one page" "page 1: $first, page 2: $second"
        pdftoppm -png -r 40 "$OUTD/pdf/budget-2026.pdf" "$OUTD/pdf/budget"
        pdftoppm -png -r 40 "$OUTD/pdf/arsbokslut-2025.pdf" "$OUTD/pdf/arsbokslut"
        # Keep the pictures for whoever wants to look.
        if [ -n "${XLSX_PNG_DIR:-}" ]; then
            mkdir -p "$XLSX_PNG_DIR" && cp "$OUTD/pdf"/*.png "$OUTD/pdf"/*.pdf "$XLSX_PNG_DIR"/
        fi
    else
        not_ok "LibreOffice renders the workbooks to PDF" "$(cat "$TMPROOT/soffice.log")"
    fi
    # The year-end follow-up (2026Q4: four quarter columns, two reservations
    # and a bound grant with each kind's sum) still prints its first sheet
    # on one page at 8 pt or more; the 2026 annual accounts (the equity note
    # with Summa bundna bidrag) at 8 pt or more on every page.
    if [ -s "$R4" ] && [ -s "$RA26" ]; then
        mkdir -p "$OUTD/pdf4"
        soffice_convert pdf "$OUTD/pdf4" "$R4"
        soffice_convert pdf "$OUTD/pdf4" "$RA26"
        if [ -s "$OUTD/pdf4/budget-2026.pdf" ] && [ -s "$OUTD/pdf4/arsbokslut-2026.pdf" ]; then
            subtests "pdf_fonts budget 2026Q4" "$PY" "$ROOT/tests/e2e/pdf_fonts.py" \
                "$OUTD/pdf4/budget-2026.pdf" 8 "budget-2026.pdf per 2026Q4"
            subtests "pdf_fonts annual 2026" "$PY" "$ROOT/tests/e2e/pdf_fonts.py" \
                "$OUTD/pdf4/arsbokslut-2026.pdf" 8 "arsbokslut-2026.pdf"
            p1=$(pdftotext -f 1 -l 1 "$OUTD/pdf4/budget-2026.pdf" -)
            p2=$(pdftotext -f 2 -l 2 "$OUTD/pdf4/budget-2026.pdf" -)
            case "$p1" in
            *"Summa bundna bidrag"*"Ej öronmärkt (fritt överskott)"*)
                case "$p2" in
                *"Ej öronmärkt (fritt överskott)"*|*"Budgetuppföljning"*)
                    not_ok "per 2026Q4 the budget sheet prints on page 1 alone" "page 2: $(printf '%s' "$p2" | head -3)" ;;
                *) ok "per 2026Q4 the budget sheet (follow-up, earmarks with both sums, surplus) prints on page 1" ;;
                esac ;;
            *) not_ok "per 2026Q4 the budget sheet prints on page 1" "page 1 lacks the sums or the free surplus" ;;
            esac
        else
            not_ok "LibreOffice renders the 2026Q4 budget and the 2026 annual to PDF" "$(cat "$TMPROOT/soffice.log")"
        fi
    fi
else
    not_ok "the workbooks are rendered to PDF" "recalculated files or pdftoppm missing"
fi
exit 0
