# Young in Progress. The two commands: `make run` and `make test` (see README.md).
# Python packages come from uv.lock, front-end packages from package-lock.json: a clone never
# resolves dependencies afresh. `make upgrade` is the one way to move them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# uv itself is pinned with hashes (requirements/uv.txt) in a tools venv of its own.
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# pytest-xdist: one worker per CPU, a file's tests together (module fixtures, browser sessions).
PYTEST_WORKERS ?= -n auto --dist loadfile

.PHONY: run test check install assets messages lint format upgrade bench clean eid-federation

run: install ## Serve the portal on 127.0.0.1:8000 with a Celery worker and beat (no Redis needed)
	./scripts/run-local.sh

eid-federation: install ## The local SPID/CIE test federation for `make run` (another terminal): spid/localfed
	$(PY) -m spid.localfed --rp http://127.0.0.1:8000 --ta-port 8100 --cie-port 8102 --workdir var/localfed

test: check ## The whole suite (uses DATABASE_URL / REDIS_URL when set), after the static checks
	$(PY) -m pytest $(PYTEST_WORKERS)

check: install ## What a reviewer checks first: lint, format, migrations, a lock that matches
	$(UV) lock --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DATABASE_URL=sqlite://:memory: DJANGO_SETTINGS_MODULE=young_in_progress.settings.test \
	  $(PY) manage.py makemigrations --check --dry-run

install: $(VENV)/.installed assets messages

$(UV): requirements/uv.txt
	test -x .tools/bin/pip || $(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/uv.txt
	touch $@

$(VENV)/.installed: pyproject.toml uv.lock $(UV)
	$(UV) sync --locked --python $(PYTHON)
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

upgrade: $(UV) ## Re-resolve every dependency to its newest allowed version, show what moved, run the suite
	cp uv.lock var/uv.lock.before 2>/dev/null || (mkdir -p var && cp uv.lock var/uv.lock.before)
	$(UV) lock --upgrade
	$(PYTHON) scripts/lock_diff.py var/uv.lock.before uv.lock
	npm update --no-audit --no-fund --loglevel=error
	rm -f $(VENV)/.installed node_modules/.installed
	$(MAKE) test
	@echo "Review the moves above, then commit uv.lock and package-lock.json."

bench: install ## The desk's benchmark at demo scale (PostgreSQL and wrk needed): bench/README.md
	$(PY) bench/generate.py --scale demo
	$(PY) bench/run.py --scale demo

lint: install
	$(VENV)/bin/ruff check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) .tools node_modules static/vendor var
