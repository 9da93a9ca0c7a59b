#!/usr/bin/env bash
# make run: build, private Postgres (unless DATABASE_URL is set), migrate, seed, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

scripts/tools.sh build
use_private_db
cargo leptos build
target/debug/server seed
echo "STOA on http://${HOST:-127.0.0.1}:${PORT:-3000}  (Ctrl-C stops the server; 'make stop' stops Postgres)"
# The demo's dashboards move: a light trickle of its consumers' calls (DEMO_TRAFFIC=off stops it).
DEMO_TRAFFIC="${DEMO_TRAFFIC:-on}" exec target/debug/server serve
