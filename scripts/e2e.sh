#!/usr/bin/env bash
# Browser tests against the real server on a fresh database; expects `cargo leptos build`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
use_private_db

port=${E2E_PORT:-3100}
url=$(fresh_db stoa_e2e)
DATABASE_URL=$url target/debug/server seed
DATABASE_URL=$url PORT=$port target/debug/server serve >target/e2e-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
wait_ready "http://127.0.0.1:$port" || { tail -n 30 target/e2e-server.log; exit 1; }

E2E_BASE_URL="http://127.0.0.1:$port" npx playwright test -c end2end/playwright.config.ts
