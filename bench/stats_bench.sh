#!/usr/bin/env bash
# The statistics under a province's history (issue 7): N dossiers over five
# years, the real `motcua serve`, wrk on loopback, and the same figures by
# SQL GROUP BY in SQLite and PostgreSQL.
#
#   1. a fresh demo province in a temporary folder, plus 90 communes since the
#      reform and 270 before it, filled by `motcua seed-statistics` with N
#      dossiers (rows for counting: see src/app/seed_statistics_command.cpp);
#   2. `motcua serve` listens at once and counts them on a thread of its own
#      (statistics answer 503 meanwhile): the time to listen, the time to the
#      figures, the bytes the counters and the facts take; then a clean stop
#      (which saves the facts) and a restart that reads them back: the same
#      times again, and the process's resident memory;
#   3. GET /healthz, the server's own ceiling in this run;
#   4. GET /api/v1/statistics for random units (every unit of the province,
#      today's and former ones) and periods (days of the last two months,
#      months, quarters, years and Decree 09 report periods of five years),
#      half by today's units, some with rows by unit, procedure or field:
#      requests/s, p50 and p99 at 8 and at 64 connections;
#   5. bench/stats_groupby.py: the same figures by GROUP BY over the dossier
#      table in SQLite and (MOTCUA_BENCH_POSTGRES=1) in a PostgreSQL 15 server
#      started for the run and seeded with the same rows, each timed and
#      checked equal to motcua's answer.
#
# usage: bench/stats_bench.sh [dossiers, default 10000000] [seconds per run, default 10]
# env:   MOTCUA_BENCH_DIR=DIR seeds into DIR once and reuses it (10 M dossiers
#        take some 6 minutes and 8 GB in SQLite),
#        MOTCUA_BENCH_POSTGRES=1 also times PostgreSQL (seeding it takes longer),
#        MOTCUA_BENCH_KEEP=1 keeps the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
dossiers=${1:-10000000}
duration=${2:-10}

scripts/setup.sh
MOTCUA_BUILD_DIR=build scripts/build.sh >/dev/null

keep=${MOTCUA_BENCH_KEEP:-0}
if [ -n "${MOTCUA_BENCH_DIR:-}" ]; then
  work=$MOTCUA_BENCH_DIR
  keep=1
  mkdir -p "$work"
else
  work=$(mktemp -d)
fi
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ "${MOTCUA_BENCH_POSTGRES:-0}" = 1 ]; then stop_test_postgres || true; fi
  if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
db=sqlite:$work/data/m.db
# The same rows on every engine: one seed, one moment.
if [ ! -f "$work/seeded" ]; then
  rm -rf "$work/data"
  mkdir -p "$work/data"
  cp -r data/demo data/documents data/holidays data/statistics data/workflows "$work/data/"
  ./build/motcua migrate --db "$db" --log-level warn >/dev/null
  ./build/motcua demo --db "$db" --data-dir "$work/data" --log-level warn >/dev/null
  now=$(date -u +%Y-%m-%dT%H:00Z)
  echo "seeding $dossiers dossiers up to $now into SQLite..."
  ./build/motcua seed-statistics --db "$db" --data-dir "$work/data" --dossiers "$dossiers" --now "$now" --log-level warn
  echo "$dossiers $now" >"$work/seeded"
fi
read -r dossiers now <"$work/seeded"
echo "database: $(du -h "$work/data/m.db" | cut -f1), $dossiers dossiers up to $now"

pg_url=
if [ "${MOTCUA_BENCH_POSTGRES:-0}" = 1 ]; then
  source scripts/test_postgres.sh
  pg_dir=$(mktemp -d /tmp/motcua-pg.XXXXXX)
  chmod 755 "$pg_dir"
  start_cluster stats
  pg_url=$cluster_url
  ./build/motcua migrate --db "$pg_url" --log-level warn >/dev/null
  ./build/motcua demo --db "$pg_url" --data-dir "$work/data" --log-level warn >/dev/null
  echo "seeding $dossiers dossiers up to $now into PostgreSQL..."
  ./build/motcua seed-statistics --db "$pg_url" --data-dir "$work/data" --dossiers "$dossiers" --now "$now" --log-level warn
fi

# Read the database file once, as a server that has been up a while has it cached.
cat "$work/data/m.db" >/dev/null
start_server() {  # -> server, url, listen_ms, figures_ms, counted
  # The access log stays on (one line per request, as in production), into a file.
  : >"$work/serve.out"
  ./build/motcua serve --db "$db" --data-dir "$work/data" --listen 127.0.0.1:0 --log-level info \
    >"$work/serve.out" 2>&1 &
  server=$!
  local started_ns
  started_ns=$(date +%s%N)
  for _ in $(seq 60000); do grep -q 'motcua listening' "$work/serve.out" && break; sleep 0.01; done
  listen_ms=$((($(date +%s%N) - started_ns) / 1000000))
  url=$(grep -o 'http://[0-9.:]*' "$work/serve.out" | head -1)
  for _ in $(seq 60000); do grep -q '"statistics counted"' "$work/serve.out" && break; sleep 0.01; done
  figures_ms=$((($(date +%s%N) - started_ns) / 1000000))
  counted=$(grep -h '"statistics counted"' "$work/serve.out" | sed 's/.*"msg":"statistics counted",//; s/}$//')
}
# The first start counts from scratch, or from the snapshot a former run
# left (then it says "from":"snapshot"); a clean stop saves the facts; the
# second start reads them back (services/stats/stats_service.hpp).
start_server
first="listening after $listen_ms ms, figures after $figures_ms ms: $counted"
# Wait for the snapshot a count from scratch saves, then stop cleanly.
if grep -q '"from":"dossiers"' "$work/serve.out"; then
  for _ in $(seq 60000); do grep -q '"statistics snapshot saved"' "$work/serve.out" && break; sleep 0.01; done
fi
saved=$(grep -h '"statistics snapshot saved"' "$work/serve.out" | tail -1 | sed 's/.*"msg":"statistics snapshot saved",//; s/}$//')
stop_ns=$(date +%s%N)
kill -TERM "$server"
wait "$server" || true
stop_ms=$((($(date +%s%N) - stop_ns) / 1000000))
start_server
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")

token() {  # username -> an API token of that demo user
  local jar="$work/$1.cookies" csrf
  csrf=$(curl -s -c "$jar" -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"motcua-demo-2026\"}" "$url/api/v1/auth/login" |
    sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p')
  curl -s -b "$jar" -H 'content-type: application/json' -H "x-csrf-token: $csrf" \
    -d '{"name":"benchmark"}' "$url/api/v1/auth/tokens" | sed -n 's/.*"secret":"\([^"]*\)".*/\1/p'
}
admin=$(token admin)

# The questions: every unit, periods over five years.
curl -s "$url/api/v1/units?include_retired=true" | python3 -c '
import json, random, sys, datetime
random.seed(7)
units = json.load(sys.stdin)["items"]
today = datetime.date.today()
paths = []
for _ in range(20000):
    u = random.choice(units)
    kind = random.random()
    y = random.randint(today.year - 4, today.year)
    if kind < 0.15:
        p = (today - datetime.timedelta(days=random.randint(0, 60))).isoformat()
    elif kind < 0.45:
        p = f"{y}-{random.randint(1, 12):02d}"
    elif kind < 0.60:
        p = f"{y}-Q{random.randint(1, 4)}"
    elif kind < 0.70:
        p = f"{y}"
    elif kind < 0.90:
        p = f"bc-{y}-{random.randint(1, 12):02d}"
    else:
        p = random.choice([f"bc-{y}-Q{random.randint(1, 4)}", f"bc-{y}"])
    q = "/api/v1/statistics?unit=%d&period=%s" % (u["id"], p)
    if random.random() < 0.5: q += "&units=today"
    r = random.random()
    if r < 0.10: q += "&by=unit"
    elif r < 0.15 and kind >= 0.15: q += "&by=procedure"
    elif r < 0.20 and kind >= 0.15: q += "&by=field"
    paths.append(q)
print("\n".join(paths))' >"$work/paths.txt"

run() {  # connections, wrk arguments... -> "rps p50 p99 non2xx"
  local c=$1; shift
  wrk -t2 -c"$c" -d"${duration}s" --latency "$@" >"$work/wrk.out"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { errors = $5 }
    END { printf "%.0f %.2fms %.2fms %d\n", rps, p50, p99, errors }' "$work/wrk.out"
}
echo
echo "motcua statistics benchmark: $dossiers dossiers, wrk -d${duration}s on $(nproc) cores"
echo "first start: $first"
echo "snapshot saved: ${saved:-none (already current)}; clean stop in $stop_ms ms"
echo "restart: listening after $listen_ms ms, figures after $figures_ms ms (503 until then): $counted"
echo "server resident memory after counting: $((rss_kb / 1024)) MiB"
printf '%-48s %10s %9s %9s %7s %7s\n' run "req/s" p50 p99 ratio errors
for c in 8 64; do
  read -r base p50 p99 err < <(run "$c" "$url/healthz")
  printf '%-48s %10.0f %9s %9s %7s %7s\n' "GET /healthz (ceiling), $c connections" "$base" "$p50" "$p99" 1.00 "$err"
  read -r rps p50 p99 err < <(run "$c" -s bench/wrk/paths.lua "$url" -- "$admin" "$work/paths.txt")
  ratio=$(awk -v a="$rps" -v b="$base" 'BEGIN {printf "%.2f", a / b}')
  printf '%-48s %10.0f %9s %9s %7s %7s\n' "GET /api/v1/statistics (random), $c connections" "$rps" "$p50" "$p99" "$ratio" "$err"
done
echo
echo "the same figures by SQL GROUP BY over the dossier table:"
python3 bench/stats_groupby.py "$url" "$admin" "$work/data/m.db" $pg_url
