# Palermo — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PALERMO := $(BIN)/palermo
DEPS_STAMP := $(VENV)/.deps-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
NODE_STAMP := node_modules/.deps-$(shell cat package.json package-lock.json | sha1sum | cut -c1-12)
CHROMIUM ?= /usr/bin/chromium
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/palermo
PYTEST_ARGS ?= -n 2
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres deps chromium migrate demo static lint bench clean var/secrets.env

run: deps var/secrets.env migrate demo static ## install, migrate SQLite, load the demo once, serve on :8000 with a worker
	@echo "Palermo on http://127.0.0.1:$(PORT) — log in with one of the demo users above."
	@echo "Background jobs: a palermo worker runs beside the server (log in var/worker.log) and stops with it."
	@echo "(Palermo's own error pages; PALERMO_DEBUG=1 make run shows Django's tracebacks instead.)"
	@$(PALERMO) worker >var/worker.log 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PALERMO) runserver 127.0.0.1:$(PORT)

test: deps chromium ## install what the tests need and run the whole suite on SQLite
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: deps chromium ## the same suite on PostgreSQL (DATABASE_URL)
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/python -m pytest $(PYTEST_ARGS)

deps: $(DEPS_STAMP) $(NODE_STAMP)

$(DEPS_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.deps-* && touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -f node_modules/.deps-* && touch $@

chromium: ## the system Chromium for browser tests (never a downloaded browser)
	@test -x $(CHROMIUM) || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

var/secrets.env: deps ## keys for this machine only (identity fields, sessions, audit chain and checkpoints); never committed
	@$(BIN)/python -m palermo.local_secrets $@

migrate: deps var/secrets.env
	$(PALERMO) migrate --verbosity 0

demo: migrate
	$(PALERMO) demo load

static: var/static/staticfiles.json ## hashed, compressed static files in var/static (served by WhiteNoise)

var/static/staticfiles.json: $(DEPS_STAMP) $(NODE_STAMP) var/secrets.env $(shell find palermo -path '*/static/*' -type f)
	$(PALERMO) collectstatic --noinput --verbosity 0

lint: deps
	$(BIN)/ruff check .

bench: deps ## benchmarks (minutes; results go to docs/benchmarks.md by hand)
	$(BIN)/python bench/api_latency.py

clean:
	rm -rf $(VENV) node_modules var/static
