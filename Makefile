# Palliare: `make run` serves the demo, `make test` runs every test, `make bench` the benchmarks.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
PG_SERVER ?= host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3
export FLASK_APP := wsgi.py

.PHONY: run worker test test-sqlite test-postgresql lint bench cluster-test translations extract-messages install dev-install chromium nginx redis media wrk clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
dev-install: $(VENV)/.dev-installed

## Compile the interface catalogs (.po -> .mo; the .mo files are build output).
translations: install
	$(BIN)/flask translations compile

## Re-extract interface strings and course segments and merge them into every catalog
## (changed text turns fuzzy): the same as `flask translations update`.
extract-messages: install
	$(BIN)/flask translations update

## The web server and a task-queue worker together (Procfile, run by honcho); e-mails
## land in instance/mail/ and on the console.
run: export SERVER_NAME ?= 127.0.0.1:$(PORT)
run: translations media
	$(BIN)/flask db upgrade
	$(BIN)/flask courses import
	$(BIN)/flask demo --if-empty
	$(BIN)/honcho start -p $(PORT) -f Procfile

## A worker alone (e.g. beside a web server started otherwise).
worker: translations media
	$(BIN)/flask tasks worker

## Debian's Chromium drives the browser tests (never a downloaded browser build); Debian's
## gettext (msgfmt) checks the catalogs.
chromium:
	@command -v chromium > /dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null; }
	@command -v msgfmt > /dev/null || { \
	  echo "Installing Debian's gettext for the catalog checks"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext > /dev/null; }

## Debian's nginx (and openssl for its test certificate): the deploy config is checked
## with `nginx -t` and a real request, and the cluster test runs it.
nginx:
	@command -v nginx > /dev/null || [ -x /usr/sbin/nginx ] || { \
	  echo "Installing Debian's nginx"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light > /dev/null 2>&1 || \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx > /dev/null; }
	@command -v openssl > /dev/null || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl > /dev/null; }

## Debian's ffmpeg (the library's transcoding: renditions, poster frames) and espeak-ng
## (the demo's narrated videos), installed when missing.
media:
	@command -v ffmpeg > /dev/null && command -v espeak-ng > /dev/null || { \
	  echo "Installing Debian's ffmpeg and espeak-ng"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg espeak-ng > /dev/null 2>&1; }

## Debian's wrk: the HTTP benchmarks' load generator (bench/http_load.py; without it they
## fall back to slower Python threads).
wrk:
	@command -v wrk > /dev/null || { \
	  echo "Installing Debian's wrk for the HTTP benchmarks"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk > /dev/null 2>&1; }

## Redis on 127.0.0.1:6379 (the queue and rate-limit tests use it), started when down.
redis:
	@$(BIN)/python -c "import redis; redis.Redis(socket_connect_timeout=1).ping()" 2>/dev/null || { \
	  command -v redis-server > /dev/null || { apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server > /dev/null; }; \
	  echo "Starting Redis"; \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no > /dev/null; \
	  sleep 1; }

lint: dev-install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## The two passes run side by side (the machine's two cores; each pass is mostly one
## process): their databases, ports and Redis databases are their own.
test: dev-install translations chromium nginx redis media lint
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgresql

test-sqlite: dev-install translations
	PALLIARE_TEST_DB=sqlite $(BIN)/python -m pytest

## PostgreSQL pass: when TEST_DATABASE_URL is set or a server answers on 127.0.0.1:5432.
## With CI=true a PostgreSQL pass that cannot run is a failure, not a skip.
test-postgresql: dev-install translations
	@if [ -n "$$TEST_DATABASE_URL" ] || $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_SERVER)').close()" 2>/dev/null; then \
	  PALLIARE_TEST_DB=postgresql TEST_REDIS_URL=$${TEST_REDIS_URL:-redis://127.0.0.1:6379/12} $(BIN)/python -m pytest; \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL is not reachable and CI=true: failing instead of skipping."; exit 1; \
	else \
	  echo "PostgreSQL is not reachable: PostgreSQL pass skipped (set TEST_DATABASE_URL)."; \
	fi

## Every benchmark runs, whatever an earlier one found; at the end, those that failed (a
## non-zero exit, or a FAILED check such as a lost submission) and those that printed a
## MISSED target are named, and then make fails.
bench: dev-install translations wrk
	@set -o pipefail; failed=""; missed=""; out=$$(mktemp); for script in bench/*.py; do \
	  case $$script in */common.py|*/procs.py|*/cluster.py|*/http_load.py|*/hello_wsgi.py) continue;; esac; \
	  echo "== $$script"; \
	  (cd bench && ../$(BIN)/python $$(basename $$script) 2>&1) | { grep -v '^INFO ' || true; } | tee "$$out" \
	    || failed="$$failed $$script"; \
	  if grep -q FAILED "$$out"; then failed="$$failed $$script"; fi; \
	  if grep -q MISSED "$$out"; then missed="$$missed $$script"; fi; \
	done; rm -f "$$out"; \
	if [ -n "$$failed$$missed" ]; then echo "== failed:$${failed:- none}; missed a target:$${missed:- none}"; exit 1; fi

## Several servers, faults, nothing lost: nginx, two app servers, two queue consumers,
## PostgreSQL, Redis, SeaweedFS and an SMTP sink on 127.0.0.1 (bench/cluster.py).
cluster-test: dev-install translations nginx redis
	$(BIN)/python bench/cluster.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find . -name '*.mo' -delete
