#!/usr/bin/env bash
# The WeCom callback path under wrk, side by side with a trivial handler of the same server:
# a release `yimei serve` on the private MariaDB (durable InnoDB settings of scripts/db.sh),
# a tiny fake WeCom API on loopback for the replies, signed and encrypted callbacks written by
# bench/wecom_callback_bench. Prints wrk's figures; copy them into docs/benchmarks.md.
# Every callback is sent once (distinct MsgIds: the durable insert, not the duplicate path), each
# run with its own request file written just before it. The fixed-rate run comes first and its
# messages are answered before the saturation run (whose backlog takes minutes to answer).
# The CPU seconds of `yimei serve` and of the MariaDB server are printed for each run.
# Environment: YIMEI_BUILD_DIR (build/bench), YIMEI_BENCH_BUILD (1: build first), BENCH_SECONDS
# (10), BENCH_REQUESTS (250000, saturation run), BENCH_RATE_CONNECTIONS (10) and
# BENCH_RATE_DELAY_MS (16: the fixed-rate run, ~500 requests/s at a few ms of latency),
# BENCH_DRAIN_SECONDS (120: how long to wait for the answers after a run), BENCH_PERF_FILE (a
# `perf record` profile (call graphs by BENCH_PERF_CALLGRAPH: fp, dwarf) of yimei serve during the fixed-rate run; FILE.saturation: the other); scripts/db.sh's
# YIMEI_DB_DIR and YIMEI_DB_PORT pick another private MariaDB instance; BENCH_DB_TCP (0);
# BENCH_SKIP_RATE=1 runs only the two saturation runs (a quick comparison while tuning).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

BUILD_DIR=${YIMEI_BUILD_DIR:-build/bench}
SECONDS_EACH=${BENCH_SECONDS:-10}
if [ ! -x "$BUILD_DIR/bot/yimei" ] || [ "${YIMEI_BENCH_BUILD:-1}" = "1" ]; then
  scripts/setup-deps.sh
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DYIMEI_BUILD_TESTS=OFF \
    -DYIMEI_BUILD_BENCH=ON >/dev/null
  cmake --build "$BUILD_DIR" -j"$(nproc)" --target yimei wecom_callback_bench
fi
YIMEI=$ROOT/$BUILD_DIR/bot/yimei
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }

scripts/db.sh start
eval "$(scripts/db.sh env)"
export DB_NAME=${DB_NAME}_wecombench
# The service reaches MariaDB through its unix socket (DB_SOCKET), as on a single-host install;
# BENCH_DB_TCP=1 measures TCP over loopback instead.
[ "${BENCH_DB_TCP:-0}" = "1" ] || export DB_SOCKET=$YIMEI_DB_SOCKET
mariadb --no-defaults --socket="$YIMEI_DB_SOCKET" -uroot -e \
  "DROP DATABASE IF EXISTS \`$DB_NAME\`; CREATE DATABASE \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
"$YIMEI" db init >/dev/null

WORK=$(mktemp -d)
cleanup() {
  [ -n "${SERVE_PID:-}" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
  [ -n "${FAKE_PID:-}" ] && kill "$FAKE_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

# The fake WeCom API: every call succeeds (gettoken hands out a token, sends return errcode 0).
# In C++ on the product's HTTP server: a python fake took about as much CPU as yimei itself.
FAKE_PORT=18091
"$ROOT/$BUILD_DIR/bench/wecom_callback_bench" --fake-api "$FAKE_PORT" &
FAKE_PID=$!

export WECOM_CORP_ID=wx5823bf96d3bd56c7 WECOM_TOKEN=QDG6eK WECOM_AGENT_ID=1000002
export WECOM_AES_KEY=jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C WECOM_SECRET=bench-secret
export WECOM_API_BASE=http://127.0.0.1:$FAKE_PORT YIMEI_LOG_LEVEL=warn
PORT=18090
YIMEI_LISTEN=127.0.0.1:$PORT "$YIMEI" serve >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/livez" >/dev/null && break; sleep 0.1; done
if ! kill -0 "$SERVE_PID" 2>/dev/null || ! curl -fs "http://127.0.0.1:$PORT/livez" >/dev/null; then
  echo "yimei serve did not come up:" >&2
  cat "$WORK/serve.log" >&2
  exit 1
fi

RATE_CONNECTIONS=${BENCH_RATE_CONNECTIONS:-10}
RATE_DELAY_MS=${BENCH_RATE_DELAY_MS:-16}
DRAIN_SECONDS=${BENCH_DRAIN_SECONDS:-120}
DB_PID=$(cat "${YIMEI_DB_DIR:-$ROOT/.run/mariadb}/mysqld.pid")
# Callback timestamps must be within WECOM_TIMESTAMP_WINDOW (300 s): each run's requests are
# written just before it.
write_requests() { "$ROOT/$BUILD_DIR/bench/wecom_callback_bench" --write-requests "$1" "$2"; }
sql() { mariadb --no-defaults --socket="$YIMEI_DB_SOCKET" -uroot -N "$DB_NAME" -e "$1"; }
callbacks() { curl -fs "http://127.0.0.1:$PORT/metrics" | grep -E '^yimei_wecom_callbacks_total' || true; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
# MariaDB's statement counters (server-wide; nothing else uses this instance during a run).
STATUS_NAMES="'Questions','Com_stmt_execute','Com_select','Com_insert','Com_update','Com_commit','Com_savepoint','Handler_commit','Innodb_data_fsyncs'"
status_snapshot() {
  mariadb --no-defaults --socket="$YIMEI_DB_SOCKET" -uroot -N -e \
    "SELECT variable_name, variable_value FROM information_schema.global_status WHERE variable_name IN ($STATUS_NAMES)" | sort >"$1"
}
# Prints the counters' growth between two snapshots per message answered in between.
status_per_message() {
  local messages=$3
  [ "$messages" -gt 0 ] || return 0
  echo "-- MariaDB per message answered ($messages): $(join "$1" "$2" | awk -v n="$messages" \
    '{printf "%s%s %.1f", sep, tolower($1), ($3 - $2) / n; sep = ", "}')"
}
answered() { sql "SELECT COUNT(*) FROM bot_inbox WHERE status = 'done'"; }
cpu_s() { awk '{printf "%.2f", ($14 + $15) / '"$(getconf CLK_TCK)"'}' "/proc/$1/stat"; }
# Runs wrk with the given arguments and prints the CPU seconds yimei serve and MariaDB used.
measure() {
  local serve0 db0 fake0
  serve0=$(cpu_s "$SERVE_PID"); db0=$(cpu_s "$DB_PID"); fake0=$(cpu_s "$FAKE_PID")
  /usr/bin/time -f "%U %S" -o "$WORK/wrk.cpu" wrk "$@"
  echo "-- CPU during the run: yimei serve $(awk "BEGIN{print $(cpu_s "$SERVE_PID") - $serve0}") s," \
    "mariadbd $(awk "BEGIN{print $(cpu_s "$DB_PID") - $db0}") s," \
    "fake API $(awk "BEGIN{print $(cpu_s "$FAKE_PID") - $fake0}") s," \
    "wrk $(awk '{print $1 + $2}' "$WORK/wrk.cpu") s (load $(load))"
}
# The inbox after a run; waits up to DRAIN_SECONDS until every recorded callback is processed
# (answering them runs on the same cores as the intake).
drain() {
  local left t0=$SECONDS
  for _ in $(seq $((DRAIN_SECONDS * 2))); do
    left=$(sql "SELECT COUNT(*) FROM bot_inbox WHERE status IN ('received', 'processing')")
    [ "$left" = "0" ] && break
    sleep 0.5
  done
  echo "-- inbox after $((SECONDS - t0)) s more: $(sql "SELECT CONCAT(COUNT(*), ' rows; ', COALESCE(SUM(status = 'done'), 0), ' done, ', COALESCE(SUM(status = 'failed'), 0), ' failed, ', COALESCE(SUM(status IN ('received', 'processing')), 0), ' still open') FROM bot_inbox") (load $(load))"
}

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(date -u '+%F %T') UTC, load $(load)"
echo "== trivial handler (GET /livez), saturation"
measure -t2 -c50 -d"${SECONDS_EACH}s" --latency "http://127.0.0.1:$PORT/livez"
# The same trivial handler through the callbacks' client (replay.lua with prepared requests): on
# two cores wrk's own CPU per request counts against the server, and the script costs wrk more
# per request than its built-in request, so this pairs each server path with the same client.
echo "== trivial handler (GET /livez), saturation, through replay.lua"
awk -v n=200000 'BEGIN { for (i = 0; i < n; ++i) print "GET\t/livez\t" }' >"$WORK/livez.tsv"
WRK_REQUESTS=$WORK/livez.tsv WRK_THREADS=2 measure -t2 -c50 -d"${SECONDS_EACH}s" --latency \
  -s scripts/wrk/replay.lua "http://127.0.0.1:$PORT"

if [ "${BENCH_SKIP_RATE:-0}" != "1" ]; then
echo "== WeCom callback at about 500 requests/s ($RATE_CONNECTIONS connections, $RATE_DELAY_MS ms pause each)"
status_snapshot "$WORK/status0"; ANSWERED0=$(answered)
write_requests "$WORK/rate.tsv" "$((RATE_CONNECTIONS * 1000 / RATE_DELAY_MS * SECONDS_EACH * 2))"
if [ -n "${BENCH_PERF_FILE:-}" ]; then  # a CPU profile of yimei serve during this run
  perf record -F 499 --call-graph "${BENCH_PERF_CALLGRAPH:-fp}" -p "$SERVE_PID" -o "$BENCH_PERF_FILE" -- sleep "$SECONDS_EACH" >/dev/null 2>&1 &
fi
WRK_REQUESTS=$WORK/rate.tsv WRK_THREADS=2 WRK_DELAY_MS=$RATE_DELAY_MS measure -t2 \
  -c"$RATE_CONNECTIONS" -d"${SECONDS_EACH}s" --latency -s scripts/wrk/replay.lua \
  "http://127.0.0.1:$PORT"
callbacks
drain
status_snapshot "$WORK/status1"
status_per_message "$WORK/status0" "$WORK/status1" "$(($(answered) - ANSWERED0))"
fi

echo "== WeCom callback (verify, decrypt, durable inbox insert, ack), saturation"
write_requests "$WORK/saturation.tsv" "${BENCH_REQUESTS:-250000}"
if [ -n "${BENCH_PERF_FILE:-}" ]; then
  perf record -F 499 --call-graph "${BENCH_PERF_CALLGRAPH:-fp}" -p "$SERVE_PID" -o "$BENCH_PERF_FILE.saturation" -- sleep "$SECONDS_EACH" >/dev/null 2>&1 &
fi
WRK_REQUESTS=$WORK/saturation.tsv WRK_THREADS=2 measure -t2 -c50 -d"${SECONDS_EACH}s" --latency \
  -s scripts/wrk/replay.lua "http://127.0.0.1:$PORT"
callbacks
drain
curl -fs "http://127.0.0.1:$PORT/metrics" | grep -E '^yimei_intake' || true
echo "== yimei serve log: $(grep -c . "$WORK/serve.log") lines at level warn or above; the last ones:"
tail -n 5 "$WORK/serve.log"
