#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a working Yimei: dependencies, a release build,
# a private MariaDB with demo data, then the bot. Re-running keeps the existing demo data.
# Environment: YIMEI_DEMO_CUSTOMERS (20000), YIMEI_DB_PORT (3307), YIMEI_BUILD_DIR (build/release),
# YIMEI_BUILD_TYPE (Release).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-deps.sh

BUILD_DIR=${YIMEI_BUILD_DIR:-build/release}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${YIMEI_BUILD_TYPE:-Release}" \
  -DYIMEI_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target yimei
YIMEI=$PWD/$BUILD_DIR/bot/yimei

scripts/db.sh start
eval "$(scripts/db.sh env)"
export YIMEI_ADMINS=${YIMEI_ADMINS:-admin}  # the demo user of `yimei chat` is an admin
"$YIMEI" db init
if "$YIMEI" db seed --customers "${YIMEI_DEMO_CUSTOMERS:-20000}" 2>/dev/null; then
  :
else
  echo "演示数据已存在，保留现有数据（重新生成：$YIMEI db seed --replace）"
fi

has() { "$YIMEI" --help 2>/dev/null | grep -qE "^\s+$1\b"; }
echo
echo "== Yimei 已就绪 =="
echo "数据库: 127.0.0.1:$DB_PORT/$DB_NAME （scripts/db.sh env 打印连接变量）"
if has analyze; then
  echo
  echo "\$ yimei analyze department-performance"
  "$YIMEI" analyze department-performance || true
  echo
  echo "\$ yimei analyze growth-points"
  "$YIMEI" analyze growth-points || true
fi
if has ask; then
  for q in "上个月每个科室的业绩" "今年消费最多的5个客户" "最近半年没来的金卡顾客有多少"; do
    echo
    echo "\$ yimei ask \"$q\""
    "$YIMEI" ask "$q" || true
  done
fi
if has serve; then
  LISTEN=${YIMEI_LISTEN:-127.0.0.1:8080}
  mkdir -p .run
  YIMEI_LISTEN=$LISTEN "$YIMEI" serve >.run/serve.log 2>&1 &
  SERVE_PID=$!
  trap 'kill "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null' EXIT
  for _ in $(seq 100); do curl -fs "http://$LISTEN/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  echo
  echo "服务已启动：http://$LISTEN/healthz 、http://$LISTEN/metrics （日志 .run/serve.log）"
  echo "接入企业微信：设置 WECOM_* 后回调地址为 http://$LISTEN/wecom/callback（见 docs/configuration.md）"
  if has chat && [ -t 0 ]; then
    echo
    echo "进入终端对话（与企业微信同一套命令；Ctrl-D 退出并停止服务）："
    "$YIMEI" chat --as "${YIMEI_ADMINS:-admin}"
  else
    echo "Ctrl-C 停止服务"
    wait "$SERVE_PID"
  fi
  exit 0
elif has chat && [ -t 0 ]; then
  echo
  echo "进入终端对话（Ctrl-D 退出）："
  exec "$YIMEI" chat --as "${YIMEI_ADMINS:-admin}"
fi
echo
echo "试试: eval \"\$(scripts/db.sh env)\"; $YIMEI --help"
