#!/bin/sh
# tests/e2e/comments.sh - comments on the budget follow-up (issue 13):
# `samla comment` sets, replaces and clears a line's comment in
# kommentarer.csv (append-only, the last row of a key in force); bad input
# is refused with the book byte-identical; the comment prints in the
# terminal (shortened to the width, whole with --wide), in JSON and CSV, in
# the recalculated budget workbook (LibreOffice read-back) on its line's
# row, in the audit trail, and on the web page, where a logged-in user sets
# one with a form (CSRF token and one-time form id).
. "$(dirname "$0")/../lib.sh"

B=$(fresh_book)
export SAMLA_TODAY=2026-10-08
# The book as it is now, to compare with after a refused change.
snap() { (cd "$B" && find . -path ./.samla-cache -prune -o -type f -print | LC_ALL=C sort | xargs sha256sum); }
# comment_of JSON-ARGS...: "code|label|comment" of every follow-up line
# that has a comment.
comments_json() {
    "$SAMLA" -f "$B" budget 2026 "$@" --format json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
for t in d["tables"]:
    if t["caption"] != "Budgetuppföljning":
        continue
    for r in t["rows"]:
        c = (r.get("cells") or {}).get("comment")
        if c:
            print("%s|%s|%s" % (r.get("code") or "", r["label"], c))'
}
last_row() { tail -n 1 "$B/kommentarer.csv" | tr -d '\r'; }

# ---- Set, replace, clear -------------------------------------------------------

rm -f "$B/kommentarer.csv"
run "$SAMLA" -f "$B" comment 2026 PROC "Vakant tjänst jan–feb"
expect_rc 0 "comment sets a line's comment"
expect_out_has "Sparade kommentar på 2026 kostnad PROC (helår)." "… and says which line and period"
expect_eq "$(head -n 1 "$B/kommentarer.csv" | tr -d '\r')" "$(printf '\357\273\277')År;Period;Typ;Kod;Konto;Kommentar;Registrerad;Användare" \
    "kommentarer.csv is created with its header (UTF-8 with BOM)"
expect_eq "$(last_row)" "2026;;kostnad;PROC;;Vakant tjänst jan–feb;2026-01-15T10:00:00Z;testare" \
    "the row: year, no period, type, code, text, registered, user"
expect_eq "$(comments_json)" "PROC|Processledare|Vakant tjänst jan–feb" "budget --format json has the comment on PROC's line"

run "$SAMLA" -f "$B" comment 2026 PROC "Vakant tjänst jan–feb; ny processledare från 1 mars"
expect_rc 0 "a second comment replaces the first"
expect_out_has "Ersatte kommentar på 2026 kostnad PROC (helår)." "… and says so"
expect_out_has '  förut: "Vakant tjänst jan–feb"' "… showing the one before"
expect_eq "$(grep -c ';PROC;' "$B/kommentarer.csv")" 2 "the first comment stays in the file (append-only, auditable)"
expect_eq "$(comments_json)" "PROC|Processledare|Vakant tjänst jan–feb; ny processledare från 1 mars" "the report shows the latest"

run "$SAMLA" -f "$B" comment 2026 PROC "Rekrytering klar; överlapp i september" --at 2026Q3
expect_rc 0 "a comment for one quarter (--at 2026Q3)"
expect_eq "$(last_row)" "2026;2026Q3;kostnad;PROC;;\"Rekrytering klar; överlapp i september\";2026-01-15T10:00:00Z;testare" \
    "… stored with its period"
expect_eq "$(comments_json --at 2026Q3)" "PROC|Processledare|Rekrytering klar; överlapp i september" \
    "the follow-up per 2026Q3 shows the quarter's comment"
expect_eq "$(comments_json --at 2026Q2)" "PROC|Processledare|Vakant tjänst jan–feb; ny processledare från 1 mars" \
    "the follow-up per 2026Q2 shows the year's comment"
run "$SAMLA" -f "$B" comment 2026 HSNV "Faktureras kvartalsvis i efterskott" --at 2026T2
expect_rc 0 "a comment for a tertial (--at 2026T2) on an income line"
expect_eq "$(comments_json --at 2026T2 | grep HSNV)" "HSNV|Hälso- och sjukvårdsnämnden Västra|Faktureras kvartalsvis i efterskott" \
    "the follow-up per 2026T2 shows it on HSNV's line"
expect_eq "$(comments_json --at 2026Q3 | grep -c HSNV)" 0 "… and not per 2026Q3 (outside the tertial)"

run "$SAMLA" -f "$B" comment 2026 PROC --clear --at 2026Q3
expect_rc 0 "--clear removes the quarter's comment"
expect_out_has "Tog bort kommentar på 2026 kostnad PROC (2026Q3)." "… and says so"
expect_eq "$(last_row)" "2026;2026Q3;kostnad;PROC;;;2026-01-15T10:00:00Z;testare" "… as a row with an empty comment"
expect_eq "$(comments_json --at 2026Q3)" "PROC|Processledare|Vakant tjänst jan–feb; ny processledare från 1 mars" \
    "per 2026Q3 the year's comment shows again"
run "$SAMLA" -f "$B" comment 2026
expect_rc 0 "comment YEAR lists the comments in force"
expect_out_has '2026 kostnad PROC (helår)  "Vakant tjänst jan–feb; ny processledare från 1 mars"' "… the year's on PROC"
expect_out_has '2026 intäkt HSNV (2026T2)  "Faktureras kvartalsvis i efterskott"' "… the tertial's on HSNV"
case "$OUT" in *2026Q3*) not_ok "… not the cleared one" "$OUT" ;; *) ok "… not the cleared one" ;; esac

# The shortest period holding the date wins: a month's before a quarter's
# before the year's; a period's comment does not show outside it.
M=$(fresh_book)
"$SAMLA" -f "$M" comment 2026 KOMM "året" >/dev/null
"$SAMLA" -f "$M" comment 2026 KOMM "kvartalet" --at 2026Q3 >/dev/null
"$SAMLA" -f "$M" comment 2026 KOMM "september" --at 2026-09 >/dev/null
"$SAMLA" -f "$M" comment 2026 KOMM "tertialet" --at 2026T3 >/dev/null
kom() { "$SAMLA" -f "$M" budget 2026 --at "$1" --format json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin)["tables"]:
    for r in t["rows"]:
        if r.get("code") == "KOMM":
            print((r.get("cells") or {}).get("comment", ""))'; }
expect_eq "$(kom 2026-09-30)" "september" "per 2026-09-30 the month's comment wins over the quarter's, tertial's and year's"
expect_eq "$(kom 2026-08-31)" "kvartalet" "per 2026-08-31 the quarter's (September's and T3's periods do not hold the date)"
expect_eq "$(kom 2026-12-31)" "tertialet" "per 2026-12-31 the tertial's (Q3 and September are over)"
expect_eq "$(kom 2026-03-31)" "året" "per 2026-03-31 the year's"

# ---- Refused, book byte-identical -------------------------------------------------

before=$(snap)
refused() { # refused RC TEXT-IN-STDERR WHAT ARGS...
    want=$1; msg=$2; what=$3; shift 3
    run "$SAMLA" -f "$B" comment "$@"
    expect_rc "$want" "$what: refused (exit $want)"
    expect_err_has "$msg" "$what: the message says \"$msg\""
    expect_eq "$(snap)" "$before" "$what: the book is byte-identical"
}
refused 1 "ogiltig UTF-8" "invalid UTF-8" 2026 PROC "$(printf 'Fel \366 kodning')"
refused 1 "kommentaren: för lång: 40000 tecken, högst 1000" "a comment of 40 000 characters" 2026 PROC "$(head -c 40000 /dev/zero | tr '\0' 'x')"
refused 1 "kommentaren: styrtecknet U+001B (ESC) vid tecken 2" "a control character (ESC)" 2026 PROC "$(printf 'a\033[31mb')"
refused 2 "ogiltig period \"2026Q5\"" "a period that is none" 2026 PROC "x" --at 2026Q5
refused 2 "av år 2026" "a period of another year" 2026 PROC "x" --at 2025Q3
refused 2 "ska vara ett kvartal" "a single day as period" 2026 PROC "x" --at 2026-03-15
refused 1 "\"PRCO\" är varken en finansiär (intäktsrad) eller en verksamhet (kostnadsrad)" "an unknown line" 2026 PRCO "x"
refused 2 "inte båda" "a text and --clear" 2026 PROC "x" --clear
refused 2 "ange kommentaren" "no text and no --clear" 2026 PROC
refused 1 "ingen kommentar att ta bort" "--clear where there is none" 2026 KOMM --clear
refused 2 "ogiltigt år" "a malformed year" 26 PROC "x"
run "$SAMLA" -f "$B" comment 2026 PROC --bogus
expect_rc 2 "an unknown option is a usage error"

# A formula is stored escaped and shown as it was entered.
F='=HYPERLINK("http://x.se";"se protokollet")'
run "$SAMLA" -f "$B" comment 2026 SMM "$F"
expect_rc 0 "a comment that looks like a formula is accepted"
expect_eq "$(last_row)" "2026;;kostnad;SMM;;\"'=HYPERLINK(\"\"http://x.se\"\";\"\"se protokollet\"\")\";2026-01-15T10:00:00Z;testare" \
    "… stored with the apostrophe that keeps a spreadsheet from running it"
expect_eq "$(comments_json | grep SMM)" "SMM|Socialmedicinsk mottagning|$F" "… and shown as entered (JSON)"
run "$SAMLA" -f "$B" comment 2026 SMM "Sjuksköterska 60 % vakant sedan januari; rekrytering pågår, därav överskottet"
run "$SAMLA" -f "$B" check
expect_rc 0 "the book with its comments checks clean"

# A hand-edited row with a bad period or an unknown code is named by place.
cp -R "$B" "$TMPROOT/bad"
printf '2026;2026Q9;kostnad;PROC;;x;;\r\n2026;;kostnad;NEJ;;x;;\r\n' >>"$TMPROOT/bad/kommentarer.csv"
n=$(awk 'END { print NR }' "$TMPROOT/bad/kommentarer.csv")
run "$SAMLA" -f "$TMPROOT/bad" check
expect_rc 1 "a book with a bad comment row does not check"
expect_err_has "kommentarer.csv:$((n - 1)):6: fel: ogiltig period \"2026Q9\"" "the bad period is named by file:line:column"
expect_err_has "kommentarer.csv:$n:15: fel: okänd verksamhet \"NEJ\"" "the unknown code is named by file:line:column"

# ---- Terminal, CSV, audit trail ------------------------------------------------------

L="Sjuksköterska 60 % vakant sedan januari; rekrytering pågår, därav överskottet"
run env COLUMNS=250 "$SAMLA" -f "$B" budget 2026 --at 2026Q3
expect_out_has "Kommentar" "the terminal follow-up has a Kommentar column"
expect_out_has "$L" "… with SMM's comment in full when it fits"
longest() { LC_ALL=C.UTF-8 wc -L | tr -d ' '; }
w=$(COLUMNS=140 "$SAMLA" -f "$B" budget 2026 --at 2026Q3 | longest)
[ "$w" -le 140 ] && ok "COLUMNS=140: at most 140 characters wide ($w)" || not_ok "COLUMNS=140 width" "$w"
run env COLUMNS=140 "$SAMLA" -f "$B" budget 2026 --at 2026Q3
case "$OUT" in *"$L"*) not_ok "COLUMNS=140: the comment is shortened" ;;
    *"Sjuksköterska 60"*"…"*) ok "COLUMNS=140: the comment is shortened with an ellipsis" ;;
    *) not_ok "COLUMNS=140: the comment is shortened with an ellipsis" "$OUT" ;; esac
run env COLUMNS=140 "$SAMLA" -f "$B" budget 2026 --at 2026Q3 --wide
expect_out_has "$L" "--wide prints the whole comment"
run "$SAMLA" -f "$B" budget 2026 --at 2026Q3 --format csv
expect_out_has "SMM;Socialmedicinsk mottagning;" "the CSV has SMM's line"
case "$OUT" in *"$L"*) ok "… with the comment" ;; *) not_ok "… with the comment" ;; esac
run "$SAMLA" -f "$B" log
case "$(printf '%s\n' "$OUT" | grep ' testare  *comment  *2026 kostnad PROC (2026Q3): kommentaren borttagen$')" in
    2026-01-15T10:00:00Z*) ok "the audit trail has the cleared comment, with its time, user and source" ;;
    *) not_ok "the audit trail has the cleared comment, with its time, user and source" "$OUT" ;; esac
expect_out_has '2026 intäkt HSNV (2026T2): "Faktureras kvartalsvis i efterskott"' "… and each set one"

# ---- Closed year ------------------------------------------------------------------
C=$(fresh_book)
"$SAMLA" -f "$C" close 2025 --yes >/dev/null 2>&1
if grep -q '^2025;stängt' "$C/bokslut.csv"; then
    snap_c() { (cd "$C" && find . -path ./.samla-cache -prune -o -type f -print | LC_ALL=C sort | xargs sha256sum); }
    before_c=$(snap_c)
    run "$SAMLA" -f "$C" comment 2025 PROC "sent påkommen"
    expect_rc 1 "a closed year's comments are not changed"
    expect_err_has "år 2025 är stängt" "… and the message says why"
    expect_eq "$(snap_c)" "$before_c" "… the book is byte-identical"
else
    not_ok "2025 of the example book can be closed for the test" "$(cat "$C/bokslut.csv")"
fi

# ---- The budget workbook, recalculated by LibreOffice -----------------------------
PY=/usr/bin/python3
VERIFY="$ROOT/tests/e2e/xlsx_verify.py"
OUTD="$TMPROOT/x"
mkdir -p "$OUTD/r"
run "$SAMLA" -f "$B" comment 2026 PROC "$F" --at 2026Q3
run "$SAMLA" -f "$B" export budget 2026 --at 2026Q3 -o "$OUTD/budget-2026.xlsx"
expect_rc 0 "export budget 2026 with comments"
if command -v soffice >/dev/null 2>&1; then
    PROFILE="$TMPROOT/lo-profile"
    timeout 300 soffice "-env:UserInstallation=file://$PROFILE" --headless --norestore \
        --convert-to xlsx --outdir "$OUTD/r" "$OUTD/budget-2026.xlsx" >"$TMPROOT/soffice.log" 2>&1
    R="$OUTD/r/budget-2026.xlsx"
    if [ -s "$R" ]; then
        subtests "xlsx_verify row-text" "$PY" "$VERIFY" row-text "$R" "Budget 2026" "Socialmedicinsk mottagning" "$L"
        subtests "xlsx_verify row-text" "$PY" "$VERIFY" row-text "$R" "Budget 2026" "Processledare" "$F"
        subtests "xlsx_verify budget" "$PY" "$VERIFY" budget "$SAMLA" "$B" "$OUTD/budget-2026.xlsx" "$R" 2026 2026Q3 |
            grep -E '^(not )?ok - .*(no error values|formulas recalculate|figures and every label|checker itself ended badly)'
    else
        not_ok "LibreOffice recalculates the budget workbook with comments" "$(cat "$TMPROOT/soffice.log")"
    fi
else
    not_ok "LibreOffice (soffice) is installed" "run make deps (libreoffice-calc)"
fi

# ---- The web page: a logged-in user posts a comment ----------------------------------
. "$ROOT/tests/web/serve_lib.sh"
W=$(fresh_book)
if serve_start "$W"; then
    JAR="$TMPROOT/jar"
    serve_login "$JAR"
    page=$(curl -s -b "$JAR" "$BASE/budget?ar=2026&per=2026Q3")
    case "$page" in *'<label for="kommentar-text">Kommentar</label><textarea id="kommentar-text"'*) ok "the budget page has a labelled comment field" ;;
        *) not_ok "the budget page has a labelled comment field" ;; esac
    post() { # post PAGE FIELDS...: POST the page's form with its token and id
        p=$1; shift
        curl -s -b "$JAR" -o "$TMPROOT/post.html" -w '%{http_code} %{redirect_url}' \
            --data-urlencode "csrf=$(form_field "$p" csrf)" --data-urlencode "inskick=$(form_field "$p" inskick)" \
            "$@" "$BASE/budget/kommentar?ar=2026&per=2026Q3"
    }
    res=$(post "$page" --data-urlencode "rad=k:FACT:" --data-urlencode "period=" \
        --data-urlencode "kommentar=Projektledaren börjar i augusti <b>&</b>")
    expect_eq "$res" "303 $BASE/budget?ar=2026&per=2026Q3&kommentar=sparad" "POST /budget/kommentar saves and redirects to the budget page"
    expect_eq "$(tail -n 1 "$W/kommentarer.csv" | tr -d '\r')" "2026;;kostnad;FACT;;Projektledaren börjar i augusti <b>&</b>;2026-01-15T10:00:00Z;testare" \
        "… one row in kommentarer.csv, with the session's user"
    shown=$(curl -s -b "$JAR" "$BASE/budget?ar=2026&per=2026Q3&kommentar=sparad")
    case "$shown" in *"Projektledaren börjar i augusti &lt;b&gt;&amp;&lt;/b&gt;"*) ok "the page shows the comment (escaped)" ;;
        *) not_ok "the page shows the comment (escaped)" ;; esac
    case "$shown" in *'role="status"'*"Kommentaren är sparad."*) ok "… with a status banner" ;; *) not_ok "… with a status banner" ;; esac
    case "$(curl -s -b "$JAR" "$BASE/?ar=2026&per=2026Q3")" in *"Projektledaren börjar i augusti &lt;b&gt;&amp;&lt;/b&gt;"*) ok "the overview shows it too" ;;
        *) not_ok "the overview shows it too" ;; esac
    # The same form sent again saves nothing.
    again=$(curl -s -b "$JAR" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$(form_field "$page" csrf)" \
        --data-urlencode "inskick=$(form_field "$page" inskick)" --data-urlencode "rad=k:FACT:" \
        --data-urlencode "kommentar=en gång till" "$BASE/budget/kommentar?ar=2026")
    expect_eq "$again" 409 "the same form sent again is refused (one-time form id)"
    expect_eq "$(grep -c ';FACT;' "$W/kommentarer.csv")" 1 "… and nothing more is saved"
    # Without the CSRF token nothing is saved.
    p2=$(curl -s -b "$JAR" "$BASE/budget?ar=2026")
    code=$(curl -s -b "$JAR" -o /dev/null -w '%{http_code}' --data-urlencode "inskick=$(form_field "$p2" inskick)" \
        --data-urlencode "rad=k:FACT:" --data-urlencode "kommentar=utan token" "$BASE/budget/kommentar?ar=2026")
    expect_eq "$code" 403 "a POST without the CSRF token is refused (403)"
    # A bad value: the page again, the error on the field.
    before_w=$(cd "$W" && find . -path ./.samla-cache -prune -o -type f -print | LC_ALL=C sort | xargs sha256sum)
    p3=$(curl -s -b "$JAR" "$BASE/budget?ar=2026")
    res=$(post "$p3" --data-urlencode "rad=k:FACT:" --data-urlencode "kommentar=$(head -c 1200 /dev/zero | tr '\0' 'y')")
    expect_eq "${res%% *}" 422 "a comment of 1 200 characters is refused (422)"
    case "$(cat "$TMPROOT/post.html")" in
        *'<textarea id="kommentar-text" name="kommentar" rows="3" cols="50" aria-invalid="true" aria-describedby="kommentar-text-hint kommentar-fel-3">'*)
            ok "… the error is carried on the field (aria-invalid, aria-describedby)" ;;
        *) not_ok "… the error is carried on the field (aria-invalid, aria-describedby)" ;; esac
    case "$(cat "$TMPROOT/post.html")" in *'id="kommentar-fel-3">Kommentaren: för lång: 1200 tecken, högst 1000.'*) ok "… and says why beside it" ;;
        *) not_ok "… and says why beside it" "$(grep -o 'kommentar-fel-3">[^<]*' "$TMPROOT/post.html")" ;; esac
    p4=$(curl -s -b "$JAR" "$BASE/budget?ar=2026")
    res=$(post "$p4" --data-urlencode "rad=k:FACT:" --data-urlencode "period=2026Q7" --data-urlencode "kommentar=x")
    expect_eq "${res%% *}" 422 "a bad period is refused (422)"
    case "$(cat "$TMPROOT/post.html")" in *'id="kommentar-period"'*'aria-invalid="true"'*) ok "… on the period field" ;;
        *) not_ok "… on the period field" ;; esac
    expect_eq "$(cd "$W" && find . -path ./.samla-cache -prune -o -type f -print | LC_ALL=C sort | xargs sha256sum)" "$before_w" \
        "refused posts leave the book byte-identical"
    p5=$(curl -s -b "$JAR" "$BASE/budget?ar=2026")
    res=$(post "$p5" --data-urlencode "rad=k:FACT:" --data-urlencode "kommentar=")
    expect_eq "$res" "303 $BASE/budget?ar=2026&per=2026Q3&kommentar=borttagen" "an empty comment removes the line's comment"
    serve_stop
fi
