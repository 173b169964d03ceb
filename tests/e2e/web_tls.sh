#!/bin/sh
# tests/e2e/web_tls.sh - HTTPS and proxies (issue 14): `samla serve --cert
# --key` with a self-signed certificate made now by openssl; a login, a
# page and a save over HTTPS, with a Secure __Host- cookie; plain HTTP to
# the HTTPS port gets no page. Behind a proxy (--trusted-proxy), the Origin
# check compares what the browser saw (X-Forwarded-Host/-Proto), believed
# only from the trusted address.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/web/serve_lib.sh"

if ! command -v openssl >/dev/null 2>&1; then
    not_ok "openssl is installed (make deps)"
    exit 0
fi
BOOK=$(fresh_book_2025)
export SAMLA_TODAY=2026-04-10
C="$TMPROOT/cert.pem" K="$TMPROOT/key.pem"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj /CN=localhost -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' \
    -keyout "$K" -out "$C" >/dev/null 2>&1
expect_eq "$?" 0 "a self-signed certificate is made for the test"
chmod 644 "$K"
run "$SAMLA" -f "$BOOK" serve --port 0 --cert "$C" --key "$K"
expect_rc 1 "a key file that others can read is refused"
expect_err_has "chmod 600" "the refusal says how to fix it"
chmod 600 "$K"
run "$SAMLA" -f "$BOOK" serve --port 0 --cert "$BOOK/konton.csv" --key "$K"
expect_rc 1 "a certificate that is no PEM file is refused"

serve_start "$BOOK" --cert "$C" --key "$K" || exit 1
case "$BASE" in https://127.0.0.1:*) ok "the server says it listens on https" ;; *) not_ok "listens on https" "$BASE" ;; esac
U="https://localhost:$PORT"
login=$(serve_login_url | sed "s|https://127.0.0.1:|https://localhost:|")
hdrs=$(curl -s --cacert "$C" -c "$TMPROOT/jar" -D - -o /dev/null "$login" | tr -d '\r')
case "$hdrs" in *"HTTP/1.1 303"*) ok "HTTPS: the token link logs in (303)" ;; *) not_ok "HTTPS: the token link logs in" "$hdrs" ;; esac
cookie=$(printf '%s\n' "$hdrs" | grep -i '^Set-Cookie:')
case "$cookie" in *"__Host-samla-session-$PORT="*"; Secure"*) ok "over HTTPS the session cookie is __Host- and Secure" ;;
    *) not_ok "over HTTPS the session cookie is __Host- and Secure" "$cookie" ;; esac
printf '%s\n' "$hdrs" | grep -qi '^Strict-Transport-Security: max-age=' && ok "HTTPS answers carry Strict-Transport-Security" ||
    not_ok "HTTPS answers carry Strict-Transport-Security"
page=$(curl -s --cacert "$C" -b "$TMPROOT/jar" "$U/kvartal")
case "$page" in *"Registrera kvartal 2026Q1"*) ok "HTTPS: the quarter form is served" ;; *) not_ok "HTTPS: the quarter form is served" ;; esac
loc=$(curl -s --cacert "$C" -b "$TMPROOT/jar" -D - -o /dev/null -H "Origin: $U" \
    --data "csrf=$(form_field "$page" csrf)&inskick=$(form_field "$page" inskick)&kvartal=2026Q1&rad16=k%3APROC%3A&belopp16=205+000%2C00" \
    "$U/kvartal/spara" | tr -d '\r' | sed -n 's/^Location: //p')
expect_eq "$loc" "/kvartal?kvartal=2026Q1&sparat=1" "HTTPS round trip: the save is answered and booked"
expect_eq "$(grep -c ';quarter 2026Q1;' "$BOOK/verifikationer.csv")" 1 "the journal holds the saved entry"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT/")
case "$code" in 2??|3??|401) not_ok "plain HTTP to the HTTPS port gets no page" "status $code" ;;
    *) ok "plain HTTP to the HTTPS port gets no page (curl: $code)" ;; esac
serve_stop

# ---- Behind a proxy ---------------------------------------------------------------
pw="$TMPROOT/pw"
printf 'hemligt ord 123\n' | "$SAMLA" passwd --password-file "$pw" processledare >/dev/null 2>&1
serve_start "$BOOK" --password-file "$pw" --trusted-proxy 127.0.0.1 || exit 1
# As nginx forwards it: the browser saw https://samla.example:8443.
X="-H X-Forwarded-Host:samla.example:8443 -H X-Forwarded-Proto:https -H X-Forwarded-For:192.0.2.7"
lp=$(curl -s $X -D "$TMPROOT/h" "$BASE/logga-in")
pre=$(tr -d '\r' <"$TMPROOT/h" | sed -n "s/^Set-Cookie: \(__Host-samla-login-$PORT=[0-9a-f]*\).*/\1/p")
[ -n "$pre" ] && ok "behind the proxy the browser's https gives __Host- cookies" || not_ok "behind the proxy: __Host- cookies" "$(cat "$TMPROOT/h")"
lc=$(form_field "$lp" csrf)
code=$(curl -s $X -H "Cookie: $pre" -H "Origin: https://samla.example:8443" -D "$TMPROOT/h2" -o /dev/null -w '%{http_code}' \
    --data "csrf=$lc&namn=processledare&losenord=hemligt+ord+123" "$BASE/logga-in")
expect_eq "$code" 303 "a login from the browser's origin through the proxy (non-443 port) is accepted"
sess=$(tr -d '\r' <"$TMPROOT/h2" | sed -n "s/^Set-Cookie: \(__Host-samla-session-$PORT=[0-9a-f]*\).*/\1/p")
page=$(curl -s $X -H "Cookie: $sess" "$BASE/kvartal")
body="csrf=$(form_field "$page" csrf)&inskick=$(form_field "$page" inskick)&kvartal=2026Q1&upprepa=1&rad16=k%3APROC%3A&belopp16=1"
code=$(curl -s $X -H "Cookie: $sess" -H "Origin: https://evil.example" -o /dev/null -w '%{http_code}' --data "$body" "$BASE/kvartal/spara")
expect_eq "$code" 403 "behind the proxy a post from another origin is refused"
code=$(curl -s -H "X-Forwarded-Host: samla.example:8443" -H "X-Forwarded-Proto: https" -H "Cookie: $sess" \
    -H "Origin: http://127.0.0.1:$PORT" -o /dev/null -w '%{http_code}' --data "$body" "$BASE/kvartal/spara" --interface 127.0.0.2)
expect_eq "$code" 401 "X-Forwarded-* from an address that is not the proxy are not believed (its cookie name does not match)"
code=$(curl -s $X -H "Cookie: $sess" -H "Origin: https://samla.example:8443" -o /dev/null -w '%{http_code}' --data "$body" "$BASE/kvartal/spara")
expect_eq "$code" 303 "behind the proxy a post from the browser's own origin saves"
grep -q 'inloggad från 192.0.2.7' "$TMPROOT/serve.err" && ok "the log names the browser's address from X-Forwarded-For" ||
    not_ok "the log names the browser's address from X-Forwarded-For" "$(cat "$TMPROOT/serve.err")"
serve_stop
