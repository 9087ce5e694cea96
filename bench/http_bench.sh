#!/usr/bin/env bash
# Load test of the real motcua server with wrk on loopback.
#
# Builds motcua (Release), creates a fresh demo database in a temporary folder,
# starts `motcua serve`, and drives it with wrk: first the bare GET /healthz
# (the server's own ceiling on this machine), then real endpoints. Prints
# requests/s, p50 and p99 for each, and each endpoint's rate as a ratio of
# the /healthz ceiling measured in the same run.
#
# usage: bench/http_bench.sh [seconds per endpoint, default 10]
# env:   MOTCUA_BENCH_CONNECTIONS (default 64), MOTCUA_BENCH_SERVER_THREADS
#        (default: one per core), MOTCUA_BENCH_LOG_LEVEL (default info: the
#        access log stays on, as in production)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${MOTCUA_BENCH_CONNECTIONS:-64}
threads=${MOTCUA_BENCH_SERVER_THREADS:-0}
log_level=${MOTCUA_BENCH_LOG_LEVEL:-info}

scripts/setup.sh
MOTCUA_BUILD_DIR=build scripts/build.sh >/dev/null

work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/data"
cp -r data/demo data/documents data/holidays data/statistics data/workflows "$work/data/"
./build/motcua demo --db "sqlite:$work/data/m.db" --data-dir "$work/data" >/dev/null 2>&1

./build/motcua serve --db "sqlite:$work/data/m.db" --data-dir "$work/data" --listen 127.0.0.1:0 \
  --threads "$threads" --log-level "$log_level" >"$work/serve.out" 2>/dev/null &
server=$!
for _ in $(seq 100); do grep -q listening "$work/serve.out" && break; sleep 0.05; done
url=$(grep -o 'http://[0-9.:]*' "$work/serve.out")

run() {  # name path -> "rps p50 p99"
  local out
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$url$2")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  if grep -q "Non-2xx" <<<"$out"; then echo "warning: $1 had non-2xx answers" >&2; fi
  echo "$rps $p50 $p99"
}

echo "motcua HTTP benchmark: wrk -t2 -c$connections -d${duration}s on $(nproc) cores, server threads=${threads} (0 = per core), log level $log_level"
read -r base_rps base_p50 base_p99 < <(run healthz /healthz)
printf '%-34s %12s %10s %10s %8s\n' endpoint "req/s" p50 p99 ratio
printf '%-34s %12.0f %10s %10s %8s\n' "GET /healthz (ceiling)" "$base_rps" "$base_p50" "$base_p99" "1.00"
for path in "/api/v1/units" "/api/v1/units/1" "/api/v1/units?kind=commune"; do
  read -r rps p50 p99 < <(run "$path" "$path")
  ratio=$(awk -v a="$rps" -v b="$base_rps" 'BEGIN {printf "%.2f", a / b}')
  printf '%-34s %12.0f %10s %10s %8s\n' "GET $path" "$rps" "$p50" "$p99" "$ratio"
done
