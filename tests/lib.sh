# tests/lib.sh - the small assertion library of the end-to-end tests.
#
# Each test file under tests/e2e/ is a POSIX shell script that sources this
# file, runs build/…/samla ($SAMLA) in a scratch copy of a book, and reports
# each check as a TAP-like line "ok - text" or "not ok - text" (with the
# reason below it). tests/run.sh counts those lines.
#
# The rules that keep the counts honest (tests/run.sh enforces the first
# two; the others are for whoever writes a test):
#  - A script that exits non-zero (a crash, a kill, `set -u`, a timeout)
#    fails the suite even when every line it printed was "ok".
#  - A check that cannot run here is reported with `skip TEXT REASON`
#    ("ok - TEXT # SKIP REASON", TAP's form). run.sh counts it as skipped,
#    never as passed, and the final line says how many. Never print
#    "ok - …" for something that was not checked.
#  - A missing tool that `make deps` installs is a failure (not_ok), not a
#    skip: on a machine set up by make deps every check runs.
#  - A helper program that prints its own ok/not ok lines (node, python)
#    runs under `subtests NAME CMD...`, so its crash or non-zero exit
#    fails the suite even after it printed some "ok" lines.
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
# skip TEXT REASON: the check TEXT was not run here, because of REASON.
skip() { printf 'ok - %s # SKIP %s\n' "$1" "$2"; }

# subtests NAME CMD...: run a checker that prints its own "ok - " and
# "not ok - " lines, pass them on, and add a failure when it ends badly:
# killed, timed out, crashed, or a non-zero exit without a "not ok" line
# of its own (an exception after some passing checks). Returns its status.
subtests() {
    _st_name=$1
    shift
    "$@" >"$TMPROOT/.subtests" 2>&1
    _st_rc=$?
    cat "$TMPROOT/.subtests"
    if [ "$_st_rc" -ne 0 ] &&
        { [ "$_st_rc" -ne 1 ] || ! grep -q '^not ok - ' "$TMPROOT/.subtests"; }; then
        not_ok "$_st_name: the checker itself ended badly (exit status $_st_rc)" \
            "$(grep -v '^\(not \)\{0,1\}ok - ' "$TMPROOT/.subtests" | tail -8)"
    fi
    return "$_st_rc"
}

# A fresh copy of the example book; prints its path.
fresh_book() {
    d=$(mktemp -d "$TMPROOT/book.XXXXXX")
    cp -R "$ROOT/ledgers/samla/." "$d/"
    printf '%s\n' "$d"
}

# A fresh copy of the example book as it stood at the end of 2025, before
# its 2026 entries (tests/example/build-2026.sh): for tests that enter a
# 2026 quarter, earmark draws or decisions of their own.
fresh_book_2025() {
    d=$(mktemp -d "$TMPROOT/book.XXXXXX")
    sh "$ROOT/tests/example/build-2026.sh" --state-2025 "$d"
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
