# AgentIndex — the two commands a newcomer needs:
#   make demo   start the local chain with sample agents and show what AgentIndex reads from it
#   make test   install what is missing, build, run every test (unit + against the real local EVM)

SWIFT        ?= swift
VENV         := Tests/Devnet/.venv
PYTHON       ?= python3
APT_PACKAGES := libsecp256k1-dev libsqlite3-dev libcurl4-openssl-dev zlib1g-dev pkg-config curl time
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build test demo deps devnet-venv abi bench bench-smoke fuzz fuzz-smoke clean

all: build

## System libraries (Debian). Installs only what is missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

## The devnet's Python venv (py-evm through eth-tester, Vyper), from pinned requirements.
devnet-venv: $(VENV)/.installed

$(VENV)/.installed: Tests/Devnet/requirements.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r Tests/Devnet/requirements.txt
	touch $@

build: deps
	$(SWIFT) build

test: deps devnet-venv
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) fuzz-smoke
	$(MAKE) bench-smoke

## libFuzzer on the ABI and card decoders: 15 s each in `make test`, FUZZ_SECONDS (600) each here.
FUZZ_SECONDS ?= 600
fuzz-smoke:
	scripts/fuzz.sh 15

fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

demo: deps devnet-venv build
	./scripts/demo.sh

## Recompile the contracts and rewrite abi/ (a test fails when abi/ drifts from the sources).
abi: devnet-venv
	Tests/Devnet/devnet abi --out abi

## The benchmark at scale (issue 6): 100,000 agents, 1,000,000 payments on a replayed chain;
## prints a table, writes Benchmarks/results/DATE-AGENTS.json. BENCH_ARGS="--agents 10000 …" scales it.
BENCH_ARGS ?=
bench: deps devnet-venv
	$(MAKE) deps APT_PACKAGES="wrk sqlite3"
	$(SWIFT) build -c release --product agentindex
	$(SWIFT) build -c release --product agentindex-bench
	.build/release/agentindex-bench
	$(VENV)/bin/python Benchmarks/bench.py $(BENCH_ARGS)

## The same on 1,000 agents with the debug build: checks decoded cards against the generated ones.
bench-smoke: deps devnet-venv
	$(SWIFT) build --product agentindex
	$(VENV)/bin/python Benchmarks/bench.py --smoke --bin .build/debug/agentindex

clean:
	rm -rf .build .build-fuzz Tests/Devnet/.cache Benchmarks/.cache
