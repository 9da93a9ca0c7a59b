#!/usr/bin/env bash
# The key-verification flood of `make bench` (issue 30, item 9), release build: a valid
# key's POST /v1/keys/verify on 8 connections (wrk, scripts/bench-verify.lua) for
# BENCH_FLOOD_DURATION (10s) alone, then for as long again while one address floods the
# same endpoint with a new random key per request on 32 connections (a second wrk,
# scripts/bench-verify-random.lua, started with it): the valid key's requests/s, p50 and
# p99 in each, and how many random keys the flood sent and how many were refused (429,
# before the database).
# BENCH_FLOOD_BINS: directories holding a release `server` to measure in turn, in one run
# (default target/release, built here; e.g. "target/bench-bins/OLD target/release" for a
# before/after). BENCH_NO_BUILD=1 uses the binaries as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

port=$(( ${BENCH_PORT:-3200} + 20 ))
base="http://127.0.0.1:$port"
flood=${BENCH_FLOOD_DURATION:-10s}
bins=${BENCH_FLOOD_BINS:-target/release}

scripts/tools.sh bench
use_private_db
[ -n "${BENCH_NO_BUILD:-}" ] || LEPTOS_OUTPUT_NAME=stoa cargo build --release -p server -p bench --bins

p() { awk -v q="$1" '$1 == q { print $2 }'; }

for bin in $bins; do
    url=$(fresh_db stoa_bench_flood)
    DATABASE_URL=$url "$bin/server" seed >/dev/null
    DATABASE_URL=$url PORT=$port RUST_LOG=warn "$bin/server" serve >target/bench-flood.log 2>&1 &
    server=$!
    trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
    wait_ready "$base"
    jar=$(mktemp)
    curl -fsS -c "$jar" -o /dev/null -d 'username=dave&password=stoa-demo&next=/' "$base/api/login"
    app_id=$(curl -fsS -b "$jar" -H 'content-type: application/json' \
        -d '{"name":"Bench flood client","security_profile":"api_key"}' "$base/v1/applications" | sed -E 's/^\{"id":"([^"]+)".*/\1/')
    BENCH_KEY=$(curl -fsS -b "$jar" -H 'content-type: application/json' -d '{}' \
        "$base/v1/applications/$app_id/keys" | grep -oE 'stoa_sk_[A-Za-z0-9_-]+')
    rm -f "$jar"
    export BENCH_KEY
    valid() { wrk -t1 -c8 -d"$flood" --latency -s scripts/bench-verify.lua "$base/v1/keys/verify"; }
    figures() { awk '$1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 } /^Requests\/sec:/ { rps = $2 } /Non-2xx/ { bad = $5 }
        END { printf "%s req/s, p50 %s, p99 %s, non-2xx %d", rps, p50, p99, bad }'; }
    alone=$(valid | figures)
    # The flood and the valid key's callers start together and run as long.
    wrk -t1 -c32 -d"$flood" -s scripts/bench-verify-random.lua "$base/v1/keys/verify" >target/bench-flood-wrk.txt &
    during=$(valid | figures)
    wait $!
    sent=$(awk '/requests in/ { print $1 }' target/bench-flood-wrk.txt)
    refused=$(awk '/Non-2xx/ { print $5 }' target/bench-flood-wrk.txt)
    echo "$bin: valid key alone ($flood, 8 connections): $alone"
    echo "$bin: valid key during a flood of ${sent:-?} random keys from one address (${refused:-0} refused with 429): $during"
    kill $server; wait $server 2>/dev/null || true
    trap - EXIT
    drop_db stoa_bench_flood
done
