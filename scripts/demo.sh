#!/usr/bin/env bash
# The README's main command: on a fresh Debian 12 machine with Swift 6.3, installs what
# is missing, builds schemasync, starts a throwaway PostgreSQL on loopback, creates a
# sample shop database, starts the local DataArts-compatible receiver on loopback, and
# runs the job: a first sync (the whole catalog as signed requests), a schema change, the
# dry-run diff report, a second sync (just the change), and the receiver's catalog,
# compared with the snapshot schemasync recorded as delivered.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
swift build -c release --product schemasync
schemasync=".build/release/schemasync"

bash scripts/pg.sh start
eval "$(bash scripts/pg.sh env)"
export PGPASSWORD="$SCHEMASYNC_TEST_PG_PASSWORD"
# admin DATABASE [psql arguments…]: as the cluster's superuser, over its socket.
admin() { local db="$1"; shift; psql -X -q -v ON_ERROR_STOP=1 "$SCHEMASYNC_TEST_PG_ADMIN dbname=$db" "$@"; }

admin postgres -c 'DROP DATABASE IF EXISTS demo_shop' -c 'CREATE DATABASE demo_shop'
admin demo_shop <<'SQL'
CREATE SCHEMA shop;
COMMENT ON SCHEMA shop IS 'The demo shop';
CREATE TABLE shop.customers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name character varying(64) NOT NULL,
  created_at timestamp with time zone NOT NULL DEFAULT now()
);
CREATE TABLE shop.orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES shop.customers (id) ON DELETE CASCADE,
  total numeric(12,2) NOT NULL CHECK (total >= 0),
  status text NOT NULL DEFAULT 'new'
);
CREATE INDEX orders_open ON shop.orders (customer_id) WHERE status <> 'closed';
COMMENT ON TABLE shop.orders IS 'One row per order';
SQL

url="${SCHEMASYNC_TEST_PG_SERVER}/demo_shop"
work="$(mktemp -d)"
receiver_pid=""
trap '[ -n "$receiver_pid" ] && kill "$receiver_pid" 2>/dev/null; rm -rf "$work"' EXIT

# The receiver checks AK/SK signatures as the API does; the SK travels in the environment.
export DEMO_AK=DEMOACCESSKEY000001
export DEMO_SK="$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
SCHEMASYNC_RECEIVER_SK="$DEMO_SK" "$schemasync" receive --port 0 --project-id demo-project --ak "$DEMO_AK" \
  --record "$work/received.ndjson" --state "$work/receiver" >"$work/receiver.out" 2>"$work/receiver.log" &
receiver_pid=$!
for _ in $(seq 1 100); do
  grep -q '^listening ' "$work/receiver.out" 2>/dev/null && break
  sleep 0.1
done
endpoint="$(sed -n 's/^listening //p' "$work/receiver.out")"
[ -n "$endpoint" ] || { cat "$work/receiver.log" >&2; echo "the receiver did not start" >&2; exit 1; }
echo "== schemasync receive: the DataArts API on $endpoint (project demo-project)"

cat >"$work/schemasync.yaml" <<YAML
snapshots: $work/snapshots
sink:
  kind: dataarts
  endpoint: $endpoint
  project_id: demo-project
  auth: { ak: \${DEMO_AK}, sk: \${DEMO_SK} }
  batch: { max_events: 20 }
sources:
  - name: shop
    url: $url
    include: ["shop.*"]
    engine: DWS
    instance_id: demo-instance
YAML

echo
echo "== schemasync inspect $url --summary"
"$schemasync" inspect "$url" --name shop --summary

echo
echo "== schemasync sync --all   (first run: the whole catalog)"
"$schemasync" sync --all --config "$work/schemasync.yaml"
echo "the receiver accepted: $(grep -o '"event_type":"[A-Za-z]*"' "$work/received.ndjson" | cut -d'"' -f4 | sort | uniq -c | awk '{printf "%s %s, ", $1, $2}')"

admin demo_shop <<'SQL'
ALTER TABLE shop.customers ADD COLUMN phone text;
ALTER TABLE shop.orders RENAME COLUMN total TO amount;
ALTER TABLE shop.orders ALTER COLUMN status TYPE character varying(20);
ALTER TABLE shop.orders RENAME TO purchases;
CREATE INDEX customers_name ON shop.customers (lower(name));
DROP INDEX shop.orders_open;
SQL

echo
echo "== schemasync diff --from <delivered snapshot> --to $url   (a dry run: sends nothing, writes nothing)"
"$schemasync" diff --from "$work/snapshots/shop/snapshot.json" --to "$url"
echo
echo "== the same as Markdown, for a pull request"
"$schemasync" diff --from "$work/snapshots/shop/snapshot.json" --to "$url" --format markdown

echo
echo "== schemasync sync --all   (second run: just the change)"
"$schemasync" sync --all --config "$work/schemasync.yaml"
echo "the last request's events: $(tail -n 1 "$work/received.ndjson" | grep -o '"event_type":"[A-Za-z]*"' | cut -d'"' -f4 | paste -sd' ')"

echo
echo "== the receiver's catalog (schemasync receive --dump), replayed from the events it accepted"
"$schemasync" receive --dump --state "$work/receiver" --summary
"$schemasync" receive --dump --state "$work/receiver" >"$work/receiver-catalog.json"
echo
echo "== schemasync diff --from <the receiver's catalog> --to <the snapshot recorded as delivered>"
# --exit-code: any difference fails the demo (and scripts/test.sh, which runs it).
"$schemasync" diff --from "$work/receiver-catalog.json" --to "$work/snapshots/shop/snapshot.json" --exit-code
echo
echo "Done. The server keeps running for you to try: $url"
echo "(eval \"\$(scripts/pg.sh env)\" sets up the environment; scripts/pg.sh stop stops it.)"
