#!/usr/bin/env bash
# The gateway and metering figures of `make bench` (also `make bench-metering` alone),
# release build, one run:
#   gateway   wrk at BENCH_CONNECTIONS against a bare upstream directly, then the same
#             operation through /gw with a subscribed key (plan without limits, every
#             call metered in process), then through nginx (the reference proxy): the
#             requests/s ratios and the p50 the gateway adds, at BENCH_CONNECTIONS and at
#             one connection; the same calls once the version is deprecated (its answers
#             carrying Deprecation, Sunset, Link) against the published run just before;
#             the server's RSS before and its peak after.
#   ingest    BENCH_INGEST_EVENTS (2 000 000) events in the STOA gateway's shape counted
#             into rollups from memory (the ingest alone), then produced to a tansu broker,
#             read back alone (the broker's ceiling) and counted by the Kafka ingest: events/s.
#   usage     the rollups of BENCH_USAGE_EVENTS (10 000 000) calls over 30 days (20
#             tenants, 200 applications), then /v1/usage's usual queries in process:
#             p50/p95/p99 server time; the dashboards' whole reads (/usage, /console/usage)
#             for 24 h, 7 d, 30 d; BENCH_EXPORT_ROWS (1 000 000) raw calls exported as CSV:
#             time and the process's peak RSS.
# BENCH_NO_BUILD=1 uses the release binaries as they are; BENCH_PERF=1 profiles the server
# during the gateway run (perf report -i target/bench-gateway.perf).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
port=${BENCH_PORT:-3200}
gw_port=$((port + 10))
up_port=$((port + 11))
kafka_port=$((port + 12))
base="http://127.0.0.1:$gw_port"

scripts/tools.sh bench
use_private_db
[ -n "${BENCH_NO_BUILD:-}" ] || LEPTOS_OUTPUT_NAME=stoa cargo build --release -p server -p bench --bins

url=$(fresh_db stoa_bench_gateway)
DATABASE_URL=$url target/release/server seed >/dev/null
DATABASE_URL=$url PORT=$gw_port RUST_LOG=warn TRY_IT_ALLOWED_NETWORKS=127.0.0.1/32 \
    target/release/server serve >target/bench-gateway.log 2>&1 &
server=$!
target/release/stoa-bench upstream "$up_port" >target/bench-upstream.log 2>&1 &
upstream=$!
pids="$server $upstream"
trap 'kill $pids 2>/dev/null; wait $pids 2>/dev/null || true' EXIT
wait_ready "$base"
wait_url "http://127.0.0.1:$up_port/v1/orders/1"

# An API on the bare upstream, a plan without limits, an application subscribed to it.
bench_orders_api "$base" "$url" "$up_port" || { tail -20 target/bench-gateway.log >&2; exit 1; }

wrk_figures() {
    local out
    out=$(wrk -t"$threads" -c"$conns" -d"$duration" --latency "$@")
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
    p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
    p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
    non2xx=$(awk '/Non-2xx/ { print $5 }' <<<"$out")
}
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v } else { sub(/s$/, "", v); print v * 1000 } }'; }
rss_before=$(awk '/^VmRSS:/ { print $2 }' "/proc/$server/status")
wrk_figures "http://127.0.0.1:$up_port/v1/orders/7"; direct_rps=$rps; direct_p50=$p50; direct_p99=$p99
# BENCH_PERF=1: a CPU profile of the server during the gateway run (target/bench-gateway.perf).
if [ -n "${BENCH_PERF:-}" ]; then
    perf record -F 499 -g -p "$server" -o target/bench-gateway.perf -- sleep 8 >/dev/null 2>&1 &
    perf_pid=$!
fi
wrk_figures -H "X-API-Key: $key" "$base/gw/demo/bench-orders/orders/7"; gw_rps=$rps; gw_p50=$p50; gw_p99=$p99; gw_non2xx=${non2xx:-0}
[ -z "${perf_pid:-}" ] || wait "$perf_pid" || true
# The reference: nginx proxying the same upstream (no key, no limits, no metering) — what
# one extra HTTP hop costs on this machine, whoever makes it.
ngx=$(mktemp -d)
ngx_port=$((port + 13))
cat >"$ngx/nginx.conf" <<NGINX
worker_processes 2;
daemon off;
pid $ngx/nginx.pid;
error_log $ngx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $ngx/body; proxy_temp_path $ngx/proxy; fastcgi_temp_path $ngx/fcgi;
    uwsgi_temp_path $ngx/uwsgi; scgi_temp_path $ngx/scgi;
    upstream up { server 127.0.0.1:$up_port; keepalive 64; }
    server {
        listen 127.0.0.1:$ngx_port;
        location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; }
    }
}
NGINX
/usr/sbin/nginx -c "$ngx/nginx.conf" -p "$ngx" &
nginx=$!
pids="$pids $nginx"
wait_url "http://127.0.0.1:$ngx_port/v1/orders/1"
wrk_figures "http://127.0.0.1:$ngx_port/v1/orders/7"; ngx_rps=$rps; ngx_p50=$p50
kill $nginx; wait $nginx 2>/dev/null || true
ngx_ratio=$(awk -v a="$ngx_rps" -v b="$direct_rps" 'BEGIN { printf "%.3f", a / b }')

# One connection: what one hop through the gateway adds to one call, without queueing.
conns_was=$conns; threads_was=$threads; conns=1; threads=1
wrk_figures "http://127.0.0.1:$up_port/v1/orders/7"; direct1_p50=$p50; direct1_rps=$rps
wrk_figures -H "X-API-Key: $key" "$base/gw/demo/bench-orders/orders/7"; gw1_p50=$p50; gw1_rps=$rps
conns=$conns_was; threads=$threads_was
added1_p50=$(awk -v a="$(to_ms "$gw1_p50")" -v b="$(to_ms "$direct1_p50")" 'BEGIN { printf "%.3f ms", a - b }')
# A deprecated version (issue 33): the same calls once every answer carries Deprecation,
# Sunset and the successor's Link, against the published version measured just before.
wrk_figures -H "X-API-Key: $key" "$base/gw/demo/bench-orders/orders/7"; pub_rps=$rps
jar=$(mktemp)
curl -fsS -c "$jar" -o /dev/null -d 'username=dave&password=stoa-demo&next=/' "$base/api/login"
curl -fsS -b "$jar" -o /dev/null -H 'content-type: application/json' \
    -d "{\"sunset\":\"$(date -u -d '+30 days' +%F)\"}" "$base/v1/catalog/apis/demo/bench-orders/versions/1.0.0/deprecate"
rm -f "$jar"
# The gateway reads its routes again within 5 s.
for _ in $(seq 1 50); do
    curl -fsS -o /dev/null -D - -H "X-API-Key: $key" "$base/gw/demo/bench-orders/orders/7" | grep -qi '^deprecation:' && break
    sleep 0.2
done
wrk_figures -H "X-API-Key: $key" "$base/gw/demo/bench-orders/orders/7"; dep_rps=$rps; dep_p50=$p50
dep_ratio=$(awk -v a="$dep_rps" -v b="$pub_rps" 'BEGIN { printf "%.3f", a / b }')
rss_peak=$(awk '/^VmHWM:/ { print $2 }' "/proc/$server/status")
# The first view of dave's /usage after the run (his bench application's calls): bytes.
jar=$(mktemp)
curl -fsS -c "$jar" -o /dev/null -d 'username=dave&password=stoa-demo&next=/' "$base/api/login"
# (The site's assets come from the last `cargo leptos build --release`, as in make bench.)
total_gz="unmeasured (no release site build)"
first_view /usage "$jar" >target/bench-usage-first-view.txt 2>&1 || true
usage_gz=$total_gz
# The catalog's first view in the same run: the budget /usage is held to (65 KiB).
total_gz="unmeasured"
first_view /catalog >>target/bench-usage-first-view.txt 2>&1 || true
catalog_gz=$total_gz
rm -f "$jar"
gw_ratio=$(awk -v a="$gw_rps" -v b="$direct_rps" 'BEGIN { printf "%.3f", a / b }')
added_p50=$(awk -v a="$(to_ms "$gw_p50")" -v b="$(to_ms "$direct_p50")" 'BEGIN { printf "%.3f ms", a - b }')
sleep 2
metered=$(curl -fsS "$base/metrics" | awk '/^stoa_metering_events_recorded_total / { print $2 }')
dropped=$(curl -fsS "$base/metrics" | awk '/^stoa_metering_events_dropped_total / { print $2 }')

echo
echo "STOA gateway and metering bench ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t$threads -c$conns -d$duration, release build)"
echo "  upstream directly        requests/s: $direct_rps   p50: $direct_p50   p99: $direct_p99"
echo "  through /gw (metered)    requests/s: $gw_rps   p50: $gw_p50   p99: $gw_p99   non-2xx: $gw_non2xx"
echo "  gateway / direct         ratio: $gw_ratio   added p50: $added_p50"
echo "  nginx proxy (reference)  requests/s: $ngx_rps   p50: $ngx_p50   nginx / direct ratio: $ngx_ratio"
echo "  one connection           direct p50: $direct1_p50 ($direct1_rps/s)   through /gw p50: $gw1_p50 ($gw1_rps/s)   added p50: $added1_p50"
echo "  deprecated version       requests/s: $dep_rps (p50 $dep_p50)   published just before: $pub_rps   deprecated / published: $dep_ratio (goal >= 0.95)"
echo "  server RSS               before: $((rss_before / 1024)) MiB   peak after the gateway run: $((rss_peak / 1024)) MiB"
echo "  metering events          recorded: $metered   dropped: $dropped"
echo "  first view of /usage     gzipped bytes (HTML+CSS+JS+wasm), signed in, the run's calls shown: $usage_gz; the catalog's, anonymous: $catalog_gz (budget 65 KiB = 66560; target/bench-usage-first-view.txt)"

# /v1/usage over generated rollups.
usage_events=${BENCH_USAGE_EVENTS:-10000000}
url3=$(fresh_db stoa_bench_usage)
DATABASE_URL=$url3 target/release/server migrate >/dev/null
echo "  usage:"
DATABASE_URL=$url3 target/release/stoa-bench usage-generate "$usage_events" 30 | sed 's/^/    /'
# Statistics as autovacuum keeps them on a database that has been running.
psql "$url3" -qc "ANALYZE usage_minute, usage_hour, usage_day"
DATABASE_URL=$url3 target/release/stoa-bench usage-measure | sed 's/^/    /'
echo "  usage dashboards (the whole page's reads, in process):"
DATABASE_URL=$url3 target/release/stoa-bench dashboard-measure | sed 's/^/    /'
# The console's page over HTTP as the platform admin sees it: the release server on the
# same 10 M calls, each whole answer (reads and rendering) timed by curl.
DATABASE_URL=$url3 target/release/server seed >/dev/null
page_base="http://127.0.0.1:$((port + 14))"
DATABASE_URL=$url3 PORT=$((port + 14)) RUST_LOG=warn target/release/server serve >target/bench-usage-page.log 2>&1 &
page_server=$!
pids="$pids $page_server"
wait_ready "$page_base"
jar=$(mktemp)
curl -fsS -c "$jar" -o /dev/null -d 'username=carl&password=stoa-demo&next=/' "$page_base/api/login"
echo "  /console/usage over HTTP, platform admin, whole answer (20 timed runs after 2):"
for period in 24h 7d 30d; do
    times=$(for _ in $(seq 1 22); do
        curl -fsS -b "$jar" -o /dev/null -w '%{time_total}\n' "$page_base/console/usage?period=$period"
    done | tail -n 20 | sort -n)
    size=$(curl -fsS -b "$jar" "$page_base/console/usage?period=$period" | wc -c)
    awk -v p="$period" -v s="$size" '{ t[NR] = $1 * 1000 } END { printf "    %s: p50 %.1f ms  p95 %.1f ms  max %.1f ms  (%d bytes)\n", p, t[10], t[19], t[20], s }' <<<"$times"
done
kill "$page_server"; wait "$page_server" 2>/dev/null || true
rm -f "$jar"
echo "  CSV export of raw calls:"
DATABASE_URL=$url3 target/release/stoa-bench export-measure "${BENCH_EXPORT_ROWS:-1000000}" | sed 's/^/    /'
# 10 M calls take about 15 GB: the disk is shared, give it back.
drop_db stoa_bench_usage

# The Kafka ingest from tansu, with its memory storage (a broker serving from its page
# cache, as Kafka does): with `sqlite://` tansu itself reads back about 13 000 events/s
# on this machine, below what the ingest counts.
events=${BENCH_INGEST_EVENTS:-2000000}
kdir=$(mktemp -d)
url2=$(fresh_db stoa_bench_ingest)
DATABASE_URL=$url2 target/release/server seed >/dev/null
(cd "$kdir" && exec tansu broker --listener-url "tcp://127.0.0.1:$kafka_port" \
    --advertised-listener-url "tcp://127.0.0.1:$kafka_port" --storage-engine memory://tansu/) >"$kdir/broker.log" 2>&1 &
broker=$!
pids="$pids $broker"
for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/$kafka_port) 2>/dev/null && break; sleep 0.1; done
echo "  ingest without a broker (the same events, in memory):"
DATABASE_URL=$url2 target/release/stoa-bench ingest-direct "$events" | sed 's/^/    /'
url2=$(fresh_db stoa_bench_ingest)
DATABASE_URL=$url2 target/release/server seed >/dev/null
echo "  ingest from tansu:"
DATABASE_URL=$url2 target/release/stoa-bench ingest "127.0.0.1:$kafka_port" "stoa.metering.bench" "$events" | sed 's/^/    /'
rm -rf "$kdir"
drop_db stoa_bench_ingest
