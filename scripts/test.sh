#!/usr/bin/env bash
# The README's test command: installs what is missing (Debian packages, and the PostgreSQL
# server builds of the other majors), starts throwaway servers on loopback, runs every test,
# and stops the servers again.
#
#   scripts/test.sh [extra `swift test` arguments for the main run]
#
# 1. Every test against PostgreSQL 15 (Debian 12's) and MariaDB 10.11.
# 2. The PostgreSQL suites again against 14, 16, 17 and 18 (PyPI server builds, see
#    scripts/pg.sh): the capture integration suite (the fixture field by field, the scripted
#    DDL sequences with exact events and the replay law, the query count, what each major
#    records) and the commands end to end (inspect, diff, sync into the local receiver,
#    snapshot reset). PG_MAJORS chooses those majors ("" for none).
set -euo pipefail
cd "$(dirname "$0")/.."

majors="${PG_MAJORS-14 16 17 18}"
# The other majors' servers: on their own ports and folders (scripts/pg.sh, 543NN), whatever
# SCHEMASYNC_PG_PORT and SCHEMASYNC_PG_DIR say for the main server (those would be shared).
major_pg() { local major="$1"; shift; env -u SCHEMASYNC_PG_PORT -u SCHEMASYNC_PG_DIR PG_MAJOR="$major" bash scripts/pg.sh "$@"; }

bash scripts/install-deps.sh
# Formatting and lint first (seconds), with the committed .swift-format.
swift format lint --strict --recursive --parallel Sources Tests Package.swift
stop_all() {
  bash scripts/pg.sh stop >/dev/null 2>&1 || true
  for major in $majors; do major_pg "$major" stop >/dev/null 2>&1 || true; done
  bash scripts/mariadb.sh stop >/dev/null 2>&1 || true
}
trap stop_all EXIT
bash scripts/pg.sh start
bash scripts/mariadb.sh start
# The other majors start (and, the first time, install) while the tests build.
for major in $majors; do
  major_pg "$major" start >"/tmp/schemasync-pg$major.start.log" 2>&1 &
done
eval "$(bash scripts/pg.sh env)"
eval "$(bash scripts/mariadb.sh env)"

swift build --build-tests
# A start that failed in the background is tried again, and reported, below.
wait || true
swift test --skip-build "$@"

# The PostgreSQL suites on every other major.
pg_suites='PostgresCaptureIntegrationTests|SyncEngineTests\.(PostgresStoreTests|DeliveryEngineTests)|SchemaSyncCommandsTests\.(InspectCommandTests|DiffCommandTests|SnapshotResetTests)|SchemaSyncCommandsTests\.SyncCommandTests/(firstSyncThenChangesThenNothing|syncsIntoTheReceiverThroughASeriesOfChanges|retiringSendsTheTeardownToTheConfiguredSinkAndResumesWhereItStopped|baselineRecordsWithoutSending)'
for major in $majors; do
  if ! major_pg "$major" start; then
    cat "/tmp/schemasync-pg$major.start.log" >&2 || true
    echo "test.sh: PostgreSQL $major did not start" >&2
    exit 1
  fi
  echo "test.sh: the PostgreSQL suites against PostgreSQL $major"
  (
    unset SCHEMASYNC_PG_PORT SCHEMASYNC_PG_DIR
    env_lines="$(major_pg "$major" env)"
    eval "$env_lines"
    swift test --skip-build --filter "$pg_suites"
  )
  major_pg "$major" stop >/dev/null
done

# What a user sees after pg_upgrade: the fixture on 14, upgraded with the real pg_upgrade to
# 15, 16, 17 and 18 in turn (every major's build, from PyPI).
if [ "$majors" = "14 16 17 18" ]; then
  bindirs=""
  for major in 14 15 16 17 18; do bindirs="$bindirs $major=$(major_pg "$major" bindir)"; done
  echo "test.sh: pg_upgrade from 14 to 18"
  SCHEMASYNC_TEST_PG_UPGRADE_BINDIRS="${bindirs# }" swift test --skip-build --filter 'PostgresCaptureIntegrationTests.UpgradeTests'
fi

# The README's main job end to end with the release build (optimised code has crashed where
# the debug build of the tests did not): the demo's sync into the receiver, its diff
# report, and the receiver's catalog equal to the delivered snapshot (`--exit-code`).
echo "test.sh: the README's main job (scripts/demo.sh, release build)"
bash scripts/demo.sh
