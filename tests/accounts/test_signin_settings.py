"""The sign-in settings come from the environment, with safe defaults: a few wrong
passwords, a quarter of an hour's lock, X-Forwarded-For not trusted, a second factor for
administrators and analysts only unless asked for everyone."""

import json
import os
import subprocess
import sys

from django.conf import settings

PRINT = (
    "import json, django; from django.conf import settings as s; django.setup(); "
    "print(json.dumps([s.SIGNIN_LOCKOUT_LIMITS, s.AXES_FAILURE_LIMIT, "
    "s.AXES_COOLOFF_TIME.total_seconds(), s.CLIENT_ADDRESS_HEADER, s.TRUSTED_PROXY_COUNT, "
    "s.PASSWORD_RESET_LIMIT_PER_EMAIL, s.PASSWORD_RESET_LIMIT_PER_ADDRESS, "
    "s.REQUIRE_2FA_FOR_EVERYONE, s.CACHES['default']['BACKEND']]))"
)
NAMES = {
    "SIGNIN_FAILURE_LIMIT",
    "SIGNIN_USERNAME_FAILURE_LIMIT",
    "SIGNIN_ADDRESS_FAILURE_LIMIT",
    "SIGNIN_COOLOFF_MINUTES",
    "CLIENT_ADDRESS_HEADER",
    "TRUSTED_PROXY_COUNT",
    "PASSWORD_RESET_LIMIT_PER_EMAIL",
    "PASSWORD_RESET_LIMIT_PER_ADDRESS",
    "REQUIRE_2FA_FOR_EVERYONE",
    "CACHE_BACKEND",
}


def read_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in NAMES}
    result = subprocess.run(
        [sys.executable, "-c", PRINT],
        env={**clean, "DJANGO_SETTINGS_MODULE": "cspplan.settings", "SECRET_KEY": "x", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_defaults():
    assert read_settings() == [
        [5, 10, 50],
        5,
        15 * 60,
        "",  # REMOTE_ADDR: no forwarded header is trusted
        1,
        3,
        10,
        False,
        "django.core.cache.backends.locmem.LocMemCache",
    ]


def test_each_can_be_set_in_the_environment():
    assert read_settings(
        SIGNIN_FAILURE_LIMIT="3",
        SIGNIN_USERNAME_FAILURE_LIMIT="6",
        SIGNIN_ADDRESS_FAILURE_LIMIT="100",
        SIGNIN_COOLOFF_MINUTES="30",
        CLIENT_ADDRESS_HEADER="HTTP_X_FORWARDED_FOR",
        TRUSTED_PROXY_COUNT="2",
        PASSWORD_RESET_LIMIT_PER_EMAIL="1",
        PASSWORD_RESET_LIMIT_PER_ADDRESS="5",
        REQUIRE_2FA_FOR_EVERYONE="1",
        CACHE_BACKEND="django.core.cache.backends.db.DatabaseCache",
    ) == [
        [3, 6, 100],
        3,
        30 * 60,
        "HTTP_X_FORWARDED_FOR",
        2,
        1,
        5,
        True,
        "django.core.cache.backends.db.DatabaseCache",
    ]


def test_a_limit_that_is_not_a_number_is_refused_by_name():
    clean = {k: v for k, v in os.environ.items() if k not in NAMES}
    result = subprocess.run(
        [sys.executable, "-c", PRINT],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "cspplan.settings",
            "SECRET_KEY": "x",
            "SIGNIN_FAILURE_LIMIT": "five",
        },
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "SIGNIN_FAILURE_LIMIT must be a whole number of 1 or more, not 'five'" in result.stderr
