#!/usr/bin/env bash
# Start a local PostgreSQL for the test run and print its URL on the last line.
# Installs Debian's postgresql when missing (as root, or with passwordless sudo); otherwise
# stops with a message saying what to install. Never skips silently.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "PostgreSQL is needed for the store tests, and installing it needs root." >&2
    echo "Run: sudo apt-get install -y postgresql   (or set CONDUCTOR_TEST_POSTGRES_URL)" >&2
    exit 3
  fi
fi
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "Installing Debian's postgresql..." >&2
  $SUDO apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q postgresql >&2
fi
ver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$ver main"; then
  $SUDO pg_createcluster "$ver" main >&2
fi
$SUDO pg_ctlcluster "$ver" main start >&2 2>/dev/null || true
for _ in $(seq 1 30); do
  if $SUDO su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
port=$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $3}')
$SUDO su postgres -c "psql -qAt -p $port" >&2 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'conductor') THEN
    CREATE ROLE conductor LOGIN PASSWORD 'conductor' CREATEDB;
  END IF;
END $$;
SQL
if ! $SUDO su postgres -c "psql -qAt -p $port -c \"select 1 from pg_database where datname='conductor_test'\"" | grep -q 1; then
  $SUDO su postgres -c "createdb -p $port -O conductor conductor_test" >&2
fi
echo "postgresql+psycopg://conductor:conductor@127.0.0.1:$port/conductor_test"
