#!/usr/bin/env bash
# make bench: the release build under wrk, on this machine, in one run.
# Prints requests/s and p99 of /healthz and of the home page (same wrk settings), their
# ratio, the gzipped bytes a first visit to the home page downloads, and peak RSS; the
# demo tenant's reset time and Alice's first /usage view after it; the main pages (home,
# catalog, API page, apps, usage, requests; anonymous and signed in) as a ratio to a bare
# axum handler doing the same database work (stoa-bench pages-bare); then,
# on a generated catalog of BENCH_APIS APIs (10 000, 5 operations each) plus one API
# with a 5 MB document: search p50/p95/p99 in process, requests/s of /catalog?q=… against
# a bare axum JSON handler running the same query (stoa-bench bare), the server-side time
# of the 5 MB document's page, and the gzipped bytes of a first /catalog view.
# Settings: BENCH_DURATION (10s), BENCH_CONNECTIONS (64), BENCH_THREADS (2), BENCH_PORT (3200),
# BENCH_APIS (10000), BENCH_PAIRS (3) and BENCH_PAIR_DURATION (5s) for the page-to-bare pairs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
port=${BENCH_PORT:-3200}
base="http://127.0.0.1:$port"

scripts/tools.sh bench
use_private_db
# The site's assets from cargo-leptos; the server and stoa-bench from one cargo build, with
# the one variable cargo-leptos gives the server's build that its code reads (the bundle's
# name). Built by cargo-leptos, the server would compile the app a second time.
cargo leptos build --release --frontend-only >/dev/null 2>&1 || cargo leptos build --release --frontend-only
LEPTOS_OUTPUT_NAME=stoa cargo build --release -p server -p bench --bins

url=$(fresh_db stoa_bench)
DATABASE_URL=$url target/release/server seed
# No limit on unknown keys: the verification step below measures the database path.
DATABASE_URL=$url PORT=$port RUST_LOG=warn KEY_VERIFY_UNKNOWN_PER_MINUTE=0 target/release/server serve >target/bench-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
wait_ready "$base"

# wrk prints "Requests/sec: N" and, with --latency, "99% Xms". load PATH [HEADER]
load() {
    local out
    out=$(wrk -t"$threads" -c"$conns" -d"$duration" --latency -H 'Accept-Language: en' ${2:+-H "$2"} "$base$1")
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
    p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
    # Answers that were not 2xx/3xx, and requests wrk gave up on (its 2 s timeout).
    failed=$(awk '/Non-2xx or 3xx/ { n += $NF } /Socket errors:/ { n += $NF } END { print n + 0 }' <<<"$out")
}

# A persona's session cookie (`stoa_session=…`), signed in with the demo password: for
# curl's -b, and for wrk as a Cookie header.
session_of() {
    local jar
    jar=$(mktemp)
    curl -fsS -c "$jar" -o /dev/null -d "username=$1&password=stoa-demo&next=/" "$base/api/login"
    awk '$6 == "stoa_session" { print "stoa_session=" $7 }' "$jar"
    rm -f "$jar"
}

curl -fsS -o /dev/null "$base/" # warm up
load /healthz; healthz_rps=$rps; healthz_p99=$p99
load /; home_rps=$rps; home_p99=$p99
ratio=$(awk -v a="$home_rps" -v b="$healthz_rps" 'BEGIN { printf "%.3f", a / b }')

first_view /
home_gz=$total_gz

rss_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$server/status")

# The demo tenant's reset (with its 30 days of history), asked by the platform admin, then
# Alice's first /usage view after it: server time and gzipped bytes.
reset_out=$(curl -fsS -b "$(session_of carl)" -H 'content-type: application/json' -d '{"confirm":true}' \
    -w '\n%{time_total}' "$base/v1/admin/demo/reset")
reset_wall=$(tail -1 <<<"$reset_out" | awk '{ printf "%d", $1 * 1000 }')
reset_ms=$(head -1 <<<"$reset_out" | grep -oE '"duration_ms":[0-9]+' | cut -d: -f2)
cookie=$(session_of alice)
usage_first=$(curl -fsS -b "$cookie" -H 'Accept-Language: en' -o /dev/null -w '%{time_total} %{size_download}' "$base/usage")
usage_ms=$(awk '{ printf "%d", $1 * 1000 }' <<<"$usage_first")
first_view /usage "$cookie" >target/bench-demo-usage-first-view.txt
usage_gz=$total_gz
usage_html_gz=$(awk '$1 == "/usage" && $2 == "(HTML)" { print $4 }' target/bench-demo-usage-first-view.txt)

# Gateways' key verification: a real key of a demo application, POSTed by wrk.
cookie=$(session_of dave)
app_id=$(curl -fsS -b "$cookie" -H 'content-type: application/json' \
    -d '{"name":"Bench gateway client","security_profile":"api_key"}' "$base/v1/applications" | sed -E 's/^\{"id":"([^"]+)".*/\1/')
BENCH_KEY=$(curl -fsS -b "$cookie" -H 'content-type: application/json' -d '{}' \
    "$base/v1/applications/$app_id/keys" | grep -oE 'stoa_sk_[A-Za-z0-9_-]+')
export BENCH_KEY
verify_out=$(wrk -t"$threads" -c"$conns" -d"$duration" --latency -s scripts/bench-verify.lua "$base/v1/keys/verify")
grep -q '"valid":true' <<<"$(curl -fsS -H 'content-type: application/json' -d "{\"key\":\"$BENCH_KEY\"}" "$base/v1/keys/verify")"
verify_rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$verify_out")
verify_p99=$(awk '$1 == "99%" { print $2 }' <<<"$verify_out")
verify_p50=$(awk '$1 == "50%" { print $2 }' <<<"$verify_out")
verify_non2xx=$(awk '/Non-2xx/ { print $5 }' <<<"$verify_out")
# The same at 8 connections: latency with little queueing on this machine's 2 cores.
low_out=$(wrk -t"$threads" -c8 -d"$duration" --latency -s scripts/bench-verify.lua "$base/v1/keys/verify")
low_rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$low_out")
low_p99=$(awk '$1 == "99%" { print $2 }' <<<"$low_out")
low_p50=$(awk '$1 == "50%" { print $2 }' <<<"$low_out")
# Unknown keys, a new one each request: never answered from the cache.
miss_out=$(wrk -t"$threads" -c"$conns" -d"$duration" --latency -s scripts/bench-verify-random.lua "$base/v1/keys/verify")
miss_rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$miss_out")
miss_p99=$(awk '$1 == "99%" { print $2 }' <<<"$miss_out")
miss_p50=$(awk '$1 == "50%" { print $2 }' <<<"$miss_out")

# The main pages against their bare handlers (stoa-bench pages-bare: the site's session
# layer and user lookup, then the same service calls, answered as JSON), anonymous and
# signed in (alice, with the demo's 30 days of history; dave for the requests list).
pages_port=$((port + 3))
DATABASE_URL=$url target/release/stoa-bench pages-bare "$pages_port" >target/bench-pages-bare.log 2>&1 &
pages_bare=$!
trap 'kill $server $pages_bare 2>/dev/null; wait $server $pages_bare 2>/dev/null || true' EXIT
wait_url "http://127.0.0.1:$pages_port/"
alice="Cookie: $(session_of alice)"
dave="Cookie: $(session_of dave)"
api_page=/apis/demo/weather-forecast
pages_report=""
for row in "home|/|" "catalog|/catalog|" "API page|$api_page|" \
    "home|/|$alice" "catalog|/catalog|$alice" "API page|$api_page|$alice" "apps|/apps|$alice" \
    "usage|/usage|$alice" "requests|/console/requests|$dave"; do
    IFS='|' read -r name path cookie <<<"$row"
    who=anonymous
    [ -z "$cookie" ] || { [ "$cookie" = "$dave" ] && who=dave || who=alice; }
    # Both must answer 200 as that visitor, or the ratio compares nothing.
    for at in "$base" "http://127.0.0.1:$pages_port"; do
        status=$(curl -sS -o /dev/null -w '%{http_code}' ${cookie:+-H "$cookie"} "$at$path")
        [ "$status" = 200 ] || { echo "bench: $at$path as $who answered $status" >&2; exit 1; }
    done
    # One 10 s pair is good to about ±0.1 here (2 cores shared by wrk, Postgres and the
    # server): alternate page and bare over BENCH_PAIRS short pairs and report the median
    # pair (by ratio), with every pair's ratio beside it.
    pairs=(); duration_saved=$duration; duration=${BENCH_PAIR_DURATION:-5s}
    for _ in $(seq "${BENCH_PAIRS:-3}"); do
        load "$path" "$cookie"; page="$rps $p99 $failed"
        base_saved=$base; base="http://127.0.0.1:$pages_port"
        load "$path" "$cookie"; bare="$rps $p99 $failed"
        base=$base_saved
        pairs+=("$(awk -v a="${page%% *}" -v b="${bare%% *}" 'BEGIN { printf "%.3f", a / b }') $page $bare")
    done
    duration=$duration_saved
    median=$(printf '%s\n' "${pairs[@]}" | sort -n | awk '{ row[NR] = $0 } END { print row[int((NR + 1) / 2)] }')
    read -r r page_rps page_p99 page_failed bare_rps bare_p99 bare_failed <<<"$median"
    all=$(printf '%s\n' "${pairs[@]}" | awk '{ printf "%s%s", (NR > 1 ? " " : ""), $1 }')
    pages_report+=$(printf '\n    %-9s %-9s page %8s req/s (p99 %s, failed %s)   bare %8s req/s (p99 %s, failed %s)   ratio %s (pairs: %s)' \
        "$name" "$who" "$page_rps" "$page_p99" "$page_failed" "$bare_rps" "$bare_p99" "$bare_failed" "$r" "$all")
done
kill $pages_bare 2>/dev/null; wait $pages_bare 2>/dev/null || true

# The catalog at scale.
apis=${BENCH_APIS:-10000}
DATABASE_URL=$url target/release/stoa-bench generate "$apis" $((5 * 1024 * 1024))
catalog_figures=$(DATABASE_URL=$url target/release/stoa-bench measure)
echo "$catalog_figures"
bare_port=$((port + 1))
DATABASE_URL=$url target/release/stoa-bench bare "$bare_port" >target/bench-bare.log 2>&1 &
bare=$!
trap 'kill $server $bare 2>/dev/null; wait $server $bare 2>/dev/null || true' EXIT
wait_url "http://127.0.0.1:$bare_port/search?q=payment"
query="q=payment+ord"
load "/catalog?$query"; catalog_rps=$rps; catalog_p99=$p99
base_saved=$base; base="http://127.0.0.1:$bare_port"
load "/search?$query"; bare_rps=$rps; bare_p99=$p99
base=$base_saved
catalog_ratio=$(awk -v a="$catalog_rps" -v b="$bare_rps" 'BEGIN { printf "%.3f", a / b }')
first_view /catalog
catalog_gz=$total_gz

cat <<REPORT

STOA bench ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t$threads -c$conns -d$duration, release build)
  /healthz          requests/s: $healthz_rps   p99: $healthz_p99
  / (home, SSR+DB)  requests/s: $home_rps   p99: $home_p99
  home / healthz    ratio: $ratio
  first view of /   gzipped bytes (HTML+CSS+JS+wasm): $home_gz
  server peak RSS   $((rss_kb / 1024)) MiB ($rss_kb kB)
  demo reset (with 30 days of history)   server: $reset_ms ms   wall (curl): $reset_wall ms
  Alice's first /usage after the reset   time: $usage_ms ms   HTML gzipped: $usage_html_gz bytes   first view (HTML+CSS+JS+wasm) gzipped: $usage_gz bytes
  POST /v1/keys/verify (valid key, $conns connections)   requests/s: $verify_rps   p50: $verify_p50   p99: $verify_p99   non-2xx: ${verify_non2xx:-0}
  POST /v1/keys/verify (valid key, 8 connections)   requests/s: $low_rps   p50: $low_p50   p99: $low_p99
  POST /v1/keys/verify (a new unknown key each time: database path)   requests/s: $miss_rps   p50: $miss_p50   p99: $miss_p99
  main pages against a bare axum handler doing the same database work (same run):$pages_report
  catalog ($apis generated APIs):
$(sed 's/^/    /' <<<"$catalog_figures")
    /catalog?$query   requests/s: $catalog_rps   p99: $catalog_p99
    bare axum JSON, same query   requests/s: $bare_rps   p99: $bare_p99
    catalog page / bare handler  ratio: $catalog_ratio
    first view of /catalog   gzipped bytes (HTML+CSS+JS+wasm): $catalog_gz
REPORT
