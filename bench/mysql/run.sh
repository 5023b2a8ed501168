#!/usr/bin/env bash
# bench/mysql/run.sh: time `schemasync inspect` against the information_schema floor
# and mariadb-dump --no-data on synthetic MariaDB catalogs of a few sizes.
#
#   bench/mysql/run.sh [--sizes 1000,10000] [--runs 3] [--schemasync PATH]
#
#   --sizes       comma-separated table counts (default 1000,10000); each size gets
#                 5 databases bench_<size>_1 … bench_<size>_5 built by generate.py
#   --runs        timed runs per command and size (default 3); medians are reported
#   --schemasync  the binary to time (default <repo>/.build/release/schemasync; a
#                 relative PATH is taken from the current directory). If it does not
#                 exist its row says "schemasync: not built".
#
# It uses the throwaway server of scripts/mariadb.sh (started if it is not running).
# The bench databases are kept between runs and rebuilt only when missing or built by
# a different generate.py or size (its sha256 and the size are the first database's
# comment). The three commands connect the same way: the test account over TCP to
# 127.0.0.1 with MYSQL_PWD, and read the same 5 databases. Each timed command runs under
# `timeout 900` and /usr/bin/time (wall seconds, peak RSS of the client process); the
# commands alternate run by run.
#
# The report (Markdown) goes to stdout, progress to stderr:
#   bench/mysql/run.sh > bench/results/mariadb-$(date +%F).md
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib.sh
source "$here/../lib.sh"
root="$(cd "$here/../.." && pwd)"

parse_arguments "$@"
for size in "${size_list[@]}"; do
  [ $((size % 5)) -eq 0 ] || { echo "run.sh: size $size is not a multiple of 5 (5 databases)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "run.sh: python3 is missing (generate.py needs it)" >&2; exit 1; }

cd "$root"
if [ ! -S "${SCHEMASYNC_MARIADB_DIR:-/tmp/schemasync-mariadb}/mysqld.sock" ]; then
  echo "run.sh: starting MariaDB with scripts/mariadb.sh start" >&2
  timeout 300 scripts/mariadb.sh start >&2
fi
eval "$(scripts/mariadb.sh env)"
export MYSQL_PWD="$SCHEMASYNC_TEST_MARIADB_PASSWORD"
client="$(command -v mariadb || command -v mysql)"
dump="$(command -v mariadb-dump || command -v mysqldump)"
# host and port of the test URL (mysql://user@host:port)
hostport="${SCHEMASYNC_TEST_MARIADB_SERVER#*@}"
host="${hostport%%:*}"
port="${hostport##*:}"
user="${SCHEMASYNC_TEST_MARIADB_SERVER#mysql://}"
user="${user%%@*}"
tcp=(--no-defaults --protocol=tcp -h "$host" -P "$port" -u "$user")

admin() { timeout 3600 $SCHEMASYNC_TEST_MARIADB_ADMIN "$@"; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/schemasync-bench.XXXXXX")"
# BENCH_RAW_DIR (set by bench/run.sh): keep the raw timings (NAME.SIZE files) there.
trap 'if [ -n "${BENCH_RAW_DIR:-}" ]; then cp "$tmp"/* "$BENCH_RAW_DIR"/ 2>/dev/null || true; fi; rm -rf "$tmp"' EXIT

gen_sum="$(sha256sum "$here/generate.py" | cut -c1-64)"
declare -A built_note

# Build or reuse bench_<size>_1..5.
for size in "${size_list[@]}"; do
  want="schemasync bench: generate.py sha256=$gen_sum tables=$size"
  have="$(admin -N -e "SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'bench_${size}_1'" || true)"
  count="$(admin -N -e "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'bench\\_${size}\\_%'")"
  if [ "$have" = "$want" ] && [ "$count" = 5 ]; then
    echo "run.sh: bench_${size}_1..5 are up to date, reusing them" >&2
    built_note[$size]="reused (generator unchanged)"
    continue
  fi
  echo "run.sh: building bench_${size}_1..5 ($size tables)..." >&2
  start="$(date +%s.%N)"
  python3 "$here/generate.py" "$size" "bench_$size" | admin
  end="$(date +%s.%N)"
  secs="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')"
  admin -e "ALTER DATABASE bench_${size}_1 COMMENT '$want'"
  echo "run.sh: built bench_${size}_1..5 in $secs s" >&2
  built_note[$size]="built by this run in $secs s"
done

# time_one NAME SIZE RUN CMD...: appends "wall kib" to $tmp/NAME.SIZE, or records the failure.
databases() { local size="$1" d list=(); for d in 1 2 3 4 5; do list+=("bench_${size}_$d"); done; echo "${list[@]}"; }

run_cmd() {
  local name="$1" size="$2" run="$3" dbs
  read -r -a dbs <<<"$(databases "$size")"
  case "$name" in
    floor)
      time_one floor "$size" "$run" "$client" "${tcp[@]}" -e "source $tmp/floor.$size.sql" ;;
    dump)
      time_one dump "$size" "$run" "$dump" "${tcp[@]}" --no-data --databases "${dbs[@]}" ;;
    schemasync)
      if [ -x "$schemasync" ]; then
        local list
        list="$(IFS=,; echo "${dbs[*]}")"
        time_one schemasync "$size" "$run" "$schemasync" inspect "$SCHEMASYNC_TEST_MARIADB_SERVER" --databases "$list"
      fi ;;
  esac
}

commands=(floor dump schemasync)
[ -x "$schemasync" ] || echo "run.sh: $schemasync not found; schemasync: not built" >&2
for size in "${size_list[@]}"; do
  read -r -a dbs <<<"$(databases "$size")"
  quoted="$(printf "'%s'," "${dbs[@]}")"
  sed "s/@DBS@/${quoted%,}/g" "$here/floor.sql" >"$tmp/floor.$size.sql"
  echo "run.sh: timing bench_$size ($runs runs)..." >&2
  # One untimed floor pass so the first timed command does not pay for cold caches.
  timeout 900 "$client" "${tcp[@]}" -e "source $tmp/floor.$size.sql" >/dev/null
  for ((r = 1; r <= runs; r++)); do
    for ((c = 0; c < ${#commands[@]}; c++)); do
      run_cmd "${commands[$(((r - 1 + c) % ${#commands[@]}))]}" "$size" "$r"
    done
  done
done

cpu_model="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
mem_gib="$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)"
server_version="$(admin -N -e 'SELECT VERSION()')"
server_settings="$(admin -N -e "SELECT GROUP_CONCAT(CONCAT(VARIABLE_NAME, '=', VARIABLE_VALUE) ORDER BY VARIABLE_NAME SEPARATOR ', ') FROM information_schema.GLOBAL_VARIABLES WHERE VARIABLE_NAME IN ('TABLE_DEFINITION_CACHE', 'TABLE_OPEN_CACHE', 'INNODB_BUFFER_POOL_SIZE')")"

echo "# schemasync MariaDB benchmark"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- machine: $(nproc) CPUs${cpu_model:+ ($cpu_model)}, ${mem_gib:-?} GiB RAM, $(uname -sr), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- server: MariaDB $server_version ($server_settings)"
echo "- dump: $("$dump" --version)"
if [ -x "$schemasync" ]; then echo "- schemasync: $schemasync"; else echo "- schemasync: not built ($schemasync)"; fi
echo "- generate.py sha256: $gen_sum"
echo "- $runs timed run(s) per command, alternating; medians. Wall seconds and the client's peak RSS (/usr/bin/time %M); every command over TCP to 127.0.0.1 as the test account, reading the same 5 databases."

for size in "${size_list[@]}"; do
  echo
  echo "## bench_${size}_1..5 ($size generated tables in 5 databases; ${built_note[$size]})"
  echo
  echo "| command | median wall s | median peak MiB | ratio to floor | dump / schemasync |"
  echo "|---|---:|---:|---:|---:|"
  report_rows "$size" dump "floor (6 information_schema queries, mariadb client)" "mariadb-dump --no-data"
done

echo
echo "## Bench databases"
echo
echo "| databases | tables | views | columns | indexes | foreign keys | triggers |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for size in "${size_list[@]}"; do
  read -r -a dbs <<<"$(databases "$size")"
  in="$(printf "'%s'," "${dbs[@]}")"; in="${in%,}"
  admin -N -e "SELECT CONCAT('| bench_${size}_1..5 | ',
      (SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA IN ($in) AND TABLE_TYPE = 'BASE TABLE'), ' | ',
      (SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA IN ($in) AND TABLE_TYPE = 'VIEW'), ' | ',
      (SELECT count(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN ($in)), ' | ',
      (SELECT count(DISTINCT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA IN ($in)), ' | ',
      (SELECT count(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA IN ($in)), ' | ',
      (SELECT count(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA IN ($in)), ' |')"
done
