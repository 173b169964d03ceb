#!/bin/sh
# tests/run.sh - runs every test and ends with the line "N passed, N failed".
#
#  - unit tests (cmocka) under build/tests/ and again under the sanitizer
#    build build/asan/tests/;
#  - end-to-end scripts tests/e2e/*.sh, against the sanitizer build of samla
#    (ASan + UBSan), each printing "ok - …" / "not ok - …" lines.
# Set TESTS=pattern to run only matching e2e scripts.

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
passed=0
failed=0
log=$(mktemp)

count_cmocka() { # $1 = output file
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$1" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$1" | awk '{s+=$1} END {print s+0}')
}

for dir in build/tests build/asan/tests; do
    for t in "$dir"/test_*; do
        [ -x "$t" ] || continue
        "$t" >"$log" 2>&1
        rc=$?
        count_cmocka "$log"
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
        passed=$((passed + p)); failed=$((failed + f))
        if [ "$rc" -ne 0 ]; then echo "FAIL $t"; grep -E 'FAILED|ERROR|error|Assert|Sanitizer' "$log" | head -20; else echo "ok   $t ($p tests)"; fi
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
    p=$(grep -c '^ok - ' "$log")
    f=$(grep -c '^not ok - ' "$log")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "FAIL $t exited $rc"; tail -5 "$log"; fi
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$f" -gt 0 ]; then echo "FAIL $t"; grep -A3 '^not ok' "$log" | head -40; else echo "ok   $t ($p checks)"; fi
    rm -rf "$TMPROOT"
done
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
