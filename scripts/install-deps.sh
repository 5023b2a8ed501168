#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine with Swift 6.3 lacks to build and test
# schemasync: the C client libraries, the PostgreSQL and MariaDB servers, and the
# small tools the scripts use (pip fetches the other PostgreSQL majors: scripts/pg.sh). Idempotent: packages already present are skipped.
set -euo pipefail

packages=(
  libpq-dev zlib1g-dev default-libmysqlclient-dev libcurl4-openssl-dev pkg-config
  postgresql postgresql-client mariadb-server mariadb-client
  time util-linux
  python3 python3-pip
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# policy-rc.d keeps the packages from starting system-wide servers: the scripts
# start throwaway ones of their own on loopback.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
  $sudo chmod +x /usr/sbin/policy-rc.d
  trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
fi
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
