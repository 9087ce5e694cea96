# Sourced by scripts/test.sh: starts two PostgreSQL 15 servers for the tests,
# in a temporary folder, as the postgres user (when run as root), on free
# loopback ports. The first is shared by the tests (each in a schema of its
# own): MOTCUA_TEST_POSTGRES_URL. The second belongs to the one test that
# stops and starts its server under load: MOTCUA_TEST_POSTGRES_RESTART_URL,
# with the commands that stop and start it in MOTCUA_TEST_POSTGRES_RESTART_STOP
# and MOTCUA_TEST_POSTGRES_RESTART_START. stop_test_postgres stops both and
# removes the folder.

pg_bin=/usr/lib/postgresql/15/bin
pg_dir=

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# cluster NAME: initdb into $pg_dir/NAME, start it on a free port, make the
# motcua role and database; sets cluster_url, cluster_start and cluster_stop.
start_cluster() {
  local dir=$pg_dir/$1 port password=motcua-test
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir "$dir"
  echo "$password" >"$dir/pw"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$dir"; fi
  # Passwords over TCP (as motcua connects), trust on the folder's own socket
  # (for the set-up below only).
  as_postgres "$pg_bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pw" -E UTF8 --locale=C.UTF-8 \
    --auth-host=scram-sha-256 --auth-local=trust >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; return 1; }
  local run_as=
  if [ "$(id -u)" -eq 0 ]; then run_as="runuser -u postgres --"; fi
  cluster_start="$run_as $pg_bin/pg_ctl -D $dir/data -l $dir/server.log -w -t 60 -o '-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300' start"
  cluster_stop="$run_as $pg_bin/pg_ctl -D $dir/data -m fast -w stop"
  sh -c "$cluster_start" >/dev/null || { cat "$dir/server.log" >&2; return 1; }
  as_postgres psql -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE motcua LOGIN PASSWORD '$password'" -c "CREATE DATABASE motcua_test OWNER motcua" >/dev/null
  cluster_url="postgresql://motcua:$password@127.0.0.1:$port/motcua_test"
}

start_test_postgres() {
  pg_dir=$(mktemp -d /tmp/motcua-pg.XXXXXX)
  chmod 755 "$pg_dir"
  start_cluster shared || return 1
  export MOTCUA_TEST_POSTGRES_URL=$cluster_url
  start_cluster restart || return 1
  export MOTCUA_TEST_POSTGRES_RESTART_URL=$cluster_url
  export MOTCUA_TEST_POSTGRES_RESTART_START=$cluster_start
  export MOTCUA_TEST_POSTGRES_RESTART_STOP=$cluster_stop
  echo "== PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') for the tests on ${MOTCUA_TEST_POSTGRES_URL##*@} and ${MOTCUA_TEST_POSTGRES_RESTART_URL##*@} =="
}

stop_test_postgres() {
  local dir
  for dir in "$pg_dir"/shared "$pg_dir"/restart; do
    if [ -n "$pg_dir" ] && [ -d "$dir/data" ]; then
      as_postgres "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
  done
  if [ -n "$pg_dir" ]; then rm -rf "$pg_dir"; fi
  pg_dir=
}
