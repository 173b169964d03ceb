#!/bin/sh
# tests/e2e/layers.sh - the layers of src/ as docs/design.md states them.
#
# Reads the table of docs/design.md's "Layers" section (layer number, name,
# the files as globs) and checks, from the sources alone:
#   - every file of src/ is placed in exactly one layer;
#   - no #include "…" runs up: a file includes headers of its own layer or
#     of a lower one (each offending edge is printed as file:line);
#   - a NAME_priv.h header is included only by files named NAME*;
#   - every header of src/ is named in the "Modules" table, and every .c
#     file is matched by a name or glob there (the table matches the files).
# Known exceptions live in ALLOWED below, each with its reason; an entry
# whose edge no longer exists fails the check, so the list only shrinks.
. "$(dirname "$0")/../lib.sh"

DESIGN=$ROOT/docs/design.md
SRC=$ROOT/src

# Known edges that run against the order, as "FILE HEADER", one a line.
# Never add a line: fix the include (move the function down a layer, pass
# it in as a parameter, or split the header). Empty today.
ALLOWED='
'

# The rows of a section's table: the lines starting with '|' between the
# heading "## $1" and the next "## " heading.
section_rows() {
    awk -v h="## $1" '
        index($0, h) == 1 { on = 1; next }
        on && /^## / { on = 0 }
        on && /^\|/ { print }
    ' "$DESIGN"
}

# "LAYER NAME GLOB" lines from the layers table (one per glob).
section_rows Layers | awk -F'|' '
    $2 ~ /^ *[0-9]+ / {
        split($2, h, " ")
        n = split($3, w, "`")
        for (i = 2; i <= n; i += 2) print h[1], h[2], w[i]
    }' >"$TMPROOT/globs"
if [ ! -s "$TMPROOT/globs" ]; then
    not_ok "layers: docs/design.md has a Layers table" "no rows found under '## Layers'"
    exit 0
fi
ok "layers: docs/design.md's Layers table has $(cut -d' ' -f1 "$TMPROOT/globs" | sort -u | wc -l | tr -d ' ') layers"

# Place every file: "FILE LAYER NAME" in $TMPROOT/placed.
: >"$TMPROOT/placed"
unplaced=0
twice=0
for f in "$SRC"/*.c "$SRC"/*.h; do
    b=${f##*/}
    hits=$(while read -r n name g; do
        # shellcheck disable=SC2254 # $g is a glob from the table
        case "$b" in $g) echo "$n $name" ;; esac
    done <"$TMPROOT/globs" | sort -u)
    case $(printf '%s\n' "$hits" | grep -c .) in
    0)
        not_ok "layers: src/$b is placed in a layer" "add it to the Layers table of docs/design.md"
        unplaced=$((unplaced + 1))
        ;;
    1) echo "$b $hits" >>"$TMPROOT/placed" ;;
    *)
        not_ok "layers: src/$b is placed in one layer only" "$(printf '%s\n' "$hits" | tr '\n' ' ')"
        twice=$((twice + 1))
        ;;
    esac
done
nfiles=$(wc -l <"$TMPROOT/placed" | tr -d ' ')
[ "$unplaced" -eq 0 ] && [ "$twice" -eq 0 ] &&
    ok "layers: each of the $nfiles files of src/ is placed in one layer"

layer_of() { awk -v f="$1" '$1 == f { print $2 " " $3; exit }' "$TMPROOT/placed"; }

# Every include edge: "FILE LINE HEADER".
for f in "$SRC"/*.c "$SRC"/*.h; do
    awk -v f="${f##*/}" '
        /^[ \t]*#[ \t]*include[ \t]*"/ {
            h = $0; sub(/^[^"]*"/, "", h); sub(/".*/, "", h); print f, FNR, h
        }' "$f"
done >"$TMPROOT/edges"
nedges=$(wc -l <"$TMPROOT/edges" | tr -d ' ')

up=0
priv=0
used_allowed=
while read -r file line hdr; do
    allowed=no
    if printf '%s\n' "$ALLOWED" | grep -qx "$file $hdr"; then
        allowed=yes
        used_allowed="$used_allowed|$file $hdr"
    fi
    fl=$(layer_of "$file")
    hl=$(layer_of "$hdr")
    if [ -z "$hl" ]; then
        [ -f "$SRC/$hdr" ] || {
            not_ok "layers: src/$file:$line includes \"$hdr\", which is not a file of src/"
            up=$((up + 1))
        }
        continue
    fi
    [ -z "$fl" ] && continue # reported above as unplaced
    if [ "${hl%% *}" -gt "${fl%% *}" ] && [ $allowed = no ]; then
        not_ok "layers: src/$file:$line includes $hdr: ${fl#* } (layer ${fl%% *}) → ${hl#* } (layer ${hl%% *}), up a layer" \
            "move what $file needs into a lower layer, or pass it in from above"
        up=$((up + 1))
    fi
    case "$hdr" in
    *_priv.h)
        owner=${hdr%_priv.h}
        case "$file" in
        "$owner"*) ;;
        *)
            if [ $allowed = no ]; then
                not_ok "layers: src/$file:$line includes $hdr, private to $owner*"
                priv=$((priv + 1))
            fi
            ;;
        esac
        ;;
    esac
done <"$TMPROOT/edges"
[ "$up" -eq 0 ] && ok "layers: none of the $nedges includes of src/ runs up a layer"
[ "$priv" -eq 0 ] && ok "layers: every *_priv.h is included only by its own module"

# The allow-list only shrinks: an entry whose edge is gone must go.
stale=$(printf '%s\n' "$ALLOWED" | while read -r a b; do
    [ -z "$a" ] && continue
    case "$used_allowed|" in *"|$a $b|"*) ;; *) echo "$a $b" ;; esac
done)
if [ -n "$stale" ]; then
    not_ok "layers: every allowed edge still exists" "remove from ALLOWED in tests/e2e/layers.sh: $stale"
else
    ok "layers: the allow-list has $(printf '%s\n' "$ALLOWED" | grep -c .) entries, all still needed"
fi

# ---- The module table matches the files ------------------------------------
# Every file name or glob in `…` on the table's rows (any column).
section_rows 'Modules' | awk 'NR > 2 {
        n = split($0, w, "`")
        for (i = 2; i <= n; i += 2) if (w[i] ~ /^[a-z0-9_*]+\.[ch]$/) print w[i]
    }' >"$TMPROOT/modules"
# A header must be named; a .c file is covered by its own header's row, or
# by a name or glob of the table.
missing=
for f in "$SRC"/*.h; do
    b=${f##*/}
    grep -qx "$b" "$TMPROOT/modules" || missing="$missing $b"
done
for f in "$SRC"/*.c; do
    b=${f##*/}
    hit=no
    grep -qx "${b%.c}.h" "$TMPROOT/modules" && hit=yes
    while [ $hit = no ] && read -r g; do
        # shellcheck disable=SC2254
        case "$b" in $g) hit=yes ;; esac
    done <"$TMPROOT/modules"
    [ $hit = yes ] || missing="$missing $b"
done
if [ -z "$missing" ]; then
    ok "layers: docs/design.md's module table names every header and covers every .c file of src/"
else
    not_ok "layers: docs/design.md's module table names every file of src/" "missing:$missing"
fi
# ... and names no file that is gone.
gone=
while read -r g; do
    case "$g" in *.h | *.c) ;; *) continue ;; esac
    # shellcheck disable=SC2086 # $g may be a glob
    set -- $SRC/$g
    [ -e "$1" ] || gone="$gone $g"
done <"$TMPROOT/modules"
if [ -z "$gone" ]; then
    ok "layers: every file the module table names exists"
else
    not_ok "layers: every file the module table names exists" "gone:$gone"
fi
