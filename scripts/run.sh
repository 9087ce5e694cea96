#!/usr/bin/env bash
# Builds motcua, creates data/motcua.db with the demo province on first run,
# and serves it on http://127.0.0.1:8080 (override with MOTCUA_LISTEN).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
MOTCUA_BUILD_DIR=build scripts/build.sh -DMOTCUA_BUILD_TESTS=OFF -DMOTCUA_BUILD_BENCHMARKS=OFF >/dev/null
scripts/build_web.sh >/dev/null

listen=${MOTCUA_LISTEN:-127.0.0.1:8080}
db=${MOTCUA_DB:-sqlite:data/motcua.db}
mkdir -p data
./build/motcua migrate --db "$db"
# --if-empty succeeds on a database that already holds the demo (and prints
# the logins again); any other failure stops here with motcua's message.
./build/motcua demo --db "$db" --data-dir data --if-empty
# Some 400 dossiers received at the demo's staffed counters over the last six
# weeks, each taken through its workflow by the demo's officers, specialists
# and leaders: open ones wait in their inboxes. Once: --if-empty.
./build/motcua seed --db "$db" --data-dir data --dossiers 400 --from "$(date -d '-45 days' +%F)" \
  --actors staff --if-empty --log-level warn
echo
echo "motcua is serving at http://${listen}/   (Ctrl+C to stop)"
exec ./build/motcua serve --listen "$listen" --db "$db" --data-dir data --web-dir web/dist
