#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL cluster on a loopback port, run as the
# `postgres` user (initdb refuses root). Prints nothing secret.
#
#   scripts/pg.sh start   # initdb if needed, start, create the test role
#   scripts/pg.sh stop    # stop and delete the cluster
#   scripts/pg.sh env     # print the export lines the tests read
#
# SCHEMASYNC_PG_PORT (default 54329) and SCHEMASYNC_PG_DIR (default
# /tmp/schemasync-pg) choose where it runs.
set -euo pipefail

port="${SCHEMASYNC_PG_PORT:-54329}"
dir="${SCHEMASYNC_PG_DIR:-/tmp/schemasync-pg}"
bindir="$(pg_config --bindir 2>/dev/null || true)"
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
fi
[ -x "$bindir/initdb" ] || { echo "pg.sh: initdb not found; run scripts/install-deps.sh" >&2; exit 1; }

as_postgres() {
  if [ "$(id -un)" = "postgres" ]; then "$@"
  elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"
  else sudo -u postgres "$@"; fi
}

# The test role's password is fixed and local to this throwaway cluster.
test_user="schemasync"
test_password="schemasync-test"

case "${1:-}" in
  start)
    if [ ! -s "$dir/data/PG_VERSION" ]; then
      mkdir -p "$dir"
      chown postgres:postgres "$dir" 2>/dev/null || true
      as_postgres "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
      # Password auth over TCP for the test role, trust on the socket for setup.
      cat >"$dir/data/pg_hba.conf" <<HBA
local all postgres trust
local all all scram-sha-256
host  all postgres 127.0.0.1/32 trust
host  all all 127.0.0.1/32 scram-sha-256
host  all all ::1/128 scram-sha-256
HBA
      chown postgres:postgres "$dir/data/pg_hba.conf"
    fi
    if ! as_postgres "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_postgres "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=50 -c fsync=off -c full_page_writes=off -c max_locks_per_transaction=1024" \
        start >/dev/null
    fi
    as_postgres psql -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$test_user') THEN
    CREATE ROLE $test_user LOGIN SUPERUSER PASSWORD '$test_password';
  END IF;
END \$\$;
SQL
    echo "pg.sh: PostgreSQL running on 127.0.0.1:$port (data in $dir/data)"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_postgres "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
      rm -rf "$dir"
    fi
    echo "pg.sh: stopped"
    ;;
  env)
    echo "export SCHEMASYNC_TEST_PG_SERVER='postgresql://$test_user@127.0.0.1:$port'"
    echo "export SCHEMASYNC_TEST_PG_URL='postgresql://$test_user@127.0.0.1:$port/postgres'"
    echo "export SCHEMASYNC_TEST_PG_PASSWORD='$test_password'"
    echo "export SCHEMASYNC_TEST_PG_ADMIN='host=$dir port=$port user=postgres dbname=postgres'"
    echo "export SCHEMASYNC_TEST_PG_BINDIR='$bindir'"
    ;;
  *)
    echo "usage: scripts/pg.sh start|stop|env" >&2; exit 2 ;;
esac
