#!/usr/bin/env bash
# Gateway throughput of two release builds in one run (e.g. before and after a change to
# what the gateway does per call): each `server` in BENCH_COMPARE_BINS (two directories,
# "before after") serves its own database with the same API on one bare upstream
# (stoa-bench upstream), a plan without limits and a subscribed key; wrk then calls
# GET /gw/demo/bench-orders/orders/7 through each in turn, BENCH_PAIRS (4) times,
# BENCH_DURATION (10s) at BENCH_CONNECTIONS (64): the requests/s of each run, the medians
# and after/before. Both servers stay up throughout, so neither is measured cold.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
pairs=${BENCH_PAIRS:-4}
port=$(( ${BENCH_PORT:-3200} + 30 ))
up_port=$((port + 9))
read -r -a bins <<<"${BENCH_COMPARE_BINS:?two directories holding a release server: before after}"
[ "${#bins[@]}" = 2 ] || { echo "BENCH_COMPARE_BINS: two directories" >&2; exit 64; }

scripts/tools.sh bench
use_private_db

"${bins[1]}/stoa-bench" upstream "$up_port" >target/bench-compare-upstream.log 2>&1 &
pids=$!
trap 'kill $pids 2>/dev/null; wait $pids 2>/dev/null || true' EXIT
wait_url "http://127.0.0.1:$up_port/v1/orders/1"

# A server of `bin` on `port` with the bench API and a key (in $key).
serve() {
    local bin=$1 port=$2 db=$3 url
    url=$(fresh_db "$db")
    DATABASE_URL=$url "$bin/server" seed >/dev/null
    DATABASE_URL=$url PORT=$port RUST_LOG=warn TRY_IT_ALLOWED_NETWORKS=127.0.0.1/32 \
        "$bin/server" serve >"target/bench-compare-$port.log" 2>&1 &
    pids="$pids $!"
    wait_ready "http://127.0.0.1:$port"
    bench_orders_api "http://127.0.0.1:$port" "$url" "$up_port"
}

serve "${bins[0]}" "$port" stoa_bench_compare_a; key_a=$key
serve "${bins[1]}" "$((port + 1))" stoa_bench_compare_b; key_b=$key
rps() {
    wrk -t"$threads" -c"$conns" -d"$duration" -H "X-API-Key: $2" "http://127.0.0.1:$1/gw/demo/bench-orders/orders/7" \
        | awk '/^Requests\/sec:/ { print $2 }'
}
rps "$port" "$key_a" >/dev/null # warm both
rps "$((port + 1))" "$key_b" >/dev/null
a=() b=()
# Pairs in turn A-B, then B-A: a drift of the machine over the run (heat, other load)
# weighs on both alike.
for n in $(seq "$pairs"); do
    if [ $((n % 2)) = 1 ]; then
        a+=("$(rps "$port" "$key_a")"); b+=("$(rps "$((port + 1))" "$key_b")")
    else
        b+=("$(rps "$((port + 1))" "$key_b")"); a+=("$(rps "$port" "$key_a")")
    fi
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ma=$(median "${a[@]}") mb=$(median "${b[@]}")
echo "gateway requests/s, ${bins[0]}: ${a[*]} (median $ma)"
echo "gateway requests/s, ${bins[1]}: ${b[*]} (median $mb)"
echo "after/before: $(awk -v a="$ma" -v b="$mb" 'BEGIN { printf "%.3f", b / a }') (per pair: $(for i in "${!a[@]}"; do awk -v a="${a[$i]}" -v b="${b[$i]}" 'BEGIN { printf "%.3f ", b / a }'; done))"
drop_db stoa_bench_compare_a
drop_db stoa_bench_compare_b
