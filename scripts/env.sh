# Sourced by the scripts: tools on PATH (npm's, cargo's) and the site root.
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
# Database from the environment, else the private cluster (started on demand).
use_private_db() {
    if [ -z "${DATABASE_URL:-}" ]; then
        scripts/pg.sh start
        DATABASE_URL=$(scripts/pg.sh url)
        export DATABASE_URL
    fi
}
# A fresh, empty database named $1 next to DATABASE_URL's; prints its URL.
fresh_db() {
    local base=${DATABASE_URL%/*}
    psql "$DATABASE_URL" -qtA -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null
    echo "$base/$1"
}
# Drops the database named $1 next to DATABASE_URL's, if it exists.
drop_db() {
    psql "$DATABASE_URL" -qtA -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null
}
# Waits until $1/readyz answers 200 (up to 60 s).
wait_ready() {
    wait_url "$1/readyz"
}

# Waits (up to 60 s) until `$1` answers 2xx.
wait_url() {
    for _ in $(seq 1 600); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "$1 did not become ready" >&2
    return 1
}

# Bytes of a first visit to $1 on $base: the HTML and every same-origin asset it
# references, gzipped (-6, what a server sends), plus the wasm the hydration script
# fetches; signed in with the cookie jar $2 when given. Sets total_raw and total_gz.
first_view() {
    local tmp assets raw z
    tmp=$(mktemp -d)
    curl -fsS -H 'Accept-Language: en' ${2:+-b "$2"} "$base$1" -o "$tmp/index.html"
    assets=$(grep -oE '(href|src)="/pkg/[^"]+"|src="/[^"]+\.js"' "$tmp/index.html" | sed -E 's/^(href|src)="//; s/"$//' | sort -u)
    gz() { gzip -6 -c "$1" | wc -c; }
    printf '\n%-28s %12s %12s\n' "first view of $1" "raw bytes" "gzip bytes"
    total_raw=$(wc -c <"$tmp/index.html"); total_gz=$(gz "$tmp/index.html")
    printf '%-28s %12d %12d\n' "$1 (HTML)" "$total_raw" "$total_gz"
    for a in $assets; do
        curl -fsS "$base$a" -o "$tmp/asset"
        raw=$(wc -c <"$tmp/asset"); z=$(gz "$tmp/asset")
        printf '%-28s %12d %12d\n' "$a" "$raw" "$z"
        total_raw=$((total_raw + raw)); total_gz=$((total_gz + z))
    done
    printf '%-28s %12d %12d\n' "total" "$total_raw" "$total_gz"
    rm -rf "$tmp"
}

# The gateway benches' API: `bench-orders` on the bare upstream at port $3 (stoa-bench
# upstream), published by dave on the server at $1 (database $2), a plan without
# limits, and an application subscribed to it; its key in $key, checked with one call.
bench_orders_api() {
    local base=$1 url=$2 up_port=$3 jar doc body app_id
    psql "$url" -qtA -v ON_ERROR_STOP=1 -c "INSERT INTO plans (id, tenant_id, slug, name, description, requires_approval)
        VALUES (gen_random_uuid(), 'demo', 'bench-unlimited', 'Bench', 'No limits', false) ON CONFLICT DO NOTHING" >/dev/null
    jar=$(mktemp)
    curl -fsS -c "$jar" -o /dev/null -d 'username=dave&password=stoa-demo&next=/' "$base/api/login"
    doc=$(python3 -c 'import json,sys; print(json.dumps({"openapi":"3.0.3","info":{"title":"Bench orders","version":"1.0.0"},"servers":[{"url":sys.argv[1]}],"paths":{"/orders/{id}":{"get":{"operationId":"getOrder","responses":{"200":{"description":"OK"}}}}}}))' "http://127.0.0.1:$up_port/v1")
    body=$(python3 -c 'import json,sys; print(json.dumps({"name":"Bench orders","slug":"bench-orders","document":sys.argv[1],"publish":True,"environments":["prod"]}))' "$doc")
    curl -fsS -b "$jar" -o /dev/null -H 'content-type: application/json' -d "$body" "$base/v1/catalog/apis"
    app_id=$(curl -fsS -b "$jar" -H 'content-type: application/json' \
        -d '{"name":"Bench gateway caller","security_profile":"api_key"}' "$base/v1/applications" | sed -E 's/^\{"id":"([^"]+)".*/\1/')
    key=$(curl -fsS -b "$jar" -H 'content-type: application/json' -d '{}' "$base/v1/applications/$app_id/keys" | grep -oE 'stoa_sk_[A-Za-z0-9_-]+')
    curl -fsS -b "$jar" -o /dev/null -H 'content-type: application/json' \
        -d "{\"application_id\":\"$app_id\",\"tenant\":\"demo\",\"entry\":\"bench-orders\",\"plan\":\"bench-unlimited\"}" "$base/v1/subscriptions"
    rm -f "$jar"
    local status
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $key" "$base/gw/demo/bench-orders/orders/7")
    [ "$status" = 200 ] || { echo "the gateway at $base answered $status" >&2; return 1; }
}
