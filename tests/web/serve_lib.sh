# tests/web/serve_lib.sh - starting and stopping `samla serve` for the web
# tests (sourced after tests/lib.sh).

# The browser test's tools: node, Debian's chromium (make deps installs it),
# and playwright-core in tests/web/node_modules (installed from
# package-lock.json with npm ci when missing; it downloads no browser).
web_prereqs() {
    if ! command -v node >/dev/null 2>&1; then
        not_ok "node is installed (needed for the browser tests)"
        return 1
    fi
    if [ ! -x /usr/bin/chromium ]; then
        not_ok "Debian's chromium is installed (make deps)"
        return 1
    fi
    if [ ! -f "$ROOT/tests/web/node_modules/playwright-core/package.json" ] ||
       [ ! -f "$ROOT/tests/web/node_modules/axe-core/axe.min.js" ]; then
        if ! (cd "$ROOT/tests/web" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
              npm ci --no-audit --no-fund --loglevel=error >"$TMPROOT/npm.log" 2>&1); then
            not_ok "npm ci installs playwright-core and axe-core into tests/web/node_modules" \
                "$(tail -5 "$TMPROOT/npm.log")"
            return 1
        fi
    fi
    return 0
}

# serve_start BOOK [ARGS...]: start the server on a free loopback port
# (--port 0: the kernel picks one and the server prints it), and wait until
# it listens. Sets SERVE_PID and PORT. Its temporary files go to
# $TMPROOT/tmp, so a test can see that nothing is left there.
serve_start() {
    sbook=$1
    shift
    mkdir -p "$TMPROOT/tmp"
    : >"$TMPROOT/serve.out"
    TMPDIR="$TMPROOT/tmp" "$SAMLA" -f "$sbook" serve --port 0 "$@" \
        >"$TMPROOT/serve.out" 2>"$TMPROOT/serve.err" &
    SERVE_PID=$!
    PORT=
    i=0
    while [ $i -lt 200 ]; do
        PORT=$(sed -n 's|.*lyssnar på https\{0,1\}://[^ ]*:\([0-9][0-9]*\)/.*|\1|p' "$TMPROOT/serve.out")
        [ -n "$PORT" ] && break
        kill -0 "$SERVE_PID" 2>/dev/null || break
        sleep 0.05
        i=$((i + 1))
    done
    if [ -z "$PORT" ]; then
        not_ok "samla serve starts and listens" "$(cat "$TMPROOT/serve.err")"
        kill "$SERVE_PID" 2>/dev/null
        return 1
    fi
    ok "samla serve listens on 127.0.0.1:$PORT"
    BASE=$(sed -n 's|.*lyssnar på \(http[^ ]*\)/ .*|\1|p' "$TMPROOT/serve.out")
    return 0
}

# serve_login_url: the login link the server printed last (the token is
# one-time: each login prints the next one).
serve_login_url() {
    sed -n 's|.*logga in: ||p; s|.*nästa inloggningslänk: ||p' "$TMPROOT/serve.out" | tail -1
}

# serve_login JAR: log in with the current one-time link, keeping the
# session cookie in the curl cookie jar JAR. Fails the test when refused.
serve_login() {
    u=$(serve_login_url)
    code=$(curl -s -c "$1" -o /dev/null -w '%{http_code}' "$u")
    if [ "$code" != 303 ]; then
        not_ok "the one-time login link logs in" "status $code for $u"
        return 1
    fi
    # The next link is printed by the server after the login.
    i=0
    while [ "$(serve_login_url)" = "$u" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    return 0
}

# form_field PAGE NAME: the value of the hidden field NAME in the page.
form_field() {
    printf '%s\n' "$1" | sed -n "s/.*name=\"$2\" value=\"\([0-9a-f]*\)\".*/\1/p" | head -1
}

# serve_stop: SIGTERM, then the server must exit 0 with nothing on stderr
# (the sanitizer build prints its findings there, leaks included).
serve_stop() {
    kill -TERM "$SERVE_PID" 2>/dev/null
    wait "$SERVE_PID"
    src=$?
    if [ "$src" -eq 0 ] && ! grep -q 'Sanitizer\|runtime error' "$TMPROOT/serve.err"; then
        ok "samla serve stops cleanly on SIGTERM (no sanitizer report)"
    else
        not_ok "samla serve stops cleanly on SIGTERM (no sanitizer report)" \
            "exit status $src" "$(head -40 "$TMPROOT/serve.err")"
    fi
}
