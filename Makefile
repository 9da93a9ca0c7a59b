# The two commands (see README): `make run` and `make test`. Both install what is missing
# and are fast when everything is already there.
SHELL := /bin/bash

.PHONY: run test bench bench-metering bench-flood bench-compare cluster soak stop

## Build, start a private Postgres, migrate, seed the demo tenant, serve on :$${PORT:-3000}.
run:
	@scripts/run.sh

## Everything CI runs: fmt, clippy, unit, database, HTTP, Kafka, API-contract (schemathesis, generated clients) and browser tests.
test:
	@scripts/test.sh

## Release build under load: requests/s, p99, bytes shipped, peak RSS.
bench:
	@scripts/bench.sh
	@scripts/bench-metering.sh
	@BENCH_NO_BUILD=1 scripts/bench-verify-flood.sh

## The gateway and metering steps of the bench alone.
bench-metering:
	@scripts/bench-metering.sh

## A valid key's verification while one address floods /v1/keys/verify with random keys.
bench-flood:
	@scripts/bench-verify-flood.sh

## Gateway requests/s of two release builds in one run: BENCH_COMPARE_BINS="BEFORE_DIR AFTER_DIR".
bench-compare:
	@scripts/bench-gateway-compare.sh

## Two replicas behind HAProxy on one Postgres and one tansu broker (Ctrl-C stops them).
cluster:
	@scripts/cluster.sh up

## Ten minutes of mixed traffic at 64 connections against two release replicas: latency per
## kind of request, RSS per replica, a plot in target/soak/ (not part of `make test`).
soak:
	@scripts/soak.sh

## Stop the private Postgres cluster started by `make run`.
stop:
	@scripts/pg.sh stop
