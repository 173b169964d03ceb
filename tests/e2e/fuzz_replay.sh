#!/bin/sh
# fuzz_replay.sh - every input of the fuzzing corpora (tests/fuzz/corpus/)
# and every crash the fuzzers ever found (tests/fuzz/crashes/) is run
# through its fuzz target again, built without libFuzzer (tests/fuzz/
# replay.c) under ASan and UBSan by `make check` (build/asan/replay/), so
# a fixed bug stays fixed and the invariants the targets check still hold.
#
# REPLAY_DIR picks another build of the replay binaries, REPLAY_WRAP a
# command to run them under (`make valgrind` uses build/replay/ and
# valgrind).
. "$(dirname "$0")/../lib.sh"

DIR=${REPLAY_DIR:-$ROOT/build/asan/replay}
export REPLAY_VERBOSE=1 # name each input on stderr, for the report
for src in "$ROOT"/tests/fuzz/fuzz_*.c; do
    t=${src##*/fuzz_}
    t=${t%.c}
    bin=$DIR/fuzz_$t
    if [ ! -x "$bin" ]; then
        not_ok "fuzz replay $t: $bin saknas (byggs av make check)"
        continue
    fi
    for set in corpus crashes; do
        d=$ROOT/tests/fuzz/$set/$t
        n=0
        [ -d "$d" ] && n=$(find "$d" -type f ! -name '.*' | wc -l | tr -d ' ')
        if [ "$n" -eq 0 ]; then
            [ $set = corpus ] && not_ok "fuzz replay $t: no corpus in tests/fuzz/corpus/$t"
            [ $set = crashes ] && ok "fuzz replay $t: no crashes recorded"
            continue
        fi
        # Unquoted: REPLAY_WRAP is empty or a command with options.
        run ${REPLAY_WRAP:-} "$bin" "$d"
        if [ "$RC" -eq 0 ]; then
            ok "fuzz replay $t: $n $set inputs run clean"
        else
            not_ok "fuzz replay $t: $n $set inputs" "exit status $RC" \
                "last input: $(printf '%s\n' "$ERR" | grep '^replay ' | tail -1)" \
                "$(printf '%s\n' "$ERR" | grep -v '^replay ' | grep -E 'ERROR|SUMMARY|fuzz_|runtime error' | head -8)"
        fi
    done
done
