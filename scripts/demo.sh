#!/usr/bin/env bash
# The README's main command: on a fresh Debian 12 machine with Swift 6.3, installs what
# is missing, builds schemasync, starts a throwaway PostgreSQL on loopback, creates a
# sample shop database, captures its snapshot, changes the schema, and shows the dry-run
# diff report of the live database against that snapshot.
#
# (The event encoder, `sync` and the local receiver arrive with the next milestones; this
# script grows with them into a full sync.)
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
trap 'rm -rf "$work"' EXIT

echo
echo "== schemasync inspect $url --summary"
"$schemasync" inspect "$url" --name demo --summary

"$schemasync" inspect "$url" --name demo --include 'shop.*' --output "$work/before.json"
echo
echo "== the snapshot of shop.orders (excerpt of $work/before.json)"
grep -n -A 12 '"name" : "orders"' "$work/before.json" | head -n 14 || true

admin demo_shop <<'SQL'
ALTER TABLE shop.customers ADD COLUMN phone text;
ALTER TABLE shop.orders RENAME COLUMN total TO amount;
ALTER TABLE shop.orders ALTER COLUMN status TYPE character varying(20);
ALTER TABLE shop.orders RENAME TO purchases;
CREATE INDEX customers_name ON shop.customers (lower(name));
DROP INDEX shop.orders_open;
SQL

echo
echo "== schemasync diff --from before.json --to $url   (a dry run: sends nothing, writes nothing)"
"$schemasync" diff --from "$work/before.json" --to "$url"
echo
echo "== the same as Markdown, for a pull request"
"$schemasync" diff --from "$work/before.json" --to "$url" --format markdown
echo "Done. The server keeps running for you to try: $url"
echo "(eval \"\$(scripts/pg.sh env)\" sets up the environment; scripts/pg.sh stop stops it.)"
