# Young in Progress. The two commands: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test install assets messages lint bench clean

run: install ## Serve the portal on 127.0.0.1:8000 with a Celery worker and beat (no Redis needed)
	./scripts/run-local.sh

test: install ## The whole suite (uses DATABASE_URL / REDIS_URL when set)
	$(PY) -m pytest

install: $(VENV)/.installed assets messages

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

assets: static/vendor/.built

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/vendor/.built: node_modules/.installed scripts/build-assets.mjs
	npm run --silent build
	touch $@

messages: $(VENV)/.installed
	$(PY) scripts/compile_messages.py

bench: install ## The desk's benchmark at demo scale (PostgreSQL and wrk needed): bench/README.md
	$(PY) bench/generate.py --scale demo
	$(PY) bench/run.py --scale demo

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) node_modules static/vendor var
