#!/usr/bin/env bash
# make run: build, private Postgres (unless DATABASE_URL is set), migrate, seed, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

scripts/tools.sh build
use_private_db
# The browser's files as a visitor should get them (wasm-opt, minified script: 13 KB of
# JavaScript and 121 KB of wasm instead of 31 KB and 911 KB); the server in debug, which
# builds in a fraction of the release's time.
cargo leptos build --release --frontend-only
cargo leptos build --server-only
target/debug/server seed
# The gateway on an origin of its own (issue 30): an upstream's page never runs as the
# portal. `GATEWAY_PORT= make run` keeps it under the portal's /gw, sandboxed.
export GATEWAY_PORT="${GATEWAY_PORT-3100}"
echo "STOA on http://${HOST:-127.0.0.1}:${PORT:-3000}, its gateway on ${GATEWAY_PORT:+http://${HOST:-127.0.0.1}:$GATEWAY_PORT}${GATEWAY_PORT:-the same origin}  (Ctrl-C stops the server; 'make stop' stops Postgres)"
# The demo's dashboards move: a light trickle of its consumers' calls (DEMO_TRAFFIC=off stops it).
DEMO_TRAFFIC="${DEMO_TRAFFIC:-on}" exec target/debug/server serve
