#!/bin/sh
# The benchmark's generator (bench/gen.c) and the peers agree (issue 7): a
# small synthetic book passes `samla check`, and samla, ledger-cli, hledger
# and beancount compute the same totals from the same entries (the check
# `make bench` runs before it times anything). No timing here.
. "$(dirname "$0")/../lib.sh"

N=2000
CC=${CC:-cc}
if $CC -O1 -std=c11 -D_GNU_SOURCE -o "$TMPROOT/gen" "$ROOT/bench/gen.c" &&
   $CC -O1 -std=c11 -D_GNU_SOURCE -o "$TMPROOT/runner" "$ROOT/bench/runner.c"; then
    ok "bench/gen.c and bench/runner.c build"
else
    not_ok "bench/gen.c and bench/runner.c build"
    exit 0
fi

# Deterministic: the same N and seed give the same files.
"$TMPROOT/gen" $N "$TMPROOT/g1" 7 && "$TMPROOT/gen" $N "$TMPROOT/g2" 7
if diff -r "$TMPROOT/g1" "$TMPROOT/g2" >/dev/null; then
    ok "the generator is deterministic"
else
    not_ok "the generator is deterministic" "two runs with seed 7 differ"
fi

run $SAMLA -f "$TMPROOT/g1/book" check
expect_rc 0 "samla check passes on the generated book"
expect_out_has "$N verifikationer (2021–2025)" "… with all $N entries over five years"

run /usr/bin/python3 "$ROOT/bench/bench.py" --agree-only --sizes $N \
    --samla "$SAMLA" --gen "$TMPROOT/gen" --runner "$TMPROOT/runner" \
    --cache "$TMPROOT/cache" --big-year 0
expect_rc 0 "bench.py --agree-only finds no disagreement"
for tool in "(a) samla" "(a) ledger" "(a) hledger" "(a) beancount" \
            "(b) samla" "(b) ledger" "(b) hledger" \
            "(c) samla" "(c) ledger" "(c) hledger"; do
    expect_out_has "$tool" "$tool agrees with the generator's totals"
done
