#!/usr/bin/env bash
# The README's test command: installs what is missing (Debian packages), starts a
# throwaway PostgreSQL and a throwaway MariaDB on loopback, runs every test, and stops
# both servers again.
#
#   scripts/test.sh [extra `swift test` arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
# Formatting and lint first (seconds), with the committed .swift-format.
swift format lint --strict --recursive --parallel Sources Tests Package.swift
trap 'bash scripts/pg.sh stop >/dev/null 2>&1 || true; bash scripts/mariadb.sh stop >/dev/null 2>&1 || true' EXIT
bash scripts/pg.sh start
bash scripts/mariadb.sh start
eval "$(bash scripts/pg.sh env)"
eval "$(bash scripts/mariadb.sh env)"

swift build --build-tests
swift test --skip-build "$@"
