#!/bin/sh
# End-to-end tests of `samla quarter` (issue 5, item 1; issue 12): a whole
# quarter entered through the dialog on stdin, several rows per line, with
# one wrong amount and one wrong account corrected, suggestions from each
# line's history, the line's earmark by default, and a line reopened in the
# review; the exact entries saved (amounts, accounts, consecutive
# vouchers, Källa); declining and running out of answers save nothing;
# entering the same quarter twice warns and asks (and refuses a script
# without --yes); --from CSV with --dry-run (book byte-identical) and
# --yes; CSV errors as file:line:column; the dialog through a real
# pseudo-terminal.
#
# Budget 2026 of the example book, lines in dialog order: costs PROC,
# REGSAM, KOMM, SMM, FACT, MHFA, GEM; income STATEN, HSNV, LERUM, ALINGSAS.
# Usual accounts (largest booked sum): PROC 5010, REGSAM 4610, SMM 4610,
# FACT 4610, GEM 6010, HSNV 3520, LERUM 3531, ALINGSAS 3532.
. "$(dirname "$0")/../lib.sh"

# The journal's rows from line $2 on, without CR, fields 1-9 and 13
# (Ver..Underlag, Källa); texts here hold no ';'.
rows_from() { tail -n +"$2" "$1" | tr -d '\r' | cut -d';' -f1-9,13; }

NB=$(printf '\302\240') # amounts are shown with no-break spaces
B=$(fresh_book_2025)
J="$B/verifikationer.csv"
N0=$(wc -l <"$J")
cp "$J" "$TMPROOT/j0"

# ---- The dialog on stdin -----------------------------------------------------
# Per budget line one or more rows (amount, account, text, Underlag,
# earmark), an empty amount ends the line. PROC: wages and social fees as
# two rows; REGSAM first "55 000,5x" (wrong), then 55 000,50; KOMM nothing;
# SMM 750 000 on account 9999 (unknown, asked again) then 4621, drawing on
# the line's earmark OM-SMM-2026 by default, and a second row of 1 000 with
# "-" (no earmark); FACT (its earmark by default); MHFA nothing; GEM two
# rows, the second taking the account and text its own history suggests
# (6010, "Lokalhyra arbetsplats och mötesrum Q1" from Q4 2025); STATEN
# nothing; HSNV, LERUM, ALINGSAS their budget. In the review SMM (line 4)
# is opened again and entered as one row with an Underlag; then "j".
ANSWERS='210 000\n\nLön processledare Q1\nLS Q1\n\n62 675,10\n5610\nSociala avgifter Q1\nLS Q1\n\n\n'
ANSWERS=$ANSWERS'55 000,5x\n55 000,50\n\nSamordnare Q1\n\n\n\n'
ANSWERS=$ANSWERS'\n'
ANSWERS=$ANSWERS'750 000\n9999\n4621\nSocialmedicinsk mottagning Q1\n\n\n1 000\n4610\nAvgår\n\n-\n\n'
ANSWERS=$ANSWERS'205000.00\n\nFACT Q1\n\n\n\n'
ANSWERS=$ANSWERS'\n'
ANSWERS=$ANSWERS'9 000\n\n\n\n\n1 234,56\n7690\nWebbhotell\n\n\n\n'
ANSWERS=$ANSWERS'\n'
ANSWERS=$ANSWERS'334 373,75\n\nBidrag HSNV Q1\n\n\n\n168 833,75\n\nBidrag Lerum Q1\n\n\n\n165 540\n\nBidrag Alingsås Q1\n\n\n\n'
ANSWERS=$ANSWERS'4\n750 000\n4621\nSocialmedicinsk mottagning Q1\nFaktura 1\n\n\n'
ANSWERS=$ANSWERS'\nj\n'
run sh -c "printf '$ANSWERS' | $SAMLA -f '$B' quarter 2026Q1"
expect_rc 0 "a whole quarter entered through the dialog is saved"
expect_out_has "[1/11] PROC  Processledare" "each budget line is shown with its name"
expect_out_has "Budget Q1: 205${NB}000,00 kr   Bokfört i kvartalet: 0,00 kr" \
    "… with its budget for the quarter and what is booked"
expect_out_has "Rad 1, belopp: 55 000,5x" "the wrong amount is echoed as typed"
expect_out_has "Fel: ogiltigt tecken 'x' i kolumn 9. Försök igen" \
    "the wrong amount is asked again with its column and reason"
expect_out_has 'Okänt konto "9999"' "an unknown account is asked again"
expect_out_has "Rad 2, belopp: 62 675,10" "a line takes a second row"
expect_out_has "Konto [5610 Sociala avgifter]:" "… whose suggested account is the line's second account in its history"
expect_out_has "Öronmärkning [OM-SMM-2026] (- = ingen):" "SMM's rows suggest the line's earmark"
expect_out_has "Öronmärkning [ingen]:" "… other lines none"
expect_out_has "Konto [6010 Lokalhyror]: " "GEM's first row suggests 6010, its largest account in its own history"
expect_out_has "Text [Lokalhyra arbetsplats och mötesrum Q1]: " "… and the text of that entry, moved to this quarter"
expect_out_has "Granskning av 2026Q1 (inget är sparat ännu):" "the dialog ends in a review"
expect_out_has "  4  SMM  Socialmedicinsk mottagning: 2 rader, 751${NB}000,00 kr" "… listing every line with its rows"
expect_out_has "  3  KOMM  Kommunikatör: inget" "… also the lines without amounts"
expect_out_has "  4  SMM  Socialmedicinsk mottagning: 1 rad, 750${NB}000,00 kr" "… and a reopened line is shown as entered again"
expect_out_has "Sammanställning mot budgeten 2026Q1" "a summary against the budget is shown"
expect_out_has "Spara? [j/N]" "one confirmation is asked"
expect_out_has "Sparade 10 verifikationer för 2026Q1: 2026:1–2026:10." \
    "the quarter is saved as one batch"
got=$(rows_from "$J" $((N0 + 1)))
want='1;2026-03-31;5010;PROC;;;210000,00;Lön processledare Q1;LS Q1;quarter 2026Q1
2;2026-03-31;5610;PROC;;;62675,10;Sociala avgifter Q1;LS Q1;quarter 2026Q1
3;2026-03-31;4610;REGSAM;;;55000,50;Samordnare Q1;;quarter 2026Q1
4;2026-03-31;4621;SMM;;OM-SMM-2026;750000,00;Socialmedicinsk mottagning Q1;Faktura 1;quarter 2026Q1
5;2026-03-31;4610;FACT;;OM-FACT-2026;205000,00;FACT Q1;;quarter 2026Q1
6;2026-03-31;6010;GEM;;;9000,00;Lokalhyra arbetsplats och mötesrum Q1;;quarter 2026Q1
7;2026-03-31;7690;GEM;;;1234,56;Webbhotell;;quarter 2026Q1
8;2026-03-31;3520;;HSNV;;334373,75;Bidrag HSNV Q1;;quarter 2026Q1
9;2026-03-31;3531;;LERUM;;168833,75;Bidrag Lerum Q1;;quarter 2026Q1
10;2026-03-31;3532;;ALINGSAS;;165540,00;Bidrag Alingsås Q1;;quarter 2026Q1'
expect_eq "$got" "$want" "the saved entries have the exact amounts, accounts, texts, Underlag, earmarks and consecutive vouchers"
got=$(tail -n 10 "$J" | tr -d '\r' | cut -d';' -f11,12 | sort -u)
expect_eq "$got" "2026-01-15T10:00:00Z;testare" "… registered now, by the user"
run $SAMLA -f "$B" check
expect_rc 0 "the book checks clean after the quarter"
cp "$J" "$TMPROOT/j1"

# The summary's figures: the cost total entered = 210 000 + 62 675,10 +
# 55 000,50 + 750 000 + 205 000 + 1 234,56 + 9 000 = 1 292 910,16.
B2=$(fresh_book_2025)
run sh -c "printf '$ANSWERS' | sed 's/^j\$/n/' | $SAMLA -f '$B2' quarter 2026Q1"
expect_out_has "1${NB}292${NB}910,16" "the summary totals the entered costs exactly"
expect_rc 1 "answering n to Spara? saves nothing (exit 1)"
expect_out_has "Inget sparades." "… and says so"
expect_same_file "$B2/verifikationer.csv" "$TMPROOT/j0" "… the journal is unchanged"

run sh -c "printf '100\n' | $SAMLA -f '$B2' quarter 2026Q1"
expect_rc 1 "input that ends mid-dialog saves nothing"
expect_out_has "Avbrutet; inget sparades." "… and says so"
run sh -c "printf '100\n\navbryt\n' | $SAMLA -f '$B2' quarter 2026Q1"
expect_rc 1 "answering avbryt stops the dialog"
expect_same_file "$B2/verifikationer.csv" "$TMPROOT/j0" "… the journal is still unchanged"

# ---- The same quarter twice ------------------------------------------------------
run sh -c "printf 'n\n' | $SAMLA -f '$B' quarter 2026Q1"
expect_rc 1 "entering 2026Q1 again and answering n saves nothing"
expect_err_has "varning: kvartalet 2026Q1 är redan registrerat: 10 verifikationer (2026:1–2026:10)" \
    "… after a warning naming the earlier entries"
expect_out_has "Registrera fler poster för 2026Q1 ändå? [j/N]" "… and a question"
expect_same_file "$J" "$TMPROOT/j1" "… the journal is unchanged"

printf 'Verksamhet;Belopp;Text\r\nKOMM;12 000;Kommunikatör mars\r\n' >"$TMPROOT/komm.csv"
run $SAMLA -f "$B" quarter 2026Q1 --from "$TMPROOT/komm.csv" </dev/null
expect_rc 1 "a script (--from, no terminal) entering 2026Q1 again is refused without --yes"
expect_err_has "kör med --yes för att ändå lägga till fler poster för 2026Q1" "… saying how"
expect_same_file "$J" "$TMPROOT/j1" "… the journal is unchanged"
run $SAMLA -f "$B" quarter 2026Q1 --from "$TMPROOT/komm.csv" --yes </dev/null
expect_rc 0 "with --yes the quarter is completed"
expect_err_has "är redan registrerat" "… still with the warning"
got=$(rows_from "$J" $((N0 + 11)))
expect_eq "$got" "11;2026-03-31;7690;KOMM;;;12000,00;Kommunikatör mars;;quarter 2026Q1" \
    "… as voucher 2026:11 on KOMM's usual account 7690"

# ---- --from CSV ------------------------------------------------------------------
B3=$(fresh_book_2025)
cp -R "$B3" "$TMPROOT/b3.before"
cat >"$TMPROOT/q2.csv" <<'EOF'
Verksamhet;Finansiär;Konto;Belopp;Text;Underlag
PROC;;5010;148 920,00;Lön processledare april–juni;Lönesammanställning Q2
PROC;;5610;62 174,10;Sociala avgifter april–juni;Lönesammanställning Q2
SMM;HSNV;;600 000;Förstärkning socialmedicinsk mottagning;Beslut HSNV
SMM;;;1000.50;;
MHFA;;;;;
EOF
run $SAMLA -f "$B3" quarter 2026Q2 --from "$TMPROOT/q2.csv" --dry-run </dev/null
expect_rc 0 "--from with --dry-run succeeds"
expect_out_has "Torrkörning: inget sparades." "… and says nothing was saved"
expect_out_has "Lön processledare april–juni" "… after showing the entries"
if diff -r -x .samla-cache "$B3" "$TMPROOT/b3.before" >/dev/null; then
    ok "… and the book is byte-identical after the dry run"
else
    not_ok "… and the book is byte-identical after the dry run" "$(diff -r -x .samla-cache "$B3" "$TMPROOT/b3.before" | head -5)"
fi
run $SAMLA -f "$B3" quarter 2026Q2 --from "$TMPROOT/q2.csv" --yes </dev/null
expect_rc 0 "--from with --yes saves"
expect_out_has "Sparade 4 verifikationer för 2026Q2: 2026:1–2026:4." "… four entries (the empty amount is nothing)"
got=$(rows_from "$B3/verifikationer.csv" $((N0 + 1)))
want='1;2026-06-30;5010;PROC;;;148920,00;Lön processledare april–juni;Lönesammanställning Q2;quarter 2026Q2
2;2026-06-30;5610;PROC;;;62174,10;Sociala avgifter april–juni;Lönesammanställning Q2;quarter 2026Q2
3;2026-06-30;3520;SMM;HSNV;;600000,00;Förstärkning socialmedicinsk mottagning;Beslut HSNV;quarter 2026Q2
4;2026-06-30;4610;SMM;;OM-SMM-2026;1000,50;Socialmedicinsk mottagning 2026Q2;;quarter 2026Q2'
expect_eq "$got" "$want" "the CSV's rows are saved exactly (income with funder and activity; SMM's cost draws on the line's earmark OM-SMM-2026)"

# ---- The budget line's earmark (budget.csv Öronmärkning) -----------------------------
# SMM and FACT 2026 are financed by OM-SMM-2026 and OM-FACT-2026: a row for
# them draws on that earmark unless it names another one or "-" (none).
B5=$(fresh_book_2025)
printf 'Verksamhet;Konto;Belopp;Öronmärkning\nSMM;4610;1 000,00;\nSMM;4621;200,00;-\nFACT;4610;300,00;OM-SMM-2026\nPROC;5010;400,00;\n' >"$TMPROOT/em.csv"
run $SAMLA -f "$B5" quarter 2026Q1 --from "$TMPROOT/em.csv" --yes </dev/null
expect_rc 0 "rows on earmark-financed lines are saved"
got=$(rows_from "$B5/verifikationer.csv" $((N0 + 1)) | cut -d';' -f1,4,6,7)
want='1;SMM;OM-SMM-2026;1000,00
2;SMM;;200,00
3;FACT;OM-SMM-2026;300,00
4;PROC;;400,00'
expect_eq "$got" "$want" "an empty Öronmärkning draws on the line's earmark, '-' on none, a code overrides"
run $SAMLA -f "$B5" earmarks --at 2026-03-31
got=$(printf '%s\n' "$OUT" | grep '^OM-SMM-2026' | sed "s/$NB/ /g" | tr -s ' ')
case "$got" in *"reservation 2 180 000,00 0,00 1 300,00 2 178 700,00"*)
    ok "OM-SMM-2026 has drawn exactly 1 300,00 (1 000,00 by default + 300,00 named)" ;;
  *) not_ok "OM-SMM-2026 has drawn exactly 1 300,00 (1 000,00 by default + 300,00 named)" "$got" ;; esac
printf '\357\273\277År;Typ;Kod;Konto;Q1;Q2;Q3;Q4;Prognos;Text\r\n2026;kostnad;GEM;;1,00;1,00;1,00;1,00;;\r\n' >"$B5/budget.csv"
run $SAMLA -f "$B5" check
expect_rc 0 "a budget.csv without the Öronmärkning column is still read"
run $SAMLA -f "$B5" budget set 2026 GEM --q1 2
expect_rc 0 "… and a line of it can be changed"
expect_eq "$(head -1 "$B5/budget.csv" | tr -d '\r')" "$(printf '\357\273\277År;Typ;Kod;Konto;Q1;Q2;Q3;Q4;Prognos;Text')" \
    "… written back without the column while no line has an earmark"
printf 'År;Typ;Kod;Q1;Q2;Q3;Q4;Öronmärkning\n2026;kostnad;GEM;3;3;3;3;OM-NOPE\n' >"$TMPROOT/bud.csv"
run $SAMLA -f "$B5" budget import "$TMPROOT/bud.csv"
expect_rc 1 "budget import refuses an unknown earmark"
expect_err_has 'bud.csv:2:26: fel: okänd öronmärkning "OM-NOPE"' "… naming it at its place"
printf 'År;Typ;Kod;Q1;Q2;Q3;Q4;Öronmärkning\n2026;kostnad;GEM;3;3;3;3;OM-FACT-2026\n' >"$TMPROOT/bud.csv"
run $SAMLA -f "$B5" budget import "$TMPROOT/bud.csv"
expect_rc 0 "budget import sets a line's earmark"
expect_eq "$(tail -1 "$B5/budget.csv" | tr -d '\r')" "2026;kostnad;GEM;;3,00;3,00;3,00;3,00;;;OM-FACT-2026" \
    "… and the column is added to the file"
run $SAMLA -f "$B5" check
expect_rc 0 "… which checks clean"

cp "$B3/verifikationer.csv" "$TMPROOT/j3"
cat >"$TMPROOT/bad.csv" <<'EOF'
Verksamhet;Finansiär;Konto;Belopp
PROC;;5010;12,3,4
NOPE;;;100
;;;5
KOMM;;3510;7
EOF
run $SAMLA -f "$B3" quarter 2026Q3 --from "$TMPROOT/bad.csv" --yes </dev/null
expect_rc 1 "a CSV with errors is refused"
expect_err_has "bad.csv:2:16: fel: ogiltigt belopp \"12,3,4\"" "a bad amount is named by file:line:column"
expect_err_has "bad.csv:4:1: fel: ange Verksamhet (kostnad) eller Finansiär (intäkt)" "a row without code is named"
expect_err_has 'bad.csv:3:1: fel: okänd verksamhet "NOPE"' "an unknown activity is named"
expect_err_has "bad.csv:5:7: fel: konto 3510 är inte ett kostnadskonto" "an income account on a cost is named"
expect_same_file "$B3/verifikationer.csv" "$TMPROOT/j3" "… and nothing was saved"
printf 'Verksamhet;Belopp;Färg\nPROC;1;röd\n' >"$TMPROOT/col.csv"
run $SAMLA -f "$B3" quarter 2026Q3 --from "$TMPROOT/col.csv" --yes </dev/null
expect_err_has 'col.csv:1:19: fel: okänd kolumn "Färg"' "an unknown column is refused"
run $SAMLA -f "$B3" quarter 2026Q3 --from "$TMPROOT/komm.csv" --date 2026-10-01 --yes </dev/null
expect_rc 1 "a --date outside the quarter is refused"
expect_err_has "datumet 2026-10-01 ligger utanför kvartalet 2026Q3" "… saying so"
run $SAMLA -f "$B3" quarter 2026-03 --yes
expect_rc 2 "a month is not a quarter (usage error)"
expect_same_file "$B3/verifikationer.csv" "$TMPROOT/j3" "refused runs saved nothing"

# --account gives cost lines without an account their account.
run $SAMLA -f "$B3" quarter 2026Q3 --from "$TMPROOT/komm.csv" --account 7410 --date 2026-09-15 --yes </dev/null
got=$(rows_from "$B3/verifikationer.csv" $((N0 + 5)))
expect_eq "$got" "5;2026-09-15;7410;KOMM;;;12000,00;Kommunikatör mars;;quarter 2026Q3" \
    "--account and --date are used"

# ---- Through a pseudo-terminal ------------------------------------------------------
# The dialog at a real terminal (stdin a tty: no echo of our own, the
# terminal echoes). One wrong amount, then 1 000 for PROC, nothing else.
B4=$(fresh_book_2025)
cat >"$TMPROOT/drive.py" <<'EOF'
import os, pty, select, sys, time
samla, book = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.execv(samla, [samla, "-f", book, "quarter", "2026Q1"])
answers = [("belopp: ", "tusen"), ("belopp: ", "1 000"), ("Konto [", ""),
           ("Text [", "PROC Q1"), ("Underlag: ", ""), ("Öronmärkning [", ""),
           ("belopp: ", "")] + [("belopp: ", "")] * 10 + [("vidare: ", ""),
           ("Spara? [j/N] ", "j")]
buf, out, deadline = b"", b"", time.time() + 60
while True:
    r, _, _ = select.select([fd], [], [], 1)
    if r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        buf += data
        out += data
    text = buf.decode("utf-8", "replace")
    # A prompt has been printed in full when the output since the last
    # answer holds it and stops after ": " (nothing more is coming).
    if answers and answers[0][0] in text and text.endswith(("]: ", ": ", "] ")):
        os.write(fd, (answers.pop(0)[1] + "\n").encode())
        buf = b""
    if time.time() > deadline:
        os.kill(pid, 9)
        break
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
sys.stdout.write("\nEXIT %d LEFT %d\n" % (os.waitstatus_to_exitcode(status), len(answers)))
EOF
run /usr/bin/python3 "$TMPROOT/drive.py" "$SAMLA" "$B4"
expect_out_has "EXIT 0 LEFT 0" "the dialog runs to the end on a pseudo-terminal"
expect_out_has "Fel: ogiltigt tecken 't' i kolumn 1" "… the wrong amount's reason is shown there"
expect_out_has "Sparade 1 verifikationer för 2026Q1: 2026:1–2026:1." "… and the quarter is saved"
got=$(rows_from "$B4/verifikationer.csv" $((N0 + 1)))
expect_eq "$got" "1;2026-03-31;5010;PROC;;;1000,00;PROC Q1;;quarter 2026Q1" \
    "… with the exact entry"
