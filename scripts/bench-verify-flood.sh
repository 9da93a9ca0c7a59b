#!/usr/bin/env bash
# The key-verification flood of `make bench` (issue 30, item 9), release build: a valid
# key's POST /v1/keys/verify on 8 connections (scripts/bench_valid_key.py, every answer
# timed), for 10 s alone and then for exactly as long as one address floods the same
# endpoint with a new random key per request on 32 connections for BENCH_FLOOD_DURATION
# (10s; wrk, scripts/bench-verify-random.lua): the valid key's p50/p99 in each, and how
# many random keys the flood sent and how many were refused (429, before the database).
# BENCH_FLOOD_BINS: directories holding a release `server` to measure in turn, in one run
# (default target/release, built here; e.g. "target/bench-bins/OLD target/release" for a
# before/after). BENCH_NO_BUILD=1 uses the binaries as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

threads=${BENCH_THREADS:-2}
port=$(( ${BENCH_PORT:-3200} + 20 ))
base="http://127.0.0.1:$port"
flood=${BENCH_FLOOD_DURATION:-10s}
bins=${BENCH_FLOOD_BINS:-target/release}

scripts/tools.sh bench
use_private_db
[ -n "${BENCH_NO_BUILD:-}" ] || LEPTOS_OUTPUT_NAME=stoa cargo build --release -p server --bins

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
    sleep 10 & # the valid key alone, as long
    alone=$(python3 scripts/bench_valid_key.py "$base" $!)
    started=$(date +%s.%N)
    wrk -t"$threads" -c32 -d"$flood" -s scripts/bench-verify-random.lua "$base/v1/keys/verify" >target/bench-flood-wrk.txt &
    during=$(python3 scripts/bench_valid_key.py "$base" $!)
    took=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    sent=$(awk '/requests in/ { print $1 }' target/bench-flood-wrk.txt)
    refused=$(awk '/Non-2xx/ { print $5 }' target/bench-flood-wrk.txt)
    echo "$bin: valid key alone (10 s): $alone"
    echo "$bin: valid key during a flood of ${sent:-?} random keys (${refused:-0} refused, $took s): $during"
    kill $server; wait $server 2>/dev/null || true
    trap - EXIT
    drop_db stoa_bench_flood
done
