"""`make run`'s demo users can still be tried: the administrator and the analyst get an
authenticator app whose key (and recovery codes) `demo_second_factor` prints."""

import io
import re
import time
from base64 import b32decode

import django.test
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import TOTP

pytestmark = pytest.mark.django_db


def printed_keys(out: str) -> dict[str, str]:
    return {
        name: key.replace(" ", "")
        for name, key in re.findall(r"^  (\w+)\n    key: +([A-Z2-7 ]+)$", out, re.M)
    }


def test_the_printed_key_signs_the_demo_analyst_and_administrator_in(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    call_command("demo_users", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_second_factor", stdout=out)
    again = io.StringIO()
    call_command("demo_second_factor", stdout=again)

    keys = printed_keys(out.getvalue())
    assert sorted(keys) == ["admin", "analyst"]  # the officer and the chair need none
    assert printed_keys(again.getvalue()) == keys  # an app set up with it goes on working
    assert len(re.findall(r"recovery codes: ((?:[a-z2-7]{8} ?){10})$", out.getvalue(), re.M)) == 2
    for name, key in keys.items():
        client = django.test.Client()
        client.post(reverse("login"), {"username": name, "password": f"cspplan-demo-{name}"})
        assert client.get(reverse("actions:plan-list"))["Location"].startswith(
            reverse("accounts:second-factor")
        )
        totp = TOTP(b32decode(key))
        totp.time = time.time()
        client.post(reverse("accounts:second-factor"), {"code": f"{totp.token():06d}"})
        assert client.get(reverse("actions:plan-list")).status_code == 200, name


def test_the_demo_second_factor_is_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("demo_second_factor", stdout=io.StringIO())
