# The two commands of the README: `make run` and `make test`.
SWIFT ?= swift
DATA_DIR ?= ./data
export L402_REQUIRE_PEERS ?= 1

.PHONY: run test build deps test-deps bench fuzz clean

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

build: deps
	$(SWIFT) build

## Build and start the gateway on the embedded defaults (dev Lightning node, SQLite under $(DATA_DIR))
## with the built-in demo tool /echo/; `make run CONFIG=gateway.yaml` serves your own tools as well.
run: build
	$(SWIFT) run l402 serve --demo --data-dir $(DATA_DIR) $(if $(CONFIG),--config $(CONFIG))

## Install the real peers (pymacaroons, go-macaroon, libmacaroons, bolt11, PostgreSQL, ...), build, and run
## every test with a throwaway PostgreSQL cluster running (stopped afterwards, whatever the tests' outcome).
test: test-deps
	$(SWIFT) build --build-tests
	scripts/postgres-test-cluster.sh run $(SWIFT) test --skip-build

## Benchmarks: numbers beside baselines measured in the same run.
bench:
	@scripts/install-deps.sh bench
	Benchmarks/run.sh

## libFuzzer + AddressSanitizer on every parser of network or operator input (Fuzz/, docs/fuzzing.md), built in
## .build-fuzz/: FUZZ_SECONDS per target (default 60), FUZZ_RUNS executions, FUZZ_TARGETS="Credential Bolt11 …".
fuzz:
	Fuzz/fuzz.sh

clean:
	rm -rf .build .build-fuzz
