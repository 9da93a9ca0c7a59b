# The two commands (see README): `make run` and `make test`. Both install what is missing
# and are fast when everything is already there.
SHELL := /bin/bash

.PHONY: run test bench bench-metering stop

## Build, start a private Postgres, migrate, seed the demo tenant, serve on :$${PORT:-3000}.
run:
	@scripts/run.sh

## Everything CI runs: fmt, clippy, unit, database, HTTP, Kafka, API-contract (schemathesis) and browser tests.
test:
	@scripts/test.sh

## Release build under load: requests/s, p99, bytes shipped, peak RSS.
bench:
	@scripts/bench.sh
	@scripts/bench-metering.sh

## The gateway and metering steps of the bench alone.
bench-metering:
	@scripts/bench-metering.sh

## Stop the private Postgres cluster started by `make run`.
stop:
	@scripts/pg.sh stop
