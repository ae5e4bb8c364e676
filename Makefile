# Two commands matter on a fresh machine: `make demo` and `make test`. Both install what
# they need first (npm ci when node_modules is missing or older than the lock file).
SHELL := /bin/bash
.DEFAULT_GOAL := help
STAMP := node_modules/.ccpol-installed
RUNTIME := build/runtime/runtime.wasm
RUNTIME_SRC := $(wildcard src/wasm/runtime/assembly/*.ts)

.PHONY: help install demo test lint typecheck build runtime bench unit gen

help:
	@echo "make demo   build the sample bundle and print sample decisions"
	@echo "make test   lint, type-check and run every test"
	@echo "make lint | typecheck | build | bench"

$(STAMP): package-lock.json
	npm ci --no-audit --no-fund
	@touch $(STAMP)

install: $(STAMP)

$(RUNTIME): $(STAMP) $(RUNTIME_SRC) scripts/build-runtime.mjs
	node scripts/build-runtime.mjs

runtime: $(RUNTIME)

# dist/ is self-contained: the compiled CLI finds the runtime at the same place relative
# to itself as the sources do (build/runtime/runtime.wasm from the package root).
build: $(RUNTIME)
	npx tsc -p tsconfig.build.json
	mkdir -p dist/build/runtime && cp $(RUNTIME) dist/build/runtime/

lint: $(STAMP)
	npx eslint --max-warnings 0 .
	npx prettier --check --log-level warn .

typecheck: $(STAMP)
	npx tsc -p tsconfig.json --noEmit

unit: $(RUNTIME)
	npx vitest run

test: $(RUNTIME)
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory typecheck
	npx vitest run --reporter=default --reporter=json --outputFile.json=build/test-results.json

demo: build
	node dist/src/cli/main.js demo

# Benchmarks run on the compiled JavaScript, as the product does (not through tsx).
bench: build
	npx tsc -p tsconfig.bench.json
	cd bench && find . -type f ! -name '*.ts' ! -name '*.md' -exec cp --parents {} ../dist/bench/ \;
	node dist/bench/run.js
