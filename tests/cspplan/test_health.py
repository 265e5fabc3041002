"""The health URL (issue 15, cspplan/health.py): one cheap query, 200 "ok" or 503, with no
session, no sign-in and nothing about anyone, whoever asks and however."""

import datetime
import json
from unittest import mock

import django.test
import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from boards.models import Role
from tests.factories import user_in_role

pytestmark = pytest.mark.django_db

URL = "/healthz/"


def test_the_health_url_is_where_load_balancers_are_told_it_is():
    assert reverse("healthz") == URL


def test_it_answers_ok_from_one_query_without_a_session(django_assert_num_queries):
    client = django.test.Client()  # a load balancer: no cookies

    with django_assert_num_queries(1):
        response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok"}
    assert not response.cookies  # no session, no CSRF cookie
    assert "Cookie" not in response.get("Vary", "")
    # Never kept by a proxy: each probe must reach the app server.
    assert "no-store" in response["Cache-Control"]


def test_head_works_and_nothing_is_posted():
    client = django.test.Client()
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405


def test_without_the_database_it_answers_503_and_says_no_more(caplog):
    client = django.test.Client()
    down = OperationalError("connection to server at 10.0.0.5 failed")

    with mock.patch.object(connection, "cursor", side_effect=down):
        response = client.get(URL)

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable"}
    # The reason is in the server log, for the operator.
    assert "the database did not answer: connection to server" in caplog.text


def test_a_user_who_has_not_entered_their_second_factor_is_not_sent_to_enter_it():
    client = django.test.Client()  # signs in without the second factor (tests/clients.py)
    client.force_login(user_in_role(Role.ANALYST))
    assert client.get(reverse("actions:my-actions")).status_code == 302  # asked for a code

    assert client.get(URL).status_code == 200


def test_an_address_locked_out_of_signing_in_still_gets_an_answer(settings):
    # A load balancer behind the same NAT as an office whose sign-ins are locked out.
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        ip_address="127.0.0.1",
        username="someone",
        user_agent="probe",
        failures_since_start=settings.SIGNIN_LOCKOUT_LIMITS[-1] + 1,
        attempt_time=datetime.datetime.now(datetime.UTC),
    )
    client = django.test.Client()
    locked = client.post(reverse("login"), {"username": "someone", "password": "x"})
    assert locked.status_code == 429

    assert client.get(URL).status_code == 200


def test_it_answers_over_plain_http_when_everything_else_is_redirected(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = django.test.Client()  # made after the setting, so its middleware reads it

    assert client.get(reverse("login")).status_code == 301
    assert client.get(URL).status_code == 200
