# The two commands of the README: `make run` and `make test`.
SWIFT ?= swift
DATA_DIR ?= ./data
export L402_REQUIRE_PEERS ?= 1

.PHONY: run test build deps test-deps bench fuzz clean check check-package check-doc-comments docs consumer-test

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
test: test-deps check-package
	$(SWIFT) build --build-tests
	SWIFT="$(SWIFT)" scripts/check-fuzz-targets.sh
	scripts/check-doc-comments.py
	scripts/postgres-test-cluster.sh run $(SWIFT) test --skip-build

## The package's own rules, read off Package.swift and the sources (docs/testing.md, "Package checks"):
## every import declared, what each product makes a consumer build, and the checkers' own tests.
check-package:
	scripts/check-imports.py
	scripts/check-build-closure.py
	python3 -m unittest discover -s scripts/tests

## Every public symbol of the library products' modules has a doc comment (builds what is not built yet).
check-doc-comments:
	scripts/check-doc-comments.py

## A package outside this repository that depends on it by path builds and imports every product (slow: see docs/testing.md).
consumer-test:
	scripts/consumer-test.sh

## DocC documentation of L402Server, L402Hummingbird, L402Vapor and L402Client, offline, into .build/docs/<target>.
DOCC_TARGETS = L402Server L402Hummingbird L402Vapor L402Client
docs:
	@mkdir -p .build/docs
	@for target in $(DOCC_TARGETS); do \
		rm -rf .build/docs/$$target; \
		$(SWIFT) package --disable-sandbox generate-documentation --target $$target \
			--output-path .build/docs/$$target --warnings-as-errors || exit 1; \
	done

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
