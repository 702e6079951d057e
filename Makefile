# Fangzha: `make serve` runs the site on :8000; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export FLASK_APP := wsgi
# Build steps (static digests, migrations) build the app; they need a key but never serve with it.
BUILD_ENV := SECRET_KEY=build-only-not-for-serving

.PHONY: serve test bench translations compile-translations static db check-content system-test-deps install install-test clean

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
	$(BUILD_ENV) $(BIN)/flask digest clean >/dev/null
	$(BUILD_ENV) $(BIN)/flask digest compile >/dev/null

check-content: install
	$(BIN)/flask content check

instance/secret_key:
	mkdir -p instance
	$(PYTHON) -c 'import secrets; print(secrets.token_hex(32))' > $@
	chmod 600 $@

db: install instance/secret_key
	$(BUILD_ENV) $(BIN)/flask db upgrade

serve: install compile-translations static check-content db instance/secret_key
	SECRET_KEY="$${SECRET_KEY:-$$(cat instance/secret_key)}" $(BIN)/gunicorn -c gunicorn.conf.py --bind 0.0.0.0:$(PORT) wsgi:app

# Debian packages the tests need: Chromium for the browser tests, CJK fonts so pages render as people
# see them, PostgreSQL for the tests that must hold on a real PostgreSQL server too, zbar to read QR codes.
system-test-deps:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' \
	    || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v zbarimg >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    chromium fonts-noto-cjk postgresql libzbar0 zbar-tools >/dev/null; \
	fi

# With a PostgreSQL DATABASE_URL the PostgreSQL tests use that server; otherwise a throwaway PostgreSQL cluster is started for the run and removed after it.
test: system-test-deps install-test compile-translations static
	@set -e; \
	if [ "$${DATABASE_URL#postgres}" != "$${DATABASE_URL:-}" ]; then export TEST_PG_URL="$$DATABASE_URL"; \
	else eval "$$(scripts/pg_test.sh start)"; trap 'scripts/pg_test.sh stop "$$PG_TEST_DIR"' EXIT; fi; \
	FANGZHA_REQUIRE_PG=1 $(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

bench: install-test compile-translations static
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance/*.db
