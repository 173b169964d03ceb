#!/bin/sh
# programs.sh - samla and samla-serve (docs/performance.md, docs/web.md).
#
# The web page's commands, `serve` and `passwd`, are a program of their
# own, samla-serve, which samla runs from its own folder: only it links the
# web server's libraries (libmicrohttpd, GnuTLS) and libcrypt, so every
# other command starts without loading them. Checked here: both commands
# reach samla-serve through samla with their options; a samla without
# samla-serve beside it says so in Swedish; samla's own dynamic
# dependencies leave those libraries out (a link that brought them back
# would cost every command its start-up time again).
. "$(dirname "$0")/../lib.sh"

bin=${SAMLA_REAL:-$SAMLA}
dir=$(dirname "$bin")
book=$(fresh_book)

run $SAMLA -f "$book" serve --help
expect_rc 0 "samla serve --help runs samla-serve"
expect_out_has "samla serve" "… and prints serve's own help"

run $SAMLA -f "$book" passwd --help
expect_rc 0 "samla passwd --help runs samla-serve"
expect_out_has "lösenordsfilen" "… and prints passwd's own help"

# The options given to samla reach samla-serve: the password file named
# gets the user.
pw=$TMPROOT/users.pw
run sh -c "printf 'hemligt-lösen-42\n' | $SAMLA -f '$book' --user kassör passwd --password-file '$pw' anna"
expect_rc 0 "samla passwd adds a user through samla-serve"
if grep -q '^anna:\$y\$' "$pw" 2>/dev/null; then
    ok "… to the password file given, as a yescrypt hash"
else
    not_ok "… to the password file given, as a yescrypt hash" "file: $(cat "$pw" 2>/dev/null)"
fi

# samla alone, without samla-serve beside it.
lone=$TMPROOT/alone
mkdir -p "$lone"
cp "$bin" "$lone/samla"
run "$lone/samla" -f "$book" serve
expect_rc 1 "samla serve without samla-serve beside it: exit 1"
expect_err_has "samla serve: kan inte starta $lone/samla-serve: filen eller mappen finns inte" \
    "… saying which program is missing, in Swedish"

# Dynamic dependencies, as the loader sees them.
needed() { readelf -d "$1" 2>/dev/null | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'; }
if ! command -v readelf >/dev/null 2>&1; then
    not_ok "readelf is installed (binutils, with build-essential)"
else
    libs=$(needed "$bin" | tr '\n' ' ')
    case $libs in
    *libmicrohttpd* | *libgnutls* | *libcrypt.so*)
        not_ok "samla does not load the web server's libraries" "NEEDED: $libs" ;;
    "") not_ok "samla's dynamic dependencies can be read" "readelf gave none for $bin" ;;
    *) ok "samla does not load the web server's libraries (NEEDED: $libs)" ;;
    esac
    case $(needed "$dir/samla-serve" | tr '\n' ' ') in
    *libmicrohttpd*) ok "samla-serve links libmicrohttpd" ;;
    *) not_ok "samla-serve links libmicrohttpd" "NEEDED: $(needed "$dir/samla-serve" | tr '\n' ' ')" ;;
    esac
fi
