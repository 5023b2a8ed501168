# bench/lib.sh: what the benchmarks of bench/*/run.sh share: timing one command, medians,
# and the rows of a size's table. Sourced; expects $tmp (the run's scratch folder) and
# $schemasync (the binary timed).

# parse_arguments "$@": --sizes, --runs, --schemasync (see each run.sh's header); sets
# $sizes, $runs, $schemasync (absolute) and the array $size_list. Needs $root and usage().
parse_arguments() {
  sizes="1000,10000"
  runs=3
  schemasync="$root/.build/release/schemasync"
  while [ $# -gt 0 ]; do
    case "$1" in
      --sizes) [ $# -ge 2 ] || { usage >&2; exit 2; }; sizes="$2"; shift 2 ;;
      --sizes=*) sizes="${1#*=}"; shift ;;
      --runs) [ $# -ge 2 ] || { usage >&2; exit 2; }; runs="$2"; shift 2 ;;
      --runs=*) runs="${1#*=}"; shift ;;
      --schemasync) [ $# -ge 2 ] || { usage >&2; exit 2; }; schemasync="$2"; shift 2 ;;
      --schemasync=*) schemasync="${1#*=}"; shift ;;
      -h|--help) usage; exit 0 ;;
      *) echo "run.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
  done
  case "$schemasync" in /*) ;; *) schemasync="$PWD/$schemasync" ;; esac
  [[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --runs must be a positive integer" >&2; exit 2; }
  IFS=',' read -r -a size_list <<<"$sizes"
  [ "${#size_list[@]}" -gt 0 ] || { echo "run.sh: --sizes is empty" >&2; exit 2; }
  for size in "${size_list[@]}"; do
    [[ "$size" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: bad size '$size' in --sizes" >&2; exit 2; }
  done
}

# time_one NAME SIZE RUN COMMAND…: one timed run (wall seconds and peak RSS appended to
# $tmp/NAME.SIZE), or a note in $tmp/NAME.SIZE.failed.
time_one() {
  local name="$1" size="$2" run="$3"; shift 3
  local base="$tmp/$name.$size" rc=0
  /usr/bin/time -f '%e %M' -o "$base.time" timeout 900 "$@" >/dev/null 2>"$base.err" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "run.sh: $name on bench_$size run $run failed (exit $rc$([ "$rc" -eq 124 ] && echo ', timed out after 900 s'))" >&2
    tail -n 5 "$base.err" | sed 's/^/    /' >&2
    echo "exit $rc" >"$base.failed"
    return 0
  fi
  tail -n 1 "$base.time" >>"$base"
  echo "run.sh:   $name run $run: $(tail -n 1 "$base.time" | awk '{ printf "%s s, %.1f MiB", $1, $2 / 1024 }')" >&2
}

median() {  # column $1 of file $2
  awk -v col="$1" '{ print $col }' "$2" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# report_rows SIZE DUMP_NAME FLOOR_LABEL DUMP_LABEL: the Markdown rows of one size: the
# floor, the server's own dump tool, schemasync; with ratios to the floor and the dump.
report_rows() {
  local size="$1" dump_name="$2" floor_label="$3" dump_label="$4"
  local floor_wall="" dump_wall="" name label file wall mib ratio vs_dump note
  [ -s "$tmp/floor.$size" ] && floor_wall="$(median 1 "$tmp/floor.$size")"
  [ -s "$tmp/$dump_name.$size" ] && dump_wall="$(median 1 "$tmp/$dump_name.$size")"
  for name in floor "$dump_name" schemasync; do
    case "$name" in
      floor) label="$floor_label" ;;
      "$dump_name") label="$dump_label" ;;
      schemasync) label="schemasync inspect" ;;
    esac
    if [ "$name" = schemasync ] && [ ! -x "$schemasync" ]; then
      echo "| schemasync: not built | | | | |"
      continue
    fi
    file="$tmp/$name.$size"
    if [ ! -s "$file" ]; then
      echo "| $label | failed ($(cat "$file.failed" 2>/dev/null || echo 'no run')) | | | |"
      continue
    fi
    wall="$(median 1 "$file")"
    mib="$(median 2 "$file" | awk '{ printf "%.1f", $1 / 1024 }')"
    ratio=""
    [ -n "$floor_wall" ] && ratio="$(awk -v a="$wall" -v b="$floor_wall" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
    vs_dump=""
    if [ "$name" = schemasync ] && [ -n "$dump_wall" ]; then
      vs_dump="$(awk -v a="$dump_wall" -v b="$wall" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
    fi
    note=""
    [ -e "$file.failed" ] && note=" (some runs failed: $(cat "$file.failed"))"
    printf '| %s%s | %.2f | %s | %s | %s |\n' "$label" "$note" "$wall" "$mib" "$ratio" "$vs_dump"
  done
}
