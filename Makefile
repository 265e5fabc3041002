# The commands the README and CI share. Everything runs from the project's own virtualenv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests need a secret key like any run without DEBUG; this one is for tests only.
TEST_ENV := SECRET_KEY=tests-only-not-a-secret

.PHONY: install assets run test lint format migrations-check ci

install: $(VENV)/.installed

# GOV.UK Frontend and axe-core come from npm; our Sass builds the stylesheet into static/build.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

assets: node_modules/.installed
	npm run --silent build

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

run: install assets
	DEBUG=1 $(PY) manage.py migrate --verbosity 0
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py demo_users
	DEBUG=1 $(PY) manage.py demo_second_factor
	@echo "Open http://$(HOST):$(PORT)/ and sign in as one of the demo users above."
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# Some tests resave spreadsheets in real LibreOffice Calc, and the browser tests drive Debian's
# chromium; the scripts install them when missing.
test: install assets
	bash scripts/libreoffice-up
	bash scripts/chromium-up >/dev/null
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

ci:
	bash .ci/run
