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
