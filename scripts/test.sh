#!/usr/bin/env bash
# make test: everything CI runs, in order of cost.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

# Each step's wall time, printed as a table at the end (and kept in target/test-times.tsv).
steps=() started=$SECONDS current=""
close_step() {
    if [ -n "$current" ]; then steps+=("$((SECONDS - started))"$'\t'"$current"); fi
}
step() {
    close_step
    current="$*" started=$SECONDS
    printf '\n==> %s\n' "$*"
}
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

step "clippy (server, gateway, bench, app with ssr, browser bundle)"
cargo clippy -p server -p gateway -p bench --all-targets -- -D warnings
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

step "unit and database tests (app, the gateway, the bench's generators)"
cargo test -p app --features ssr --lib 2>&1 | tee -a "$log"
cargo test -p gateway --lib 2>&1 | tee -a "$log"
cargo test -p bench --lib 2>&1 | tee -a "$log"

step "HTTP, event backbone and Kafka tests (server)"
# The HTTP tests mostly wait (on Postgres, on brokers, on deadlines): six at a time on two
# cores took 150 tests from 477 s to about 200 s; sixteen at a time exhausted Postgres'
# 200 connections and stalled, so six keeps a wide margin.
cargo test -p server --lib --tests -- --test-threads 6 2>&1 | tee -a "$log"

step "the server and its browser bundle, built once for every step below (cargo leptos)"
cargo leptos build

step "the REST API against its OpenAPI document (schemathesis, anonymous and signed in)"
scripts/schemathesis.sh 2>&1 | tee -a "$log"

step "the REST API's document as client makers see it (validator, Redocly, generated Python and TypeScript clients)"
scripts/openapi-clients.sh 2>&1 | tee -a "$log"

step "browser tests on one server: axe and the layout sweep over every page (Chromium)"
# What a second replica cannot change: the HTML of every page, checked once here.
scripts/e2e.sh --grep "axe on every page|layout at " 2>&1 | tee -a "$log"

step "browser tests against two replicas behind HAProxy with a broker, JavaScript on and off, then the once-only counts"
# Every journey, once, where it is hardest: two replicas share one database and a broker.
E2E_CLUSTER=1 scripts/e2e.sh --grep-invert "axe on every page|layout at " 2>&1 | tee -a "$log"

close_step
printf '\n%6s  %s\n' "s" "step" | tee target/test-times.tsv
for row in "${steps[@]}"; do
    printf '%6d  %s\n' "${row%%$'\t'*}" "${row#*$'\t'}"
done | tee -a target/test-times.tsv
printf '%6d  %s\n' "$SECONDS" "total" | tee -a target/test-times.tsv

# One closing line for the whole run (every step above stops the script on failure).
rust=$(awk '/^test result: ok\./ { n += $4 } END { print n + 0 }' "$log")
browser=$(awk '$2 == "passed" && $3 ~ /^\(/ { n += $1 } END { print n + 0 }' "$log")
api=$(awk '$2 == "generated," && $4 ~ /^passed/ { n += $3 } END { print n + 0 }' "$log")
printf '\ntests: %d passed, 0 failed\n' "$((rust + browser + api))"
