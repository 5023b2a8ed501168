#!/usr/bin/env bash
# bench/run.sh: the whole pipeline at a few sizes, PostgreSQL and MariaDB, in one run:
# the catalog floor, the server's dump tool and `schemasync inspect` (bench/postgres/run.sh
# and bench/mysql/run.sh, which build the bench databases), then each step of a sync:
#
#   sync-file      the first `sync` of the catalog into a file sink (NDJSON)
#   noop           a `sync` again with nothing changed
#   diff           `diff --from A --to B` of two snapshots with 60 changes
#                  (B made from A by bench/alter-snapshot.py)
#   diff-json      `diff --to A --format json`: everything new, the largest report
#   sync-receive   the first `sync` into `schemasync receive` (no state kept)
#   sync-state     the first `sync` into `schemasync receive --state DIR`
#                  (both with max_requests_per_second: 0: the sender's and the receiver's
#                  own cost, not the rate limit's pacing, which the report gives apart)
#
# and prints the ratios the targets of docs/benchmarks.md name.
#
#   bench/run.sh [--sizes 1000,10000] [--runs 3] [--schemasync PATH]
#                [--engines postgres,mariadb] [--skip STEP,…]
#
#   --sizes       table counts (default 1000,10000; multiples of 5 for MariaDB)
#   --runs        timed runs of inspect, the floor and the dump, and of noop and diff
#                 (default 3; medians). The first syncs and diff-json run once.
#   --schemasync  the binary (default <repo>/.build/release/schemasync)
#   --engines     postgres, mariadb or both (default both)
#   --skip        steps left out, e.g. --skip sync-state (their rows say "skipped")
#
# Servers and ports come from scripts/pg.sh and scripts/mariadb.sh (their environment
# variables, PG_MAJOR=18 included). Every command runs under `timeout 900` and
# /usr/bin/time: wall seconds and the peak RSS of the schemasync process (the receiver is
# another process, not counted). The report (Markdown) goes to stdout, progress to stderr:
#   bench/run.sh --schemasync .build-release/release/schemasync > bench-$(date +%F).md
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

engines="postgres,mariadb"
skip=""
passthrough=()
while [ $# -gt 0 ]; do
  case "$1" in
    --engines) engines="$2"; shift 2 ;;
    --engines=*) engines="${1#*=}"; shift ;;
    --skip) skip="$2"; shift 2 ;;
    --skip=*) skip="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) passthrough+=("$1"); shift ;;
  esac
done
parse_arguments "${passthrough[@]}"
[ -x "$schemasync" ] || { echo "run.sh: $schemasync is not built (swift build -c release)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
IFS=',' read -r -a engine_list <<<"$engines"
skipped() { case ",$skip," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/schemasync-bench.XXXXXX")"
receiver_pid=""
trap '[ -n "$receiver_pid" ] && kill "$receiver_pid" 2>/dev/null; rm -rf "$tmp"' EXIT

# source_yaml ENGINE SIZE: the sources: part of a config for the bench catalog.
source_yaml() {
  local engine="$1" size="$2"
  case "$engine" in
    postgres)
      echo "  - { name: bench, url: '$(pg_url "$size")', engine: DWS, instance_id: bench }" ;;
    mariadb)
      echo "  - { name: bench, url: '$SCHEMASYNC_TEST_MARIADB_SERVER', engine: DWS, instance_id: bench,"
      echo "      databases: [bench_${size}_1, bench_${size}_2, bench_${size}_3, bench_${size}_4, bench_${size}_5] }" ;;
  esac
}

pg_url() {
  local u="$SCHEMASYNC_TEST_PG_URL" q=""
  case "$u" in *\?*) q="?${u#*\?}"; u="${u%%\?*}" ;; esac
  echo "${u%/*}/bench_$1$q"
}

# write_config FILE STORE SINK_YAML ENGINE SIZE
write_config() {
  { echo "snapshots: $2"; echo "sink: $3"; echo "sources:"; source_yaml "$4" "$5"; } >"$1"
}

# start_receiver DIR [--state STATE]: a receiver on a free loopback port; sets $endpoint.
start_receiver() {
  local dir="$1"; shift
  SCHEMASYNC_RECEIVER_SK="$bench_sk" "$schemasync" receive --port 0 --project-id bench --ak BENCHACCESSKEY0001 \
    "$@" >"$dir/receiver.out" 2>"$dir/receiver.log" &
  receiver_pid=$!
  endpoint=""
  for _ in $(seq 1 300); do
    endpoint="$(sed -n 's/^listening //p' "$dir/receiver.out" 2>/dev/null)"
    [ -n "$endpoint" ] && return 0
    sleep 0.1
  done
  cat "$dir/receiver.log" >&2
  echo "run.sh: the receiver did not start" >&2
  exit 1
}

stop_receiver() {
  [ -n "$receiver_pid" ] || return 0
  kill "$receiver_pid" 2>/dev/null || true
  wait "$receiver_pid" 2>/dev/null || true
  receiver_pid=""
}

bench_sk="$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
export BENCH_AK=BENCHACCESSKEY0001 BENCH_SK="$bench_sk"
# No client-side rate limit into the local receiver: these steps measure what the sender and
# the receiver cost per request. At the default 20 requests/s (the DataArts API's limit is 50
# per user) a delivery of N requests takes at least (N - 1) / 20 s more; the report says so.
dataarts_sink() { echo "{ kind: dataarts, endpoint: '$1', project_id: bench, max_requests_per_second: 0, auth: { ak: \${BENCH_AK}, sk: \${BENCH_SK} } }"; }

# pipeline ENGINE SIZE: the sync steps, timings into $tmp/<engine>-<step>.<size>.
pipeline() {
  local engine="$1" size="$2" work="$tmp/$1-$2" r
  mkdir -p "$work"
  if ! skipped sync-file || ! skipped noop || ! skipped diff || ! skipped diff-json; then
    write_config "$work/file.yaml" "$work/store-file" "{ kind: file, path: '$work/events.ndjson' }" "$engine" "$size"
    time_one "$engine-sync-file" "$size" 1 "$schemasync" sync --all --config "$work/file.yaml"
    cp "$work/store-file/bench/snapshot.json" "$work/a.json"
    wc -l <"$work/events.ndjson" | tr -d ' ' >"$tmp/$engine-requests.$size"
    echo "run.sh:   snapshot $(du -m "$work/a.json" | cut -f1) MB, $(cat "$tmp/$engine-requests.$size") request bodies" >&2
    for ((r = 1; r <= runs; r++)); do
      skipped noop || time_one "$engine-noop" "$size" "$r" "$schemasync" sync --all --config "$work/file.yaml"
    done
    rm -f "$work/events.ndjson"
    if ! skipped diff; then
      python3 "$here/alter-snapshot.py" "$work/a.json" "$work/b.json" 60
      for ((r = 1; r <= runs; r++)); do
        time_one "$engine-diff" "$size" "$r" "$schemasync" diff --from "$work/a.json" --to "$work/b.json"
      done
      rm -f "$work/b.json"
    fi
    skipped diff-json || time_one "$engine-diff-json" "$size" 1 "$schemasync" diff --to "$work/a.json" --format json
    rm -rf "$work/store-file" "$work/a.json"
  fi
  if ! skipped sync-receive; then
    start_receiver "$work"
    write_config "$work/recv.yaml" "$work/store-recv" "$(dataarts_sink "$endpoint")" "$engine" "$size"
    time_one "$engine-sync-receive" "$size" 1 "$schemasync" sync --all --config "$work/recv.yaml"
    stop_receiver
    rm -rf "$work/store-recv"
  fi
  if ! skipped sync-state; then
    start_receiver "$work" --state "$work/receiver-state"
    write_config "$work/state.yaml" "$work/store-state" "$(dataarts_sink "$endpoint")" "$engine" "$size"
    time_one "$engine-sync-state" "$size" 1 "$schemasync" sync --all --config "$work/state.yaml"
    stop_receiver
    rm -rf "$work/store-state" "$work/receiver-state"
  fi
  rm -rf "$work"
}

cd "$root"
declare -A server_version
for engine in "${engine_list[@]}"; do
  mkdir -p "$tmp/raw-$engine"
  case "$engine" in
    postgres)
      BENCH_RAW_DIR="$tmp/raw-$engine" "$here/postgres/run.sh" --sizes "$sizes" --runs "$runs" \
        --schemasync "$schemasync" >"$tmp/postgres.md"
      eval "$(scripts/pg.sh env)"
      export PGPASSWORD="$SCHEMASYNC_TEST_PG_PASSWORD"
      server_version[postgres]="$(sed -n 's/^- PostgreSQL: //p' "$tmp/postgres.md")" ;;
    mariadb)
      BENCH_RAW_DIR="$tmp/raw-$engine" "$here/mysql/run.sh" --sizes "$sizes" --runs "$runs" \
        --schemasync "$schemasync" >"$tmp/mariadb.md"
      eval "$(scripts/mariadb.sh env)"
      export MYSQL_PWD="$SCHEMASYNC_TEST_MARIADB_PASSWORD"
      server_version[mariadb]="$(sed -n 's/^- server: //p' "$tmp/mariadb.md")" ;;
    *) echo "run.sh: unknown engine '$engine' (postgres, mariadb)" >&2; exit 2 ;;
  esac
  for name in floor pg_dump dump schemasync; do
    for size in "${size_list[@]}"; do
      [ -s "$tmp/raw-$engine/$name.$size" ] && cp "$tmp/raw-$engine/$name.$size" "$tmp/$engine-$name.$size"
    done
  done
  for size in "${size_list[@]}"; do
    echo "run.sh: $engine pipeline at $size tables..." >&2
    pipeline "$engine" "$size"
  done
done

# The report.
wall() { [ -s "$tmp/$1.$2" ] && median 1 "$tmp/$1.$2" || true; }
mib() { [ -s "$tmp/$1.$2" ] && median 2 "$tmp/$1.$2" | awk '{ printf "%.0f", $1 / 1024 }' || true; }
ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b }' || true; }
cell() {  # wall s and MiB of a step, or why not
  local w m
  if skipped "${1#*-}"; then echo "skipped"; return; fi
  w="$(wall "$1" "$2")"; m="$(mib "$1" "$2")"
  if [ -n "$w" ]; then printf '%.2f s, %s MiB' "$w" "$m"
  elif [ -e "$tmp/$1.$2.failed" ]; then echo "failed ($(cat "$tmp/$1.$2.failed"))"
  else echo "not run"; fi
}

cpu_model="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
mem_gib="$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)"
echo "# schemasync pipeline benchmark"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- machine: $(nproc) CPUs${cpu_model:+ ($cpu_model)}, ${mem_gib:-?} GiB RAM, $(uname -sr), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
for engine in "${engine_list[@]}"; do echo "- $engine: ${server_version[$engine]:-?}"; done
echo "- schemasync: $schemasync"
echo "- inspect, floor and dump: medians of $runs runs; noop and diff: medians of $runs runs; the first syncs and diff-json: one run. Wall seconds and peak RSS of the schemasync (or dump) process."
for engine in "${engine_list[@]}"; do
  dump_name=pg_dump; [ "$engine" = mariadb ] && dump_name=dump
  for size in "${size_list[@]}"; do
    echo
    echo "## $engine, $size tables"
    echo
    echo "| step | wall, peak RSS |"
    echo "|---|---|"
    echo "| floor | $(cell "$engine-floor" "$size") |"
    echo "| $([ "$engine" = mariadb ] && echo 'mariadb-dump --no-data' || echo 'pg_dump --schema-only') | $(cell "$engine-$dump_name" "$size") |"
    echo "| inspect | $(cell "$engine-schemasync" "$size") |"
    for step in sync-file noop diff diff-json sync-receive sync-state; do
      echo "| $step | $(cell "$engine-$step" "$size") |"
    done
    inspect="$(wall "$engine-schemasync" "$size")"
    echo
    echo "| ratio | value | target |"
    echo "|---|---:|---|"
    echo "| noop / inspect | $(ratio "$(wall "$engine-noop" "$size")" "$inspect") | ≤ 1.2 |"
    echo "| diff / inspect | $(ratio "$(wall "$engine-diff" "$size")" "$inspect") | ≤ 0.5 |"
    echo "| sync-state / sync-file | $(ratio "$(wall "$engine-sync-state" "$size")" "$(wall "$engine-sync-file" "$size")") | ≤ 3 |"
    if [ -s "$tmp/$engine-requests.$size" ]; then
      requests="$(cat "$tmp/$engine-requests.$size")"
      echo "| requests of the first sync; least time they take at the default 20/s | $requests; $(awk -v n="$requests" 'BEGIN { printf "%.1f s", (n > 1 ? n - 1 : 0) / 20 }') | (the receiver steps run unpaced) |"
    fi
    if [ "$engine" = mariadb ]; then
      echo "| mariadb-dump / inspect | $(ratio "$(wall "$engine-dump" "$size")" "$inspect") | ≥ 10 |"
    else
      echo "| pg_dump / inspect | $(ratio "$(wall "$engine-pg_dump" "$size")" "$inspect") | ≥ 3 |"
    fi
    peak=0; peak_step=""
    for step in schemasync sync-file noop diff; do
      m="$(mib "$engine-$step" "$size")"
      if [ -n "$m" ] && [ "$m" -gt "$peak" ]; then peak="$m"; peak_step="$step"; fi
    done
    echo "| peak RSS of inspect, sync-file, noop, diff | $peak MiB ($peak_step) | < 300 MiB |"
  done
done
