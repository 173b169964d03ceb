# tests/lib.sh - the small assertion library of the end-to-end tests.
#
# Each test file under tests/e2e/ is a POSIX shell script that sources this
# file, runs build/…/samla ($SAMLA) in a scratch copy of a book, and reports
# each check as a TAP-like line "ok - text" or "not ok - text" (with the
# reason below it). tests/run.sh counts those lines.
#
# Environment set by tests/run.sh: SAMLA (the binary), ROOT (the repository),
# TMPROOT (a scratch folder for this file, removed afterwards).

set -u
: "${ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${SAMLA:=$ROOT/build/samla}"
: "${TMPROOT:=$(mktemp -d)}"
export SAMLA_NOW=2026-01-15T10:00:00Z SAMLA_USER=testare SAMLA_TODAY=2026-01-15
unset SAMLA_BOOK

ok() { printf 'ok - %s\n' "$1"; }
not_ok() { printf 'not ok - %s\n' "$1"; shift; for l in "$@"; do printf '#   %s\n' "$l"; done; }

# A fresh copy of the example book; prints its path.
fresh_book() {
    d=$(mktemp -d "$TMPROOT/book.XXXXXX")
    cp -R "$ROOT/ledgers/samla/." "$d/"
    printf '%s\n' "$d"
}

# run CMD...: runs it, keeping stdout in $OUT, stderr in $ERR, status in $RC.
run() {
    OUT=$("$@" 2>"$TMPROOT/.err"); RC=$?
    ERR=$(cat "$TMPROOT/.err")
}

# expect_rc N TEXT
expect_rc() {
    if [ "$RC" -eq "$1" ]; then ok "$2"; else not_ok "$2" "exit status $RC, expected $1" "stderr: $ERR"; fi
}
# expect_out_has STRING TEXT  (stdout contains STRING)
expect_out_has() {
    case "$OUT" in *"$1"*) ok "$2" ;; *) not_ok "$2" "stdout lacks: $1" "stdout: $OUT" ;; esac
}
# expect_err_has STRING TEXT  (stderr contains STRING)
expect_err_has() {
    case "$ERR" in *"$1"*) ok "$2" ;; *) not_ok "$2" "stderr lacks: $1" "stderr: $ERR" ;; esac
}
# expect_eq ACTUAL EXPECTED TEXT
expect_eq() {
    if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3" "got:      $1" "expected: $2"; fi
}
# expect_same_file A B TEXT  (byte-for-byte)
expect_same_file() {
    if cmp -s "$1" "$2"; then ok "$3"; else not_ok "$3" "$1 differs from $2"; fi
}
