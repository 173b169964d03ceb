#!/bin/sh
# End-to-end tests of the year close (issue 5, item 5): close 2025 with
# --yes and through an answer on stdin; the recorded row and the voucher
# manifest; no entries into a closed year; hand edits of the closed year
# detected and named by `check`; reopening with a reason; the rules on
# which years can be closed and reopened; a crash between the manifest and
# the bokslut.csv row leaves the year open.
#
# The example book 2025: income 3 656 403,50, costs 4 934 608,22, result
# −1 278 204,72, opening 8 079 441,17, closing 6 801 236,45, 79 vouchers.
. "$(dirname "$0")/../lib.sh"

NB=$(printf '\302\240')
MINUS=$(printf '\342\210\222')
kr() { printf '%s%skr' "$(printf '%s' "$1" | sed "s/ /$NB/g; s/-/$MINUS/")" "$NB"; }
# field N of the last row of a CSV file
last_field() { tail -n 1 "$1" | tr -d '\r' | cut -d';' -f"$2"; }

B=$(fresh_book)
S="$SAMLA -f $B"
cp "$B/bokslut.csv" "$TMPROOT/bokslut.before"

# ---- Refusals before anything is closed -----------------------------------
run $S close 2026 --yes
expect_rc 1 "closing the current year 2026 (not ended) is refused"
expect_err_has "år 2026 är inte slut än" "… saying the year has not ended"
run $S close 2024 --yes
expect_rc 1 "closing a year before the book starts is refused"
run env SAMLA_TODAY=2027-02-01 $SAMLA -f "$B" close 2026 --yes
expect_rc 1 "closing 2026 while 2025 is open is refused"
expect_err_has "år 2025 är inte stängt; stäng det först" "… naming the open previous year"
run $S close 25
expect_rc 2 "a malformed year is a usage error"
expect_same_file "$B/bokslut.csv" "$TMPROOT/bokslut.before" "refusals leave bokslut.csv unchanged"

# ---- Asking: no, no answer, then yes through stdin --------------------------
run sh -c "printf 'n\n' | $SAMLA -f '$B' close 2025"
expect_rc 1 "answering n closes nothing"
expect_out_has "Stäng år 2025? [j/N]" "the question is asked"
expect_out_has "Avbrutet; inget sparades." "… and the refusal is confirmed"
run sh -c "$SAMLA -f '$B' close 2025 </dev/null"
expect_rc 1 "without an answer (stdin at end) nothing is closed"
expect_err_has "ange --yes" "… and --yes is suggested for scripts"
expect_same_file "$B/bokslut.csv" "$TMPROOT/bokslut.before" "bokslut.csv is unchanged after no/no answer"
[ ! -e "$B/bokslut-2025.csv" ] && ok "no manifest is written without a yes" || not_ok "no manifest is written without a yes"

run sh -c "printf 'j\n' | $SAMLA -f '$B' close 2025"
expect_rc 0 "answering j closes 2025"
expect_out_has "Intäkter                                 $(kr '3 656 403,50')" "shows income 3 656 403,50"
expect_out_has "Kostnader                                $(kr '4 934 608,22')" "shows costs 4 934 608,22"
expect_out_has "Årets resultat                          $(kr '-1 278 204,72')" "shows the result −1 278 204,72"
expect_out_has "Ingående ackumulerat överskott           $(kr '8 079 441,17')" "shows the opening surplus 8 079 441,17"
expect_out_has "Utgående ackumulerat överskott           $(kr '6 801 236,45')" "shows the closing surplus 6 801 236,45"
expect_out_has "varav ej öronmärkt                     $(kr '3 801 236,45')" "shows the free part 3 801 236,45"
expect_out_has "År 2025 är stängt." "confirms the close"

# ---- What was recorded -----------------------------------------------------
row=$(tail -n 1 "$B/bokslut.csv" | tr -d '\r' | cut -d';' -f1-5,7-9)
expect_eq "$row" "2025;stängt;-1278204,72;6801236,45;79;2026-01-15T10:00:00Z;testare;" "the bokslut.csv row: result carried, closing surplus, count, when, who"
hash=$(last_field "$B/bokslut.csv" 6)
msum=$(sha256sum "$B/bokslut-2025.csv" | cut -d' ' -f1)
expect_eq "$hash" "$msum" "Kontrollsumma is the SHA-256 of the manifest bokslut-2025.csv (checked with sha256sum)"
expect_eq "$(wc -l <"$B/bokslut-2025.csv" | tr -d ' ')" 95 "the manifest has a header and 94 rows"
expect_eq "$(head -1 "$B/bokslut-2025.csv" | tr -d '\r')" "$(printf '\357\273\277')Typ;Nyckel;Datum;Konto;Belopp;Kontrollsumma" "… with the columns Typ;Nyckel;Datum;Konto;Belopp;Kontrollsumma"
expect_eq "$(sed -n 2p "$B/bokslut-2025.csv" | tr -d '\r' | cut -d';' -f1-5)" "bokslut;2025;2025-12-31;;-1278204,72" "… the close's own figures first"
expect_eq "$(sed 1d "$B/bokslut-2025.csv" | cut -d';' -f1 | LC_ALL=C sort | uniq -c | tr -s ' ' | tr '\n' ',')" " 2 beslut, 1 bokslut, 12 budget, 79 verifikation," \
    "… 79 vouchers, the 2 earmark decisions and the 12 budget lines dated 2025"
expect_eq "$(grep '^verifikation;12;' "$B/bokslut-2025.csv" | tr -d '\r' | cut -d';' -f1-5)" "verifikation;12;2025-03-31;4610;556218,44" "the manifest row of 2025:12 holds its date, account and amount"
expect_eq "$(grep '^beslut;' "$B/bokslut-2025.csv" | tr -d '\r' | cut -d';' -f1-5 | tr '\n' ' ')" "beslut;OM-SMM-2026/1;2025-12-12;;2180000,00 beslut;OM-FACT-2026/1;2025-12-12;;820000,00 " \
    "the manifest rows of the earmark decisions: code/number, date, amount"
expect_eq "$(grep '^budget;kostnad SMM;' "$B/bokslut-2025.csv" | tr -d '\r' | cut -d';' -f1-5)" "budget;kostnad SMM;;;3100000,00" \
    "the manifest row of a budget line: kind, code, the year's total"
digest=$(printf '%s\n' "$OUT" | sed -n 's/^  2025=\([0-9a-f]*\)$/\1/p')
expect_eq "$digest" "$hash" "close prints the digest for the minutes (2025=HEX), the manifest's SHA-256"
expect_out_has "79 verifikationer, 2 öronmärkningsbeslut och 12 budgetrader daterade 2025 har sina kontrollsummor i bokslut-2025.csv." \
    "… and what the close covers"
run $S check
expect_rc 0 "the closed book checks clean"

# ---- No more entries into 2025 -----------------------------------------------
cp "$B/verifikationer.csv" "$TMPROOT/j.closed"
run $S add --date 2025-06-01 --account 7690 --activity GEM --amount 100 --text "Sen faktura"
expect_rc 1 "add --date 2025-06-01 into the closed year is refused"
expect_err_has "år 2025 är stängt (bokslut registrerat 2026-01-15 av testare): posten daterad 2025-06-01 kan inte bokföras där" "… with a clear message"
expect_err_has "samla reopen 2025" "… that says how to reopen"
run $S reverse 2025:12 --date 2025-12-31
expect_rc 1 "a correction dated in the closed year is refused"
expect_same_file "$B/verifikationer.csv" "$TMPROOT/j.closed" "the journal is unchanged by the refusals"
run $S close 2025 --yes
expect_rc 1 "closing 2025 twice is refused"
expect_err_has "redan stängt" "… as already closed"
run $S earmark add OM-SEN --amount 1 --purpose x --decided-by Samordningsgruppen --date 2025-12-20 --paragraph "§ 1"
expect_rc 1 "an earmark decision dated in the closed year is refused"

# ---- Hand edits of the closed year are detected and named ------------------------
copy() { d="$TMPROOT/$1"; rm -rf "$d"; cp -R "$B" "$d"; printf '%s\n' "$d"; }

C=$(copy amount)
sed -i 's/^12;2025-03-31;4610;SMM;;;556218,44;/12;2025-03-31;4610;SMM;;;556218,45;/' "$C/verifikationer.csv"
run $SAMLA -f "$C" check
expect_rc 1 "one amount of 2025 edited by hand: check exits 1"
expect_err_has "$C/verifikationer.csv:13: fel: ver 2025:12 har ändrats efter bokslutet för 2025 (belopp $(kr '556 218,44') → $(kr '556 218,45'))" "… naming voucher 2025:12, its line and the change"

C=$(copy text)
sed -i 's/^40;2025-09-15;7610;KONF;;;20000,00;Handpenning/40;2025-09-15;7610;KONF;;;20000,00;Förskott/' "$C/verifikationer.csv"
run $SAMLA -f "$C" check
expect_rc 1 "a text edited by hand is detected"
expect_err_has "ver 2025:40 har ändrats efter bokslutet" "… and named"

C=$(copy removed)
sed -i '/^79;2025-12-31;/d' "$C/verifikationer.csv"
run $SAMLA -f "$C" check
expect_rc 1 "removing the last 2025 row is detected"
expect_err_has "$C/bokslut-2025.csv:81: fel: ver 2025:79 (2025-12-31, konto 7410, $(kr '6 125,00')) har tagits bort ur verifikationer.csv efter bokslutet för 2025" "… naming the removed voucher"

C=$(copy removed-mid)
sed -i '/^40;2025-09-15;/d' "$C/verifikationer.csv"
run $SAMLA -f "$C" check
expect_rc 1 "removing a row in the middle is detected"
expect_err_has "ver 2025:40 (2025-09-15, konto 7610, $(kr '20 000,00')) har tagits bort" "… naming voucher 2025:40"

C=$(copy added)
printf '80;2025-12-31;7690;GEM;;;100,00;Efterhandspost;;;2026-01-15T10:00:00Z;testare;add;\r\n' >>"$C/verifikationer.csv"
run $SAMLA -f "$C" check
expect_rc 1 "a row added by hand to the closed year is detected"
expect_err_has "$C/verifikationer.csv:142: fel: ver 2025:80 har lagts till i det stängda året 2025 efter bokslutet" "… and named"

C=$(copy manifest)
sed -i 's/^verifikation;12;2025-03-31;4610;556218,44;/verifikation;12;2025-03-31;4610;556218,45;/' "$C/bokslut-2025.csv"
run $SAMLA -f "$C" check
expect_rc 1 "an edited manifest is detected"
expect_err_has "förteckningen har ändrats efter bokslutet för 2025" "… by its own checksum"

C=$(copy nomanifest)
rm "$C/bokslut-2025.csv"
run $SAMLA -f "$C" check
expect_rc 1 "a missing manifest is an error"

C=$(copy opening)
sed -i 's/;8079441,17/;8079441,18/' "$C/organisation.csv"
run $SAMLA -f "$C" check
expect_rc 1 "a changed opening surplus under a closed year is detected"
expect_err_has "utgående ackumulerat överskott" "… as a changed closing surplus"

# ---- Everything dated in the closed year is covered (issue 11) -----------------------
# Earmark decisions dated 2025 and the 2025 budget lines are in the manifest
# too: a hand edit of any of them is named by check.
C=$(copy em-added)
printf 'OM-SEN;reservera;reservation;Efterhand;1000,00;Samordningsgruppen;2025-06-01;§ 9;;;2026-01-20T08:00:00Z;testare\r\n' >>"$C/oronmarkningar.csv"
run $SAMLA -f "$C" check
expect_rc 1 "a reservation dated 2025 appended by hand after the close is detected"
expect_err_has "$C/oronmarkningar.csv:$(wc -l <"$C/oronmarkningar.csv" | tr -d ' '): fel: beslutet om OM-SEN (reservera 2025-06-01) har lagts till i det stängda året 2025 efter bokslutet" \
    "… naming the decision, its line and the year"
C=$(copy em-changed)
sed -i 's/^\(OM-SMM-2026;reservera;reservation;[^;]*;\)2180000,00;/\12190000,00;/' "$C/oronmarkningar.csv"
run $SAMLA -f "$C" check
expect_rc 1 "an earmark decision of 2025 changed by hand is detected"
expect_err_has "$C/oronmarkningar.csv:2: fel: beslutet om OM-SMM-2026 (reservera 2025-12-12) har ändrats efter bokslutet för 2025 (belopp $(kr '2 180 000,00') → $(kr '2 190 000,00'))" \
    "… naming the change of amount"
C=$(copy em-paragraph)
sed -i 's/^\(OM-FACT-2026;.*;Samordningsgruppen;2025-12-12;\)§ 8;/\1§ 9;/' "$C/oronmarkningar.csv"
run $SAMLA -f "$C" check
expect_err_has "beslutet om OM-FACT-2026 (reservera 2025-12-12) har ändrats efter bokslutet för 2025 (händelse, ändamål, beslutsorgan, paragraf, giltighet eller registreringsuppgifter)" \
    "a changed paragraph of a 2025 decision is named"
C=$(copy em-removed)
sed -i 's/^\(OM-FACT-2026;.*;Samordningsgruppen;\)2025-12-12;/\12026-01-02;/' "$C/oronmarkningar.csv"
run $SAMLA -f "$C" check
expect_rc 1 "an earmark decision moved out of 2025 by hand (its date) is detected"
expect_err_has "$C/bokslut-2025.csv:$(grep -n '^beslut;OM-FACT-2026/1;' "$C/bokslut-2025.csv" | cut -d: -f1): fel: beslutet OM-FACT-2026/1 (2025-12-12, $(kr '820 000,00')) har tagits bort ur oronmarkningar.csv efter bokslutet för 2025" \
    "… as a decision gone from the closed year"
C=$(copy budget-changed)
sed -i 's/^2025;kostnad;SMM;;775000,00;/2025;kostnad;SMM;;785000,00;/' "$C/budget.csv"
run $SAMLA -f "$C" check
expect_rc 1 "a 2025 budget line changed by hand is detected"
line=$(grep -n '^2025;kostnad;SMM;' "$C/budget.csv" | cut -d: -f1)
expect_err_has "$C/budget.csv:$line: fel: budgetraden kostnad SMM för 2025 har ändrats efter bokslutet (budget helår $(kr '3 100 000,00') → $(kr '3 110 000,00'))" \
    "… naming the line and the year's total"
C=$(copy forecast-changed)
sed -i 's/^\(2025;kostnad;SMM;;775000,00;775000,00;775000,00;775000,00;\);/\13000000,00;/' "$C/budget.csv"
run $SAMLA -f "$C" check
expect_err_has "budgetraden kostnad SMM för 2025 har ändrats efter bokslutet (kvartal, prognos eller text)" \
    "a forecast added by hand to a 2025 budget line is named"
C=$(copy budget-added)
printf '2025;kostnad;PROC;5010;1,00;0,00;0,00;0,00;;Efterhand;\r\n' >>"$C/budget.csv"
run $SAMLA -f "$C" check
expect_err_has "budgetraden kostnad PROC/5010 för 2025 har lagts till efter bokslutet" "a 2025 budget line added by hand is named"
C=$(copy budget-removed)
sed -i '/^2025;kostnad;KONF;/d' "$C/budget.csv"
run $SAMLA -f "$C" check
expect_err_has "budgetraden kostnad KONF för 2025 (budget helår $(kr '120 000,00')) har tagits bort ur budget.csv efter bokslutet" \
    "a 2025 budget line removed by hand is named"
C=$(copy budget-2026)
sed -i 's/^\(2026;kostnad;SMM;;\)\([0-9]*\),00;/\11,00;/' "$C/budget.csv"
run $SAMLA -f "$C" check
expect_rc 0 "a 2026 budget line is not part of the 2025 close"

# ---- The digest in the minutes -------------------------------------------------------
run $S check --digest "2025=$digest"
expect_rc 0 "check --digest with the digest the close printed"
expect_out_has "År 2025 stämmer med kontrollsumman i protokollet." "… says the year matches the minutes"
run $S check --digest "2025=$(printf '%s' "$digest" | tr 'a-f' 'A-F')"
expect_rc 0 "… in capitals too"
run $S check --digest "2025=$(printf '%s' "$digest" | sed 's/^./0/; s/^00/11/')"
expect_rc 1 "check --digest with another digest fails"
expect_err_has "år 2025: kontrollsumman i boken ($digest) är inte den i protokollet" "… saying the book is not what was closed"
run $S check --digest 2025=abc
expect_rc 2 "a malformed --digest is a usage error"
run $S check --digest "2024=$digest"
expect_rc 1 "a digest for a year that is not closed is an error"
expect_err_has "år 2024 är inte stängt" "… saying so"
# A forgery that the folder's own checksums cannot see: reopen, change a
# 2025 amount, close again and remove the reopening from bokslut.csv by
# hand. check passes; only the digest kept in the minutes tells.
C=$(copy forged)
run env SAMLA_NOW=2026-01-16T08:00:00Z $SAMLA -f "$C" reopen 2025 --reason "förfalskning" --yes
sed -i 's/^12;2025-03-31;4610;SMM;;;556218,44;/12;2025-03-31;4610;SMM;;;546218,44;/' "$C/verifikationer.csv"
run env SAMLA_NOW=2026-01-16T08:05:00Z $SAMLA -f "$C" close 2025 --yes
head -1 "$C/bokslut.csv" >"$C/b.tmp" && tail -1 "$C/bokslut.csv" >>"$C/b.tmp" && mv "$C/b.tmp" "$C/bokslut.csv"
run $SAMLA -f "$C" check
expect_rc 0 "a consistent forgery (manifest and bokslut.csv rewritten) passes the folder's own checksums"
run $SAMLA -f "$C" check --digest "2025=$digest"
expect_rc 1 "… but not the digest kept in the minutes"
expect_err_has "är inte den i protokollet" "… which names the mismatch"

# ---- A manifest of the first form (vouchers only) --------------------------------------
# Books closed before decisions and budget were covered keep working: the
# vouchers are checked as before, a note says what is not covered, and a
# reopen + close writes the full manifest.
C=$(copy legacy)
{ printf '\357\273\277Ver;Datum;Konto;Belopp;Kontrollsumma\r\n'
  grep '^verifikation;' "$C/bokslut-2025.csv" | cut -d';' -f2-; } >"$C/m.tmp"
mv "$C/m.tmp" "$C/bokslut-2025.csv"
old=$(last_field "$C/bokslut.csv" 6)
new=$(sha256sum "$C/bokslut-2025.csv" | cut -d' ' -f1)
sed -i "s/;$old;/;$new;/" "$C/bokslut.csv"
run $SAMLA -f "$C" check
expect_rc 0 "an old manifest (vouchers only) is accepted"
expect_err_has "not: år 2025 stängdes med en äldre förteckning (bokslut-2025.csv) som bara omfattar verifikationerna" \
    "… with a note on what it does not cover"
run $SAMLA -f "$C" check --digest "2025=$new"
expect_rc 0 "… and its digest can be checked"
sed -i 's/^12;2025-03-31;4610;SMM;;;556218,44;/12;2025-03-31;4610;SMM;;;556218,45;/' "$C/verifikationer.csv"
run $SAMLA -f "$C" check
expect_err_has "ver 2025:12 har ändrats efter bokslutet för 2025" "… its vouchers are still checked"
sed -i 's/^12;2025-03-31;4610;SMM;;;556218,45;/12;2025-03-31;4610;SMM;;;556218,44;/' "$C/verifikationer.csv"
run env SAMLA_NOW=2026-01-16T08:00:00Z $SAMLA -f "$C" reopen 2025 --reason "ny förteckning" --yes
expect_rc 0 "an old close is reopened"
run env SAMLA_NOW=2026-01-16T08:01:00Z $SAMLA -f "$C" close 2025 --yes
expect_rc 0 "… and closed again"
expect_eq "$(head -1 "$C/bokslut-2025.csv" | tr -d '\r' | cut -d';' -f1)" "$(printf '\357\273\277')Typ" "… with a manifest of the full form"
run $SAMLA -f "$C" check
expect_rc 0 "… that checks without the note"
case "$ERR" in *"äldre förteckning"*) not_ok "… and no note" "$ERR" ;; *) ok "… and no note" ;; esac

# ---- Reopen, add, close again ------------------------------------------------------
run $S reopen 2025
expect_rc 2 "reopen without --reason is a usage error"
run $S reopen 2025 --reason "   "
expect_rc 2 "a blank reason is refused"
run sh -c "printf 'j\n' | SAMLA_NOW=2026-01-16T08:00:00Z $SAMLA -f '$B' reopen 2025 --reason 'Faktura 2025-12 från Alingsås kommun saknades'"
expect_rc 0 "reopen with a reason (answering j)"
expect_out_has "Återöppna år 2025? [j/N]" "… asks first"
row=$(tail -n 1 "$B/bokslut.csv" | tr -d '\r' | cut -d';' -f1-5,7-9)
expect_eq "$row" "2025;återöppnat;-1278204,72;6801236,45;79;2026-01-16T08:00:00Z;testare;Faktura 2025-12 från Alingsås kommun saknades" "the reopening is recorded with when, who and why"
expect_eq "$(last_field "$B/bokslut.csv" 6)" "$hash" "… naming the close it reopens by its checksum"
run env SAMLA_NOW=2026-01-16T08:05:00Z $SAMLA -f "$B" add --date 2025-06-01 --account 7690 --activity GEM --amount 100 --text "Sen faktura"
expect_rc 0 "after reopening, add into 2025 works"
expect_out_has "Sparade verifikation 2025:80" "… as 2025:80"
run $S reopen 2025 --reason x --yes
expect_rc 1 "reopening an open year is refused"
run env SAMLA_NOW=2026-01-16T09:00:00Z $SAMLA -f "$B" close 2025 --yes
expect_rc 0 "closing 2025 again"
expect_out_has "Årets resultat                          $(kr '-1 278 304,72')" "… with the new result −1 278 304,72"
expect_eq "$(tail -n 1 "$B/bokslut.csv" | tr -d '\r' | cut -d';' -f1-5)" "2025;stängt;-1278304,72;6801136,45;80" "the new close row"
hash2=$(last_field "$B/bokslut.csv" 6)
[ "$hash2" != "$hash" ] && ok "re-closing computes a fresh checksum" || not_ok "re-closing computes a fresh checksum"
expect_eq "$hash2" "$(sha256sum "$B/bokslut-2025.csv" | cut -d' ' -f1)" "… of the fresh manifest"
run $S check
expect_rc 0 "the re-closed book checks clean"

# ---- A later closed year blocks reopening the earlier one --------------------------
run env SAMLA_TODAY=2027-02-01 $SAMLA -f "$B" close 2026 --yes
expect_rc 0 "2026 (no entries) can be closed once 2025 is closed and 2026 has ended"
run env SAMLA_TODAY=2027-02-01 $SAMLA -f "$B" reopen 2025 --reason x --yes
expect_rc 1 "reopening 2025 while 2026 is closed is refused"
expect_err_has "år 2026 är stängt; återöppna det först" "… naming the later year"

# ---- A crash between the manifest and the bokslut.csv row leaves the year open ------
B=$(fresh_book)
cp "$B/bokslut.csv" "$TMPROOT/bokslut.fresh"
run $SAMLA -f "$B" close 2025 --yes
expect_rc 0 "close for the crash test"
# The state a crash after the manifest's rename but before the row leaves:
cp "$TMPROOT/bokslut.fresh" "$B/bokslut.csv"
run $SAMLA -f "$B" check
expect_rc 0 "a manifest without its bokslut.csv row: the book is fine"
run $SAMLA -f "$B" add --date 2025-12-31 --account 7690 --activity GEM --amount 1 --text x
expect_rc 0 "… and the year is still open"
run $SAMLA -f "$B" close 2025 --yes
expect_rc 0 "… and can be closed again"
expect_eq "$(last_field "$B/bokslut.csv" 6)" "$(sha256sum "$B/bokslut-2025.csv" | cut -d' ' -f1)" "… with a manifest that matches"
run $SAMLA -f "$B" check
expect_rc 0 "… and checks clean"
# A crash before the manifest's rename (fault injection) leaves no close.
B=$(fresh_book)
run env SAMLA_FAULT=before-rename $SAMLA -f "$B" close 2025 --yes
[ "$RC" -ne 0 ] && ok "a close killed before its first rename fails" || not_ok "a close killed before its first rename fails"
expect_eq "$(wc -l <"$B/bokslut.csv" | tr -d ' ')" 1 "… and bokslut.csv has no row"
run $SAMLA -f "$B" add --date 2025-12-31 --account 7690 --activity GEM --amount 1 --text x
expect_rc 0 "… so 2025 is open"

# ---- A close never writes a row its own reader refuses (issue 11) -------------
# Two entries of 9 999 999 999 999,99 and 1,00 make a 14-digit result. The
# 13-digit limit is for one entered amount; sums (a close's result and
# closing surplus) are read in any length a book can produce.
B=$(mktemp -d "$TMPROOT/big.XXXXXX")
rmdir "$B"
run $SAMLA init "$B" --name "Stora tal" --start 2024-01-01
expect_rc 0 "big sums: a new book"
cp "$ROOT/tests/hostile/base/konton.csv" "$ROOT/tests/hostile/base/finansiarer.csv" \
    "$ROOT/tests/hostile/base/verksamheter.csv" "$B/"
S="env SAMLA_TODAY=2026-02-01 $SAMLA -f $B"
run $S add --date 2024-05-01 --account 3510 --funder STATEN --amount "9 999 999 999 999,99" --text "Största beloppet"
expect_rc 0 "big sums: the largest single amount is accepted"
run $S add --date 2024-05-02 --account 3510 --funder STATEN --amount "1,00" --text "En krona"
expect_rc 0 "big sums: one more krona"
run $S add --date 2024-05-03 --account 3510 --funder STATEN --amount "10 000 000 000 000,00" --text "För stort"
expect_rc 1 "big sums: a 14-digit single amount is still refused"
run $S close 2024 --yes
expect_rc 0 "big sums: close 2024 with a 14-digit result"
expect_eq "$(last_field "$B/bokslut.csv" 1);$(last_field "$B/bokslut.csv" 3);$(last_field "$B/bokslut.csv" 4)" \
    "2024;10000000000000,99;10000000000000,99" "big sums: the row holds the exact 14-digit result"
run $S check
expect_rc 0 "big sums: the book loads and checks after the close"
run $S result 2024 --unit kr --format csv
expect_out_has "10000000000000,99" "big sums: result 2024 shows the exact result"
run $S add --date 2025-03-01 --account 3510 --funder STATEN --amount "9 999 999 999 999,99" --text "Igen"
expect_rc 0 "big sums: the book takes new entries"
run $S close 2025 --yes
expect_rc 0 "big sums: close 2025, closing surplus 20 000 000 000 000,98"
expect_eq "$(last_field "$B/bokslut.csv" 4)" "20000000000000,98" "big sums: the closing surplus carried forward"
run $S check
expect_rc 0 "big sums: still checks"
# The workbook holds at most 15 significant digits exactly: it says so.
run $S export annual 2024 -o "$TMPROOT/big.xlsx"
expect_rc 1 "big sums: the annual workbook refuses a number a cell cannot hold"
expect_err_has "har fler än 15 värdesiffror och kan inte skrivas exakt i en kalkylbladscell" \
    "big sums: … with a clear message"
# A sum longer than any book can produce is refused when read.
sed -i "2s/^2024;stängt;10000000000000,99/2024;stängt;1000000000000000000000000000000,00/" "$B/bokslut.csv"
run $S check
expect_rc 1 "big sums: a 31-digit result in bokslut.csv is refused"
expect_err_has "bokslut.csv:2:43: fel: ogiltigt belopp \"1000000000000000000000000000000,00\": för många siffror (högst 30 före decimaltecknet i en summa)" \
    "big sums: … naming file, line and column"
