#!/usr/bin/env bash
# Benchmarks (never timed unit tests): a release build, the private MariaDB, a bench database
# seeded with 100,000 customers (~1,000,000 consumption records; the seed itself is timed), then
# every Google Benchmark program under build/bench/bench with YIMEI_BENCH_DB naming that database.
# Results go to stdout; copy the figures into docs/benchmarks.md with the machine and date.
# Environment: YIMEI_BENCH_CUSTOMERS (100000), YIMEI_BENCH_RESEED=1 to reseed an existing database,
# YIMEI_BENCH_AS_OF (2026-06-30: the seed's last day and the analyses' reference date),
# YIMEI_BENCH_DB (the database to use, default ${DB_NAME}_bench), YIMEI_BENCH_PROGRAMS (names of
# the programs to run, default all), YIMEI_BENCH_BUILD=0 to skip the build, DB_READ_TIMEOUT (1800:
# `db init` and `db seed` of ~1,000,000 records run single statements longer than the default 30 s).
# The 1M-record database kept in .run/mariadb-perf (port 3317):
#   YIMEI_DB_DIR=$PWD/.run/mariadb-perf YIMEI_DB_PORT=3317 YIMEI_DB_NAME=medical_cosmetics_perf \
#   YIMEI_BENCH_DB=medical_cosmetics_perf YIMEI_BENCH_PROGRAMS="analysis_bench render_bench" \
#   scripts/bench.sh
# The analysis benchmark also reports the server's CPU per run (server_cpu_ms: with the client's
# CPU, what an idle machine would see as wall time) and, after it, the peak RSS of `yimei analyze`
# for each analysis. Load averages are printed next to each part: wall times on a shared machine
# are upper bounds.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${YIMEI_BUILD_DIR:-build/bench}
if [ "${YIMEI_BENCH_BUILD:-1}" = "1" ]; then
  scripts/setup-deps.sh
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DYIMEI_BUILD_TESTS=OFF \
    -DYIMEI_BUILD_BENCH=ON >/dev/null
  cmake --build "$BUILD_DIR" -j"$(nproc)"
fi
YIMEI=$PWD/$BUILD_DIR/bot/yimei

scripts/db.sh start
eval "$(scripts/db.sh env)"
export YIMEI_BENCH_DB=${YIMEI_BENCH_DB:-${DB_NAME}_bench}
export DB_READ_TIMEOUT=${DB_READ_TIMEOUT:-1800}
export YIMEI_BENCH_AS_OF=${YIMEI_BENCH_AS_OF:-2026-06-30}
export YIMEI_BENCH_SERVER_PID=$(cat "${YIMEI_DB_DIR:-$PWD/.run/mariadb}/mysqld.pid")
SOCK=$YIMEI_DB_SOCKET
mariadb --no-defaults --socket="$SOCK" -uroot -e \
  "CREATE DATABASE IF NOT EXISTS \`$YIMEI_BENCH_DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
DB_NAME=$YIMEI_BENCH_DB "$YIMEI" db init >/dev/null

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r), $(date -u +%F)"
existing=$(mariadb --no-defaults --socket="$SOCK" -uroot -N -e "SELECT COUNT(*) FROM \`$YIMEI_BENCH_DB\`.customers")
if [ "$existing" = "0" ] || [ "${YIMEI_BENCH_RESEED:-0}" = "1" ]; then
  echo "== seed: ${YIMEI_BENCH_CUSTOMERS:-100000} customers"
  DB_NAME=$YIMEI_BENCH_DB /usr/bin/time -f "seed wall %e s, peak RSS %M KB" \
    "$YIMEI" db seed --replace --seed 2026 --customers "${YIMEI_BENCH_CUSTOMERS:-100000}" \
    --as-of "$YIMEI_BENCH_AS_OF"
fi

for b in "$BUILD_DIR"/bench/*; do
  [ -x "$b" ] && [ -f "$b" ] || continue
  if [ -n "${YIMEI_BENCH_PROGRAMS:-}" ] && [[ " $YIMEI_BENCH_PROGRAMS " != *" $(basename "$b") "* ]]; then
    continue
  fi
  echo "== $(basename "$b") (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  DB_NAME=$YIMEI_BENCH_DB "$b" --benchmark_min_time=0.2 --benchmark_counters_tabular=true
done

echo "== yimei analyze: peak RSS and wall time (load average $(cut -d' ' -f1-3 /proc/loadavg))"
for a in inactive-customers new-customer-repurchase vip-consumption unspent-balances \
         department-performance product-performance growth-points; do
  DB_NAME=$YIMEI_BENCH_DB /usr/bin/time -f "$a: peak RSS %M KB, wall %e s" \
    "$YIMEI" analyze "$a" --as-of "$YIMEI_BENCH_AS_OF" --chart /tmp/yimei-bench-chart.png >/dev/null
done
