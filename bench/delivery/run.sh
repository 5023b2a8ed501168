#!/usr/bin/env bash
# bench/delivery/run.sh: time a first `schemasync sync` of the PostgreSQL bench catalogs
# into each destination: a file sink, `schemasync receive` without --state, and
# `schemasync receive --state DIR`; the per-request cost beyond the file sink, and the
# receiver's own figures (peak RSS, its stop, its state folder).
#
#   bench/delivery/run.sh [--sizes 1000,10000] [--runs 1] [--schemasync PATH]
#
#   --sizes       comma-separated table counts (default 1000,10000): the databases
#                 bench_<size> that bench/postgres/run.sh builds (run it first once)
#   --runs        timed runs per destination and size (default 1); medians reported
#   --schemasync  the binary (default <repo>/.build/release/schemasync)
#
# Environment: MAX_EVENTS (sink.batch.max_events, default 100), MAX_BYTES
# (sink.batch.max_bytes, default 1048576), RATE (sink.max_requests_per_second for the
# receivers, default 0: no limit, to measure the delivery itself; the file sink never
# paces; `none` leaves the key out, for a binary older than it). Every sync starts from an empty snapshot store: it sends the whole catalog.
# The receivers take a token (no signing: the client's cost is measured, not HMAC's).
#
# The report (Markdown) goes to stdout, progress to stderr.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib.sh
source "$here/../lib.sh"
root="$(cd "$here/../.." && pwd)"

parse_arguments --runs 1 "$@"
max_events="${MAX_EVENTS:-100}"
max_bytes="${MAX_BYTES:-1048576}"
rate="${RATE:-0}"
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
[ -x "$schemasync" ] || { echo "run.sh: $schemasync not found: swift build -c release" >&2; exit 1; }

cd "$root"
eval "$(scripts/pg.sh env)"
export PGPASSWORD="$SCHEMASYNC_TEST_PG_PASSWORD"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/schemasync-delivery.XXXXXX")"
receiver_pid=""
cleanup() {
  [ -n "$receiver_pid" ] && kill "$receiver_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

url_for() {
  local u="$SCHEMASYNC_TEST_PG_URL" q=""
  case "$u" in *\?*) q="?${u#*\?}"; u="${u%%\?*}" ;; esac
  echo "${u%/*}/$1$q"
}

# config FILE SINK-YAML SIZE: a config syncing bench_SIZE into the sink.
config() {
  cat >"$1" <<EOF
snapshots: $tmp/snapshots
sink: $2
sources:
  - name: bench
    url: '$(url_for "bench_$3")'
    engine: PostgreSQL
EOF
}

# start_receiver [ARGS…]: `schemasync receive` on a free port under /usr/bin/time; sets
# $receiver_pid (the receiver itself) and $receiver_port.
start_receiver() {
  local out="$tmp/receiver.out" tries=0
  : >"$out"
  /usr/bin/time -f '%e %M' -o "$tmp/receiver.time" "$schemasync" receive --port 0 --project-id p1 \
    --token bench-token "$@" >"$out" 2>"$tmp/receiver.err" &
  local time_pid=$!
  while ! grep -q '^listening ' "$out"; do
    tries=$((tries + 1))
    [ "$tries" -lt 600 ] || { echo "run.sh: the receiver did not start" >&2; tail -n 5 "$tmp/receiver.err" >&2; exit 1; }
    sleep 0.1
  done
  receiver_port="$(sed -n 's/^listening http:\/\/127.0.0.1:\([0-9]*\)$/\1/p' "$out")"
  receiver_pid="$(pgrep -P "$time_pid" | head -n 1)"
  receiver_time_pid=$time_pid
}

# stop_receiver NAME SIZE: SIGTERM, wait; appends "stop-seconds peak-kib" to $tmp/NAME.SIZE.receiver.
stop_receiver() {
  local start end
  start="$(date +%s.%N)"
  kill -TERM "$receiver_pid"
  wait "$receiver_time_pid" || true
  end="$(date +%s.%N)"
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') $(awk '{ print $2 }' "$tmp/receiver.time" | tail -n 1)" \
    >>"$tmp/$1.$2.receiver"
  receiver_pid=""
}

# requests NAME SIZE: the requests the last sync reported.
requests_of() {
  sed -n 's/.* events in \([0-9]*\) request.*/\1/p' "$tmp/$1.$2.err" | tail -n 1
}

for size in "${size_list[@]}"; do
  have="$(timeout 60 psql -X -At -d "$SCHEMASYNC_TEST_PG_ADMIN" -c "SELECT count(*) FROM pg_database WHERE datname = 'bench_$size'")"
  [ "$have" = 1 ] || { echo "run.sh: bench_$size is missing: bench/postgres/run.sh --sizes $size --runs 1 builds it" >&2; exit 1; }
  batch="batch: { max_events: $max_events, max_bytes: $max_bytes }"
  pace="max_requests_per_second: $rate, "
  [ "$rate" = none ] && pace=""
  for ((r = 1; r <= runs; r++)); do
    echo "run.sh: bench_$size run $r: file sink" >&2
    rm -rf "$tmp/snapshots" "$tmp/out.ndjson"
    config "$tmp/file.yaml" "{ kind: file, path: $tmp/out.ndjson, $batch }" "$size"
    time_one file "$size" "$r" "$schemasync" sync --config "$tmp/file.yaml"
    echo "$(requests_of file "$size")" >"$tmp/file.$size.requests"
    echo "$(wc -c <"$tmp/out.ndjson")" >"$tmp/file.$size.bytes"

    for kind in receiver receiver-state; do
      echo "run.sh: bench_$size run $r: $kind" >&2
      rm -rf "$tmp/snapshots" "$tmp/state"
      if [ "$kind" = receiver ]; then start_receiver; else start_receiver --state "$tmp/state"; fi
      config "$tmp/$kind.yaml" "{ kind: dataarts, endpoint: 'http://127.0.0.1:$receiver_port', project_id: p1, auth: { token: bench-token }, $pace$batch }" "$size"
      time_one "$kind" "$size" "$r" "$schemasync" sync --config "$tmp/$kind.yaml"
      echo "$(requests_of "$kind" "$size")" >"$tmp/$kind.$size.requests"
      if [ "$kind" = receiver-state ]; then
        echo "$(stat -c %s "$tmp/state/receiver-state.json" 2>/dev/null || echo 0) $(stat -c %s "$tmp/state/receiver-journal.ndjson" 2>/dev/null || echo 0)" \
          >"$tmp/$kind.$size.files"
      fi
      stop_receiver "$kind" "$size"
    done
  done
done

cpu_model="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
echo "# schemasync delivery benchmark"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- machine: $(nproc) CPUs${cpu_model:+ ($cpu_model)}, $(uname -sr), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- PostgreSQL: $(timeout 60 psql -X -At -d "$SCHEMASYNC_TEST_PG_ADMIN" -c 'SHOW server_version')"
echo "- batch: max_events $max_events, max_bytes $max_bytes; receivers' max_requests_per_second: $rate"
echo "- $runs run(s) per destination, medians; every sync a first one (empty store): the whole catalog sent"
for size in "${size_list[@]}"; do
  echo
  echo "## bench_$size"
  echo
  echo "| destination | sync wall s | sync peak MiB | requests | ratio to file | ms per request beyond file | receiver peak MiB | receiver stop s |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  file_wall=""
  [ -s "$tmp/file.$size" ] && file_wall="$(median 1 "$tmp/file.$size")"
  for kind in file receiver receiver-state; do
    f="$tmp/$kind.$size"
    if [ ! -s "$f" ]; then echo "| $kind | failed | | | | | | |"; continue; fi
    wall="$(median 1 "$f")"
    mib="$(median 2 "$f" | awk '{ printf "%.1f", $1 / 1024 }')"
    requests="$(cat "$f.requests" 2>/dev/null || echo '?')"
    ratio="" extra="" rmib="" rstop=""
    if [ -n "$file_wall" ]; then
      ratio="$(awk -v a="$wall" -v b="$file_wall" 'BEGIN { printf "%.2f", a / b }')"
      [ "$kind" != file ] && extra="$(awk -v a="$wall" -v b="$file_wall" -v n="$requests" 'BEGIN { if (n > 0) printf "%.1f", (a - b) * 1000 / n }')"
    fi
    if [ -s "$f.receiver" ]; then
      rstop="$(median 1 "$f.receiver")"
      rmib="$(median 2 "$f.receiver" | awk '{ printf "%.1f", $1 / 1024 }')"
    fi
    label="$kind"
    [ "$kind" = file ] && label="file sink"
    [ "$kind" = receiver ] && label="receive (no --state)"
    [ "$kind" = receiver-state ] && label="receive --state"
    printf '| %s | %.2f | %s | %s | %s | %s | %s | %s |\n' "$label" "$wall" "$mib" "$requests" "$ratio" "$extra" "$rmib" "$rstop"
  done
  if [ -s "$tmp/file.$size.bytes" ]; then
    echo
    echo "Bodies: $(cat "$tmp/file.$size.bytes") bytes in $(cat "$tmp/file.$size.requests") requests."
  fi
  if [ -s "$tmp/receiver-state.$size.files" ]; then
    read -r state_bytes journal_bytes <"$tmp/receiver-state.$size.files"
    echo "State folder after the sync, before the stop: state file $state_bytes bytes, journal $journal_bytes bytes."
  fi
done
