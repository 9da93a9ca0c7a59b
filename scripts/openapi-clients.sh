#!/usr/bin/env bash
# The REST API's document as client makers see it (issue 30, item 11), against the running
# server (`target/debug/server`, on a database of its own):
#   1. openapi-spec-validator (the reference validator) accepts /v1/openapi.json;
#   2. Redocly's linter, recommended rules, reports 0 errors (its warnings are printed);
#   3. openapi-python-client generates a Python client and @hey-api/openapi-ts a
#      TypeScript SDK (compiled by tsc, strict), and each signs in, searches the catalog,
#      creates an application and lists it (end2end/clients/).
# Tools are pinned: the two PyPI packages in target/openapi-venv, the npm ones in
# package.json. Output under target/clients/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
use_private_db

venv=target/openapi-venv
scripts/tools.sh openapi
out=target/clients
rm -rf "$out" && mkdir -p "$out"

port=${OPENAPI_CLIENTS_PORT:-3125}
base="http://127.0.0.1:$port"
url=$(fresh_db stoa_openapi_clients)
DATABASE_URL=$url target/debug/server seed >/dev/null
DATABASE_URL=$url PORT=$port PUBLIC_URL=$base LOCAL_ACCOUNTS=on \
    target/debug/server serve >"$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
wait_ready "$base" || { tail -n 30 "$out/server.log"; exit 1; }
curl -fsS "$base/v1/openapi.json" -o "$out/openapi.json"

echo "openapi-spec-validator: $("$venv/bin/openapi-spec-validator" "$out/openapi.json")"

# Redocly exits non-zero on any error; its Node 20 notice goes to stderr with the report.
node_modules/.bin/redocly lint "$out/openapi.json" --format=summary >"$out/redocly.txt" 2>&1 \
    || { cat "$out/redocly.txt"; exit 1; }
echo "redocly lint (recommended): $(grep -E 'valid|warning' "$out/redocly.txt" | grep -v '║' | tr '\n' ' ')"

printf 'post_hooks: []\n' >"$out/python-config.yml"
"$venv/bin/openapi-python-client" generate --path "$out/openapi.json" --meta none \
    --output-path "$out/python/stoa_client" --config "$out/python-config.yml" >"$out/python-generate.txt" 2>&1 \
    || { cat "$out/python-generate.txt"; exit 1; }
if grep -q -i warning "$out/python-generate.txt"; then cat "$out/python-generate.txt"; exit 1; fi
echo "python client (openapi-python-client): $("$venv/bin/python" end2end/clients/python_client.py "$base" "$out/python")"

node_modules/.bin/openapi-ts -i "$out/openapi.json" -o "$out/ts/client" >"$out/ts-generate.txt" 2>&1 \
    || { cat "$out/ts-generate.txt"; exit 1; }
cp end2end/clients/ts_client.ts end2end/clients/tsconfig.json "$out/ts/"
node_modules/.bin/tsc -p "$out/ts/tsconfig.json" --outDir "$out/ts/out"
echo "typescript client (@hey-api/openapi-ts): $(node "$out/ts/out/ts_client.js" "$base")"

kill $server; wait $server 2>/dev/null || true
trap - EXIT
drop_db stoa_openapi_clients
