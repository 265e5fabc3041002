"""Settings, read from the environment.

Defaults are safe for production (DEBUG off, no hosts allowed) and the database defaults to
an SQLite file under the project, so nothing needs installing to try it. Set DATABASE_URL
(e.g. postgres://user@127.0.0.1:5432/cspplan) to use PostgreSQL.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment (or DEBUG=1 for local use).")
    SECRET_KEY = "insecure-local-development-key"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "crispy_forms",
    "crispy_forms_gds",
    "import_export",
    "simple_history",
    "boards",
    "actions",
    "workbooks",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # What the signed-in user may see, worked out once per request (actions/permissions.py).
    "actions.middleware.AccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the signed-in user on every history row written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "cspplan.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        # With no "loaders" option Django wraps these in its cached loader, DEBUG on or off
        # (since Django 4.1): each template is compiled once per process, not per request.
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # Dates, times and numbers shown as everywhere else (cspplan/display.py).
            "builtins": ["cspplan.display_filters"],
        },
    },
]

WSGI_APPLICATION = "cspplan.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite does not enforce foreign keys by name; Django turns them on. WAL lets the
    # development server read while a management command writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "actions:my-actions"
LOGOUT_REDIRECT_URL = "login"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# An action with no progress update for this many weeks is listed as needing an update.
STALE_AFTER_WEEKS = int(os.environ.get("STALE_AFTER_WEEKS", "8"))

# Workbook imports (workbooks/safety.py). A real plan has hundreds of actions and the
# largest seen about 1,000; 20,000 is far above any, and reads in about ten seconds.
# Cells are every cell openpyxl hands over, blank and merged ones included, over all the
# sheets: a real 1,000-action plan has about 20,000, one at the action cap in the widest
# layout about 400,000. Reading costs about 20 microseconds a cell, so 500,000 bounds the
# time any workbook can take to read at about that of a plan at the action cap.
IMPORT_MAX_ACTIONS = int(os.environ.get("IMPORT_MAX_ACTIONS", "20000"))
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", "500000"))
# A preview of more action rows than this shows counts per theme, the first rows, and the
# full list as a download, rather than every row on the page.
IMPORT_PREVIEW_ROWS = int(os.environ.get("IMPORT_PREVIEW_ROWS", "300"))
# Uploads kept between an import's preview and its confirmation are removed when used and
# after this many minutes (on each new upload, and by `manage.py clear_import_uploads`).
IMPORT_UPLOAD_MAX_AGE_MINUTES = int(os.environ.get("IMPORT_UPLOAD_MAX_AGE_MINUTES", "240"))
# Where they are kept: private to this server's user; a folder every server shares when
# there are several (empty: cspplan-imports in the system's temporary folder).
IMPORT_UPLOAD_DIR = os.environ.get("IMPORT_UPLOAD_DIR", "")

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cspplan <noreply@localhost>")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_client_error_traceback": {"()": "cspplan.logs.NoTracebackForClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["no_client_error_traceback"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
