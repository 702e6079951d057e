#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on a free local port.
#   eval "$(scripts/pg_test.sh start)"   -> exports TEST_PG_URL and PG_TEST_DIR
#   scripts/pg_test.sh stop "$PG_TEST_DIR"
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user.
set -euo pipefail

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
  echo "$dir"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    BIN=$(pg_bin)
    DIR=$(mktemp -d /tmp/fangzha-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    as_owner "$BIN/initdb" -D "$DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    # Tests need no durability; a benchmark (PG_DURABLE=1) keeps PostgreSQL's defaults, as in production.
    FAST="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${PG_DURABLE:-}" = 1 ] && FAST=""
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 $FAST -c max_connections=200" \
      start >/dev/null
    echo "export TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres PG_TEST_DIR=$DIR"
    ;;
  stop)
    DIR=${2:?usage: pg_test.sh stop DIR}
    BIN=$(pg_bin)
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
