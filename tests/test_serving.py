"""The production stack, started for real (issue 15): `collectstatic` into a temporary
folder, then gunicorn with two workers (deploy/gunicorn.conf.py) on a free loopback port
(port 0: the system picks it) against the test database, without DEBUG, as README "Running
in production" runs it. It answers the health URL, a page after signing in through the
sign-in form and the second factor's, and a static file by its hashed name from whitenoise
with a long cache header; every request is one line of JSON in its log.

On PostgreSQL gunicorn uses the test database itself; on SQLite, whose test database lives
in this process's memory, a copy of it in a file. The servers are always stopped, the test
passing or not.
"""

import http.cookiejar
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from boards.models import Role
from tests.factories import PartnershipFactory, user_in_role

pytestmark = [pytest.mark.serving, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-password-for-the-stack"
# Seconds for gunicorn to answer: it takes a few, more on a busy machine.
START_TIMEOUT = 60
# Settings of the tests' own environment that a production server must not inherit.
NOT_PASSED_ON = {"DEBUG", "CSPPLAN_TODAY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}


@dataclass
class Stack:
    url: str
    static_root: Path
    log: Path

    def log_lines(self) -> list[dict]:
        """The JSON lines of the server's log (gunicorn's own lines are plain text)."""
        lines = self.log.read_text().splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]


def database_url(tmp_path: Path) -> str:
    """A URL of the test database that another process can open."""
    if connection.vendor == "sqlite":
        copy = tmp_path / "serving.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(copy) as target:
            connection.connection.backup(target)
        target.close()
        return f"sqlite:///{copy}"
    assert connection.vendor == "postgresql", connection.vendor
    db = connection.settings_dict
    credentials = urllib.parse.quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def production_environment(**env) -> dict:
    base = {k: v for k, v in os.environ.items() if k not in NOT_PASSED_ON}
    return {
        **base,
        "SECRET_KEY": "serving-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback: the cookies must be sent without HTTPS.
        "SECURE_COOKIES": "0",
        **env,
    }


def wait_until_answering(server: subprocess.Popen, log: Path) -> str:
    """The address gunicorn listens at (the free port the system gave it, as its log
    says), once it answers there."""
    deadline = time.monotonic() + START_TIMEOUT
    url = None
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn stopped (exit {server.returncode}):\n{log.read_text()}")
        if url is None:
            listening = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", log.read_text())
            url = listening and listening.group(1)
        if url is not None:
            try:
                with urllib.request.urlopen(url + "/healthz/", timeout=5):
                    return url
            except (urllib.error.URLError, ConnectionError):
                pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer in {START_TIMEOUT} s:\n{log.read_text()}")


def stop(server: subprocess.Popen) -> None:
    """gunicorn and its workers (its own process group): a quick shutdown (SIGINT; the
    requests are all answered), else killed."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGINT)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


@pytest.fixture
def analyst():
    """An analyst (who needs a second factor) with an authenticator app, whose password the
    server's own hasher checks (the tests' quick hasher is not one the server knows)."""
    user = user_in_role(Role.ANALYST, partnerships=[PartnershipFactory()])
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save()
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    return user


@pytest.fixture
def stack(analyst, tmp_path):
    env = production_environment(
        DATABASE_URL=database_url(tmp_path), STATIC_ROOT=str(tmp_path / "static")
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        timeout=120,
    )
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"]
            + ["cspplan.wsgi"],
            cwd=settings.BASE_DIR,
            # Port 0: the system gives it a free one, so no other server can take it first.
            env={**env, "GUNICORN_BIND": "127.0.0.1:0", "GUNICORN_WORKERS": "2"},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped whole in `stop`
        )
    try:
        url = wait_until_answering(server, log)
        yield Stack(url=url, static_root=tmp_path / "static", log=log)
    finally:
        stop(server)


class Browser:
    """Cookies kept between requests, redirects followed, as a browser does."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str, headers: dict | None = None):
        request = urllib.request.Request(self.base + path, headers=headers or {})
        return self.opener.open(request, timeout=30)

    def submit(self, page: str, path: str, fields: dict):
        """Post the form on `page` to `path`, with its hidden fields (the CSRF token)."""
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
        body = urllib.parse.urlencode({**hidden, **fields}).encode()
        return self.opener.open(self.base + path, data=body, timeout=30)


def app_code(device: TOTPDevice) -> str:
    """The code the analyst's authenticator app shows now (tests/accounts do the same)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def test_the_production_stack_serves_health_pages_and_static_files(stack, analyst):
    browser = Browser(stack.url)

    # The health URL, with the proxy's request id, and a query string kept out of the log.
    health = browser.get(
        "/healthz/?probe=someone@example.org", headers={"X-Request-ID": "lb-probe-00000001"}
    )
    assert health.status == 200
    assert json.loads(health.read()) == {"status": "ok"}
    assert health.headers["X-Request-ID"] == "lb-probe-00000001"

    # Signing in through the real forms: the password, then the second factor's code.
    sign_in = browser.get("/accounts/login/").read().decode()
    code_page = browser.submit(
        sign_in, "/accounts/login/", {"username": analyst.username, "password": PASSWORD}
    )
    assert urllib.parse.urlsplit(code_page.url).path == "/accounts/second-factor/"
    device = TOTPDevice.objects.get(user=analyst)
    signed_in = browser.submit(
        code_page.read().decode(), code_page.url.removeprefix(stack.url), {"code": app_code(device)}
    )
    assert signed_in.status == 200
    assert urllib.parse.urlsplit(signed_in.url).path == "/"
    page = signed_in.read().decode()
    assert '<h1 class="govuk-heading-xl">My actions</h1>' in page
    assert analyst.username not in stack.log.read_text()

    # The stylesheet the page names: a hashed name, served by whitenoise, cached for long.
    [href] = re.findall(r'<link rel="stylesheet" href="(/static/[^"]+)"', page)
    assert re.fullmatch(r"/static/build/main\.[0-9a-f]{12}\.css", href), href
    stylesheet = browser.get(href)
    assert stylesheet.status == 200
    assert stylesheet.headers["Content-Type"].startswith("text/css")
    cache = stylesheet.headers["Cache-Control"]
    assert "immutable" in cache and "max-age=315360000" in cache, cache
    assert stylesheet.read() == (stack.static_root / href.removeprefix("/static/")).read_bytes()

    # Two workers served it, and each request is one line of JSON.
    assert stack.log.read_text().count("Booting worker with pid") == 2
    lines = stack.log_lines()
    [probe] = [line for line in lines if line.get("request_id") == "lb-probe-00000001"]
    assert probe["path"] == "/healthz/" and probe["status"] == 200
    assert probe["user_id"] is None
    [home] = [line for line in lines if line.get("path") == "/" and line["status"] == 200]
    assert home["user_id"] == analyst.pk and home["method"] == "GET"
    assert [line["status"] for line in lines if line.get("path") == href] == [200]
    assert "example.org" not in stack.log.read_text()
