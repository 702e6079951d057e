# Fangzha: `make serve` runs the site on :8000; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export FLASK_APP := wsgi
# Build steps (static digests, migrations) build the app; they need a key but never serve with it.
BUILD_ENV := SECRET_KEY=build-only-not-for-serving

.PHONY: serve redis redis-stop test bench translations compile-translations static db check-content system-serve-deps system-test-deps install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Compile the .po files (committed) into .mo files (built).
compile-translations: install
	$(BIN)/pybabel compile --use-fuzzy -d translations --statistics 2>&1 | tail -n 3

# For developers after changing UI strings: extract, merge, derive zh_Hant from zh_Hans with OpenCC, compile.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python scripts/derive_hant.py
	$(MAKE) compile-translations

# Content-hashed copies of static files and their manifest (gzip copies for a front proxy too).
static: install
	$(BUILD_ENV) $(BIN)/python -m flask digest clean >/dev/null
	$(BUILD_ENV) $(BIN)/python -m flask digest compile >/dev/null

check-content: install
	$(BIN)/python -m flask content check

instance/secret_key:
	mkdir -p instance
	$(PYTHON) -c 'import secrets; print(secrets.token_hex(32))' > $@
	chmod 600 $@

db: install instance/secret_key
	$(BUILD_ENV) $(BIN)/python -m flask db upgrade

# Rate limits must count across every gunicorn worker: unless RATELIMIT_STORAGE_URI names a storage, `make serve`
# starts a local Redis for them, reachable only through a unix socket in instance/ (no TCP port, nothing kept on
# disk: counters are worth a minute). Several hosts share one Redis instead (README "Deploying").
REDIS_SOCKET := $(CURDIR)/instance/redis.sock
RATELIMIT_STORAGE_URI ?= redis+unix://$(REDIS_SOCKET)

serve: install compile-translations static check-content db instance/secret_key redis
	SECRET_KEY="$${SECRET_KEY:-$$(cat instance/secret_key)}" RATELIMIT_STORAGE_URI="$(RATELIMIT_STORAGE_URI)" \
	  $(BIN)/gunicorn -c gunicorn.conf.py --bind 0.0.0.0:$(PORT) wsgi:app

# Starts the local Redis once (it outlives `make serve`; `make redis-stop` stops it). Skipped when
# RATELIMIT_STORAGE_URI names another storage.
redis:
	@if [ "$(RATELIMIT_STORAGE_URI)" = "redis+unix://$(REDIS_SOCKET)" ]; then \
	  $(MAKE) --no-print-directory system-serve-deps && mkdir -p instance && \
	  if ! redis-cli -s "$(REDIS_SOCKET)" ping >/dev/null 2>&1; then \
	    redis-server --port 0 --unixsocket "$(REDIS_SOCKET)" --unixsocketperm 700 --save '' --appendonly no \
	      --daemonize yes --pidfile "$(CURDIR)/instance/redis.pid" --logfile "$(CURDIR)/instance/redis.log" \
	      --dir "$(CURDIR)/instance" --maxmemory 64mb --maxmemory-policy volatile-ttl && \
	    for i in 1 2 3 4 5 6 7 8 9 10; do redis-cli -s "$(REDIS_SOCKET)" ping >/dev/null 2>&1 && break; sleep 0.2; done; \
	  fi; \
	fi

redis-stop:
	-redis-cli -s "$(REDIS_SOCKET)" shutdown nosave 2>/dev/null

# Debian's Redis for `make serve`'s rate limits.
system-serve-deps:
	@if ! command -v redis-server >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null; \
	fi

# Debian packages the tests need: Chromium for the browser tests, CJK fonts so pages render as people
# see them, PostgreSQL for the tests that must hold on a real PostgreSQL server too, zbar to read QR codes,
# Redis and nginx for the serving tests (limits across workers, slow clients behind the proxy), faketime to
# give one app instance a skewed clock.
system-test-deps:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' \
	    || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v zbarimg >/dev/null \
	    || ! command -v redis-server >/dev/null || ! [ -x /usr/sbin/nginx ] || ! command -v faketime >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    chromium fonts-noto-cjk postgresql libzbar0 zbar-tools redis-server nginx faketime >/dev/null; \
	fi

# With a PostgreSQL DATABASE_URL the PostgreSQL tests use that server; otherwise a throwaway PostgreSQL cluster is started for the run and removed after it.
test: system-test-deps install-test compile-translations static
	@set -e; \
	if [ "$${DATABASE_URL#postgres}" != "$${DATABASE_URL:-}" ]; then export TEST_PG_URL="$$DATABASE_URL"; \
	else eval "$$(scripts/pg_test.sh start)"; trap 'scripts/pg_test.sh stop "$$PG_TEST_DIR"' EXIT; fi; \
	FANGZHA_REQUIRE_PG=1 FANGZHA_REQUIRE_SERVERS=1 $(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

bench: install-test system-test-deps compile-translations static  # PostgreSQL for the classroom benchmark
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance/*.db
