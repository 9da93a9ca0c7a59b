#!/usr/bin/env bash
# Browser tests against the real server on a fresh database; expects `cargo leptos build`.
# E2E_CLUSTER=1: against two replicas behind HAProxy with a broker (scripts/cluster.sh),
# then the once-only work is counted (scripts/cluster_counts.py).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
use_private_db

cluster=${E2E_CLUSTER:-}
if [ -n "$cluster" ]; then port=${CLUSTER_PORT:-3300}; else port=${E2E_PORT:-3100}; fi
oidc_port=${E2E_OIDC_PORT:-3180}
upstream_port=${E2E_UPSTREAM_PORT:-3190}
url=$(fresh_db stoa_e2e)
DATABASE_URL=$url target/debug/server seed

# A real OpenID provider (npm oidc-provider), Keycloak-shaped; see end2end/oidc/provider.mjs.
OIDC_PORT=$oidc_port APP_URL="http://127.0.0.1:$port" node end2end/oidc/provider.mjs >target/e2e-oidc.log 2>&1 &
oidc=$!
# An API to call from "Try it" (end2end/upstream/echo.mjs).
UPSTREAM_PORT=$upstream_port node end2end/upstream/echo.mjs >target/e2e-upstream.log 2>&1 &
upstream=$!
# A real SMTP server (npm smtp-server) writing what it receives to a file the tests read.
smtp_port=${E2E_SMTP_PORT:-3125}
smtp_file=$PWD/target/e2e-smtp.jsonl
: >"$smtp_file"
SMTP_PORT=$smtp_port SMTP_SINK_FILE=$smtp_file node end2end/smtp/sink.mjs >target/e2e-smtp.log 2>&1 &
smtp=$!
trap 'kill $oidc $upstream $smtp 2>/dev/null; wait $oidc $upstream $smtp 2>/dev/null || true' EXIT
wait_url "http://127.0.0.1:$oidc_port/.well-known/openid-configuration" || { cat target/e2e-oidc.log; exit 1; }
wait_url "http://127.0.0.1:$upstream_port/health" || { cat target/e2e-upstream.log; exit 1; }
for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/$smtp_port) 2>/dev/null && break; sleep 0.1; done

export DATABASE_URL=$url LOCAL_ACCOUNTS=on \
  OIDC_ISSUER_URL="http://127.0.0.1:$oidc_port" OIDC_CLIENT_ID=stoa-portal OIDC_CLIENT_SECRET=stoa-portal-secret \
  TRY_IT_ALLOWED_NETWORKS=127.0.0.1/32 SMTP_URL="smtp://127.0.0.1:$smtp_port"
export E2E_SMTP_FILE=$smtp_file
if [ -n "$cluster" ]; then
    trap 'scripts/cluster.sh stop; kill $oidc $upstream $smtp 2>/dev/null; wait $oidc $upstream $smtp 2>/dev/null || true' EXIT
    CLUSTER_PORT=$port scripts/cluster.sh start >/dev/null
    scripts/cluster_counts.py before
else
    PORT=$port PUBLIC_URL="http://127.0.0.1:$port" target/debug/server serve >target/e2e-server.log 2>&1 &
    server=$!
    trap 'kill $server $oidc $upstream $smtp 2>/dev/null; wait $server $oidc $upstream $smtp 2>/dev/null || true' EXIT
    wait_ready "http://127.0.0.1:$port" || { tail -n 30 target/e2e-server.log; exit 1; }
fi

E2E_BASE_URL="http://127.0.0.1:$port" E2E_OIDC_URL="http://127.0.0.1:$oidc_port" \
  E2E_UPSTREAM_URL="http://127.0.0.1:$upstream_port" npx playwright test -c end2end/playwright.config.ts "$@"
if [ -n "$cluster" ]; then scripts/cluster_counts.py after; fi
