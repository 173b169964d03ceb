#!/bin/sh
# tests/e2e/web_auth.sh - who may use `samla serve` (issue 14): the refusals
# of an unsafe start, the one-time token login and its session cookie,
# another local user (uid 65534) who can reach the port but neither read
# nor change the book, Host tricks, password files that hold only hashes
# (samla passwd), and failed logins slowed down per client and per user.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/web/serve_lib.sh"

BOOK=$(fresh_book_2025)
export SAMLA_TODAY=2026-04-10
journal0=$(cat "$BOOK/verifikationer.csv")

run "$SAMLA" -f "$BOOK" serve --help
expect_rc 0 "serve --help exits 0"
expect_out_has "--password-file" "serve --help documents --password-file"
expect_out_has "--insecure-http" "serve --help documents --insecure-http"

run "$SAMLA" -f "$BOOK" serve --bind 0.0.0.0 --port 0
expect_rc 2 "listening beyond loopback without --password-file is refused"
expect_err_has "kräver --password-file" "the refusal says a password file is needed"
run "$SAMLA" -f "$BOOK" serve --bind nonsense --port 0
expect_rc 2 "a --bind that is no address is a usage error"
run "$SAMLA" -f "$BOOK" serve --port 70000
expect_rc 2 "a port out of range is a usage error"
run "$SAMLA" -f "$BOOK" serve --port 0 --cert /nonexistent
expect_rc 2 "--cert without --key is a usage error"

# ---- The one-time token ----------------------------------------------------
serve_start "$BOOK" || exit 1
url=$BASE
login=$(serve_login_url)
case "$login" in "$url/?token="????????????????????????????????????????????????????????????????) ok "serve prints a login link with a 64-digit token" ;;
    *) not_ok "serve prints a login link with a 64-digit token" "got: $login" ;; esac
for p in / /kvartal /oronmarkt /budget /verifikationer /ladda-ned /ladda-ned/budget.xlsx?ar=2026; do
    code=$(curl -s -o "$TMPROOT/page" -w '%{http_code}' "$url$p")
    if [ "$code" = 401 ] && ! grep -q 'data value=' "$TMPROOT/page"; then
        ok "without a session GET $p answers 401 and shows no figures"
    else
        not_ok "without a session GET $p answers 401 and shows no figures" "status $code"
    fi
done
code=$(curl -s -o /dev/null -w '%{http_code}' --data "kvartal=2026Q1&upprepa=1&rad16=k%3APROC%3A&belopp16=1" "$url/kvartal/spara")
expect_eq "$code" 401 "without a session a save answers 401"
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/?token=$(printf '%064d' 7)")
expect_eq "$code" 403 "a wrong token is refused (403)"
hdrs=$(curl -s -D - -o /dev/null -c "$TMPROOT/jar" "$login" | tr -d '\r')
case "$hdrs" in *"HTTP/1.1 303"*"Location: /"*) ok "the token link redirects away from the token" ;;
    *) not_ok "the token link redirects away from the token" "$hdrs" ;; esac
cookie=$(printf '%s\n' "$hdrs" | grep -i '^Set-Cookie: samla-session-')
case "$cookie" in *"; Path=/; HttpOnly; SameSite=Strict"*) ok "the session cookie is HttpOnly and SameSite=Strict" ;;
    *) not_ok "the session cookie is HttpOnly and SameSite=Strict" "got: $cookie" ;; esac
code=$(curl -s -o /dev/null -w '%{http_code}' "$login")
expect_eq "$code" 403 "the token works once only"
code=$(curl -s -b "$TMPROOT/jar" -o /dev/null -w '%{http_code}' "$url/")
expect_eq "$code" 200 "with the session cookie the overview answers 200"
next=$(serve_login_url)
[ "$next" != "$login" ] && ok "after the login the server prints a new one-time link" ||
    not_ok "after the login the server prints a new one-time link"

# Host tricks are refused before anything else.
code=$(curl -s -b "$TMPROOT/jar" -o /dev/null -w '%{http_code}' -H 'Host: localhost:80@evil.example' "$url/")
expect_eq "$code" 400 "userinfo in Host (localhost:80@evil.example) is refused"
code=$(printf 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n' |
    timeout 5 python3 -c '
import socket,sys
s=socket.create_connection(("127.0.0.1",int(sys.argv[1])));s.sendall(sys.stdin.buffer.read())
print(s.recv(100).split()[1].decode())' "$PORT")
expect_eq "$code" 400 "two Host headers are refused"
code=$(curl -s -b "$TMPROOT/jar" -o /dev/null -w '%{http_code}' -H 'Host: evil.example' "$url/")
expect_eq "$code" 403 "a foreign Host name (DNS rebinding) is refused"

# ---- Another local user -----------------------------------------------------
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
    as_nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups "$@"; }
    code=$(as_nobody curl -s -o /dev/null -w '%{http_code}' "$url/")
    expect_eq "$code" 401 "another user (uid 65534) without the token: GET / answers 401"
    code=$(as_nobody curl -s -o /dev/null -w '%{http_code}' "$url/verifikationer?period=2025")
    expect_eq "$code" 401 "another user cannot read the journal"
    code=$(as_nobody curl -s -o /dev/null -w '%{http_code}' \
        --data "kvartal=2026Q1&upprepa=1&rad16=k%3APROC%3A&belopp16=99+999%2C00" "$url/kvartal/spara")
    expect_eq "$code" 401 "another user cannot save a quarter (401)"
    code=$(as_nobody curl -s -o /dev/null -w '%{http_code}' "$url/?token=$(printf '%064d' 1)")
    expect_eq "$code" 403 "another user cannot guess the token"
    if as_nobody cat "$TMPROOT/serve.out" >/dev/null 2>&1; then
        not_ok "another user cannot read the server's output (the login link)"
    else
        ok "another user cannot read the server's output (the login link)"
    fi
else
    skip "another local user cannot read or change the book" "needs root and setpriv to switch to uid 65534"
fi
expect_eq "$(cat "$BOOK/verifikationer.csv")" "$journal0" "nothing was saved by the refused requests"

# Logging out ends the session.
page=$(curl -s -b "$TMPROOT/jar" "$url/")
csrf=$(form_field "$page" csrf)
code=$(curl -s -b "$TMPROOT/jar" -c "$TMPROOT/jar" -o /dev/null -w '%{http_code}' --data "csrf=$csrf" "$url/logga-ut")
expect_eq "$code" 200 "Logga ut answers 200"
code=$(curl -s -b "$TMPROOT/jar" -o /dev/null -w '%{http_code}' "$url/")
expect_eq "$code" 401 "after logging out the session is gone"
serve_stop

# ---- Password files ----------------------------------------------------------
pw="$TMPROOT/passwords"
printf 'hemligt ord 123\n' | "$SAMLA" passwd --password-file "$pw" processledare >"$TMPROOT/out" 2>&1
expect_eq "$?" 0 "samla passwd creates the password file"
expect_eq "$(stat -c %a "$pw")" 600 "the password file is readable by its owner only"
if grep -q 'hemligt' "$pw"; then not_ok "the password file contains no password"; else ok "the password file contains no password"; fi
if grep -q '^processledare:\$y\$' "$pw"; then ok "the entry is a yescrypt hash (\$y\$)"; else not_ok "the entry is a yescrypt hash" "$(cat "$pw")"; fi
printf 'annat lösenord 9\n' | "$SAMLA" passwd --password-file "$pw" revisor >/dev/null 2>&1
h1=$(grep '^processledare:' "$pw")
printf 'hemligt ord 123\n' | "$SAMLA" passwd --password-file "$pw" processledare >/dev/null 2>&1
h2=$(grep '^processledare:' "$pw")
[ "$h1" != "$h2" ] && ok "a new hash of the same password has a new salt" || not_ok "a new hash has a new salt"
expect_eq "$(grep -c '^[^#]' "$pw")" 2 "changing a password replaces the user's line (two users)"
run sh -c "printf 'kort\n' | '$SAMLA' passwd --password-file '$pw' x"
expect_rc 1 "a password shorter than 10 characters is refused"

plain="$TMPROOT/plain"
printf 'processledare:hemligt ord 123\n' >"$plain"; chmod 600 "$plain"
run "$SAMLA" -f "$BOOK" serve --port 0 --password-file "$plain"
expect_rc 1 "a password file with a plain-text password is refused"
expect_err_has "plain:1:15: fel: det som står efter kolon är inget lösenordshash" "the refusal names file, line and column"
bad="$TMPROOT/latin1"
printf 'processledare\351:$y$j9T$abcdefghijklmnop$abcdefghijklmnopqrstuvwxyzABCDEFGHIJK\n' >"$bad"; chmod 600 "$bad"
run "$SAMLA" -f "$BOOK" serve --port 0 --password-file "$bad"
expect_rc 1 "a password file that is not UTF-8 is refused"
expect_err_has "lösenordsfilen är inte giltig UTF-8" "the refusal says the file is not UTF-8"
chmod 644 "$pw"
run "$SAMLA" -f "$BOOK" serve --port 0 --password-file "$pw"
expect_rc 1 "a password file that others can read is refused"
expect_err_has "chmod 600" "the refusal says how to fix it"
chmod 600 "$pw"
run "$SAMLA" -f "$BOOK" serve --port 0 --bind 0.0.0.0 --password-file "$pw"
expect_rc 2 "beyond loopback without TLS is refused"
expect_err_has "--insecure-http" "the refusal names --cert/--key and --insecure-http"

serve_start "$BOOK" --password-file "$pw" || exit 1
url=$BASE
code=$(curl -s -o "$TMPROOT/page" -w '%{http_code}' "$url/")
expect_eq "$code" 401 "password mode: without a login GET / answers 401"
grep -q 'autocomplete="current-password"' "$TMPROOT/page" && ok "the 401 page is the login form" || not_ok "the 401 page is the login form"
login_post() { # JAR NAME PASSWORD [curl options] -> status
    lp=$(curl -s -b "$1" -c "$1" "$url/logga-in")
    lc=$(form_field "$lp" csrf)
    jar=$1 n=$2 p=$3; shift 3
    curl -s -b "$jar" -c "$jar" -o /dev/null -D "$jar.h" -w '%{http_code}' "$@" \
        --data-urlencode "csrf=$lc" --data-urlencode "namn=$n" --data-urlencode "losenord=$p" "$url/logga-in"
}
code=$(login_post "$TMPROOT/j0" processledare 'hemligt ord 123' -H "Origin: http://evil.example")
expect_eq "$code" 403 "a login posted from another site (Origin) is refused"
code=$(curl -s -o /dev/null -w '%{http_code}' --data "csrf=x&namn=processledare&losenord=hemligt+ord+123" "$url/logga-in")
expect_eq "$code" 403 "a login without the login form's token is refused (CSRF)"
code=$(login_post "$TMPROOT/j1" processledare 'fel')
expect_eq "$code" 401 "a wrong password: 401"

# Brute force: ten guesses at once. The first ones are checked (each
# answered after a second), the rest are refused at once with 429.
: >"$TMPROOT/codes"
i=0; guessers=
while [ $i -lt 10 ]; do
    (login_post "$TMPROOT/jb$i" processledare "gissning $i" >"$TMPROOT/guess$i") &
    guessers="$guessers $!"
    i=$((i + 1))
done
# Only the guessers: a plain `wait` would wait for the server too.
for g in $guessers; do wait "$g"; done
for f in "$TMPROOT"/guess?; do cat "$f"; echo; done >"$TMPROOT/codes"
n401=$(grep -c 401 "$TMPROOT/codes"); n429=$(grep -c 429 "$TMPROOT/codes")
printf '# ten parallel guesses: %s checked (401), %s refused (429)\n' "$n401" "$n429"
[ "$n429" -ge 6 ] && [ $((n401 + n429)) -eq 10 ] && ok "ten guesses at once: at most four are checked, the rest get 429" ||
    not_ok "ten guesses at once: at most four are checked, the rest get 429" "$(tr '\n' ' ' <"$TMPROOT/codes")"
code=$(login_post "$TMPROOT/j2" processledare 'hemligt ord 123')
expect_eq "$code" 429 "while throttled even the right password waits (429)"
retry=$(tr -d '\r' <"$TMPROOT/j2.h" | sed -n 's/^Retry-After: //p')
case "$retry" in [1-9]|[1-6][0-9]) ok "429 carries Retry-After ($retry s)" ;; *) not_ok "429 carries Retry-After" "got: $retry" ;; esac
code=$(login_post "$TMPROOT/j3" processledare 'hemligt ord 123' --interface 127.0.0.2)
expect_eq "$code" 429 "the user is throttled from another client address too"
code=$(login_post "$TMPROOT/j4" revisor 'annat lösenord 9' --interface 127.0.0.3)
expect_eq "$code" 303 "another user from another address is not held up"
logged=$(grep -c 'misslyckad inloggning som "processledare" från 127.0.0.1' "$TMPROOT/serve.err")
[ "$logged" -ge 4 ] && ok "failed logins are logged with user and client ($logged lines)" ||
    not_ok "failed logins are logged with user and client" "$(cat "$TMPROOT/serve.err")"
grep -q 'avvisad: för många försök' "$TMPROOT/serve.err" && ok "refused attempts are logged" || not_ok "refused attempts are logged"
sleep $((${retry:-1} + 1))
code=$(login_post "$TMPROOT/j6" processledare 'hemligt ord 123')
expect_eq "$code" 303 "after the wait the right password logs in"
page=$(curl -s -b "$TMPROOT/j6" "$url/kvartal")
case "$page" in *"Inloggad som processledare"*) ok "the page shows who is logged in" ;;
    *) not_ok "the page shows who is logged in" ;; esac
loc=$(curl -s -D - -o /dev/null -b "$TMPROOT/j6" \
    --data "csrf=$(form_field "$page" csrf)&inskick=$(form_field "$page" inskick)&kvartal=2026Q1&rad16=k%3APROC%3A&belopp16=205+000%2C00" \
    "$url/kvartal/spara" | tr -d '\r' | sed -n 's/^Location: //p')
expect_eq "$loc" "/kvartal?kvartal=2026Q1&sparat=1" "a logged-in post saves"
user=$(grep ';quarter 2026Q1;' "$BOOK/verifikationer.csv" | cut -d';' -f12)
expect_eq "$user" "processledare" "the entry records the logged-in user (audit trail)"
# samla passwd while the server runs: the new password works at once.
printf 'ett nytt lösenord\n' | "$SAMLA" passwd --password-file "$pw" revisor >/dev/null 2>&1
code=$(login_post "$TMPROOT/j7" revisor 'ett nytt lösenord' --interface 127.0.0.4)
expect_eq "$code" 303 "a password changed with samla passwd works without a restart"
serve_stop

# --insecure-http starts beyond loopback, with a warning.
serve_start "$BOOK" --bind 0.0.0.0 --password-file "$pw" --insecure-http || exit 1
grep -q 'VARNING: --insecure-http' "$TMPROOT/serve.err" && ok "--insecure-http warns on start" ||
    not_ok "--insecure-http warns on start" "$(cat "$TMPROOT/serve.err")"
serve_stop
