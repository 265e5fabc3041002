"""The request log (issue 15, cspplan/request_log.py): one line of JSON per request with its
method, path, status, duration, user id and request id, and nothing personal: no query
string, name or email address, and no password reset token."""

import io
import json
import logging
import re
from unittest import mock

import django.test
import pytest
from django.db import connection
from django.urls import reverse

from cspplan.logs import JsonFormatter
from tests.clients import Client

pytestmark = pytest.mark.django_db

FIELDS = {"time", "level", "logger", "method", "path", "status", "duration_ms", "user_id"}
FIELDS |= {"request_id"}
EMAIL = "pat.officer@council.example.org"


@pytest.fixture
def log_lines():
    """The lines the server log gets while a test runs, formatted as it formats them (when
    each is logged, while its request is served): the request log's and Django's own."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger("cspplan.requests"), logging.getLogger("django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger in loggers:
        logger.removeHandler(handler)


def request_lines(lines) -> list[dict]:
    return [line for line in lines if line["logger"] == "cspplan.requests"]


def test_a_signed_in_request_is_one_line_with_its_fields_and_no_query_string(world, log_lines):
    world.officer.email = EMAIL
    world.officer.save()
    client = Client()
    client.force_login(world.officer)

    response = client.get(reverse("actions:plan-list"), {"q": EMAIL, "who": "Pat Officer"})

    [line] = request_lines(log_lines())
    assert set(line) == FIELDS
    assert line["method"] == "GET"
    assert line["path"] == "/plans/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["user_id"] == world.officer.pk
    assert line["level"] == "INFO"
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    assert response["X-Request-ID"] == line["request_id"]
    text = json.dumps(line)
    for personal in (EMAIL, "Pat", world.officer.username, world.officer.person.name):
        assert personal not in text
    assert "?" not in text


def test_a_signed_out_request_has_no_user_id(log_lines):
    django.test.Client().get(reverse("login"))

    [line] = request_lines(log_lines())
    assert line["user_id"] is None
    assert line["path"] == "/accounts/login/"


def test_what_is_typed_into_the_sign_in_form_is_not_logged(log_lines):
    django.test.Client().post(reverse("login"), {"username": EMAIL, "password": "secret-words"})

    [line] = request_lines(log_lines())
    assert line["method"] == "POST" and line["status"] == 200
    text = json.dumps(log_lines())
    assert EMAIL not in text and "secret-words" not in text


def test_a_password_reset_links_token_is_not_logged(log_lines):
    django.test.Client().get("/accounts/reset/MQ/cu9zy1-0123456789abcdef0123456789abcdef/")

    [line] = request_lines(log_lines())
    assert line["path"] == "/accounts/reset/MQ/<token>/"


def test_a_well_formed_request_id_from_the_proxy_is_kept_and_returned(log_lines):
    sent = "3f1c2a9e-55b1-4c57-9d43-8f0d7a2a6b10"

    response = django.test.Client().get("/healthz/", headers={"X-Request-ID": sent})

    assert response["X-Request-ID"] == sent
    assert request_lines(log_lines())[0]["request_id"] == sent


@pytest.mark.parametrize(
    "sent",
    ['x", "user_id": 1, "y": "', "short", "a" * 129, "id with spaces", "ünïcode-id-1234"],
)
def test_a_request_id_that_is_not_well_formed_is_replaced(sent, log_lines):
    response = django.test.Client().get("/healthz/", headers={"X-Request-ID": sent})

    [line] = request_lines(log_lines())
    assert line["request_id"] != sent
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    assert response["X-Request-ID"] == line["request_id"]
    assert line["user_id"] is None


def test_a_server_error_is_logged_with_its_requests_id(log_lines):
    client = django.test.Client(raise_request_exception=False)
    with mock.patch.object(connection, "cursor", side_effect=RuntimeError("a bug")):
        response = client.get("/healthz/")

    assert response.status_code == 500
    lines = log_lines()
    [request] = request_lines(lines)
    assert request["status"] == 500
    [error] = [line for line in lines if line["logger"] == "django.request"]
    assert error["message"] == "Internal Server Error: /healthz/"
    assert "RuntimeError: a bug" in error["exception"]
    assert error["request_id"] == request["request_id"] == response["X-Request-ID"]


def test_the_settings_send_request_lines_to_the_log_as_json():
    from django.conf import settings

    assert settings.MIDDLEWARE[0] == "cspplan.request_log.RequestLogMiddleware"
    logger = settings.LOGGING["loggers"]["cspplan.requests"]
    assert logger["level"] == "INFO" and logger["handlers"] == ["console"]
    handler = settings.LOGGING["handlers"]["console"]
    assert settings.LOGGING["formatters"][handler["formatter"]]["()"] == (
        "cspplan.logs.JsonFormatter"
    )
