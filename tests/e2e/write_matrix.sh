#!/bin/sh
# write_matrix.sh - every write path × every kind of bad value (issue 11,
# deliverable 11; tests/hostile/README.md, "The write matrix").
#
# Each write path that takes free text or a code (add --text/--doc/--user/
# --account/--activity, reverse --text, quarter --from's Text and Underlag,
# import of a CSV extract's text and of a SIE file's #VER and #TRANS text,
# earmark add --purpose/--decided-by/--paragraph and its code, budget set
# --text, comment, allocate --text/--doc (the shared cost and the budget
# lines) and population --source, reported --reason, close --user, reopen
# --reason, samla passwd's user name and password, the web quarter form's
# Underlag and the web budget comment; init --name on a new book) is given
# every value below, one fresh copy of the small book
# tests/hostile/base per case (the web forms: one server, one book, copied
# before each post). The outcome must
# be one of two:
#
#   refused: exit status 1, a Swedish message naming the option or field
#            (`--text`, `Underlag`, the input file), every file of the book byte-identical (diff -r,
#            leaving out .lock and .samla-cache), nothing added;
#   saved:   `check` passes, `export annual 2025` and `export budget 2025`
#            succeed, the saved entry (or, for a path that writes no entry,
#            an existing one) is reversed and `check` passes again, and the
#            output of the write, `list` and `log` holds no byte a terminal
#            would act on (ESC, C0/C1 controls, bidi overrides, invalid
#            UTF-8: tests/e2e/mx_helper.py term-safe).
#
# For every saved formula, apostrophe, bidi, quotes-and-separators and
# line-break value given as UTF-8 the stored field is compared byte for
# byte: the value itself, or the value behind one apostrophe when it begins
# with = + - @ TAB CR or ' (docs/file-formats.md, "Texts"), and the journal
# text reads back exactly as entered (`list --format json`). No stderr of
# any run may hold a sanitizer report.
#
# MATRIX_PATHS / MATRIX_VALUES: patterns to run only some paths or values.
. "$(dirname "$0")/../lib.sh"

HBASE=$ROOT/tests/hostile/base
PY="python3 $ROOT/tests/e2e/mx_helper.py"
NL='
'

# ---- The bad values ---------------------------------------------------------

VALUES="latin1 overlong lone-continuation truncated-3-byte surrogate byte-ff
c0-01 del-7f c1-0085 esc-csi esc-osc bidi-202e bidi-2066
formula-hyperlink formula-plus formula-minus formula-at formula-tab formula-cr
apostrophe quotes-separators newline long-40000 long-32768-multibyte"

# value NAME: the bytes of value NAME into $V (trailing newlines kept).
value() {
    case "$1" in
    latin1) f='L\366n mars' ;;
    overlong) f='a\300\257b' ;;
    lone-continuation) f='a\200b' ;;
    truncated-3-byte) f='a\342\202' ;;
    surrogate) f='a\355\240\200b' ;;
    byte-ff) f='a\377b' ;;
    c0-01) f='a\001b' ;;
    del-7f) f='a\177b' ;;
    c1-0085) f='a\302\205b' ;;
    esc-csi) f='\033[2Jdold' ;;
    esc-osc) f='\033]0;x\007titel' ;;
    bidi-202e) f='faktura \342\200\256fdp.exe' ;;
    bidi-2066) f='a\342\201\246b\342\201\251c' ;;
    formula-hyperlink) f='=HYPERLINK("http://x.invalid/?"&A1;"klicka")' ;;
    formula-plus) f='+1+1' ;;
    formula-minus) f='-2+3' ;;
    formula-at) f='@SUM(A1)' ;;
    formula-tab) f='\t=1+1' ;;
    formula-cr) f='\r=1+1' ;;
    apostrophe) f="'citat" ;;
    quotes-separators) f='a "citat"; b;c' ;;
    newline) f='rad ett\nrad två' ;;
    long-40000) V=$(head -c 40000 /dev/zero | tr '\0' x); return ;;
    long-32768-multibyte) V=$(head -c 32768 /dev/zero | tr '\0' x | sed 's/x/ä/g'); return ;;
    *) echo "unknown value $1" >&2; exit 2 ;;
    esac
    V=$(printf -- "$f"; printf .)
    V=${V%.}
}

# Which values must read back byte for byte where they are stored: the
# formulas and a leading apostrophe (behind one apostrophe), the bidi
# characters, quotes and separators, and a line break (as they are).
exact_value() {
    case "$1" in formula-* | apostrophe | bidi-* | quotes-separators | newline) return 0 ;; esac
    return 1
}

# The stored form of a free text: one apostrophe in front of = + - @ TAB CR '.
stored_form() {
    case "$1" in
    [=+@\'-]* | "$(printf '\t')"* | "$(printf '\r')"*) printf "'%s" "$1" ;;
    *) printf '%s' "$1" ;;
    esac
}

# ---- Running one case ---------------------------------------------------------

# Set by each path: LABEL (what a refusal must name), FILE/COLUMN/KEYS (where
# a saved value is stored; empty: not compared), VOUCHER (the entry a save
# made; empty: the path writes none), EXACT (compare stored bytes: 1/0).
NCASES=0

sanitizer_clean() { # TEXT FILE...
    if grep -l 'Sanitizer\|runtime error' "$@" >/dev/null 2>&1; then
        not_ok "$1: no sanitizer report" "$(cat "$@" | grep -A5 'Sanitizer\|runtime error' | head -12)"
        return 1
    fi
    return 0
}

# term_safe TEXT CONTENT: CONTENT holds nothing a terminal acts on, and
# not the value $V raw when $V holds a line break (a text's line break is
# shown as ␊, so it cannot fake a line of the listing).
term_safe() {
    printf '%s' "$2" >"$TMPROOT/.term"
    why=$($PY term-safe "$TMPROOT/.term")
    if [ $? -ne 0 ]; then
        not_ok "$1" "$why"
        return 1
    fi
    case "$V" in
    *"$NL"*)
        case "$2" in *"$V"*)
            not_ok "$1" "the text's line break is printed raw"
            return 1 ;;
        esac ;;
    esac
    return 0
}

# after_save NAME BOOK VALUE: the checks of a saved case.
after_save() {
    n=$1 b=$2 v=$3
    fails=0
    term_safe "$n: the write's own output is safe for a terminal" "$OUT$ERR" || fails=$((fails + 1))
    run $SAMLA -f "$b" check
    [ "$RC" -eq 0 ] || { not_ok "$n: check passes after the save" "exit $RC" "$ERR"; fails=$((fails + 1)); }
    run $SAMLA -f "$b" export annual 2025 -o "$TMPROOT/a.xlsx"
    [ "$RC" -eq 0 ] || { not_ok "$n: export annual 2025 succeeds" "exit $RC" "$ERR"; fails=$((fails + 1)); }
    run $SAMLA -f "$b" export budget 2025 -o "$TMPROOT/b.xlsx"
    [ "$RC" -eq 0 ] || { not_ok "$n: export budget 2025 succeeds" "exit $RC" "$ERR"; fails=$((fails + 1)); }
    if [ -n "$FILE" ] && [ "$EXACT" = 1 ]; then
        got=$($PY stored "$b/$FILE" "$COLUMN" $KEYS; printf .)
        got=${got%.}
        want=$(stored_form "$v"; printf .)
        want=${want%.}
        if [ "$got" != "$want" ]; then
            not_ok "$n: stored exactly in $FILE, $COLUMN" "got:      $(printf '%s' "$got" | od -An -c | head -3)" \
                "expected: $(printf '%s' "$want" | od -An -c | head -3)"
            fails=$((fails + 1))
        fi
        if [ "$FILE" = verifikationer.csv ] && [ "$COLUMN" = Text ] && [ -n "$VOUCHER" ]; then
            $SAMLA -f "$b" list --period 2025 --format json >"$TMPROOT/list.json" 2>"$TMPROOT/.err"
            got=$($PY json-text "$VOUCHER" <"$TMPROOT/list.json"; printf .)
            got=${got%.}
            if [ "$got" != "$v" ]; then
                not_ok "$n: reads back exactly as entered" "got:      $(printf '%s' "$got" | od -An -c | head -3)" \
                    "expected: $(printf '%s' "$v" | od -An -c | head -3)"
                fails=$((fails + 1))
            fi
        fi
    fi
    rv=${VOUCHER:-2025:2}
    run $SAMLA -f "$b" reverse "$rv" --yes
    [ "$RC" -eq 0 ] || { not_ok "$n: reverse $rv succeeds" "exit $RC" "$ERR"; fails=$((fails + 1)); }
    term_safe "$n: reverse's output is safe for a terminal" "$OUT$ERR" || fails=$((fails + 1))
    run $SAMLA -f "$b" check
    [ "$RC" -eq 0 ] || { not_ok "$n: check passes after the reversal" "exit $RC" "$ERR"; fails=$((fails + 1)); }
    run $SAMLA -f "$b" list
    [ "$RC" -eq 0 ] || { not_ok "$n: list succeeds" "exit $RC" "$ERR"; fails=$((fails + 1)); }
    term_safe "$n: list's output is safe for a terminal" "$OUT$ERR" || fails=$((fails + 1))
    run $SAMLA -f "$b" log
    [ "$RC" -eq 0 ] || { not_ok "$n: log succeeds" "exit $RC" "$ERR"; fails=$((fails + 1)); }
    term_safe "$n: log's output is safe for a terminal" "$OUT$ERR" || fails=$((fails + 1))
    [ "$fails" -eq 0 ] && ok "$n: saved; check, export annual and budget, reverse, list and log all clean"
}

# after_refusal NAME BOOK BEFORE
after_refusal() {
    n=$1 b=$2 before=$3
    fails=0
    case "$ERR" in
    *"$LABEL"*) ;;
    *) not_ok "$n: the refusal names $LABEL" "stderr: $(printf '%s' "$ERR" | head -c 600)"; fails=$((fails + 1)) ;;
    esac
    if ! d=$(diff -r -x .lock -x .samla-cache "$before" "$b" 2>&1); then
        not_ok "$n: refused, the book byte-identical" "$(printf '%s\n' "$d" | head -8)"
        fails=$((fails + 1))
    fi
    term_safe "$n: the refusal is safe for a terminal" "$OUT$ERR" || fails=$((fails + 1))
    [ "$fails" -eq 0 ] && ok "$n: refused with a message naming $LABEL, book unchanged"
}

# one_case PATH VALUE: a fresh book, the path's write, the outcome.
one_case() {
    p=$1 vn=$2
    value "$vn"
    n="$p × $vn"
    NCASES=$((NCASES + 1))
    B=$TMPROOT/case
    rm -rf "$B" "$B.before"
    if [ -n "${SETUP_TEMPLATE:-}" ]; then cp -R "$SETUP_TEMPLATE" "$B"; else cp -R "$HBASE" "$B"; fi
    cp -R "$B" "$B.before"
    LABEL= FILE= COLUMN= KEYS= VOUCHER= EXACT=0
    exact_value "$vn" && EXACT=1
    "path_$p" "$B" "$V"
    sanitizer_clean "$n" "$TMPROOT/.err" || return
    case "$RC" in
    0) after_save "$n" "$B" "$V" ;;
    1) after_refusal "$n" "$B" "$B.before" ;;
    *) not_ok "$n: refused (1) or saved (0)" "exit $RC" "stderr: $(printf '%s' "$ERR" | head -c 600)" ;;
    esac
}

# ---- The write paths ------------------------------------------------------------

ADD="add --date 2025-06-01 --amount 100"

path_add_text() {
    LABEL=--text FILE=verifikationer.csv COLUMN=Text VOUCHER=2025:6
    run $SAMLA -f "$1" $ADD --account 7690 --activity PROC --text "$2"
}
path_add_doc() {
    LABEL=--doc FILE=verifikationer.csv COLUMN=Underlag VOUCHER=2025:6
    run $SAMLA -f "$1" $ADD --account 7690 --activity PROC --text Material --doc "$2"
}
path_add_user() {
    LABEL=--user FILE=verifikationer.csv COLUMN=Användare VOUCHER=2025:6
    run $SAMLA -f "$1" $ADD --account 7690 --activity PROC --text Material --user "$2"
}
path_add_account() {
    LABEL=konto VOUCHER=2025:6
    run $SAMLA -f "$1" $ADD --account "$2" --activity PROC --text Material
}
path_add_activity() {
    LABEL=verksamhet VOUCHER=2025:6
    run $SAMLA -f "$1" $ADD --account 7690 --activity "$2" --text Material
}
path_reverse_text() {
    LABEL=--text FILE=verifikationer.csv COLUMN=Text VOUCHER=
    run $SAMLA -f "$1" reverse 2025:2 --date 2025-06-01 --text "$2" --yes
    # The reversal itself is 2025:6; the later reversal is of 2025:2 again
    # (refused as already reversed), so reverse the reversal instead.
    VOUCHER=2025:6
}
# A saved original whose text is the value, then its generated
# "Rättelse av 2025:6: …" text.
path_reverse_generated() {
    LABEL=--text FILE=verifikationer.csv COLUMN=Text VOUCHER=2025:7
    run $SAMLA -f "$1" $ADD --account 7690 --activity PROC --text "$2"
    [ "$RC" -eq 0 ] || return
    run $SAMLA -f "$1" reverse 2025:6 --date 2025-06-02 --yes
    EXACT=0
}
quarter_file() { # COLUMN VALUE -> $TMPROOT/q.csv
    {
        printf '\357\273\277Verksamhet;Belopp;Text;Underlag\r\n'
        q=$(printf '%s' "$2" | sed 's/"/""/g'; printf .)
        q=${q%.}
        if [ "$1" = Text ]; then
            printf 'PROC;100;"%s";Lönelista\r\n' "$q"
        else
            printf 'PROC;100;Lön;"%s"\r\n' "$q"
        fi
    } >"$TMPROOT/q.csv"
}
path_quarter_text() {
    LABEL=q.csv FILE=verifikationer.csv COLUMN=Text VOUCHER=2025:6
    quarter_file Text "$2"
    run $SAMLA -f "$1" quarter 2025Q4 --from "$TMPROOT/q.csv" --yes
}
path_quarter_doc() {
    LABEL=q.csv FILE=verifikationer.csv COLUMN=Underlag VOUCHER=2025:6
    quarter_file Underlag "$2"
    run $SAMLA -f "$1" quarter 2025Q4 --from "$TMPROOT/q.csv" --yes
}
path_import_csv() {
    LABEL=x.csv FILE=verifikationer.csv COLUMN=Text VOUCHER=2025:6
    cat >"$TMPROOT/rules.csv" <<'EOF'
Typ;Inställning;Värde;Villkor;Konto;Verksamhet;Finansiär;Öronmärkning;Tecken;Text;Kommentar
inställning;kolumn datum;Datum;;;;;;;;
inställning;kolumn belopp;Belopp;;;;;;;;
inställning;kolumn text;Text;;;;;;;;
regel;;;;7690;PROC;;;;;
EOF
    q=$(printf '%s' "$2" | sed 's/"/""/g'; printf .)
    q=${q%.}
    printf 'Datum;Belopp;Text\r\n2025-06-01;100,00;"%s"\r\n' "$q" >"$TMPROOT/x.csv"
    run $SAMLA -f "$1" import "$TMPROOT/x.csv" --rules "$TMPROOT/rules.csv" --yes
    # A file that is not UTF-8 is read as Windows-1252 (docs/import.md):
    # then what is stored is not the bytes given.
    printf '%s' "$2" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 || EXACT=0
}
sie_file() { # VERTEXT TRANSTEXT -> $TMPROOT/x.se
    vt=$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; printf .)
    vt=${vt%.}
    tt=$(printf '%s' "$2" | sed 's/\\/\\\\/g; s/"/\\"/g'; printf .)
    tt=${tt%.}
    printf '#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#RAR 0 20250101 20251231\r\n' >"$TMPROOT/x.se"
    printf '#KONTO 7690 "Ovrigt"\r\n#KONTO 1930 "Bank"\r\n' >>"$TMPROOT/x.se"
    printf '#VER "A" 1 20250601 "%s"\r\n{\r\n   #TRANS 7690 {} 100.00 20250601 "%s"\r\n   #TRANS 1930 {} -100.00\r\n}\r\n' \
        "$vt" "$tt" >>"$TMPROOT/x.se"
    cat >"$TMPROOT/rules-sie.csv" <<'EOF'
Typ;Inställning;Värde;Villkor;Konto;Verksamhet;Finansiär;Öronmärkning;Tecken;Text;Kommentar
inställning;filformat;sie;;;;;;;;
hoppa över;;;Konto=1930;;;;;;;
regel;;;Konto=7690;7690;PROC;;;;;
EOF
}
path_import_sie_ver() {
    LABEL=x.se FILE=verifikationer.csv COLUMN=Text VOUCHER=2025:6
    sie_file "$2" ""
    run $SAMLA -f "$1" import "$TMPROOT/x.se" --rules "$TMPROOT/rules-sie.csv" --yes
    # PC8 (CP437): only ASCII stays the same bytes.
    printf '%s' "$2" | LC_ALL=C grep -q '[^ -~]' && EXACT=0
}
path_import_sie_trans() {
    LABEL=x.se FILE=verifikationer.csv COLUMN=Text VOUCHER=2025:6
    sie_file "Verifikation" "$2"
    run $SAMLA -f "$1" import "$TMPROOT/x.se" --rules "$TMPROOT/rules-sie.csv" --yes
    printf '%s' "$2" | LC_ALL=C grep -q '[^ -~]' && EXACT=0
}
path_comment_text() {
    # After "--": a comment such as -2+3 is the text, not an option.
    LABEL=kommentaren FILE=kommentarer.csv COLUMN=Kommentar KEYS=Kod=PROC
    run $SAMLA -f "$1" comment -- 2025 PROC/5010 "$2"
}
# allocate: a shared cost booked per municipality (the base book has one,
# LERUM, so one entry), the contributions as budget lines, a population.
AL="allocate --amount 100 --account 7690 --activity PROC --date 2025-06-01"
path_allocate_text() {
    LABEL=--text FILE=verifikationer.csv COLUMN=Text VOUCHER=2025:6
    run $SAMLA -f "$1" $AL --text "$2"
}
path_allocate_doc() {
    LABEL=--doc FILE=verifikationer.csv COLUMN=Underlag VOUCHER=2025:6
    run $SAMLA -f "$1" $AL --text Fördelning --doc "$2"
}
path_allocate_budget_text() {
    LABEL=--text FILE=budget.csv COLUMN=Text KEYS=Kod=LERUM
    run $SAMLA -f "$1" allocate 2025 --per-capita 10 --set-budget --text "$2"
}
path_allocate_population_source() {
    LABEL=--source FILE=invanare.csv COLUMN=Källa KEYS=Finansiär=LERUM
    run $SAMLA -f "$1" allocate population 2025 LERUM 43000 --source "$2"
}
# reported: moving the reported-through date backwards needs a reason.
path_reported_reason() {
    LABEL=--reason FILE=rapporterat.csv COLUMN=Motivering
    run $SAMLA -f "$1" reported 2025Q3 --backwards --reason "$2"
}
EM="earmark add OM-NY --amount 1000 --date 2025-06-01"
path_earmark_purpose() {
    LABEL=--purpose FILE=oronmarkningar.csv COLUMN=Ändamål KEYS=Kod=OM-NY
    run $SAMLA -f "$1" $EM --purpose "$2" --decided-by Styrelsen --paragraph "§ 1"
}
path_earmark_decided_by() {
    LABEL=--decided-by FILE=oronmarkningar.csv COLUMN=Beslutsorgan KEYS=Kod=OM-NY
    run $SAMLA -f "$1" $EM --purpose Ändamål --decided-by "$2" --paragraph "§ 1"
}
path_earmark_paragraph() {
    LABEL=--paragraph FILE=oronmarkningar.csv COLUMN=Paragraf KEYS=Kod=OM-NY
    run $SAMLA -f "$1" $EM --purpose Ändamål --decided-by Styrelsen --paragraph "$2"
}
path_earmark_code() {
    # After "--": a code such as -2+3 is the code, not an option.
    LABEL=KOD
    run $SAMLA -f "$1" earmark add --amount 1000 --date 2025-06-01 \
        --purpose Ändamål --decided-by Styrelsen --paragraph "§ 1" -- "$2"
}
path_budget_text() {
    LABEL=--text FILE=budget.csv COLUMN=Text KEYS="År=2025 Kod=PROC"
    run $SAMLA -f "$1" budget set 2025 PROC --q1 100 --text "$2"
}
path_close_user() {
    LABEL=--user FILE=bokslut.csv COLUMN=Användare
    run $SAMLA -f "$1" close 2025 --yes --user "$2"
}
path_reopen_reason() {
    LABEL=--reason FILE=bokslut.csv COLUMN=Motivering
    run $SAMLA -f "$1" reopen 2025 --reason "$2" --yes
}
PW1='hemligt ord 123'
path_passwd_name() {
    LABEL=användarnamnet FILE=
    run sh -c 'printf "%s\n" "$2" | $SAMLA passwd --password-file "$1/losen" -- "$3"' sh "$1" "$PW1" "$2"
}
path_passwd_password() {
    LABEL=lösenord FILE=
    run sh -c 'printf "%s\n" "$2" | $SAMLA passwd --password-file "$1/losen" revisor' sh "$1" "lösenord $2 123456"
}

# ---- The matrix -----------------------------------------------------------------

PATHS="add_text add_doc add_user add_account add_activity reverse_text
reverse_generated quarter_text quarter_doc import_csv import_sie_ver
import_sie_trans earmark_purpose earmark_decided_by earmark_paragraph
earmark_code budget_text comment_text allocate_text allocate_doc
allocate_budget_text allocate_population_source reported_reason close_user
reopen_reason passwd_name passwd_password"

# A book with 2025 closed (for reopen), and one with a password file.
CLOSED=$TMPROOT/closed
rm -rf "$CLOSED"
cp -R "$HBASE" "$CLOSED"
$SAMLA -f "$CLOSED" close 2025 --yes >/dev/null 2>&1 || not_ok "the closed template book: close 2025"
REPORTED=$TMPROOT/reported
rm -rf "$REPORTED"
cp -R "$HBASE" "$REPORTED"
$SAMLA -f "$REPORTED" reported 2025Q4 >/dev/null 2>&1 || not_ok "the template book reported through 2025Q4"
PWBOOK=$TMPROOT/pwbook
rm -rf "$PWBOOK"
cp -R "$HBASE" "$PWBOOK"
printf '%s\n' "$PW1" | $SAMLA passwd --password-file "$PWBOOK/losen" processledare >/dev/null 2>&1 ||
    not_ok "the template password file"

for p in $PATHS; do
    case "$p" in *${MATRIX_PATHS:-}*) ;; *) continue ;; esac
    SETUP_TEMPLATE=
    case "$p" in
    reopen_*) SETUP_TEMPLATE=$CLOSED ;;
    reported_*) SETUP_TEMPLATE=$REPORTED ;;
    passwd_*) SETUP_TEMPLATE=$PWBOOK ;;
    esac
    for vn in $VALUES; do
        case "$vn" in *${MATRIX_VALUES:-}*) ;; *) continue ;; esac
        one_case "$p" "$vn"
    done
done
# ---- init --name: a new book ----------------------------------------------------
# Refused: no folder is made. Saved: the book checks, its name is stored
# exactly (formula-safe), and the reports that show it (result, list, log)
# show it safely.
case init_name in *${MATRIX_PATHS:-}*)
    for vn in $VALUES; do
        case "$vn" in *${MATRIX_VALUES:-}*) ;; *) continue ;; esac
        value "$vn"
        n="init_name × $vn"
        NCASES=$((NCASES + 1))
        NB=$TMPROOT/newbook
        rm -rf "$NB"
        run $SAMLA init "$NB" --name "$V" --start 2025-01-01
        sanitizer_clean "$n" "$TMPROOT/.err" || continue
        case "$RC" in
        1)
            fails=0
            case "$ERR" in *--name*) ;; *) not_ok "$n: the refusal names --name" "stderr: $(printf '%s' "$ERR" | head -c 400)"; fails=1 ;; esac
            [ -e "$NB" ] && { not_ok "$n: refused, no folder made"; fails=1; }
            term_safe "$n: the refusal is safe for a terminal" "$OUT$ERR" || fails=1
            [ "$fails" -eq 0 ] && ok "$n: refused with a message naming --name, no book made"
            ;;
        0)
            fails=0
            term_safe "$n: init's output is safe for a terminal" "$OUT$ERR" || fails=1
            run $SAMLA -f "$NB" check
            [ "$RC" -eq 0 ] || { not_ok "$n: the new book checks" "exit $RC" "$ERR"; fails=1; }
            if exact_value "$vn"; then
                got=$($PY stored "$NB/organisation.csv" Namn; printf .)
                want=$(stored_form "$V"; printf .)
                [ "$got" = "$want" ] || { not_ok "$n: the name is stored exactly" "got: $got" "expected: $want"; fails=1; }
            fi
            for cmd in "result 2025" "list" "log"; do
                run $SAMLA -f "$NB" $cmd
                [ "$RC" -eq 0 ] || { not_ok "$n: $cmd succeeds" "exit $RC" "$ERR"; fails=1; }
                term_safe "$n: $cmd shows the name safely" "$OUT$ERR" || fails=1
            done
            [ "$fails" -eq 0 ] && ok "$n: saved; the book checks, the name is shown safely"
            ;;
        *) not_ok "$n: refused (1) or saved (0)" "exit $RC" "stderr: $(printf '%s' "$ERR" | head -c 400)" ;;
        esac
    done
    ;;
esac

# ---- Reproductions of issue 11 that are not a value --------------------------------

# reverse's generated text: an original of 500 characters (the Text limit),
# each two bytes; "Rättelse av 2025:6: " then as much of it as fits and "…",
# 500 characters, cut between characters (it was cut at 512 bytes).
case reverse_generated_limit in *${MATRIX_PATHS:-}*)
    B=$TMPROOT/limit
    rm -rf "$B"
    cp -R "$HBASE" "$B"
    long=$(head -c 500 /dev/zero | tr '\0' x | sed 's/x/ä/g')
    run $SAMLA -f "$B" $ADD --account 7690 --activity PROC --text "$long"
    expect_rc 0 "reverse's text: an original of 500 two-byte characters is saved"
    run $SAMLA -f "$B" reverse 2025:6 --date 2025-06-02 --yes
    expect_rc 0 "reverse's text: its reversal is saved"
    got=$($PY stored "$B/verifikationer.csv" Text Ver=7)
    want="Rättelse av 2025:6: $(printf '%s' "$long" | head -c 958)…"
    expect_eq "$got" "$want" "reverse's text: 'Rättelse av 2025:6: ', 479 characters of the original and '…' (500 characters, cut between characters)"
    run $SAMLA -f "$B" check
    expect_rc 0 "reverse's text: the book checks clean"
    ;;
esac

# Appends follow the file's own columns (issue 11: Text and Underlag
# swapped stored the text as Underlag; a journal without the optional
# Fingeravtryck column got rows of 14 fields).
case column_order in *${MATRIX_PATHS:-}*)
    B=$TMPROOT/swapped
    rm -rf "$B"
    cp -R "$HBASE" "$B"
    # Swap the Text and Underlag columns of every row (fields 8 and 9; row 5
    # holds a quoted ';' in Underlag, so by the helper's CSV reader).
    python3 - "$B/verifikationer.csv" <<'PYEOF'
import csv, io, sys
p = sys.argv[1]
rows = list(csv.reader(io.StringIO(open(p, encoding='utf-8-sig', newline='').read(), newline=''), delimiter=';'))
out = io.StringIO()
w = csv.writer(out, delimiter=';', lineterminator='\r\n')
for r in rows:
    r[7], r[8] = r[8], r[7]
    w.writerow(r)
open(p, 'w', encoding='utf-8-sig', newline='').write(out.getvalue())
PYEOF
    run $SAMLA -f "$B" check
    expect_rc 0 "columns Text and Underlag swapped: the book checks clean"
    run $SAMLA -f "$B" $ADD --account 7690 --activity PROC --text "Lön februari" --doc F-123
    expect_rc 0 "columns swapped: add succeeds"
    expect_eq "$($PY stored "$B/verifikationer.csv" Text Ver=6)|$($PY stored "$B/verifikationer.csv" Underlag Ver=6)" \
        "Lön februari|F-123" "columns swapped: the text is stored under Text, the document under Underlag"
    expect_eq "$(tail -1 "$B/verifikationer.csv" | cut -d';' -f8,9)" "F-123;Lön februari" \
        "columns swapped: the new row follows the file's own order"
    run $SAMLA -f "$B" check
    expect_rc 0 "columns swapped: the book checks clean after the add"

    B=$TMPROOT/nofinger
    rm -rf "$B"
    cp -R "$HBASE" "$B"
    sed 's/;[^;]*\r$/\r/' "$HBASE/verifikationer.csv" >"$B/verifikationer.csv"
    run $SAMLA -f "$B" $ADD --account 7690 --activity PROC --text "Lön februari" --doc F-123
    expect_rc 0 "without the optional Fingeravtryck column: add succeeds"
    expect_eq "$(tail -1 "$B/verifikationer.csv" | tr -d '\r' | awk -F';' '{print NF}')" 13 \
        "… the new row has the file's 13 fields"
    run $SAMLA -f "$B" check
    expect_rc 0 "… and the book checks clean afterwards"
    ;;
esac

# A password file saved as Windows-1252 (issue 11): samla passwd and the
# server refuse it with its name, and passwd leaves it as it was.
case passwd_file_cp1252 in *${MATRIX_PATHS:-}*)
    PWF=$TMPROOT/pw-cp1252
    hash=$(sed -n 's/^processledare://p' "$PWBOOK/losen")
    printf 'processledare:%s\nanv\344ndare:%s\n' "$hash" "$hash" >"$PWF"
    chmod 600 "$PWF"
    cp "$PWF" "$PWF.before"
    run sh -c 'printf "%s\n" "$2" | $SAMLA passwd --password-file "$1" revisor' sh "$PWF" "$PW1"
    expect_rc 1 "a Windows-1252 password file: samla passwd refuses it"
    expect_err_has "$PWF: fel: lösenordsfilen är inte giltig UTF-8" "… naming the file and why"
    expect_same_file "$PWF" "$PWF.before" "… and leaves it as it was"
    run timeout 20 $SAMLA -f "$PWBOOK" serve --port 0 --password-file "$PWF"
    expect_rc 1 "a Windows-1252 password file: samla serve refuses to start with it"
    expect_err_has "$PWF: fel: lösenordsfilen är inte giltig UTF-8" "… naming the file and why"
    ;;
esac

# ---- The web forms: the quarter form's Underlag, the budget comment ---------------
# One server on one book: before each post the book is copied, a refused post
# (not 303) must leave it byte-identical, a saved one goes through the checks
# of after_save (run from the command line while the server runs).

# urlenc VALUE: as a browser sends it: letters and digits as they are,
# every other byte as %XX.
urlenc() {
    printf '%s' "$1" | od -An -v -tx1 | tr -s ' \n' '\n\n' | grep . |
        awk 'BEGIN { for (i = 48; i < 123; i++) ch[sprintf("%02x", i)] = sprintf("%c", i) }
             $1 ~ /^(3[0-9]|4[1-9a-f]|5[0-9a]|6[1-9a-f]|7[0-9a])$/ { printf "%s", ch[$1]; next }
             { printf "%%%s", toupper($1) }'
}

web_case() { # FORM VALUE-NAME; book $WB, server $BASE, cookie jar $J
    form=$1 vn=$2
    value "$vn"
    n="web_${form} × $vn"
    NCASES=$((NCASES + 1))
    EXACT=0 VOUCHER=
    exact_value "$vn" && EXACT=1
    if [ "$form" = quarter_underlag ]; then
        LABEL=Underlag FILE=verifikationer.csv COLUMN=Underlag KEYS=
        page=$(curl -s -b "$J" "$BASE/kvartal?kvartal=2025Q4")
        fields='kvartal=2025Q4&upprepa=1&rad1=k%3APROC%3A5010&belopp1=100&underlag='
        action=$BASE/kvartal/spara
    else
        LABEL=Kommentaren FILE=kommentarer.csv COLUMN=Kommentar KEYS=Kod=PROC
        # An entry of its own to reverse afterwards (the book is shared).
        $SAMLA -f "$WB" $ADD --account 7690 --activity PROC --text Rättas >"$TMPROOT/add.out" 2>&1
        VOUCHER=$(sed -n 's/^Sparade verifikation \([0-9]*:[0-9]*\) .*/\1/p' "$TMPROOT/add.out")
        page=$(curl -s -b "$J" "$BASE/budget?ar=2025")
        fields='rad=k%3APROC%3A5010&period=&kommentar='
        action="$BASE/budget/kommentar?ar=2025"
    fi
    csrf=$(form_field "$page" csrf)
    id=$(form_field "$page" inskick)
    rm -rf "$WB.before"
    cp -R "$WB" "$WB.before"
    # The body from a file: 32 768 two-byte characters encoded are more
    # than one command-line argument may hold.
    printf 'csrf=%s&inskick=%s&%s%s' "$csrf" "$id" "$fields" "$(urlenc "$V")" >"$TMPROOT/post.body"
    code=$(curl -s -b "$J" -o "$TMPROOT/post.html" -w '%{http_code}' \
        -H 'Content-Type: application/x-www-form-urlencoded' \
        --data-binary @"$TMPROOT/post.body" "$action")
    OUT= ERR=
    : >"$TMPROOT/.err"
    case "$code" in
    303)
        if [ "$form" = quarter_underlag ]; then
            ver=$($PY stored "$WB/verifikationer.csv" Ver "Källa=quarter 2025Q4")
            VOUCHER=2025:$ver KEYS=Ver=$ver
        fi
        after_save "$n" "$WB" "$V"
        ;;
    422)
        # The error summary's lines are the page's messages.
        ERR="fel: $(grep -o '<li><a href="#[^"]*">[^<]*' "$TMPROOT/post.html" | sed 's/.*">//')"
        after_refusal "$n" "$WB" "$WB.before"
        ;;
    413)
        # Larger than the server takes (SERVE_MAX_BODY): the form as a whole
        # is refused before any field is read.
        LABEL="Formuläret är större än servern tar emot"
        ERR=$(cat "$TMPROOT/post.html")
        after_refusal "$n" "$WB" "$WB.before"
        ;;
    *) not_ok "$n: refused (422 or 413) or saved (303)" "status $code" "$(head -c 600 "$TMPROOT/post.html")" ;;
    esac
}

case "web_quarter_underlag web_comment" in
*${MATRIX_PATHS:-}*)
    . "$ROOT/tests/web/serve_lib.sh"
    WB=$TMPROOT/webbook
    J=$TMPROOT/jar
    rm -rf "$WB"
    cp -R "$HBASE" "$WB"
    if serve_start "$WB" && serve_login "$J"; then
        for form in quarter_underlag comment; do
            case "web_$form" in *${MATRIX_PATHS:-}*) ;; *) continue ;; esac
            for vn in $VALUES; do
                case "$vn" in *${MATRIX_VALUES:-}*) ;; *) continue ;; esac
                web_case "$form" "$vn"
            done
        done
        serve_stop
    fi
    ;;
esac

echo "# $NCASES cases"
