#!/bin/sh
# tests/e2e/web_auth.sh - `samla serve` is safe by default: it refuses to
# listen beyond loopback without a password file, refuses a password file
# that others can read, and with one asks every request for HTTP Basic
# authentication (compared in constant time). Uses curl on loopback only.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/web/serve_lib.sh"

BOOK=$(fresh_book_2025)
export SAMLA_TODAY=2026-04-10

run "$SAMLA" -f "$BOOK" serve --help
expect_rc 0 "serve --help exits 0"
expect_out_has "--password-file" "serve --help documents --password-file"

run "$SAMLA" -f "$BOOK" serve --bind 0.0.0.0 --port 0
expect_rc 2 "listening beyond loopback without --password-file is refused"
expect_err_has "kräver --password-file" "the refusal says a password file is needed"

run "$SAMLA" -f "$BOOK" serve --bind nonsense --port 0
expect_rc 2 "a --bind that is no address is a usage error"

run "$SAMLA" -f "$BOOK" serve --port 70000
expect_rc 2 "a port out of range is a usage error"

pw="$TMPROOT/passwords"
printf '# användare för samla serve\nprocessledare:hemligt ord 123\nrevisor:annat\n' >"$pw"
chmod 644 "$pw"
run "$SAMLA" -f "$BOOK" serve --port 0 --password-file "$pw"
expect_rc 1 "a password file that others can read is refused"
expect_err_has "chmod 600" "the refusal says how to fix it"
chmod 600 "$pw"

serve_start "$BOOK" --password-file "$pw" || exit 1
url="http://127.0.0.1:$PORT"
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/")
expect_eq "$code" 401 "without credentials: 401"
hdr=$(curl -s -D - -o /dev/null "$url/" | tr -d '\r' | grep -i '^WWW-Authenticate:')
case "$hdr" in *Basic*) ok "the 401 asks for Basic authentication" ;;
    *) not_ok "the 401 asks for Basic authentication" "got: $hdr" ;; esac
code=$(curl -s -o /dev/null -w '%{http_code}' -u 'processledare:fel' "$url/")
expect_eq "$code" 401 "a wrong password: 401"
code=$(curl -s -o /dev/null -w '%{http_code}' -u 'okänd:hemligt ord 123' "$url/")
expect_eq "$code" 401 "an unknown user: 401"
code=$(curl -s -o /dev/null -w '%{http_code}' -u 'processledare:hemligt ord 123' "$url/style.css")
expect_eq "$code" 200 "the right password: 200"
page=$(curl -s -u 'processledare:hemligt ord 123' "$url/kvartal")
case "$page" in *"inloggad som processledare"*) ok "the page shows who is logged in" ;;
    *) not_ok "the page shows who is logged in" ;; esac
csrf=$(printf '%s\n' "$page" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
loc=$(curl -s -D - -o /dev/null -u 'processledare:hemligt ord 123' \
    --data "csrf=$csrf&kvartal=2026Q1&rad16=k%3APROC%3A&belopp16=205+000%2C00" \
    "$url/kvartal/spara" | tr -d '\r' | sed -n 's/^Location: //p')
expect_eq "$loc" "/kvartal?kvartal=2026Q1&sparat=1" "a logged-in post saves"
user=$(grep ';quarter 2026Q1;' "$BOOK/verifikationer.csv" | cut -d';' -f12)
expect_eq "$user" "processledare" "the entry records the logged-in user (audit trail)"
serve_stop
