#!/usr/bin/env bash
# Starts or stops a throwaway MariaDB server on a loopback port and a unix
# socket, run as the `mysql` user (never via systemd or the service scripts):
# as root, mariadb-install-db runs under `runuser -u mysql` and mariadbd is
# started with --user=mysql. Reads no option files (/etc/mysql is ignored).
# Prints nothing secret.
#
#   scripts/mariadb.sh start   # install the system tables if needed, start, create the test user
#   scripts/mariadb.sh stop    # shut down and delete the data directory
#   scripts/mariadb.sh env     # print the export lines the tests read
#
# SCHEMASYNC_MARIADB_PORT (default 33069) and SCHEMASYNC_MARIADB_DIR (default
# /tmp/schemasync-mariadb) choose where it runs. Under the dir: data/ (datadir),
# mysqld.sock, mysqld.pid, error.log, install.log, binlog.* (the binary log).
#
# Administration: the root account uses unix_socket authentication, so the
# system root user (and only it) logs in as MariaDB root over the socket with
# no password. SCHEMASYNC_TEST_MARIADB_ADMIN is that client command line; run
# admin SQL with it, e.g.
#   $SCHEMASYNC_TEST_MARIADB_ADMIN -e 'SELECT 1'
#   $SCHEMASYNC_TEST_MARIADB_ADMIN scratchdb < file.sql
# (word-split it, do not quote it). A non-root user gets a `sudo -u mysql`
# command line instead, logging in as the MariaDB `mysql` account (also
# unix_socket, created by mariadb-install-db).
set -euo pipefail

port="${SCHEMASYNC_MARIADB_PORT:-33069}"
dir="${SCHEMASYNC_MARIADB_DIR:-/tmp/schemasync-mariadb}"
datadir="$dir/data"
socket="$dir/mysqld.sock"
pidfile="$dir/mysqld.pid"

find_tool() {
  local t
  for t in "$@"; do
    if command -v "$t" >/dev/null 2>&1; then command -v "$t"; return 0; fi
    if [ -x "/usr/sbin/$t" ]; then echo "/usr/sbin/$t"; return 0; fi
  done
  return 1
}

# The test user's password is fixed and local to this throwaway server.
test_user="schemasync"
test_password="schemasync-test"

# Admin client over the socket (see the header).
client_opts="--no-defaults --protocol=socket --socket=$socket --default-character-set=utf8mb4"
if [ "$(id -u)" -eq 0 ]; then admin_prefix=""; admin_user="root"
elif [ "$(id -un)" = "mysql" ]; then admin_prefix=""; admin_user="mysql"
else admin_prefix="sudo -u mysql "; admin_user="mysql"; fi

if [ "${1:-}" = "env" ]; then
  client="$(find_tool mariadb mysql || echo mariadb)"
  echo "export SCHEMASYNC_TEST_MARIADB_SERVER='mysql://$test_user@127.0.0.1:$port'"
  echo "export SCHEMASYNC_TEST_MARIADB_PASSWORD='$test_password'"
  echo "export SCHEMASYNC_TEST_MARIADB_SOCKET='$socket'"
  echo "export SCHEMASYNC_TEST_MARIADB_ADMIN='$admin_prefix$client $client_opts --user=$admin_user'"
  exit 0
fi

mariadbd="$(find_tool mariadbd mysqld)" \
  || { echo "mariadb.sh: mariadbd not found; run scripts/install-deps.sh" >&2; exit 1; }
install_db="$(find_tool mariadb-install-db mysql_install_db)" \
  || { echo "mariadb.sh: mariadb-install-db not found; run scripts/install-deps.sh" >&2; exit 1; }
client="$(find_tool mariadb mysql)" \
  || { echo "mariadb.sh: mariadb client not found; run scripts/install-deps.sh" >&2; exit 1; }
admin_tool="$(find_tool mariadb-admin mysqladmin)" \
  || { echo "mariadb.sh: mariadb-admin not found; run scripts/install-deps.sh" >&2; exit 1; }

as_mysql() {
  if [ "$(id -un)" = "mysql" ]; then "$@"
  elif [ "$(id -u)" -eq 0 ]; then runuser -u mysql -- "$@"
  else sudo -u mysql "$@"; fi
}

as_admin() {
  if [ -n "$admin_prefix" ]; then as_mysql "$@" --user="$admin_user"; else "$@" --user="$admin_user"; fi
}

# Exit status 0 when a server answers on our socket (even "access denied"
# counts as answering: that is how mariadb-admin ping behaves).
alive() {
  [ -S "$socket" ] || return 1
  # shellcheck disable=SC2086
  timeout 10 "$admin_tool" $client_opts --connect-timeout=2 --user="$admin_user" ping >/dev/null 2>&1
}

# The pid of the mariadbd serving our datadir: from the pid file, else found in
# /proc (the pid file appears only once the server is nearly up).
is_ours() {
  [ -r "/proc/$1/cmdline" ] && tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null \
    | grep -qxF -- "--datadir=$datadir"
}
server_pid() {
  local pid p
  if [ -s "$pidfile" ]; then
    pid="$(cat "$pidfile" 2>/dev/null || true)"
    if [ -n "$pid" ] && is_ours "$pid"; then echo "$pid"; return 0; fi
  fi
  for p in /proc/[0-9]*; do
    p="${p#/proc/}"
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "mariadbd" ] \
      || [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "mysqld" ] || continue
    if is_ours "$p"; then echo "$p"; return 0; fi
  done
  return 1
}

case "${1:-}" in
  start)
    if [ ! -d "$datadir/mysql" ]; then
      rm -rf "$datadir"
      mkdir -p "$dir"
      chown mysql:mysql "$dir" 2>/dev/null || true
      chmod 0755 "$dir"
      # Root gets unix_socket auth (invalid password); `mysql`@localhost too.
      as_mysql "$install_db" --no-defaults --user=mysql --datadir="$datadir" \
        --auth-root-authentication-method=socket --skip-test-db \
        --skip-name-resolve >"$dir/install.log" 2>&1 \
        || { cat "$dir/install.log" >&2; exit 1; }
    fi
    if ! alive; then
      rm -f "$socket" "$socket.lock" "$pidfile"
      # Test settings: loopback only, no DNS, relaxed durability; the binary
      # log on (files binlog.NNNNNN in the server dir), as on most production
      # servers, so the rename hints of docs/capture-mysql.md are read.
      # table_definition_cache is deliberately left at its default.
      server_args=(
        --no-defaults
        --datadir="$datadir" --socket="$socket" --pid-file="$pidfile"
        --log-error="$dir/error.log" --port="$port" --bind-address=127.0.0.1
        --skip-name-resolve --max-connections=100
        --log-bin="$dir/binlog" --binlog-format=ROW --server-id=1
        --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci
        --innodb-flush-log-at-trx-commit=2 --innodb-doublewrite=0
        --sync-binlog=0 --innodb-fast-shutdown=1
      )
      # setsid -f: detached from the caller's session and process group, like
      # a pg_ctl-started server, so it outlives the shell that started it.
      # As root, mariadbd itself switches to `mysql` (--user) right after raising
      # its open-files limit; under runuser, pam_limits would cap the soft limit
      # at 1024 and mariadbd would shrink table_open_cache (2000 -> ~450).
      if [ "$(id -un)" = "mysql" ]; then launch=()
      elif [ "$(id -u)" -eq 0 ]; then launch=(); server_args+=(--user=mysql)
      else launch=(sudo -n -u mysql); fi
      setsid -f "${launch[@]}" "$mariadbd" "${server_args[@]}" \
        </dev/null >>"$dir/server.out" 2>&1
      # Wait (at most 60 s) until it answers; give up early if it died.
      ok=0
      for i in $(seq 1 120); do
        if alive; then ok=1; break; fi
        if [ "$i" -gt 4 ] && ! server_pid >/dev/null; then break; fi
        sleep 0.5
      done
      if [ "$ok" -ne 1 ]; then
        echo "mariadb.sh: server did not come up; last lines of $dir/error.log:" >&2
        tail -n 30 "$dir/error.log" >&2 2>/dev/null || true
        exit 1
      fi
    fi
    # Idempotent: CREATE ... IF NOT EXISTS, then (re)set the password and grants.
    # shellcheck disable=SC2086
    as_admin "$client" $client_opts --batch <<SQL
CREATE USER IF NOT EXISTS '$test_user'@'127.0.0.1' IDENTIFIED BY '$test_password';
CREATE USER IF NOT EXISTS '$test_user'@'localhost' IDENTIFIED BY '$test_password';
ALTER USER '$test_user'@'127.0.0.1' IDENTIFIED BY '$test_password';
ALTER USER '$test_user'@'localhost' IDENTIFIED BY '$test_password';
GRANT ALL PRIVILEGES ON *.* TO '$test_user'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$test_user'@'localhost' WITH GRANT OPTION;
-- ALL PRIVILEGES includes BINLOG MONITOR (SHOW BINARY LOGS, SHOW BINLOG EVENTS).
SQL
    echo "mariadb.sh: MariaDB running on 127.0.0.1:$port and $socket (data in $datadir)"
    ;;
  stop)
    if [ -d "$dir" ]; then
      if alive; then
        # shellcheck disable=SC2086
        as_admin timeout 30 "$admin_tool" $client_opts --shutdown-timeout=25 shutdown \
          >/dev/null 2>&1 || true
      fi
      # Bounded: shutdown waits <= 30 s, then 10 s more, then TERM (10 s), then KILL.
      for _ in $(seq 1 20); do server_pid >/dev/null || break; sleep 0.5; done
      if pid="$(server_pid)"; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 20); do server_pid >/dev/null || break; sleep 0.5; done
      fi
      if pid="$(server_pid)"; then kill -KILL "$pid" 2>/dev/null || true; sleep 1; fi
      rm -rf "$dir"
    fi
    echo "mariadb.sh: stopped"
    ;;
  *)
    echo "usage: scripts/mariadb.sh start|stop|env" >&2; exit 2 ;;
esac
