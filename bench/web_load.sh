#!/bin/sh
# bench/web_load.sh - load figures of `samla serve` for docs/web.md (issue
# 14): wrk on the overview page for 10 s with 8 connections, first alone,
# then with 200 slow sockets (tests/web/slowloris.py) held open from the
# same address. Prints wrk's requests/s and latency percentiles (p50, p99).
# Usage: sh bench/web_load.sh [SAMLA] (default build/samla, an optimised
# build). Not part of make check: it measures speed.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SAMLA=${1:-$ROOT/build/samla}
T=$(mktemp -d)
cp -R "$ROOT/ledgers/samla" "$T/book"
SAMLA_TODAY=2026-04-10 "$SAMLA" -f "$T/book" serve --port 0 >"$T/out" 2>"$T/err" &
pid=$!
i=0; while ! grep -q 'logga in:' "$T/out" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
login=$(sed -n 's|.*logga in: ||p' "$T/out")
port=$(printf '%s\n' "$login" | sed -n 's|.*:\([0-9]*\)/?token.*|\1|p')
curl -s -c "$T/jar" -o /dev/null "$login"
cookie=$(awk -v p="samla-session-$port" '$6 == p {print $6 "=" $7}' "$T/jar")
cat >"$T/lat.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("requests/s %.0f  p50 %.1f ms  p99 %.1f ms  max %.1f ms  errors %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
LUA
echo "== overview, no slow sockets"
wrk -t2 -c8 -d10s -H "Cookie: $cookie" -s "$T/lat.lua" "http://127.0.0.1:$port/" | tail -1
echo "== overview, 200 slow sockets held open"
python3 "$ROOT/tests/web/slowloris.py" "$port" "$cookie" 14 200 >"$T/slow" 2>&1 &
slow=$!
sleep 2
wrk -t2 -c8 -d10s -H "Cookie: $cookie" -s "$T/lat.lua" "http://127.0.0.1:$port/" | tail -1
wait "$slow"
grep '^times\|^slow_' "$T/slow"
kill "$pid"; wait "$pid"
rm -rf "$T"
