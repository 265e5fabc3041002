"""The server log: a refused request is one line, not a traceback; a crash keeps its."""

import logging

import pytest
from django.urls import reverse

from cspplan.logs import NoTracebackForClientErrors

pytestmark = pytest.mark.django_db


def test_a_403_is_logged_as_one_line_without_a_traceback(client, world, caplog):
    # The council's officer may see the police's action but not update it.
    client.force_login(world.council_officer)
    url = reverse("actions:action-update", args=[world.a1.pk])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(url).status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == f"Forbidden (Permission denied): {url}"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback():
    try:
        raise ValueError("broken")
    except ValueError as error:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error",
            (),
            (ValueError, error, error.__traceback__),
        )
    record.status_code = 500
    assert NoTracebackForClientErrors().filter(record)
    assert record.exc_info is not None
