#!/usr/bin/env bash
# The whole test run, from a fresh Debian 12 machine: dependencies, build, a private MariaDB
# (own port, own datadir), the fixture database, every test; the database is stopped at the end
# even on failure. Environment: YIMEI_BUILD_DIR (build/test), YIMEI_BUILD_TYPE (Debug),
# YIMEI_TEST_DB_PORT (3308), YIMEI_TEST_DB_DIR (.run/mariadb-test; two test runs at once need their own
# port and directory), CTEST_ARGS (extra ctest arguments, e.g. "-R Schema").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

scripts/setup-deps.sh

BUILD_DIR=${YIMEI_BUILD_DIR:-build/test}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${YIMEI_BUILD_TYPE:-Debug}" \
  -DYIMEI_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"

# A private server for the tests, apart from the one scripts/demo.sh uses.
export YIMEI_DB_PORT=${YIMEI_TEST_DB_PORT:-3308}
export YIMEI_DB_DIR=${YIMEI_TEST_DB_DIR:-$ROOT/.run/mariadb-test}
# Test data is disposable: skip fsyncs (schema creation per test is ~5x faster).
export YIMEI_DB_EXTRA_ARGS="--innodb-flush-log-at-trx-commit=0 --skip-innodb-doublewrite --innodb-flush-method=nosync"
cleanup() { "$ROOT"/scripts/db.sh stop >/dev/null 2>&1 || true; }
trap cleanup EXIT
scripts/db.sh start
eval "$(scripts/db.sh env)"

# Databases left by an interrupted run, then the shared fixture database (loaded once).
SOCK=$YIMEI_DB_DIR/mysqld.sock
for db in $(mariadb --no-defaults --socket="$SOCK" -uroot -N -e \
    "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE '${DB_NAME}\\_%'"); do
  mariadb --no-defaults --socket="$SOCK" -uroot -e "DROP DATABASE \`$db\`"
done
export YIMEI_FIXTURE_DB=${DB_NAME}_fixture
mariadb --no-defaults --socket="$SOCK" -uroot -e \
  "CREATE DATABASE \`$YIMEI_FIXTURE_DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
# As a clinic's existing database: contract tables and data first, then `yimei db init` upgrades
# it (and builds the analysis summaries once instead of row by row through their triggers).
mariadb --no-defaults --socket="$SOCK" -uroot "$YIMEI_FIXTURE_DB" < sql/schema.sql
gzip -dc tests/fixtures/clinic-a-small.sql.gz | mariadb --no-defaults --socket="$SOCK" -uroot "$YIMEI_FIXTURE_DB"
DB_NAME=$YIMEI_FIXTURE_DB "$BUILD_DIR"/bot/yimei db init >/dev/null

export YIMEI_TEST_DB_RESTART=1
cd "$BUILD_DIR"
# Unit tests in parallel; integration tests are marked RUN_SERIAL (one server, restarts).
ctest --output-on-failure -j"$(nproc)" ${CTEST_ARGS:-}
