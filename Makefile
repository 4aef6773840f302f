# Locus: the two commands of the README are `make run` and `make test`.
# Both bootstrap everything they need (a virtualenv with the locked dependencies; for tests,
# Debian's Chromium and PostgreSQL 15 when missing).
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
TOOLS := .tools
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test test-sqlite test-postgres bench lint docs static install clean

$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(TOOLS)/bin/uv pyproject.toml uv.lock
	$(TOOLS)/bin/uv sync --frozen --python $(PYTHON) --quiet
	touch $@

install: $(VENV)/.synced ## create .venv with the locked dependencies (dev group included)

run: install ## serve Locus at http://127.0.0.1:8000 (SQLite in var/; first run loads the bundled data)
	$(VENV)/bin/locus serve --host 127.0.0.1 --port 8000

test: install ## the whole suite on SQLite, then again on PostgreSQL 15, with browser tests
	scripts/test.sh

bench: install ## print the benchmark figures quoted in the README
	$(VENV)/bin/python benchmarks/foundation.py
	$(VENV)/bin/python benchmarks/geocoder.py
	$(VENV)/bin/python benchmarks/atlas_build.py
	$(VENV)/bin/python benchmarks/grouping.py
	scripts/bench-postgres.sh

lint: install
	$(VENV)/bin/ruff check locus config tests benchmarks

docs: install ## regenerate the generated reference docs (CLI)
	$(VENV)/bin/python scripts/gen_cli_docs.py

static: ## rebuild the vendored GOV.UK Frontend CSS (needs Node.js and npm; not part of run/test)
	scripts/build_static.sh

clean:
	rm -rf $(VENV) $(TOOLS) var
