#!/usr/bin/env bash
# A private PostgreSQL cluster for development and tests, under target/pg.
#   scripts/pg.sh start   start it (initialising on first use); prints nothing on success
#   scripts/pg.sh stop    stop it
#   scripts/pg.sh url     the DATABASE_URL of its `stoa` database
# Port: STOA_PG_PORT (default 5433); directory: STOA_PG_DIR (default target/pg). Idempotent:
# starting a running cluster is a no-op.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${STOA_PG_PORT:-5433}
url="postgres://postgres@127.0.0.1:${port}/stoa"

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] && [ "${1:-}" = start ]; then
    echo "pg: installing PostgreSQL (apt-get)" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

# initdb refuses to run as root: as root the cluster belongs to `postgres`, and must live
# where that user can reach it.
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
dir="$PWD/target/pg"
if [ -n "${STOA_PG_DIR:-}" ]; then
    # Another cluster of its own (the Postgres-restart test): a directory postgres can reach.
    dir=$STOA_PG_DIR
    mkdir -p "$dir"
elif [ "$(id -u)" = 0 ]; then
    mkdir -p target
    if ! runuser -u postgres -- test -x "$PWD/target"; then
        # The checkout sits under a directory postgres cannot traverse (e.g. /root):
        # keep the cluster outside it, one per checkout, and link it from target/pg.
        real="/var/tmp/stoa-pg/$(printf %s "$PWD" | md5sum | cut -c1-12)"
        mkdir -p "$real"
        [ -L target/pg ] || { rm -rf target/pg; ln -s "$real" target/pg; }
        dir="$real"
    fi
fi
data="$dir/data"

case "${1:-}" in
start)
    mkdir -p "$dir/sock"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir" "$dir/sock"; fi
    if [ ! -f "$data/PG_VERSION" ]; then
        as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        as_pg "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 30 \
            -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null \
            || { tail -n 20 "$dir/server.log" >&2; exit 1; }
    fi
    psql() { as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
    [ "$(psql -c "SELECT 1 FROM pg_database WHERE datname = 'stoa'")" = 1 ] || psql -c "CREATE DATABASE stoa"
    ;;
stop)
    if [ -f "$data/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    fi
    ;;
status)
    as_pg "$bin/pg_ctl" -D "$data" status
    ;;
url)
    echo "$url"
    ;;
*)
    echo "usage: $0 start|stop|status|url" >&2
    exit 64
    ;;
esac
