#!/usr/bin/env bash
# The WeCom callback path under wrk, side by side with a trivial handler of the same server:
# a release `yimei serve` on the private MariaDB (durable InnoDB settings of scripts/db.sh),
# a tiny fake WeCom API on loopback for the replies, signed and encrypted callbacks written by
# bench/wecom_callback_bench. Prints wrk's figures; copy them into docs/benchmarks.md.
# Environment: YIMEI_BUILD_DIR (build/bench), BENCH_SECONDS (10), BENCH_REQUESTS (60000).
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
FAKE_PORT=18091
python3 - "$FAKE_PORT" >/dev/null 2>&1 <<'PY' &
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n: self.rfile.read(n)
        body = json.dumps({"errcode": 0, "errmsg": "ok", "access_token": "bench",
                           "expires_in": 7200, "media_id": "m", "type": "image",
                           "created_at": "1700000000"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = do_POST = answer
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
FAKE_PID=$!

export WECOM_CORP_ID=wx5823bf96d3bd56c7 WECOM_TOKEN=QDG6eK WECOM_AGENT_ID=1000002
export WECOM_AES_KEY=jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C WECOM_SECRET=bench-secret
export WECOM_API_BASE=http://127.0.0.1:$FAKE_PORT YIMEI_LOG_LEVEL=warn
PORT=18090
YIMEI_LISTEN=127.0.0.1:$PORT "$YIMEI" serve >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

"$ROOT/$BUILD_DIR/bench/wecom_callback_bench" --write-requests "$WORK/requests.tsv" \
  "${BENCH_REQUESTS:-60000}"

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(date -u +%F), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== trivial handler (GET /livez), saturation"
wrk -t2 -c50 -d"${SECONDS_EACH}s" --latency "http://127.0.0.1:$PORT/livez"
echo "== WeCom callback (verify, decrypt, durable inbox insert, ack), saturation"
WRK_REQUESTS=$WORK/requests.tsv wrk -t2 -c50 -d"${SECONDS_EACH}s" --latency \
  -s scripts/wrk/replay.lua "http://127.0.0.1:$PORT"
echo "== WeCom callback at about 500 requests/s (10 connections, 20 ms pause each)"
WRK_REQUESTS=$WORK/requests.tsv WRK_DELAY_MS=20 wrk -t2 -c10 -d"${SECONDS_EACH}s" --latency \
  -s scripts/wrk/replay.lua "http://127.0.0.1:$PORT"
echo "== inbox rows: $(mariadb --no-defaults --socket="$YIMEI_DB_SOCKET" -uroot -N -e "SELECT COUNT(*) FROM \`$DB_NAME\`.bot_inbox")"
curl -fs "http://127.0.0.1:$PORT/metrics" | grep -E '^yimei_intake' || true
