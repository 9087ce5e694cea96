# Sourced by scripts/test.sh: starts a PostgreSQL 15 server for the tests, in
# a temporary folder, as the postgres user (when run as root), on a free
# loopback port, and exports MOTCUA_TEST_POSTGRES_URL. stop_test_postgres
# stops it and removes the folder.

pg_bin=/usr/lib/postgresql/15/bin
pg_dir=

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_test_postgres() {
  pg_dir=$(mktemp -d /tmp/motcua-pg.XXXXXX)
  chmod 700 "$pg_dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$pg_dir"; fi
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  local password=motcua-test
  echo "$password" >"$pg_dir/pw"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$pg_dir/pw"; fi
  # Passwords over TCP (as motcua connects), trust on the folder's own socket
  # (for the set-up below only).
  as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --pwfile="$pg_dir/pw" -E UTF8 --locale=C.UTF-8 \
    --auth-host=scram-sha-256 --auth-local=trust >"$pg_dir/initdb.log" 2>&1 ||
    { cat "$pg_dir/initdb.log" >&2; return 1; }
  as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir -c max_connections=300" start >/dev/null ||
    { cat "$pg_dir/server.log" >&2; return 1; }
  as_postgres psql -q -h "$pg_dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE motcua LOGIN PASSWORD '$password'" -c "CREATE DATABASE motcua_test OWNER motcua" >/dev/null
  export MOTCUA_TEST_POSTGRES_URL="postgresql://motcua:$password@127.0.0.1:$port/motcua_test"
  echo "== PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') for the tests on 127.0.0.1:$port =="
}

stop_test_postgres() {
  if [ -n "$pg_dir" ] && [ -d "$pg_dir/data" ]; then
    as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ -n "$pg_dir" ]; then rm -rf "$pg_dir"; fi
  pg_dir=
}
