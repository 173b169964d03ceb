#!/bin/sh
# tests/run.sh - runs every test and ends with the line
# "N passed, N failed, N skipped".
#
#  - unit tests (cmocka) under build/tests/ and again under the sanitizer
#    build build/asan/tests/;
#  - end-to-end scripts tests/e2e/*.sh, against the sanitizer build of samla
#    (ASan + UBSan), each printing "ok - …" / "not ok - …" lines, and
#    "ok - … # SKIP reason" for a check that could not run (tests/lib.sh).
#
# The counts are honest: a skipped check is counted as skipped, never as
# passed; a test program or script that exits non-zero (a crash, a kill, a
# timeout, an unset variable) is a failure even if every line it printed
# said "ok". Set TESTS=pattern to run only matching e2e scripts.

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
passed=0
failed=0
skipped=0
log=$(mktemp)

# cmocka's summary: "[  PASSED  ] N test(s)." (skipped ones not included),
# "[  SKIPPED ] N test(s), listed below:", "[  FAILED  ] N test(s), …".
count_cmocka() { # $1 = output file
    p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test.*/\1/p' "$1" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test.*/\1/p' "$1" | awk '{s+=$1} END {print s+0}')
    s=$(sed -n 's/^\[  SKIPPED \] \([0-9][0-9]*\) test.*/\1/p' "$1" | awk '{s+=$1} END {print s+0}')
}

# TAP-like lines of an e2e script.
count_tap() { # $1 = output file
    s=$(grep -c '^ok - .* # SKIP' "$1")
    p=$(($(grep -c '^ok - ' "$1") - s))
    f=$(grep -c '^not ok - ' "$1")
}

# ", N skipped" for the summary line of a file (nothing when none).
skipped_note() {
    if [ "$s" -gt 0 ]; then printf ', %s skipped' "$s"; fi
}

for dir in build/tests build/asan/tests; do
    for t in "$dir"/test_*; do
        [ -x "$t" ] || continue
        "$t" >"$log" 2>&1
        rc=$?
        count_cmocka "$log"
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
        passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
        if [ "$rc" -ne 0 ]; then
            echo "FAIL $t (exit status $rc)"
            grep -E 'FAILED|ERROR|error|Assert|Sanitizer' "$log" | head -20
        else
            echo "ok   $t ($p tests$(skipped_note))"
        fi
        [ "$s" -gt 0 ] && sed -n 's/^\[  SKIPPED \] \([^0-9].*\)/     skipped: \1/p' "$log"
    done
done

SAMLA=${SAMLA:-$ROOT/build/asan/samla}
export SAMLA ROOT
for t in tests/e2e/*.sh; do
    [ -f "$t" ] || continue
    case "$t" in *${TESTS:-}*) ;; *) continue ;; esac
    TMPROOT=$(mktemp -d)
    export TMPROOT
    sh "$t" >"$log" 2>&1
    rc=$?
    count_tap "$log"
    if [ "$rc" -ne 0 ]; then
        # The script itself failed: one failure more, whatever it printed.
        f=$((f + 1))
        echo "FAIL $t exited $rc"
        tail -5 "$log"
    fi
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    if [ "$f" -gt 0 ]; then
        echo "FAIL $t"
        grep -A3 '^not ok' "$log" | head -40
    else
        echo "ok   $t ($p checks$(skipped_note))"
    fi
    [ "$s" -gt 0 ] && sed -n 's/^ok - \(.*\) # SKIP \(.*\)/     skipped: \1 (\2)/p' "$log"
    rm -rf "$TMPROOT"
done
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
