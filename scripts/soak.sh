#!/usr/bin/env bash
# make soak: the release build as two replicas behind HAProxy (scripts/cluster.sh), ten
# minutes of mixed traffic at 64 connections (bench/examples/soak.rs): per kind of request
# count, unexpected statuses and p50/p95/p99; each replica's RSS every 10 s; results and a
# plot in target/soak/. Settings: SOAK_SECONDS (600), SOAK_CONNECTIONS (64).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

scripts/tools.sh cluster
use_private_db
# The site's assets from cargo-leptos; the server and the driver built with
# the one variable cargo-leptos gives the server's build that its code reads (the bundle's
# name). Built by cargo-leptos, the server would compile the app a second time.
cargo leptos build --release --frontend-only >/dev/null 2>&1 || cargo leptos build --release --frontend-only
export LEPTOS_OUTPUT_NAME=stoa
cargo build --release -p server --bin server
cargo build --release -p bench --example soak

url=$(fresh_db stoa_soak)
DATABASE_URL=$url target/release/server seed
trap 'scripts/cluster.sh stop; drop_db stoa_soak' EXIT
DATABASE_URL=$url SERVER_BIN=target/release/server RUST_LOG=warn scripts/cluster.sh start >/dev/null
pids="$(cat target/cluster/replica-1.pid),$(cat target/cluster/replica-2.pid)"
DATABASE_URL=$url SOAK_URL=$(scripts/cluster.sh url) SOAK_PIDS=$pids target/release/examples/soak
