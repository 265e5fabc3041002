"""Settings come from the environment with defaults that are safe in production."""

import json
import os
import subprocess
import sys

from django.conf import settings

PRINT_SETTINGS = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps([settings.DEBUG, settings.ALLOWED_HOSTS, "
    "settings.DATABASES['default']['ENGINE'], settings.SESSION_COOKIE_SECURE]))"
)


def run_settings(code: str = PRINT_SETTINGS, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "CSPPLAN_TODAY"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "cspplan.settings", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_debug_is_off_and_no_host_is_allowed_unless_asked_for():
    result = run_settings(SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    debug, hosts, engine, secure_cookies = json.loads(result.stdout)
    assert (debug, hosts, secure_cookies) == (False, [], True)
    assert engine == "django.db.backends.sqlite3"


def test_a_secret_key_is_required_in_production():
    result = run_settings()
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_database_url_selects_postgresql_and_debug_can_be_turned_on():
    result = run_settings(
        DEBUG="1", DATABASE_URL="postgres://someone@db.example:5432/cspplan", ALLOWED_HOSTS="a,b"
    )
    debug, hosts, engine, _ = json.loads(result.stdout)
    assert (debug, hosts, engine) == (True, ["a", "b"], "django.db.backends.postgresql")
