"""Production settings (issue 12, finding 8): HTTPS, sessions, the security headers and the
deploy check, each read from the environment as an operator would set it (README, "Settings
for production")."""

import json
import os
import secrets
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from cspplan.idle_sessions import SAVED_AT
from tests.factories import UserFactory

# What an operator sets behind a proxy that terminates HTTPS (README, "Settings for
# production"), with a long random key as production has.
PRODUCTION_ENV = {
    "ALLOWED_HOSTS": "cspplan.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://cspplan.example.org",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
}
# Variables the tests' own environment may have that would change what is being checked.
SETTINGS_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "SECURE_COOKIES",
    "SESSION_IDLE_HOURS",
    # Set by tests/browser/conftest.py for Playwright; the deploy check rightly refuses it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    *PRODUCTION_ENV,
}


def environment(**env) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    return {**clean, "DJANGO_SETTINGS_MODULE": "cspplan.settings", **env}


def settings_from(names: list[str], **env) -> dict:
    """The named settings as cspplan/settings.py makes them from `env`, in a fresh process."""
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=environment(**env),
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def production_secret_key() -> str:
    return secrets.token_urlsafe(50)


# The deploy check


def test_the_deploy_check_passes_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment(SECRET_KEY=production_secret_key(), **PRODUCTION_ENV),
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_https_settings_come_from_the_environment():
    got = settings_from(
        [
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SECURE_HSTS_PRELOAD",
            "SECURE_PROXY_SSL_HEADER",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
        ],
        SECRET_KEY="x" * 50,
        **PRODUCTION_ENV,
    )
    assert got == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }


def test_without_https_settings_nothing_trusts_a_proxy_header_or_promises_hsts():
    # A forwarded-proto header is only believed when the operator says a proxy sets it:
    # otherwise any client could claim to have come over HTTPS.
    got = settings_from(
        ["SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT"],
        SECRET_KEY="x" * 50,
    )
    assert got == {
        "SECURE_PROXY_SSL_HEADER": None,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_SSL_REDIRECT": False,
    }


def test_a_proxy_header_that_is_not_a_header_name_is_refused():
    script = "import django; django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=environment(SECRET_KEY="x" * 50, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https"),
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER" in result.stderr


# Password reset links behind a proxy


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("proxy_env", "expected"),
    [({"SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"}, "https://"), ({}, "http://")],
    ids=["proxy-header-configured", "not-configured"],
)
def test_reset_links_are_https_behind_a_proxy_that_says_so(
    client, mailoutbox, settings, proxy_env, expected
):
    configured = settings_from(["SECURE_PROXY_SSL_HEADER"], SECRET_KEY="x" * 50, **proxy_env)
    header = configured["SECURE_PROXY_SSL_HEADER"]
    settings.SECURE_PROXY_SSL_HEADER = tuple(header) if header else None
    settings.ALLOWED_HOSTS = ["cspplan.example.org"]
    user = UserFactory(email="lead@example.org")

    client.post(
        reverse("password_reset"),
        {"email": user.email},
        HTTP_HOST="cspplan.example.org",
        HTTP_X_FORWARDED_PROTO="https",
    )

    [email] = mailoutbox
    assert f"{expected}cspplan.example.org/accounts/reset/" in email.body


# Sessions


def test_sessions_end_after_a_working_day_idle_and_at_browser_close():
    got = settings_from(
        [
            "SESSION_COOKIE_AGE",
            "SESSION_EXPIRE_AT_BROWSER_CLOSE",
            "SESSION_COOKIE_HTTPONLY",
        ],
        SECRET_KEY="x" * 50,
    )
    assert got == {
        "SESSION_COOKIE_AGE": 8 * 60 * 60,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
        "SESSION_COOKIE_HTTPONLY": True,
    }
    assert settings_from(["SESSION_COOKIE_AGE"], SECRET_KEY="x" * 50, SESSION_IDLE_HOURS="2") == {
        "SESSION_COOKIE_AGE": 2 * 60 * 60
    }


def session_of(client) -> Session:
    return Session.objects.get(pk=client.session.session_key)


def saved(client, ago: timedelta, left: timedelta) -> None:
    """Make the client's session look last saved `ago`, with `left` before it ends."""
    session = client.session
    session[SAVED_AT] = (timezone.now() - ago).timestamp()
    session.save()
    Session.objects.filter(pk=session.session_key).update(expire_date=timezone.now() + left)


@pytest.mark.django_db
def test_using_the_service_pushes_the_end_of_the_session_a_working_day_on(client):
    client.force_login(UserFactory())
    # Seven hours without a request: an hour left.
    saved(client, ago=timedelta(hours=7), left=timedelta(hours=1))

    response = client.get(reverse("actions:my-actions"))

    assert response.status_code == 200
    left = session_of(client).expire_date - timezone.now()
    assert timedelta(hours=7, minutes=59) < left <= timedelta(hours=8)
    # No expiry date on the cookie: the browser forgets it when it closes.
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert (cookie["max-age"], cookie["expires"]) == ("", "")
    assert cookie["httponly"] is True


@pytest.mark.django_db
def test_a_session_is_not_written_on_every_request(client):
    client.force_login(UserFactory())
    saved(client, ago=timedelta(minutes=4), left=timedelta(hours=7, minutes=56))
    before = session_of(client).expire_date

    client.get(reverse("actions:my-actions"))

    # Saved four minutes ago: not saved again, so it still ends at the same time.
    assert session_of(client).expire_date == before
    assert settings.SESSION_COOKIE_NAME not in client.get(reverse("login")).cookies


@pytest.mark.django_db
def test_signing_in_starts_the_working_day_with_no_extra_write(client):
    user = UserFactory()
    client.post(reverse("login"), {"username": user.username, "password": "test-password"})
    stamp = client.session[SAVED_AT]
    assert abs(stamp - timezone.now().timestamp()) < 60
    before = session_of(client).expire_date

    client.get(reverse("actions:my-actions"))

    assert session_of(client).expire_date == before


@pytest.mark.django_db
def test_a_visitor_without_a_session_is_not_given_one(client):
    response = client.get(reverse("accessibility"))
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_a_session_idle_for_a_working_day_is_signed_out(client):
    client.force_login(UserFactory())
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get(reverse("actions:my-actions"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Security headers on every page


@pytest.mark.django_db
def test_pages_forbid_framing_and_leaking_referrers(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(header: str) -> dict[str, str]:
    """A Content-Security-Policy header as {directive: its sources}."""
    directives = {}
    for part in header.split(";"):
        name, _, sources = part.strip().partition(" ")
        if name:
            directives[name] = " ".join(sources.split())
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_pages_have_a_strict_content_security_policy(client, signed_in):
    if signed_in:
        client.force_login(UserFactory())
        url = reverse("actions:my-actions")
    else:
        url = reverse("login")
    response = client.get(url)
    assert response.status_code == 200
    assert policy(response["Content-Security-Policy"]) == CSP_DIRECTIVES


@pytest.mark.django_db
def test_the_admin_has_the_same_content_security_policy(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert policy(response["Content-Security-Policy"]) == CSP_DIRECTIVES


@pytest.mark.django_db
def test_pages_turn_off_browser_features_the_service_never_uses(client):
    header = client.get(reverse("login"))["Permissions-Policy"]
    features = dict(item.strip().split("=", 1) for item in header.split(","))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert features.get(feature) == "()", header
