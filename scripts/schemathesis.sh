#!/usr/bin/env bash
# The REST API against its own OpenAPI document: schemathesis (pinned, in a private
# virtual environment) runs every default check against the running server, once
# anonymous and once signed in as a tenant-admin. Expects `target/debug/server`.
#   SCHEMATHESIS_EXAMPLES  examples per operation (default 20; raise it for a longer run)
#   SCHEMATHESIS_SEED      the generator's seed (default fixed, so CI is repeatable)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
use_private_db

venv=target/schemathesis-venv
scripts/tools.sh schemathesis

port=${SCHEMATHESIS_PORT:-3120}
base="http://127.0.0.1:$port"
url=$(fresh_db stoa_schemathesis)
DATABASE_URL=$url target/debug/server seed >/dev/null
DATABASE_URL=$url PORT=$port PUBLIC_URL=$base LOCAL_ACCOUNTS=on \
  target/debug/server serve >target/schemathesis-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
wait_ready "$base" || { tail -n 30 target/schemathesis-server.log; exit 1; }

# A session of tara (tenant-admin of the demo tenant), from the sign-in form.
jar=$(mktemp)
curl -fsS -o /dev/null -c "$jar" -d 'username=tara&password=stoa-demo' "$base/api/login"
cookie=$(awk '$6 == "stoa_session" { print $7 }' "$jar")
rm -f "$jar"
[ -n "$cookie" ] || { echo "schemathesis: could not sign in as tara" >&2; exit 1; }

# The signed-in run: the same settings, and the session as the document's `session`
# security scheme (so every phase, stateful and auth checks included, sends it).
signed_in=target/schemathesis-signed-in.toml
{ cat schemathesis.toml; printf '\n[auth.openapi.session]\napi_key = "${STOA_SESSION}"\n'; } >"$signed_in"

run() {
    local who=$1 config=$2
    echo "schemathesis ($who)"
    "$venv/bin/schemathesis" --config-file "$config" run "$base/v1/openapi.json" --url "$base" \
        --max-examples "${SCHEMATHESIS_EXAMPLES:-20}" --seed "${SCHEMATHESIS_SEED:-20261130}"
}
run anonymous schemathesis.toml
STOA_SESSION=$cookie run "signed in as tara, tenant-admin" "$signed_in"
