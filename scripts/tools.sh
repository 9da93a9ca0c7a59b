#!/usr/bin/env bash
# Installs what the build and the tests need, only when missing. Every step is a no-op
# on a machine that already has it, so `make run` / `make test` stay fast the second time.
#   scripts/tools.sh build   wasm target, cargo-leptos, wasm-bindgen CLI, npm packages
#   scripts/tools.sh test    build + Chromium + the tansu Kafka-protocol broker + schemathesis + openapi
#   scripts/tools.sh schemathesis   schemathesis alone (pinned, in target/schemathesis-venv)
#   scripts/tools.sh openapi   openapi-spec-validator and openapi-python-client (target/openapi-venv)
#   scripts/tools.sh bench   build + wrk + nginx (reference proxy) + tansu (the metering ingest bench)
#   scripts/tools.sh cluster build + tansu + HAProxy (scripts/cluster.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { echo "tools: $*" >&2; }

apt_install() {
    if [ -z "${apt_updated:-}" ]; then apt-get update -qq >/dev/null; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# installed_with CRATE VERSION FEATURE: cargo installed that version with that feature.
installed_with() {
    python3 - "$@" <<'PY'
import json, os, sys
name, version, feature = sys.argv[1:4]
try:
    installs = json.load(open(os.path.expanduser("~/.cargo/.crates2.json")))["installs"]
except (OSError, ValueError, KeyError):
    sys.exit(1)
ok = any(k.startswith(f"{name} {version} ") and feature in v.get("features", []) for k, v in installs.items())
sys.exit(0 if ok else 1)
PY
}

build_tools() {
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        say "adding the wasm32 target"
        rustup target add wasm32-unknown-unknown
    fi
    if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos 0.3.10" ]; then
        say "installing cargo-leptos 0.3.10 (about 12 minutes)"
        # --locked: newer dependency versions need a newer rustc; no_downloads: tools come from PATH.
        cargo install cargo-leptos --version 0.3.10 --locked --features no_downloads
    fi
    local wb
    wb=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
    if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wb" ]; then
        say "installing wasm-bindgen-cli $wb (must match Cargo.lock)"
        # Not --locked: its lock file names a crate version the registry lacks.
        cargo install wasm-bindgen-cli --version "$wb"
    fi
    if [ ! -x node_modules/.bin/tailwindcss ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        say "installing npm packages"
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
    fi
}

test_tools() {
    if [ ! -x /usr/bin/chromium ]; then
        say "installing Chromium"
        apt_install chromium
    fi
    cluster_tools
}

# What scripts/cluster.sh runs: the broker and the load balancer.
cluster_tools() {
    [ -x /usr/sbin/haproxy ] || { say "installing HAProxy"; apt_install haproxy; }
    # libsql: a file-backed store, so the outage test restarts the same broker rather
    # than a new empty one. cargo records the features of an install in .crates2.json.
    if ! installed_with tansu 0.6.0 libsql; then
        say "installing the tansu broker 0.6.0 with SQLite storage (about 15 minutes)"
        cargo install tansu --version 0.6.0 --locked --features dynostore,libsql
    fi
}

# schemathesis, pinned, in a private virtual environment (scripts/schemathesis.sh runs it).
schemathesis_tool() {
    local venv=target/schemathesis-venv version=4.32.5
    if [ "$("$venv/bin/schemathesis" --version 2>/dev/null | awk '{print $NF}')" != "$version" ]; then
        say "installing schemathesis $version into $venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
    fi
}

# The OpenAPI tools of scripts/openapi-clients.sh, pinned, in a private virtual environment
# (the npm ones come with package.json).
openapi_tools() {
    local venv=target/openapi-venv
    if ! "$venv/bin/pip" freeze 2>/dev/null | grep -qx 'openapi-spec-validator==0.9.0' \
        || ! "$venv/bin/pip" freeze 2>/dev/null | grep -qx 'openapi-python-client==0.29.1'; then
        say "installing openapi-spec-validator 0.9.0 and openapi-python-client 0.29.1 into $venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check \
            'openapi-spec-validator==0.9.0' 'openapi-python-client==0.29.1'
    fi
}

bench_tools() {
    command -v wrk >/dev/null || { say "installing wrk"; apt_install wrk; }
    # The gateway bench's reference: a plain reverse proxy on the same machine.
    [ -x /usr/sbin/nginx ] || { say "installing nginx-light"; apt_install nginx-light; }
}

case "${1:-build}" in
build) build_tools ;;
test) build_tools; test_tools; schemathesis_tool; openapi_tools ;;
cluster) build_tools; cluster_tools ;;
schemathesis) schemathesis_tool ;;
openapi) openapi_tools ;;
bench) build_tools; bench_tools; test_tools ;;
*) echo "usage: $0 build|test|bench|cluster|schemathesis|openapi" >&2; exit 64 ;;
esac
