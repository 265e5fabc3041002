"""Settings, read from the environment.

Defaults are safe for production (DEBUG off, no hosts allowed) and the database defaults to
an SQLite file under the project, so nothing needs installing to try it. Set DATABASE_URL
(e.g. postgres://user@127.0.0.1:5432/cspplan) to use PostgreSQL.
"""

import datetime
import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from cspplan.clock import read_setting

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int, *, minimum: int = 1) -> int:
    """A whole number from the environment, at least `minimum`, refused clearly if not."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < minimum:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of {minimum} or more, not {value!r}."
        )
    return int(value)


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment (or DEBUG=1 for local use).")
    SECRET_KEY = "insecure-local-development-key"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin with our site: administrators only (actions/sites.py).
    "actions.admin_config.AdminConfig",
    # Before django.contrib.auth, so that its createsuperuser and changepassword (and its
    # shell, before Django's own) are the ones run: they record the system user as having
    # made their changes (accounts/management/commands).
    "accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Production settings (see below): the Content-Security-Policy, and our own signals
    # (cspplan.apps: idle sessions).
    "csp",
    "cspplan.apps.CspplanConfig",
    "django_filters",
    "crispy_forms",
    "crispy_forms_gds",
    "import_export",
    "simple_history",
    # Sign-in security (see "Signing in" below).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "boards",
    "downloads",
    "actions",
    "workbooks",
    "reporting",
    "rollover",
    "regional",
    "meetings",
    "audit",
]

MIDDLEWARE = [
    # Production serving (issue 15): one line of JSON per request, with its id, in the log;
    # first, so that it times and logs every request (cspplan/request_log.py).
    "cspplan.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # --- Production settings (issue 12): static files, then the two policy headers.
    # Whitenoise serves the collected static files by their hashed names, before anything
    # else works on the request; the headers are configured under "Production settings".
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    # --- end of production-settings middleware.
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Production settings (issue 12): sessions end after a working day without a request.
    "cspplan.idle_sessions.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second factor, if any, this session has been verified with (request.user).
    "django_otp.middleware.OTPMiddleware",
    # What the signed-in user may see, worked out once per request (actions/permissions.py).
    "actions.middleware.AccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the signed-in user on every history row written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Sends those who need a second factor to enter (or set up) one before any other page.
    "accounts.middleware.SecondFactorMiddleware",
    # Last: turns a locked-out sign-in into the lock-out page (accounts/views.py).
    "axes.middleware.AxesMiddleware",
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
                "actions.context_processors.navigation",
                "cspplan.clock.context",
            ],
            # Dates, times and numbers shown as everywhere else (cspplan/display.py).
            "builtins": ["cspplan.display_filters"],
        },
    },
]

WSGI_APPLICATION = "cspplan.wsgi.application"

# How long an import waits for another import or save of the same plan before it is told
# to try again (workbooks.services.plan_locked).
IMPORT_LOCK_WAIT_SECONDS = env_int("IMPORT_LOCK_WAIT_SECONDS", 10)

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite does not enforce foreign keys by name; Django turns them on. WAL lets the
    # development server read while a management command writes.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["init_command"] = "PRAGMA journal_mode=WAL;"
    # Every transaction takes the write lock when it begins, not at its first write: an
    # import previews the plan and writes it in one transaction (workbooks.services.
    # plan_locked), and nothing may be saved in between. A writer waits up to `timeout`
    # seconds for the lock.
    options["transaction_mode"] = "IMMEDIATE"
    options["timeout"] = IMPORT_LOCK_WAIT_SECONDS
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No just-in-time compilation of queries: the dashboards' counts carry subqueries (who
    # may see a marked update) whose estimated cost passes PostgreSQL's JIT threshold, and
    # compiling them took 1.2 s of a query that runs in 20 ms without it (benchmarks/
    # README.md). A web application's queries are short; JIT pays off only for long ones.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = " ".join(filter(None, [options.get("options", ""), "-c jit=off"]))
    # Production serving (issue 15). A database that cannot be reached fails a request,
    # and the health URL, within seconds instead of waiting on the network for minutes
    # (unless DATABASE_URL says otherwise: ?connect_timeout=N).
    options.setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5))
    # A persistent connection (CONN_MAX_AGE) is checked before a request reuses it, so that
    # after a database restart or fail-over each worker reconnects instead of failing once.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True


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
# Where `collectstatic` puts them and whitenoise serves them from (README, "Running in
# production"): staticfiles/ in the project unless the operator names another folder.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles"

# ---------------------------------------------------------------------------------------------
# Production settings (issue 12, finding 8). Each is read from the environment; README,
# "Settings for production", lists them, and `manage.py check --deploy` in .ci/run checks them.
# ---------------------------------------------------------------------------------------------

# Static files: `collectstatic` copies them to STATIC_ROOT with a hash of their content in
# each name (and compressed copies), and whitenoise serves them from there, so a new release
# never meets an old cached stylesheet. cspplan.storage says why it is a subclass.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "cspplan.storage.HashedStaticFilesStorage"},
}

# HTTPS. Off unless asked for: a proxy in front may already redirect, and HSTS is a promise
# to browsers that lasts its whole max-age, so the operator makes it (the deploy check warns
# until they do). SECURE_PROXY_SSL_HEADER names the header the proxy sets to "https"
# (e.g. X-Forwarded-Proto); without it no such header is believed, since any client could
# send one. Behind such a proxy, request.is_secure() is true and reset links are https://.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
# Load balancers probe each app server's health URL directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
_proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_header and not re.fullmatch(r"[A-Za-z0-9-]+", _proxy_header):
    raise ImproperlyConfigured(
        f"SECURE_PROXY_SSL_HEADER must be a header name such as X-Forwarded-Proto, "
        f"not {_proxy_header!r}."
    )
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https") if _proxy_header else None
)

# Cookies: sent over HTTPS only (unless DEBUG, or SECURE_COOKIES=0 for a trial over plain
# HTTP), never readable by scripts, and not sent with requests from other sites' pages.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Sessions end after a working day without a request and when the browser closes. The age
# counts from the session's last save, which cspplan.idle_sessions renews every few minutes
# of use (rather than SESSION_SAVE_EVERY_REQUEST's write on every request: it says why).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_HOURS", 8) * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Headers on every response. Django's defaults for the first three, stated so that they are
# seen and kept.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Content-Security-Policy (django-csp 4): only our own scripts, stylesheets and images, and
# no inline script or style at all, so injected markup cannot run or restyle anything.
# Templates keep to it (tests/browser/test_content_security_policy.py visits the pages).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Permissions-Policy (django-permissions-policy): browser features the service never uses,
# turned off for every page and anything that might get into one. interest-cohort (FLoC) was
# withdrawn and browsers now warn about it; browsing-topics is what replaced it. Only names
# Chromium knows (an unknown one is a console warning on every page): bluetooth is not one.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    ]
}

# Who runs the service and whom to tell about a problem, as the accessibility statement
# (templates/accessibility.html) names them. Set both for each installation.
SERVICE_OPERATOR = os.environ.get(
    "SERVICE_OPERATOR", "the council that hosts it for the Community Safety Partnership"
)
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("ACCESSIBILITY_CONTACT_EMAIL", "")
# --- end of production settings.

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "actions:my-actions"
LOGOUT_REDIRECT_URL = "login"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# An action with no progress update for this many weeks is listed as needing an update.
STALE_AFTER_WEEKS = int(os.environ.get("STALE_AFTER_WEEKS", "8"))

# The date the application treats as today (cspplan/clock.py), for the demo only: `make run`
# sets 2021-12-08, the day of the board meeting the seed plans were written for. Refused
# unless DEBUG; None is the real date.
CSPPLAN_TODAY = read_setting(os.environ.get("CSPPLAN_TODAY"), debug=DEBUG)

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
# They are kept in the database (downloads.PendingUpload), which every app server shares.

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cspplan <noreply@localhost>")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Reminders before each board meeting (`manage.py send_reminders`, README): sent for the
# meetings within this many days from today. The links in them start with SITE_URL (an email
# has no request to take the address from, as the password reset page does).
MEETING_REMINDER_DAYS = env_int("MEETING_REMINDER_DAYS", 10, minimum=0)
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

# The server log: one line of JSON per record on standard error (cspplan/logs.py), for
# whatever runs the service (systemd's journal, a container platform) to collect. Every
# request is one line (cspplan/request_log.py) unless REQUEST_LOG=0; the rest from
# LOG_LEVEL up.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_client_error_traceback": {"()": "cspplan.logs.NoTracebackForClientErrors"}},
    "formatters": {"json": {"()": "cspplan.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "django.request": {"filters": ["no_client_error_traceback"]},
        "cspplan.requests": {
            "handlers": ["console"],
            "level": "INFO" if env_bool("REQUEST_LOG", True) else "WARNING",
            "propagate": False,
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


# Signing in ------------------------------------------------------------------------------
# The lock-out after wrong passwords (django-axes), the password reset limits and the second
# factor (django-otp); the code is in accounts/. Kept in one block on purpose.


# The lock-out checks every sign-in (the pages and the admin's) before the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Wrong passwords are counted for a username at one address, for a username from any
# address, and for an address whatever the username, each with its own limit (in the same
# order as AXES_LOCKOUT_PARAMETERS; accounts/lockout.py). The address limit is higher: a
# council office signs in from one shared address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
SIGNIN_LOCKOUT_LIMITS = [
    env_int("SIGNIN_FAILURE_LIMIT", 5),
    env_int("SIGNIN_USERNAME_FAILURE_LIMIT", 10),
    env_int("SIGNIN_ADDRESS_FAILURE_LIMIT", 50),
]
AXES_FAILURE_LIMIT = SIGNIN_LOCKOUT_LIMITS[0]
AXES_HANDLER = "accounts.lockout.SignInLockoutHandler"
# A lock ends this long after the last counted failure; tries while locked are not counted.
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("SIGNIN_COOLOFF_MINUTES", 15))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_address"
# The header a reverse proxy puts the client's address in, as Django names it in
# request.META (e.g. HTTP_X_FORWARDED_FOR), and how many proxies of ours append to it.
# Empty (the default): REMOTE_ADDR, and X-Forwarded-For is not trusted (anyone can send it).
CLIENT_ADDRESS_HEADER = os.environ.get("CLIENT_ADDRESS_HEADER", "")
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)

# Password reset emails: at most this many an hour to one email address, and requests an
# hour from one client address. Counted in the cache below.
PASSWORD_RESET_LIMIT_PER_EMAIL = env_int("PASSWORD_RESET_LIMIT_PER_EMAIL", 3)
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 10)

# The default is a memory cache per process. With several app servers or processes the
# reset limits need a shared cache: CACHE_BACKEND=django.core.cache.backends.db.DatabaseCache
# with CACHE_LOCATION=cspplan_cache (then `python manage.py createcachetable`).
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "cspplan"),
    }
}

# A second factor (a TOTP authenticator app, with recovery codes) is required of
# administrators (and superusers), analysts and staff; of everyone with this set.
REQUIRE_2FA_FOR_EVERYONE = env_bool("REQUIRE_2FA_FOR_EVERYONE")
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "CSP action plans")
# Recovery codes given at a time.
RECOVERY_CODE_COUNT = 10
