#!/bin/sh
# crash.sh - crash safety: kill the writer with SIGKILL at random moments,
# at least 200 times, and after every kill check that
#   - the book loads and `samla check` passes;
#   - the journal is byte-for-byte what it was before the command, or that
#     plus exactly the one entry that was in flight, complete (nothing torn,
#     nothing duplicated, nothing else);
#   - a command that reported success has its entry there.
#
# Three kinds of kill:
#   1. injected inside the commit (store.c, $SAMLA_FAULT): half-way through
#      writing the temporary file, after writing it but before fsync, and
#      after fsync but before the rename - 25 times each for `add` and
#      `reverse`, then once each for every writing command (add, reverse,
#      quarter, import, earmark add, forecast set, close), which must leave
#      every file of the book unchanged;
#   2. timer-driven: `timeout -s KILL` at a random moment in the life of an
#      `add` or `reverse` (startup, lock, load, write, rename, output), spread
#      over 0..1.3 times the measured running time of one add;
#   3. then an ordinary `add`, which must succeed and remove the temporary
#      files the killed writers left (once older than a commit could take).
#
# Every expected journal row is known to the byte (fixed SAMLA_NOW, user,
# amounts and texts), so each check is an exact comparison.
#
# Uses the optimised build (not ASan) for speed: $SAMLA_FAST, default
# build/samla. CRASH_SEED=N repeats a run; CRASH_KILLS=N sets how many timer
# kills to make (default 150).
. "$(dirname "$0")/../lib.sh"

FAST=${SAMLA_FAST:-$ROOT/build/samla}
if [ ! -x "$FAST" ]; then
    not_ok "crash: $FAST saknas (kör make)"
    exit 0
fi
SEED=${CRASH_SEED:-$(date +%s)}
WANT_TIMER_KILLS=${CRASH_KILLS:-150}
NBASE=40 # entries added first, for the reversals to reverse
echo "# seed $SEED (CRASH_SEED=$SEED repeats this run)"

# The book lives on tmpfs when there is one: a process kill tests the same
# commit path there, without waiting for the disk (CRASH_DIR overrides).
dir=${CRASH_DIR:-$TMPROOT}
if [ -z "${CRASH_DIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
    dir=$(mktemp -d /dev/shm/samla-crash.XXXXXX) && trap 'rm -rf "$dir"' EXIT
fi
book=$(mktemp -d "$dir/book.XXXXXX")
cp -R "$ROOT/tests/hostile/base/." "$book/"
J=$book/verifikationer.csv
prev=$TMPROOT/prev.csv # the journal as it must be if nothing was committed
cand=$TMPROOT/cand.csv # ... and as it must be if the entry in flight was
cp "$J" "$prev"

kills=0   # processes killed, in all
fail=0    # after the first failure the rest is skipped
ver=0     # the last voucher number of 2026 (the book has none at first)
rev=1     # the next voucher (2026:$rev, one of the first NBASE) to reverse
ncommit=0 # entries committed by this test
late=0    # killed after the rename: the entry in flight was committed

# Random numbers in [0, 1), one per line, from the seed.
awk -v seed="$SEED" 'BEGIN { srand(seed); for (i = 0; i < 5000; i++) printf "%.6f\n", rand() }' >"$TMPROOT/rand"
exec 3<"$TMPROOT/rand"

# attempt KIND TAG [SECONDS]: one `add` (text krasch-TAG, 1,00 kr) or
# `reverse 2026:$rev`, killed after SECONDS when given, then the checks.
# Returns the command's exit status.
attempt() {
    kind=$1 tag=$2 t=${3:-}
    n=$((ver + 1))
    if [ "$kind" = add ]; then
        row="$n;2026-01-15;7690;PROC;;;1,00;krasch-$tag;;;2026-01-15T10:00:00Z;testare;add;"
        set -- add --account 7690 --activity PROC --amount 1 --text "krasch-$tag"
    else
        row="$n;2026-01-15;7690;PROC;;;-1,00;Rättelse av 2026:$rev: krasch-bas-$rev;;2026:$rev;2026-01-15T10:00:00Z;testare;reverse;"
        set -- reverse "2026:$rev" --yes
    fi
    { cat "$prev"; printf '%s\r\n' "$row"; } >"$cand"
    if [ -n "$t" ]; then
        timeout -s KILL "$t" "$FAST" -f "$book" "$@" >"$TMPROOT/out" 2>"$TMPROOT/err"
    else
        "$FAST" -f "$book" "$@" >"$TMPROOT/out" 2>"$TMPROOT/err"
    fi
    arc=$?
    [ $arc -eq 137 ] && kills=$((kills + 1))
    if [ $arc -ne 0 ] && [ $arc -ne 137 ]; then
        not_ok "crash: $kind $tag: exit status" "got $arc: $(head -3 "$TMPROOT/err")"
        fail=1
        return $arc
    fi
    if ! "$FAST" -f "$book" check >/dev/null 2>"$TMPROOT/check.err"; then
        not_ok "crash: $kind $tag: samla check after the kill" "$(head -5 "$TMPROOT/check.err")"
        fail=1
        return $arc
    fi
    if cmp -s "$J" "$prev"; then
        # Nothing committed: then nothing may have been reported either.
        if [ $arc -eq 0 ] || grep -q '^Sparade' "$TMPROOT/out"; then
            not_ok "crash: $kind $tag: a reported entry is in the journal" "samla said: $(cat "$TMPROOT/out")"
            fail=1
        fi
    elif cmp -s "$J" "$cand"; then
        [ $arc -eq 137 ] && late=$((late + 1))
        mv "$cand" "$prev"
        ver=$n
        ncommit=$((ncommit + 1))
        [ "$kind" = rev ] && rev=$((rev + 1))
    else
        not_ok "crash: $kind $tag: the journal is the old one plus at most the entry in flight" \
            "$(diff "$prev" "$J" | head -6)" "expected new row: $row"
        fail=1
    fi
    return $arc
}

i=0
while [ $i -lt $NBASE ] && [ $fail = 0 ]; do
    i=$((i + 1))
    attempt add "bas-$i"
done
expect_eq "$ncommit" "$NBASE" "crash: $NBASE entries added without kills"

# ---- 1. kills injected inside the commit ------------------------------
injected=0
for fault in kill-mid-write after-tmp-write kill-before-rename; do
    i=0
    while [ $i -lt 25 ] && [ $fail = 0 ]; do
        i=$((i + 1))
        kind=add
        [ $((i % 5)) -eq 0 ] && kind=rev
        export SAMLA_FAULT=$fault
        attempt $kind "$fault-$i"
        rc=$?
        unset SAMLA_FAULT
        if [ $rc -ne 137 ] && [ $fail = 0 ]; then
            not_ok "crash: $fault: the writer dies at the fault" "exit status $rc"
            fail=1
        fi
        injected=$((injected + 1))
    done
done
if [ $fail = 0 ]; then
    expect_eq "$ncommit" "$NBASE" \
        "crash: $injected kills inside the commit (mid-write, before fsync, before rename): journal unchanged each time"
fi
debris=$(find "$book" -name '.*.tmp*' | wc -l | tr -d ' ')
echo "# $debris temporary file(s) left by the injected kills so far"

# ---- 1b. every writing command, killed inside its commit ---------------------
# Each command that writes the book goes through the same commit path, so
# each must leave the whole book as it was when killed at any fault point.
printf 'Verksamhet;Finansiär;Konto;Belopp;Text;Underlag;Öronmärkning\r\nPROC;;5010;1000,00;Lön Q4;;\r\n' >"$dir/kvartal.csv"
printf 'Typ;Inställning;Värde;Villkor;Konto;Verksamhet;Finansiär;Öronmärkning;Tecken;Text;Kommentar\r\ninställning;kolumn datum;Datum;;;;;;;;\r\ninställning;kolumn belopp;Belopp;;;;;;;;\r\ninställning;kolumn text;Text;;;;;;;;\r\nregel;;;Konto=5010;5010;PROC;;;;;\r\n' >"$dir/regler.csv"
printf 'Konto;Datum;Text;Belopp\r\n5010;2025-11-30;Lön november;1000,00\r\n' >"$dir/utdrag.csv"
# writer N: sets the arguments of writing command N (1..7), or returns 1.
writer() {
    case $1 in
    1) set -- add --account 7690 --activity PROC --amount 5 --text alla ;;
    2) set -- reverse 2025:2 --yes ;;
    3) set -- quarter 2025Q4 --from "$dir/kvartal.csv" --yes ;;
    4) set -- import "$dir/utdrag.csv" --rules "$dir/regler.csv" --yes ;;
    5) set -- earmark add OM-NY --amount 1000 --purpose Prov --decided-by Samordningsgruppen --date 2025-06-01 --paragraph '§ 1' ;;
    6) set -- forecast set 2025 PROC/5010 180000 ;;
    7) set -- close 2025 --yes ;;
    *) return 1 ;;
    esac
    "$FAST" -f "$wbook" "$@" >"$TMPROOT/out" 2>"$TMPROOT/err"
}
wsnap() { (cd "$wbook" && find . -path ./.samla-cache -prune -o -type f ! -name '.*' -exec cksum {} + | LC_ALL=C sort); }
w=0
while [ $fail = 0 ] && [ $w -lt 7 ]; do
    w=$((w + 1))
    wbook=$(mktemp -d "$dir/writer.XXXXXX")
    cp -R "$ROOT/tests/hostile/base/." "$wbook/"
    writer $w
    wrc=$?
    name=$(case $w in 1) echo add ;; 2) echo reverse ;; 3) echo quarter ;; 4) echo import ;; 5) echo "earmark add" ;; 6) echo "forecast set" ;; 7) echo close ;; esac)
    if [ $wrc -ne 0 ]; then
        not_ok "crash: $name works without a fault" "exit status $wrc: $(head -3 "$TMPROOT/err")"
        fail=1
        break
    fi
    bad=
    for fault in kill-mid-write after-tmp-write kill-before-rename; do
        rm -rf "$wbook"
        wbook=$(mktemp -d "$dir/writer.XXXXXX")
        cp -R "$ROOT/tests/hostile/base/." "$wbook/"
        before=$(wsnap)
        SAMLA_FAULT=$fault
        export SAMLA_FAULT
        writer $w
        wrc=$?
        unset SAMLA_FAULT
        [ $wrc -eq 137 ] && kills=$((kills + 1))
        if [ $wrc -ne 137 ]; then
            bad="$fault: exit status $wrc, not killed at the fault"
        elif [ "$(wsnap)" != "$before" ]; then
            bad="$fault: the book changed"
        elif ! "$FAST" -f "$wbook" check >/dev/null 2>&1; then
            bad="$fault: samla check fails afterwards"
        fi
        [ -n "$bad" ] && break
    done
    if [ -z "$bad" ]; then
        ok "crash: $name killed at each fault point inside the commit: the whole book unchanged"
    else
        not_ok "crash: $name killed inside the commit" "$bad"
        fail=1
    fi
    rm -rf "$wbook"
done

# ---- 1c. the commit tells the truth ------------------------------------------
# The folder fsync fails after the rename (injected): the entry is saved,
# so the command says "Sparade" and warns about the risk; it never says
# "inget sparades" (a user would then enter it again and book it twice).
if [ $fail = 0 ]; then
    n=$((ver + 1))
    row="$n;2026-01-15;7690;PROC;;;1,00;krasch-fsync-dir;;;2026-01-15T10:00:00Z;testare;add;"
    { cat "$prev"; printf '%s\r\n' "$row"; } >"$cand"
    SAMLA_FAULT=fsync-dir run "$FAST" -f "$book" add --account 7690 --activity PROC --amount 1 --text "krasch-fsync-dir"
    expect_rc 0 "crash: folder fsync fails after the rename: add exits 0"
    expect_out_has "Sparade verifikation 2026:$n" "crash: folder fsync fails after the rename: add says Sparade"
    expect_eq "$ERR" "$J: varning: sparades, men mappen kunde inte synkas till disk (in- eller utmatningsfel på disken): ändringen finns i filen men kan gå förlorad vid ett strömavbrott eller en krasch i datorn strax efter; spara den inte igen (då finns den två gånger), kontrollera i stället efter en omstart med 'samla check' och 'samla list'" \
        "crash: folder fsync fails after the rename: a warning names the risk, not 'inget sparades'"
    expect_same_file "$J" "$cand" "crash: folder fsync fails after the rename: the entry is in the journal once"
    mv "$cand" "$prev"
    ver=$n
    ncommit=$((ncommit + 1))
fi

# ---- 2. kills at random moments --------------------------------------------
# How long does one add take here, start to exit, run the way the timer
# runs it (through timeout)? (On a scratch copy.)
scratch=$(mktemp -d "$dir/scratch.XXXXXX")
cp "$book"/*.csv "$scratch/"
t0=$(date +%s%N)
for i in 1 2 3 4 5 6 7 8 9 10; do
    timeout -s KILL 60 "$FAST" -f "$scratch" add --account 7690 --activity PROC --amount 1 --text x >/dev/null
done
t1=$(date +%s%N)
span=$(((t1 - t0) / 10000)) # microseconds per add
[ $span -lt 300 ] && span=300
echo "# one add takes about $span µs here; the kills fall in 0..$((span * 13 / 10)) µs"

timer_kills=0
attempts=0
while [ $timer_kills -lt "$WANT_TIMER_KILLS" ] && [ $attempts -lt $((WANT_TIMER_KILLS * 5)) ] && [ $fail = 0 ]; do
    attempts=$((attempts + 1))
    read -r r <&3 || r=0.5
    us=$(awk -v r="$r" -v s="$span" 'BEGIN { printf "%d", r * s * 1.3 }')
    if [ "$us" -ge 1000000 ]; then t=$((us / 1000000)).$(printf '%06d' $((us % 1000000))); else t=$(printf '0.%06d' "$us"); fi
    kind=add
    [ $((attempts % 8)) -eq 0 ] && [ $rev -le $NBASE ] && kind=rev
    attempt $kind "timer-$attempts" "$t"
    [ $? -eq 137 ] && timer_kills=$((timer_kills + 1))
done
echo "# of the $timer_kills timer kills, $late came after the rename (the entry in flight was saved), $((timer_kills - late)) before it"
if [ $fail = 0 ]; then
    ok "crash: $timer_kills timer kills in $attempts attempts; after each the book loads, check passes, the journal is exact"
    [ $timer_kills -lt "$WANT_TIMER_KILLS" ] &&
        not_ok "crash: enough timer kills" "only $timer_kills of $WANT_TIMER_KILLS in $attempts attempts"
fi

# ---- 3. after it all ---------------------------------------------------------
if [ $fail = 0 ]; then
    if [ $kills -ge 200 ]; then
        ok "crash: $kills kills in all (at least 200)"
    else
        not_ok "crash: at least 200 kills" "only $kills"
    fi
    # A killed writer's temporary file is provably stale once its pid is
    # gone and it is older than a commit could take (store.h): age them.
    left=$(find "$book" -name '.*.tmp*' | wc -l | tr -d ' ')
    find "$book" -name '.*.tmp*' -exec touch -d "@$(($(date +%s) - 120))" {} +
    attempt add slut
    expect_eq "$?" 0 "crash: an add after the kills succeeds"
    debris=$(find "$book" -name '.*.tmp*' | wc -l | tr -d ' ')
    expect_eq "$debris" 0 "crash: the next writer removed the $left stale temporary files of killed writers"
    [ "$debris" -eq 0 ] || find "$book" -name '.*.tmp*' | sed 's/^/#   left: /' 
    dups=$(cut -d';' -f8 "$J" | LC_ALL=C sort | uniq -d | wc -l | tr -d ' ')
    expect_eq "$dups" 0 "crash: no entry twice"
    vers=$(grep '^[0-9]*;2026-' "$J" | cut -d';' -f1 | tr '\n' ' ')
    expect_eq "$vers" "$(seq 1 "$ver" | tr '\n' ' ')" "crash: vouchers 2026:1..$ver gapless ($ncommit committed)"
    run "$FAST" -f "$book" check
    expect_rc 0 "crash: samla check at the end"
fi
exec 3<&-
