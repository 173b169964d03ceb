#!/bin/sh
# tests/e2e/web.sh - the web page (`samla serve`, issue 8) end to end in a
# real browser: Debian's chromium, headless, driven by playwright-core from
# npm (tests/web/e2e.mjs). Starts the server on a copy of the example book
# on a free loopback port, runs the browser test, stops the server and
# checks that it exited cleanly (the sanitizer build reports leaks then).
# Screenshots go to $SAMLA_SHOTS (default /tmp/samla-web-shots).
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/web/serve_lib.sh"

if ! web_prereqs; then
    exit 0
fi

BOOK=$(fresh_book_2025)
# The quarter that has just ended is 2026Q1: the process leader enters it
# in April.
export SAMLA_TODAY=2026-04-10
serve_start "$BOOK" || exit 1

# A second server in password mode, for the login form's page states.
PW="$TMPROOT/passwords"
printf 'hemligt ord 123\n' | "$SAMLA" passwd --password-file "$PW" processledare >/dev/null 2>&1
BOOK2=$(fresh_book)
"$SAMLA" -f "$BOOK2" serve --port 0 --password-file "$PW" >"$TMPROOT/serve2.out" 2>"$TMPROOT/serve2.err" &
PW_PID=$!
i=0; while ! grep -q 'logga in:' "$TMPROOT/serve2.out" && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
PW_URL=$(sed -n 's|.*lyssnar på \(http[^ ]*\)/ .*|\1|p' "$TMPROOT/serve2.out")

SHOTS=${SAMLA_SHOTS:-/tmp/samla-web-shots}
mkdir -p "$TMPROOT/work"
# subtests: a crash of node (or the timeout's kill) after some passing
# checks fails the suite.
SAMLA_URL="http://127.0.0.1:$PORT" SAMLA_LOGIN=$(serve_login_url) SAMLA_PW_URL="$PW_URL" WORK="$TMPROOT/work" SHOTS="$SHOTS" \
BOOK="$BOOK" ROOT="$ROOT" SAMLA="$SAMLA" TMPDIR="$TMPROOT/tmp" \
    subtests "tests/web/e2e.mjs" timeout 400 node "$ROOT/tests/web/e2e.mjs"

serve_stop
kill -TERM "$PW_PID" 2>/dev/null
wait "$PW_PID"
expect_eq "$?" 0 "the password-mode server stops cleanly"
run "$SAMLA" -f "$BOOK" check
expect_rc 0 "the book checks clean after the web session"
