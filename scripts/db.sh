#!/usr/bin/env bash
# A private MariaDB 10.11 for development, tests and the demo: own datadir and socket under
# .run/mariadb, 127.0.0.1 only, port 3307 by default. Never touches the system service or 3306.
#   scripts/db.sh start|stop|status|env|reset
# Overrides: YIMEI_DB_PORT (3307), YIMEI_DB_DIR (.run/mariadb), YIMEI_DB_NAME (medical_cosmetics),
# YIMEI_DB_EXTRA_ARGS (more mariadbd options; scripts/test.sh trades durability for speed).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${YIMEI_DB_PORT:-3307}
DIR=${YIMEI_DB_DIR:-$PWD/.run/mariadb}
NAME=${YIMEI_DB_NAME:-medical_cosmetics}
SOCK=$DIR/mysqld.sock
PIDF=$DIR/mysqld.pid
RW_USER=yimei;    RW_PASS=yimei_rw_pw
RO_USER=yimei_ro; RO_PASS=yimei_ro_pw

USER_OPT=(--user="$(id -un)")
if [ "$(id -u)" -eq 0 ]; then USER_OPT=(--user=root); fi

is_running() { [ -f "$PIDF" ] && kill -0 "$(cat "$PIDF")" 2>/dev/null; }
admin() { mariadb-admin --no-defaults --socket="$SOCK" -uroot "$@"; }
client() { mariadb --no-defaults --socket="$SOCK" -uroot "$@"; }

start() {
  if is_running; then echo "db: already running on 127.0.0.1:$PORT (socket $SOCK)"; return 0; fi
  if ss -ltn 2>/dev/null | awk '{print $4}' | grep -qE "[:.]$PORT\$"; then
    echo "db: port $PORT is taken by another process; set YIMEI_DB_PORT" >&2; return 1
  fi
  mkdir -p "$DIR"
  if [ ! -d "$DIR/data/mysql" ]; then
    mariadb-install-db --no-defaults "${USER_OPT[@]}" --datadir="$DIR/data" \
      --auth-root-authentication-method=socket --skip-test-db >"$DIR/install.log" 2>&1 \
      || { echo "db: mariadb-install-db failed, see $DIR/install.log" >&2; return 1; }
  fi
  # --no-defaults must come first: it keeps /etc/mysql/*.cnf (and its port/socket) out.
  nohup mariadbd --no-defaults "${USER_OPT[@]}" --datadir="$DIR/data" --socket="$SOCK" \
    --port="$PORT" --bind-address=127.0.0.1 --pid-file="$PIDF" --log-error="$DIR/error.log" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --skip-log-bin --innodb-buffer-pool-size=256M --innodb-log-file-size=64M \
    --max-connections=200 --innodb-flush-log-at-trx-commit=1 ${YIMEI_DB_EXTRA_ARGS:-} >/dev/null 2>&1 &
  # mariadb-admin --wait hangs without a server: poll ping instead (up to 30 s).
  for _ in $(seq 300); do
    admin ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  admin ping >/dev/null 2>&1 || { echo "db: server did not start, see $DIR/error.log" >&2; tail -5 "$DIR/error.log" >&2; return 1; }
  client <<SQL
CREATE DATABASE IF NOT EXISTS \`$NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$RW_USER'@'localhost' IDENTIFIED BY '$RW_PASS';
CREATE USER IF NOT EXISTS '$RW_USER'@'127.0.0.1' IDENTIFIED BY '$RW_PASS';
CREATE USER IF NOT EXISTS '$RO_USER'@'localhost' IDENTIFIED BY '$RO_PASS';
CREATE USER IF NOT EXISTS '$RO_USER'@'127.0.0.1' IDENTIFIED BY '$RO_PASS';
-- The read-write account owns every database named like the product (tests create their own).
GRANT ALL PRIVILEGES ON \`${NAME}%\`.* TO '$RW_USER'@'localhost', '$RW_USER'@'127.0.0.1';
GRANT SELECT ON \`${NAME}%\`.* TO '$RO_USER'@'localhost', '$RO_USER'@'127.0.0.1';
SQL
  echo "db: running on 127.0.0.1:$PORT (socket $SOCK, database $NAME)"
}

stop() {
  if ! is_running; then echo "db: not running"; return 0; fi
  local pid; pid=$(cat "$PIDF")
  admin shutdown >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  echo "db: stopped"
}

status() {
  if is_running && admin ping >/dev/null 2>&1; then echo "db: running on 127.0.0.1:$PORT"; else echo "db: not running"; return 1; fi
}

print_env() {
  cat <<ENV
export DB_HOST=127.0.0.1
export DB_PORT=$PORT
export DB_NAME=$NAME
export DB_USER=$RW_USER
export DB_PASSWORD=$RW_PASS
export DB_READONLY_USER=$RO_USER
export DB_READONLY_PASSWORD=$RO_PASS
export YIMEI_DB_SOCKET=$SOCK
ENV
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) print_env ;;
  reset) stop; rm -rf "$DIR"; start ;;
  *) echo "usage: $0 start|stop|status|env|reset" >&2; exit 2 ;;
esac
