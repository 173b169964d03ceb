#!/bin/sh
# fuzz_replay.sh - every input of the fuzzing corpora and every crash the
# fuzzers ever found is run through its fuzz target again, built without
# libFuzzer (tests/fuzz/replay.c) under ASan and UBSan by `make check`
# (build/asan/replay/), so a fixed bug stays fixed and the invariants the
# targets check still hold. One process per target, whatever the number of
# inputs.
#
# A target's inputs (tests/fuzz/README.md): its pack
# tests/fuzz/corpus/TARGET.pack, a folder tests/fuzz/corpus/TARGET/ of new
# seeds not yet packed (at most $MAX_LOOSE files: more belong in the pack,
# `make fuzz-merge`), and the crashes in tests/fuzz/crashes/TARGET/. Every
# target tests/fuzz/fuzz_*.c is found by name; a target without a corpus
# fails.
#
# REPLAY_DIR picks another build of the replay binaries, REPLAY_WRAP a
# command to run them under (`make valgrind` uses build/replay/ and
# valgrind).
. "$(dirname "$0")/../lib.sh"

DIR=${REPLAY_DIR:-$ROOT/build/asan/replay}
MAX_LOOSE=200
export REPLAY_VERBOSE=1 # name each input on stderr, for the report

files_in() { # number of regular files in folder $1 (0 when there is none)
    if [ -d "$1" ]; then find "$1" -type f ! -name '.*' | wc -l | tr -d ' '; else echo 0; fi
}

for src in "$ROOT"/tests/fuzz/fuzz_*.c; do
    t=${src##*/fuzz_}
    t=${t%.c}
    bin=$DIR/fuzz_$t
    if [ ! -x "$bin" ]; then
        not_ok "fuzz replay $t: $bin saknas (byggs av make check)"
        continue
    fi
    pack=$ROOT/tests/fuzz/corpus/$t.pack
    loose=$ROOT/tests/fuzz/corpus/$t
    crashes=$ROOT/tests/fuzz/crashes/$t
    nloose=$(files_in "$loose")
    ncrash=$(files_in "$crashes")
    set --
    [ -f "$pack" ] && set -- "$@" "$pack"
    [ "$nloose" -gt 0 ] && set -- "$@" "$loose"
    [ "$ncrash" -gt 0 ] && set -- "$@" "$crashes"
    if [ ! -f "$pack" ] && [ "$nloose" -eq 0 ]; then
        not_ok "fuzz replay $t: a corpus (tests/fuzz/corpus/$t.pack or tests/fuzz/corpus/$t/)"
        continue
    fi
    if [ "$nloose" -gt "$MAX_LOOSE" ]; then
        not_ok "fuzz replay $t: at most $MAX_LOOSE loose inputs in tests/fuzz/corpus/$t/" \
            "$nloose files: pack them (make fuzz-merge FUZZ=$t) and remove the folder"
    fi
    # Unquoted: REPLAY_WRAP is empty or a command with options.
    run ${REPLAY_WRAP:-} "$bin" "$@"
    n=$(printf '%s\n' "$OUT" | sed -n 's/^\([0-9][0-9]*\) inputs$/\1/p')
    nrun=$(printf '%s\n' "$ERR" | grep -c '^replay ')
    if [ "$RC" -eq 0 ] && [ -n "$n" ] && [ "$n" = "$nrun" ] &&
        [ "$n" -gt $((nloose + ncrash)) ]; then
        ok "fuzz replay $t: $n inputs run clean in one process ($ncrash crashes, $nloose loose, the rest packed)"
    else
        not_ok "fuzz replay $t: every input runs clean" "exit status $RC, ${n:-no} inputs counted, $nrun started" \
            "last input: $(printf '%s\n' "$ERR" | grep '^replay ' | tail -1)" \
            "$(printf '%s\n' "$ERR" | grep -v '^replay ' | grep -E 'ERROR|SUMMARY|fuzz_|runtime error|malformed|cut short' | head -8)"
    fi
done
