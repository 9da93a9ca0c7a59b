#!/usr/bin/env bash
# Two replicas of the server behind a real load balancer (HAProxy, round-robin, no
# stickiness), on one Postgres and one Kafka-protocol broker (tansu).
#   scripts/cluster.sh up      build, seed the private database, start, and wait (make cluster)
#   scripts/cluster.sh start   start tansu, two replicas and HAProxy; prints the portal's URL
#   scripts/cluster.sh stop    stop them (what `start` recorded in target/cluster/pids)
#   scripts/cluster.sh url     the portal's URL
# Expects target/debug/server (or SERVER_BIN) and the site built by `cargo leptos build`,
# and DATABASE_URL (else the private cluster). Every variable of the caller's environment
# reaches the replicas (OIDC_*, SMTP_URL, TRY_IT_ALLOWED_NETWORKS…); the script sets
# PORT, PUBLIC_URL, DATA_DIR, KAFKA_BROKERS and GITOPS_REMOTE per replica.
# Ports: CLUSTER_PORT (default 3300, HAProxy); replicas on +1 and +2; tansu on +9.
# Logs: target/cluster/{haproxy,replica-1,replica-2,tansu}.log; HAProxy's access log is
# one line per request (used by the once-only counts, scripts/cluster_counts.py).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

port=${CLUSTER_PORT:-3300}
dir=$PWD/target/cluster
pids=$dir/pids
url="http://127.0.0.1:$port"
server_bin=${SERVER_BIN:-target/debug/server}

# In the reverse order of start: the load balancer, then the replicas (together), then the
# broker last, so that the replicas hand their last metering events to a broker that is
# still there (with the broker gone first, each retried for 10 s and was killed).
stop() {
    [ -f "$pids" ] || return 0
    local pid all broker
    all=$(tac "$pids"); broker=$(head -n 1 "$pids")
    for pid in $all; do [ "$pid" = "$broker" ] || kill "$pid" 2>/dev/null || true; done
    for pid in $all; do
        [ "$pid" = "$broker" ] && kill "$pid" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    rm -f "$pids"
}

start() {
    stop
    use_private_db
    rm -rf "$dir"
    mkdir -p "$dir/tansu"
    : >"$pids"

    # One broker, its storage in a fresh file.
    local kafka_port=$((port + 9))
    (cd "$dir/tansu" && exec tansu broker --listener-url "tcp://127.0.0.1:$kafka_port" \
        --advertised-listener-url "tcp://127.0.0.1:$kafka_port" --storage-engine sqlite://tansu.db) \
        >"$dir/tansu.log" 2>&1 &
    echo $! >>"$pids"
    for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$kafka_port") 2>/dev/null && break; sleep 0.1; done

    # The GitOps record: one remote both replicas push to.
    git init --quiet --bare --initial-branch=main "$dir/gitops.git"

    local n
    for n in 1 2; do
        PORT=$((port + n)) PUBLIC_URL="$url" DATA_DIR="$dir/replica-$n" KAFKA_BROKERS="127.0.0.1:$kafka_port" \
            KAFKA_GROUP_ID=stoa-cluster GITOPS_REMOTE="$dir/gitops.git" \
            "$server_bin" serve >"$dir/replica-$n.log" 2>&1 &
        echo $! >>"$pids"
        echo $! >"$dir/replica-$n.pid"
    done
    for n in 1 2; do
        wait_ready "http://127.0.0.1:$((port + n))" || { tail -n 30 "$dir/replica-$n.log" >&2; stop; exit 1; }
    done

    cat >"$dir/haproxy.cfg" <<EOF
global
    log stdout format raw local0
    maxconn 4096

defaults
    mode http
    log global
    option httplog
    timeout connect 5s
    timeout client 120s
    timeout server 120s

frontend portal
    bind 127.0.0.1:$port
    # One line per request: which replica answered, and the gateway's call id if any.
    capture response header X-Stoa-Call-Id len 36
    log-format "%ci %b/%s %ST %HM %HP %Tr call=%[capture.res.hdr(0)]"
    default_backend replicas

backend replicas
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    server replica-1 127.0.0.1:$((port + 1)) check inter 1s fall 2 rise 1
    server replica-2 127.0.0.1:$((port + 2)) check inter 1s fall 2 rise 1
EOF
    /usr/sbin/haproxy -db -f "$dir/haproxy.cfg" >"$dir/haproxy.log" 2>&1 &
    echo $! >>"$pids"
    wait_ready "$url" || { cat "$dir/haproxy.log" >&2; stop; exit 1; }
    echo "$url"
}

# make cluster: build, seed the private database, start, and stop everything on Ctrl-C.
up() {
    scripts/tools.sh cluster
    use_private_db
    cargo leptos build
    target/debug/server seed
    start >/dev/null
    trap 'stop; exit 0' INT TERM
    echo "STOA on $url: two replicas (target/cluster/replica-{1,2}.log) behind HAProxy, with tansu (Ctrl-C stops them)"
    while sleep 3600; do :; done
}

case "${1:-}" in
up) up ;;
start) start ;;
stop) stop ;;
url) echo "$url" ;;
*) echo "usage: $0 up|start|stop|url" >&2; exit 64 ;;
esac
