#!/bin/sh
# foreign_format.sh - a book file that Excel saved in its plain "CSV"
# format (Windows-1252, and ',' between fields) is read, converted, and on
# the next write rewritten in samla's own format with the same contents,
# so that samla's appended rows never mix two encodings or separators.
# (Before this was handled, appending to such a file garbled every "ö" of
# the new rows, or left a book that no longer loaded.)
. "$(dirname "$0")/../lib.sh"

# excel_csv FILE SEP: FILE re-saved as Windows-1252 with SEP, no BOM,
# amounts with a decimal comma quoted when SEP is ','.
excel_csv() {
    awk -v sep="$2" 'BEGIN { FS = ";" }
        { sub(/^\357\273\277/, ""); sub(/\r$/, "")
          out = ""
          for (i = 1; i <= NF; i++) {
              f = $i
              if (sep == "," && index(f, ",") > 0 && substr(f, 1, 1) != "\"") f = "\"" f "\""
              out = out (i > 1 ? sep : "") f
          }
          printf "%s\r\n", out }' "$1" | iconv -f utf-8 -t cp1252 >"$1.new" && mv "$1.new" "$1"
}

for sep in ';' ','; do
    book=$(mktemp -d "$TMPROOT/book.XXXXXX")
    cp -R "$ROOT/tests/hostile/base/." "$book/"
    excel_csv "$book/verifikationer.csv" "$sep"
    what="Windows-1252 with '$sep'"
    run "$SAMLA" -f "$book" check
    expect_rc 0 "foreign format ($what): the book loads"
    expect_err_has "lästes som Windows-1252 och konverterades" "foreign format ($what): a note says it was converted"
    run "$SAMLA" -f "$book" add --date 2026-01-15 --account 7690 --activity PROC \
        --amount 12,50 --text "Möte på Ön"
    expect_rc 0 "foreign format ($what): add succeeds"
    expect_err_has "skrevs om i samlas format" "foreign format ($what): a note says the file was rewritten"
    run "$SAMLA" -f "$book" check
    expect_rc 0 "foreign format ($what): the book loads after the add"
    expect_eq "$ERR" "" "foreign format ($what): the journal is UTF-8 now (no conversion note)"
    expect_eq "$(head -c 3 "$book/verifikationer.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" \
        "foreign format ($what): the rewritten journal starts with a BOM"
    expect_eq "$(grep -c 'Möte på Ön' "$book/verifikationer.csv")" 1 \
        "foreign format ($what): the new text is there once, correctly encoded"
    expect_eq "$(grep -c 'Lön februari' "$book/verifikationer.csv")" 1 \
        "foreign format ($what): an old text survived the conversion"
    # The awk above turned the quoted "Faktura 12; Lerum" into "Faktura 12,
    # Lerum" for ','; either way the field comes back whole.
    want='"Faktura 12; Lerum"'
    [ "$sep" = , ] && want=';Faktura 12, Lerum;'
    expect_eq "$(grep -c "$want" "$book/verifikationer.csv")" 1 \
        "foreign format ($what): a quoted field is still one field, quoted only when it must be"
    run "$SAMLA" -f "$book" add --date 2026-01-15 --account 7690 --activity PROC \
        --amount 1 --text "Två"
    expect_eq "$RC:$ERR" "0:" "foreign format ($what): the next add appends without notes"
done
