# Canvass: `make run` serves the site with demo content; `make test` runs the whole suite.
# Nothing here needs to be installed first but Python 3.11+ and Node 18+.

PYTHON ?= python3
PORT ?= 8000
# The settings build the site's address from PORT unless CANVASS_BASE_URL is set, so links
# in emails, and the Wagtail site that `migrate` points there, match the port served.
export PORT
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PIP_VERSION := 26.0

.PHONY: run test bench bench-scale lint format serve-setup clean

# Each stamp is rebuilt only when its inputs change, so a second `make run` is quick.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==$(PIP_VERSION)

$(VENV)/.run-installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt --group run
	touch $@

$(VENV)/.test-installed: $(VENV)/.run-installed
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt --group test
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

var:
	mkdir -p var

serve-setup: $(VENV)/.run-installed node_modules/.installed | var
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) rebuild_search

run: serve-setup
	@echo "Serving Canvass on http://127.0.0.1:$(PORT)/"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: $(VENV)/.test-installed node_modules/.installed
	$(BIN)/pytest

# Serves a throw-away demo site with gunicorn and measures it; see bench/README.md.
bench: $(VENV)/.run-installed node_modules/.installed
	$(BIN)/python -m bench

# The site at 1,000 and 100,000 generated questions on SQLite and PostgreSQL (127.0.0.1:5432);
# a full run takes about an hour, see bench/README.md.
bench-scale: $(VENV)/.run-installed node_modules/.installed
	BENCH_ONLY=scale $(BIN)/python -m bench

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates
	$(BIN)/lint-imports

format: $(VENV)/.test-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

clean:
	rm -rf $(VENV) node_modules var
