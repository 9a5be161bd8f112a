#!/usr/bin/env bash
# Installs and starts what the tests need when it is missing: Chromium for the browser
# tests, PostgreSQL (listening on 127.0.0.1 only) for the database tests.
set -euo pipefail
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x /usr/bin/chromium ]; then
  echo "==> installing chromium"
  as_root bash -c "$(declare -f apt_install); apt_updated=0; apt_install chromium"
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "==> installing postgresql"
    as_root bash -c "$(declare -f apt_install); apt_updated=0; apt_install postgresql"
  fi
  version="$(ls /etc/postgresql | sort -V | tail -n1)"
  conf="/etc/postgresql/$version/main"
  as_root sed -i "s/^#\?listen_addresses.*/listen_addresses = '127.0.0.1'/" "$conf/postgresql.conf"
  # Loopback-only and throw-away test data: trust local TCP connections like CI's server.
  if ! as_root grep -q "callplatform-tests" "$conf/pg_hba.conf"; then
    as_root sed -i "1i host all all 127.0.0.1/32 trust # callplatform-tests" "$conf/pg_hba.conf"
  fi
  echo "==> starting postgresql $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  pg_isready -h 127.0.0.1 -p 5432
fi

# The tests create their own databases from the `test` database, as on CI's server.
if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1; then
  echo "==> creating database test"
  psql -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE test" >/dev/null
fi

# Redis (127.0.0.1 only) for the tests of several workers and of the live bus across them.
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "==> installing redis"
    as_root bash -c "$(declare -f apt_install); apt_updated=0; apt_install redis-server"
  fi
  echo "==> starting redis"
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save "" --appendonly no >/dev/null
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
  redis-cli -h 127.0.0.1 -p 6379 ping
fi
