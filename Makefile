# The commands the README and CI share. Everything runs from the project's own virtualenv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests need a secret key like any run without DEBUG; this one is for tests only.
TEST_ENV := SECRET_KEY=tests-only-not-a-secret
# Test processes (pytest-xdist), each with its own test database; each test file runs whole
# in one of them, so a module's shared fixtures are built once. TEST_WORKERS=0 runs one.
TEST_WORKERS ?= 2
# The day `make run` treats as today (cspplan/clock.py): the 8 December 2021 B&D CSP Board,
# which the seed plans were written for. `make run CSPPLAN_TODAY=` runs on the real date.
CSPPLAN_TODAY ?= 2021-12-08

.PHONY: install assets collectstatic run serve test lint format migrations-check deploy-check ci

install: $(VENV)/.installed

# GOV.UK Frontend and axe-core come from npm; our Sass builds the stylesheet into static/build.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

assets: node_modules/.installed
	npm run --silent build

# The static files of a release, with hashed names, into staticfiles/ for whitenoise to serve
# (README, "Settings for production"). Needs SECRET_KEY like any run without DEBUG.
collectstatic: install assets
	$(PY) manage.py collectstatic --noinput --verbosity 0

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
	DEBUG=1 CSPPLAN_TODAY=$(CSPPLAN_TODAY) $(PY) manage.py runserver $(HOST):$(PORT)

# The production stack on this machine (README, "Running in production"): the static files
# collected, the database migrated, then gunicorn with several workers (deploy/gunicorn.conf.py)
# on http://$(HOST):$(PORT)/, against PostgreSQL. It reads the same environment as production:
# DATABASE_URL and SECRET_KEY are required; ALLOWED_HOSTS defaults to this machine's names;
# over plain HTTP on this machine, add SECURE_COOKIES=0 so that the browser sends the cookies.
# The reset limits are counted in the database (createcachetable), as with several servers.
SERVE_ENV := ALLOWED_HOSTS="$${ALLOWED_HOSTS:-localhost,127.0.0.1}" \
	CACHE_BACKEND="$${CACHE_BACKEND:-django.core.cache.backends.db.DatabaseCache}" \
	CACHE_LOCATION="$${CACHE_LOCATION:-cspplan_cache}"
serve: install assets
	@case "$$DATABASE_URL" in \
	  postgres://*|postgresql://*) ;; \
	  *) echo "make serve runs against PostgreSQL: set DATABASE_URL, e.g." >&2; \
	     echo "  DATABASE_URL=postgres://USER:PASSWORD@127.0.0.1:5432/cspplan SECRET_KEY=... make serve" >&2; \
	     echo "  (bash scripts/postgres-up starts a local server and prints its URL)." >&2; \
	     exit 2;; \
	esac
	@test -n "$$SECRET_KEY" || { \
	  echo "make serve needs SECRET_KEY: long, random and the same on every app server, e.g. from" >&2; \
	  echo '  python3 -c "import secrets; print(secrets.token_urlsafe(50))"' >&2; exit 2; }
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(PY) manage.py migrate --verbosity 0
	$(SERVE_ENV) $(PY) manage.py createcachetable
	$(SERVE_ENV) GUNICORN_BIND="$${GUNICORN_BIND:-$(HOST):$(PORT)}" \
	  $(VENV)/bin/gunicorn --config deploy/gunicorn.conf.py cspplan.wsgi

# Some tests resave spreadsheets in real LibreOffice Calc, the browser tests drive Debian's
# chromium, and the backup tests run pg_dump and pg_restore on PostgreSQL; the scripts install
# them when missing.
test: install assets
	bash scripts/libreoffice-up
	bash scripts/postgres-client-up
	bash scripts/chromium-up >/dev/null
	$(TEST_ENV) $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

# Django's deploy check with production-like settings: HTTPS behind a proxy, HSTS, a long
# random key made here and thrown away. Any warning fails it.
deploy-check: install
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	ALLOWED_HOSTS=cspplan.example.org CSRF_TRUSTED_ORIGINS=https://cspplan.example.org \
	SECURE_SSL_REDIRECT=1 SECURE_HSTS_SECONDS=31536000 SECURE_HSTS_INCLUDE_SUBDOMAINS=1 \
	SECURE_HSTS_PRELOAD=1 SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto \
	$(PY) manage.py check --deploy --fail-level WARNING

ci:
	bash .ci/run
