#!/usr/bin/env bash
# make test: everything CI runs, in order of cost.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

step() { printf '\n==> %s\n' "$*"; }
mkdir -p target
log=target/test-output.log
: >"$log"

step "tools"
scripts/tools.sh test

step "format"
cargo fmt --all -- --check

# Our own cluster unless one is given; stopped again at the end if we started it.
if [ -z "${DATABASE_URL:-}" ]; then
    if ! scripts/pg.sh status >/dev/null 2>&1; then trap 'scripts/pg.sh stop' EXIT; fi
    use_private_db
fi

step "clippy (server, app with ssr, browser bundle)"
cargo clippy -p server --all-targets -- -D warnings
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

step "unit and database tests (app)"
cargo test -p app --features ssr --lib 2>&1 | tee -a "$log"

step "HTTP, event backbone and Kafka tests (server)"
cargo test -p server --lib --tests 2>&1 | tee -a "$log"

step "the REST API against its OpenAPI document (schemathesis, anonymous and signed in)"
cargo leptos build
scripts/schemathesis.sh 2>&1 | tee -a "$log"

step "the REST API's document as client makers see it (validator, Redocly, generated Python and TypeScript clients)"
scripts/openapi-clients.sh 2>&1 | tee -a "$log"

step "browser tests (Chromium, JavaScript on and off)"
scripts/e2e.sh 2>&1 | tee -a "$log"

step "browser tests against two replicas behind HAProxy with a broker, then the once-only counts"
# Every journey again (the axe and layout sweeps over every page, which check HTML that
# does not depend on the replica, run once, above).
E2E_CLUSTER=1 scripts/e2e.sh --grep-invert "axe on every page|layout at " 2>&1 | tee -a "$log"

# One closing line for the whole run (every step above stops the script on failure).
rust=$(awk '/^test result: ok\./ { n += $4 } END { print n + 0 }' "$log")
browser=$(awk '$2 == "passed" && $3 ~ /^\(/ { n += $1 } END { print n + 0 }' "$log")
api=$(awk '$2 == "generated," && $4 ~ /^passed/ { n += $3 } END { print n + 0 }' "$log")
printf '\ntests: %d passed, 0 failed\n' "$((rust + browser + api))"
