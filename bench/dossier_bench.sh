#!/usr/bin/env bash
# The one-stop core under load (issue 3): a database of N generated
# dossiers, the real `motcua serve`, and wrk on loopback.
#
#   1. a fresh demo province in a temporary folder, filled by `motcua seed`
#      with N dossiers of realistic shape (plus dossiers parked in
#      processing for the transition run);
#   2. GET /healthz, the server's own ceiling in this run;
#   3. durable workflow transitions (request supplements / supplements
#      received, alternately, each on another dossier);
#   4. durable submissions at a counter;
#   5. public lookups by number and secret;
#   6. inbox queries of a commune's officer and specialist.
# Prints requests/s, p50 and p99 of each, and each rate as a ratio of the
# /healthz ceiling. SQLite runs with synchronous=FULL: every acknowledged
# write is on disk.
#
# usage: bench/dossier_bench.sh [dossiers, default 1000000] [seconds per run, default 10]
# env:   MOTCUA_BENCH_CONNECTIONS (default 64), MOTCUA_BENCH_LOG_LEVEL (default
#        info: one access-log line per request, as in production),
#        MOTCUA_BENCH_KEEP=1 keeps the folder (its path is printed),
#        MOTCUA_BENCH_DIR=DIR seeds into DIR once and reuses it on later runs
#        (a 1 M database takes some 20 minutes to seed),
#        MOTCUA_BENCH_ONLY=REGEX runs the scenarios whose name matches
#        (healthz, transitions, submit, lookup, inbox, inbox2, inbox3, inbox4),
#        MOTCUA_BENCH_DB=postgresql://... runs on that (empty) PostgreSQL
#        database or schema instead of a SQLite file in the folder,
#        MOTCUA_BENCH_SERVERS=2 starts two `motcua serve` processes on the
#        database and splits the connections between them (one wrk each, at
#        once; req/s are summed, p50 and p99 are the higher of the two),
#        MOTCUA_BENCH_SYNC=1 syncs every change to the national portal's
#        stand-in (tests/standins/dvcqg, its own process, memory only) as a
#        province does, and prints afterwards how long the outbox took to
#        drain and the delivery lag's p99 (docs/integrations.md),
#        MOTCUA_BENCH_NOTIFY=1 sends the citizens' notices too: e-mail to a
#        real SMTP server (Debian's aiosmtpd, tests/standins/smtp), Zalo ZNS
#        and SMS to their stand-ins, each at nice 19
set -euo pipefail
cd "$(dirname "$0")/.."
dossiers=${1:-1000000}
duration=${2:-10}
connections=${MOTCUA_BENCH_CONNECTIONS:-64}
log_level=${MOTCUA_BENCH_LOG_LEVEL:-info}
# Enough parked dossiers that no two in-flight requests touch one dossier.
parked=$((connections * 64))

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
server2=
portal=
notifiers=
servers=${MOTCUA_BENCH_SERVERS:-1}
cleanup() {
  for pid in $server $server2 $portal $notifiers; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
db=${MOTCUA_BENCH_DB:-sqlite:$work/data/m.db}
size() {  # of the database
  if [[ $db == sqlite:* ]]; then du -h "$work/data/m.db" | cut -f1; else echo "on PostgreSQL"; fi
}
reused=0
if [ -f "$work/seeded" ]; then
  reused=1
  echo "reusing $(cat "$work/seeded") in $work; database $(size)"
  dossiers=$(cut -d' ' -f1 "$work/seeded")
  # Each run numbers its counter submissions in the same commune and day: a
  # day holds 99,999 numbers per agency (core/dossier/dossier_number.hpp), so
  # later runs of the same day may see the submissions refused (errors).
  echo "note: counter submissions of earlier runs today count against the commune's 99,999 numbers a day"
  # A folder seeded before a schema change gets the new migrations.
  ./build/motcua migrate --db "$db" --log-level warn >/dev/null
else
  rm -rf "$work/data"
  mkdir -p "$work/data"
  cp -r data/demo data/documents data/holidays data/integrations data/notifications data/statistics \
    data/workflows "$work/data/"
  ./build/motcua migrate --db "$db" --log-level warn >/dev/null
  ./build/motcua demo --db "$db" --data-dir "$work/data" --log-level warn >/dev/null
  echo "seeding $dossiers dossiers (and $parked parked in processing)..."
  seed_start=$(date +%s)
  ./build/motcua seed --db "$db" --data-dir "$work/data" --dossiers "$dossiers" --parked "$parked" \
    --out "$work" --log-level warn
  echo "seeded in $(( $(date +%s) - seed_start )) s; database $(size)"
  echo "$dossiers dossiers" >"$work/seeded"
fi

# Read the database file once, so that the runs see it in the page cache as a
# server that has been up for a while does (a fresh seed leaves part of it out).
if [[ $db == sqlite:* ]]; then cat "$work/data/m.db" >/dev/null; fi
# The submission limits are lifted: the benchmark submits from one account
# at the server's own pace (docs/api.md has the limits users get).
limits=1000000,1000000,416666
sync_args=()
if [ "${MOTCUA_BENCH_SYNC:-0}" = 1 ]; then
  mkdir -p "$work/data/integrations" && cp data/integrations/*.json "$work/data/integrations/"
  # The real portal runs elsewhere: its stand-in takes only what CPU the
  # server leaves (nice 19), so that the figures are motcua's.
  nice -n 19 node tests/standins/dvcqg/server.mjs --port 0 >"$work/portal.out" 2>/dev/null &
  portal=$!
  for _ in $(seq 200); do grep -q listening "$work/portal.out" && break; sleep 0.05; done
  sync_args=(--dvcqg-url "http://127.0.0.1:$(sed -n 's/listening on //p' "$work/portal.out")"
    --dvcqg-username motcua --dvcqg-password motcua-test)
fi
if [ "${MOTCUA_BENCH_NOTIFY:-0}" = 1 ]; then
  mkdir -p "$work/data/notifications" && cp data/notifications/*.json "$work/data/notifications/"
  started_port=
  start_standin() {  # name, command... -> starts it at nice 19; its port in $started_port
    local name=$1; shift
    nice -n 19 "$@" --port 0 >"$work/$name.out" 2>/dev/null &
    notifiers="$notifiers $!"
    for _ in $(seq 200); do grep -q listening "$work/$name.out" && break; sleep 0.05; done
    started_port=$(sed -n 's/listening on //p' "$work/$name.out")
  }
  start_standin smtp /usr/bin/python3 tests/standins/smtp/mailbox.py --out "$work/mail.jsonl"
  smtp_port=$started_port
  start_standin zalo node tests/standins/zalo/server.mjs
  zalo_port=$started_port
  start_standin sms node tests/standins/sms/server.mjs
  sms_port=$started_port
  sync_args+=(--smtp-url "smtp://127.0.0.1:$smtp_port" --smtp-from "Một cửa <no-reply@bench.example>"
    --zalo-url "http://127.0.0.1:$zalo_port" --zalo-access-token zalo-test-token
    --sms-url "http://127.0.0.1:$sms_port" --sms-token sms-test-token --notify-quiet-hours none)
fi
./build/motcua serve --db "$db" --data-dir "$work/data" --listen 127.0.0.1:0 \
  --submission-limits "$limits" --log-level "$log_level" "${sync_args[@]}" >"$work/serve.out" 2>/dev/null &
server=$!
for _ in $(seq 200); do grep -q listening "$work/serve.out" && break; sleep 0.05; done
url=$(grep -o 'http://[0-9.:]*' "$work/serve.out")
url2=
if [ "$servers" = 2 ]; then
  ./build/motcua serve --db "$db" --data-dir "$work/data" --listen 127.0.0.1:0 \
    --submission-limits "$limits" --log-level "$log_level" "${sync_args[@]}" >"$work/serve2.out" 2>/dev/null &
  server2=$!
  for _ in $(seq 200); do grep -q listening "$work/serve2.out" && break; sleep 0.05; done
  url2=$(grep -o 'http://[0-9.:]*' "$work/serve2.out")
fi

token() {  # username -> an API token of that demo user
  local jar="$work/$1.cookies" csrf id
  csrf=$(curl -s -c "$jar" -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"motcua-demo-2026\"}" "$url/api/v1/auth/login" |
    sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p')
  # The tokens of earlier runs on a kept folder go first: an account holds
  # at most 20.
  for id in $(curl -s -b "$jar" "$url/api/v1/auth/tokens" | python3 -c \
    "import json,sys; print(' '.join(str(t['id']) for t in json.load(sys.stdin)['items'] if t['name']=='benchmark'))"); do
    curl -s -o /dev/null -b "$jar" -H "x-csrf-token: $csrf" -X DELETE "$url/api/v1/auth/tokens/$id"
  done
  curl -s -b "$jar" -H 'content-type: application/json' -H "x-csrf-token: $csrf" \
    -d '{"name":"benchmark"}' "$url/api/v1/auth/tokens" | sed -n 's/.*"secret":"\([^"]*\)".*/\1/p'
}
admin=$(token admin)
officer=$(token motcua.phandinhphung)
# Submissions go to another commune, so that they do not swell the inbox
# measured after them.
counter=$(token motcua.babe)
specialist=$(token chuyenvien.phandinhphung)
unit_id() {  # agency code -> unit id
  curl -s "$url/api/v1/units?kind=commune" | python3 -c \
    "import json,sys; print([u['id'] for u in json.load(sys.stdin)['items'] if u['agency_code']=='$1'][0])"
}
counter_unit=$(unit_id 000.54.00.H55)

wanted() { [[ $1 == healthz || $1 =~ ${MOTCUA_BENCH_ONLY:-.} ]]; }
run() {  # name, wrk arguments... -> "rps p50 p99 errors"; MOTCUA_C overrides the connections
  local name=$1; shift
  if ! wanted "$name"; then echo "0 - - -"; return; fi
  local c=${MOTCUA_C:-$connections} a args1=() args2=()
  # @OFFSET@: the first slice of this wrk's dossiers (transitions.lua).
  for a in "$@"; do
    args1+=("${a/@OFFSET@/0}")
    a=${a/@OFFSET@/1}
    args2+=("${a/$url/$url2}")
  done
  if [ "$servers" = 2 ]; then
    wrk -t1 -c$((c / 2)) -d"${duration}s" --latency "${args1[@]}" >"$work/wrk1.out" &
    local first=$!
    wrk -t1 -c$((c / 2)) -d"${duration}s" --latency "${args2[@]}" >"$work/wrk2.out"
    wait "$first"
  else
    wrk -t2 -c"$c" -d"${duration}s" --latency "${args1[@]}" >"$work/wrk1.out"
    : >"$work/wrk2.out"
  fi
  # Sums the rates and errors, takes the higher latencies (in ms).
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps += $2 }
    $1 == "50%" { if (ms($2) > p50) p50 = ms($2) }
    $1 == "99%" { if (ms($2) > p99) p99 = ms($2) }
    /Non-2xx/ { errors += $5 }
    END { printf "%.0f %.2fms %.2fms %d\n", rps, p50, p99, errors }' "$work/wrk1.out" "$work/wrk2.out"
}
row() {  # label, rps, p50, p99, errors
  local ratio
  [ "$3" = - ] && return
  ratio=$(awk -v a="$2" -v b="$base_rps" 'BEGIN {printf "%.2f", a / b}')
  printf '%-46s %10.0f %9s %9s %7s %7s\n' "$1" "$2" "$3" "$4" "$ratio" "$5"
}

echo
engine="SQLite synchronous=FULL"
if [[ $db != sqlite:* ]]; then engine="PostgreSQL synchronous_commit=$(psql "$db" -Atc 'SHOW synchronous_commit' 2>/dev/null || echo '?')"; fi
sync_note="national portal sync off"
[ -n "$portal" ] && sync_note="national portal sync ON (stand-in)"
[ -n "$notifiers" ] && sync_note="$sync_note, notifications ON (SMTP, Zalo, SMS)"
echo "motcua dossier benchmark: $dossiers dossiers, $servers server process(es), wrk -c$connections -d${duration}s on $(nproc) cores, log level $log_level, $engine, $sync_note"
printf '%-46s %10s %9s %9s %7s %7s\n' run "req/s" p50 p99 ratio errors
read -r base_rps p50 p99 err < <(run healthz "$url/healthz")
row "GET /healthz (ceiling)" "$base_rps" "$p50" "$p99" "$err"
if [ "$reused" = 1 ] && wanted transitions; then
  # A run that ended halfway through a round left some parked dossiers
  # waiting for supplements: bring those back to processing, so that the
  # walk below starts with every one of them in the same state.
  xargs -P 4 -I@ curl -s -o /dev/null -X POST -H "Authorization: Bearer $admin" \
    -H 'Content-Type: application/json' -d '{}' "$url/api/v1/dossiers/@/actions/supplement" <"$work/parked.txt"
fi
read -r rps p50 p99 err < <(run transitions -s bench/wrk/transitions.lua "$url" -- "$work/parked.txt" "$admin" 2 @OFFSET@)
row "POST .../actions/{action} (durable)" "$rps" "$p50" "$p99" "$err"
read -r rps p50 p99 err < <(run submit -s bench/wrk/submit.lua "$url" -- "$counter" "$counter_unit" 1.004873.000.00.00.H56)
row "POST /api/v1/dossiers at a counter (durable)" "$rps" "$p50" "$p99" "$err"
read -r rps p50 p99 err < <(run lookup -s bench/wrk/lookup.lua "$url" -- "$work/lookups.tsv")
row "GET /api/v1/lookup (public)" "$rps" "$p50" "$p99" "$err"
read -r rps p50 p99 err < <(run inbox -s bench/wrk/get.lua "$url" -- "$officer" /api/v1/inbox)
row "GET /api/v1/inbox (commune officer)" "$rps" "$p50" "$p99" "$err"
read -r rps p50 p99 err < <(run inbox2 -s bench/wrk/get.lua "$url" -- "$specialist" /api/v1/inbox)
row "GET /api/v1/inbox (commune specialist)" "$rps" "$p50" "$p99" "$err"
read -r rps p50 p99 err < <(run inbox3 -s bench/wrk/get.lua "$url" -- "$specialist" "/api/v1/inbox?due=overdue")
row "GET /api/v1/inbox?due=overdue (specialist)" "$rps" "$p50" "$p99" "$err"
read -r rps p50 p99 err < <(run inbox4 -s bench/wrk/get.lua "$url" -- "$officer" "/api/v1/inbox?q=nguyen%20van")
row "GET /api/v1/inbox?q=nguyen van (officer)" "$rps" "$p50" "$p99" "$err"

# Latency as an officer sees it: eight people at once rather than a saturating
# crowd (the figures above are throughput; at 64 connections a request waits
# for the 63 ahead of it).
echo
echo "the same with 8 connections (latency):"
printf '%-46s %10s %9s %9s %7s %7s\n' run "req/s" p50 p99 ratio errors
read -r base_rps p50 p99 err < <(MOTCUA_C=8 run healthz "$url/healthz")
row "GET /healthz (ceiling)" "$base_rps" "$p50" "$p99" "$err"
read -r rps p50 p99 err < <(MOTCUA_C=8 run lookup -s bench/wrk/lookup.lua "$url" -- "$work/lookups.tsv")
row "GET /api/v1/lookup (public)" "$rps" "$p50" "$p99" "$err"
read -r rps p50 p99 err < <(MOTCUA_C=8 run inbox -s bench/wrk/get.lua "$url" -- "$officer" /api/v1/inbox)
row "GET /api/v1/inbox (commune officer)" "$rps" "$p50" "$p99" "$err"
read -r rps p50 p99 err < <(MOTCUA_C=8 run inbox2 -s bench/wrk/get.lua "$url" -- "$specialist" /api/v1/inbox)
row "GET /api/v1/inbox (commune specialist)" "$rps" "$p50" "$p99" "$err"
read -r rps p50 p99 err < <(MOTCUA_C=8 run inbox4 -s bench/wrk/get.lua "$url" -- "$officer" "/api/v1/inbox?q=nguyen%20van")
row "GET /api/v1/inbox?q=nguyen van (officer)" "$rps" "$p50" "$p99" "$err"

# With sync on: how long the outbox took to drain after the load, and the
# delivery lag (commit to the portal's acknowledgement) the workers saw.
if [ -n "$portal$notifiers" ]; then
  metric() { curl -s "$url/metrics" | awk -v m="$1" '$1 ~ "^"m"[{]" {s += $2} END {print s + 0}'; }
  drain_start=$(date +%s.%N)
  for _ in $(seq 6000); do
    [ "$(metric motcua_outbox_pending)" = 0 ] && break
    sleep 0.1
  done
  drained=$(awk -v a="$drain_start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
  echo
  echo "delivery (every destination): $(metric motcua_delivery_delivered_total) messages acknowledged," \
    "$(metric motcua_outbox_pending) still pending, $(metric motcua_outbox_dead) dead;" \
    "the backlog drained ${drained} s after the load; delivery lag p99 (s):" \
    "$(curl -s "$url/metrics" | awk '$1 ~ /^motcua_delivery_lag_p99_seconds[{]/ {printf "%s %s  ", $1, $2}')"
fi
