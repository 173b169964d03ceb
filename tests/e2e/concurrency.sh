#!/bin/sh
# concurrency.sh - concurrent writers on one book.
#
#   1. 2 and then 8 processes each run `samla add` 250 times at once (the
#      8 split over two years): every command succeeds, every entry is in
#      the journal exactly once, voucher numbers are unique and gapless per
#      year, and the book passes `samla check`.
#   2. A writer that cannot get the lock within $SAMLA_LOCK_TIMEOUT_MS
#      (held by util-linux flock(1)) names the holder's pid, exits 1 and
#      changes nothing; readers are not blocked; a lock whose holder is
#      killed is free at once.
#
# Uses the optimised build (not ASan) for speed: $SAMLA_FAST, default
# build/samla. CONC_PER=N changes the 250 adds per process.
. "$(dirname "$0")/../lib.sh"

FAST=${SAMLA_FAST:-$ROOT/build/samla}
if [ ! -x "$FAST" ]; then
    not_ok "concurrency: $FAST saknas (kör make)"
    exit 0
fi
PER=${CONC_PER:-250}

new_book() {
    d=$(mktemp -d "$TMPROOT/book.XXXXXX")
    cp -R "$ROOT/tests/hostile/base/." "$d/"
    printf '%s\n' "$d"
}

# writers BOOK N: N processes, each adding $PER entries "wP-I"; odd P in
# 2026 (today), even P (when N > 2) on 2025-12-31.
writers() {
    book=$1 n=$2 p=0
    while [ $p -lt "$n" ]; do
        p=$((p + 1))
        date=2026-01-15
        [ "$n" -gt 2 ] && [ $((p % 2)) -eq 0 ] && date=2025-12-31
        (
            i=0
            while [ $i -lt "$PER" ]; do
                i=$((i + 1))
                "$FAST" -f "$book" add --date $date --account 7690 --activity PROC \
                    --amount "$i" --text "w$p-$i" >/dev/null 2>>"$TMPROOT/err.$n" ||
                    echo "w$p-$i" >>"$TMPROOT/failed.$n"
            done
        ) &
    done
    wait
}

# vouchers BOOK YEAR: the voucher numbers of YEAR, in file order.
vouchers() {
    grep "^[0-9]*;$2-" "$1/verifikationer.csv" | cut -d';' -f1 | tr '\n' ' '
}

export SAMLA_LOCK_TIMEOUT_MS=60000
for n in 2 8; do
    book=$(new_book)
    base2025=$(grep -c '^[0-9]*;2025-' "$book/verifikationer.csv")
    t0=$(date +%s)
    writers "$book" $n
    t1=$(date +%s)
    total=$((n * PER))
    echo "# $n writers x $PER adds: $((t1 - t0)) s"

    if [ -s "$TMPROOT/failed.$n" ]; then
        not_ok "concurrency $n: every add succeeds" \
            "$(wc -l <"$TMPROOT/failed.$n") failed" "$(head -3 "$TMPROOT/err.$n")"
    else
        ok "concurrency $n: all $total adds reported success"
    fi
    grep -o ';w[0-9]*-[0-9]*;' "$book/verifikationer.csv" | tr -d ';' | LC_ALL=C sort >"$TMPROOT/got"
    p=0
    : >"$TMPROOT/want"
    while [ $p -lt $n ]; do
        p=$((p + 1))
        seq 1 "$PER" | sed "s/^/w$p-/" >>"$TMPROOT/want"
    done
    LC_ALL=C sort -o "$TMPROOT/want" "$TMPROOT/want"
    if cmp -s "$TMPROOT/got" "$TMPROOT/want"; then
        ok "concurrency $n: every entry is in the journal exactly once"
    else
        not_ok "concurrency $n: every entry exactly once" \
            "missing: $(comm -23 "$TMPROOT/want" "$TMPROOT/got" | head -3 | tr '\n' ' ')" \
            "twice or unexpected: $(comm -13 "$TMPROOT/want" "$TMPROOT/got" | head -3 | tr '\n' ' ')"
    fi
    if [ $n -gt 2 ]; then
        n2026=$((PER * ((n + 1) / 2)))
        n2025=$((base2025 + PER * (n / 2)))
    else
        n2026=$total
        n2025=$base2025
    fi
    expect_eq "$(vouchers "$book" 2026)" "$(seq 1 $n2026 | tr '\n' ' ')" \
        "concurrency $n: vouchers 2026:1..$n2026 unique, gapless, in order"
    expect_eq "$(vouchers "$book" 2025)" "$(seq 1 $n2025 | tr '\n' ' ')" \
        "concurrency $n: vouchers 2025:1..$n2025 unique, gapless, in order"
    run "$FAST" -f "$book" check
    expect_rc 0 "concurrency $n: samla check passes"
    debris=$(find "$book" -name '.*.tmp*' | wc -l | tr -d ' ')
    expect_eq "$debris" 0 "concurrency $n: no temporary files left"
done

# ---- the lock timeout ------------------------------------------------------
if ! command -v flock >/dev/null 2>&1; then
    skip "concurrency: lock timeout" "flock(1) (util-linux) finns inte"
    exit 0
fi
book=$(new_book)
snap() { (cd "$book" && find . -type f -exec cksum {} + | LC_ALL=C sort); }
# -o: the lock belongs to flock itself, not to the command it runs, so
# killing flock frees it.
flock -o -x "$book/.lock" sleep 20 &
holder=$!
i=0
while flock -n "$book/.lock" true && [ $i -lt 500 ]; do
    sleep 0.01
    i=$((i + 1))
done
before=$(snap)
t0=$(date +%s%N)
SAMLA_LOCK_TIMEOUT_MS=300 run "$FAST" -f "$book" add --date 2026-01-15 \
    --account 7690 --activity PROC --amount 5 --text "låst"
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
expect_rc 1 "lock timeout: a writer that cannot get the lock exits 1"
expect_eq "$ERR" "$book: fel: boken är låst av en annan process (pid $holder); försök igen senare" \
    "lock timeout: the message names the holder's pid"
if [ $ms -ge 300 ] && [ $ms -lt 5000 ]; then
    ok "lock timeout: gave up after the timeout ($ms ms for 300 ms)"
else
    not_ok "lock timeout: gave up after the timeout" "$ms ms for 300 ms"
fi
expect_eq "$(snap)" "$before" "lock timeout: nothing changed"
run "$FAST" -f "$book" check
expect_rc 0 "lock timeout: readers are not blocked by a writer's lock"
children=$(pgrep -P $holder 2>/dev/null)
kill -KILL $holder 2>/dev/null
wait $holder 2>/dev/null
for c in $children; do kill "$c" 2>/dev/null; done
SAMLA_LOCK_TIMEOUT_MS=300 run "$FAST" -f "$book" add --date 2026-01-15 \
    --account 7690 --activity PROC --amount 5 --text "fri"
expect_rc 0 "lock timeout: the lock of a killed holder is free at once"
