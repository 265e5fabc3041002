"""The demo's clock (cspplan/clock.py): read from CSPPLAN_TODAY, refused unless DEBUG or
when not a date, and said on every page while it is set."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from cspplan import clock
from tests.conftest import DEMO_DAY
from tests.factories import UserFactory
from tests.test_settings import run_settings

BANNER = "This application is treating today as 8 December 2021 (demo)"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_no_value_is_the_real_date(value):
    assert clock.read_setting(value, debug=True) is None
    assert clock.read_setting(value, debug=False) is None


def test_an_iso_date_is_read_with_debug_on():
    assert clock.read_setting(" 2021-12-08 ", debug=True) == datetime.date(2021, 12, 8)


def test_it_is_refused_without_debug():
    with pytest.raises(ImproperlyConfigured, match="refused unless DEBUG is on"):
        clock.read_setting("2021-12-08", debug=False)


@pytest.mark.parametrize("value", ["8 December 2021", "2021-13-01", "2021-02-30", "08/12/2021"])
def test_a_malformed_date_is_refused_clearly(value):
    with pytest.raises(ImproperlyConfigured, match="must be a date written as YYYY-MM-DD"):
        clock.read_setting(value, debug=True)


def test_settings_refuse_the_clock_in_production():
    result = run_settings(SECRET_KEY="x" * 50, CSPPLAN_TODAY="2021-12-08")
    assert result.returncode != 0
    assert "CSPPLAN_TODAY is for demonstrations only" in result.stderr


def test_settings_refuse_a_malformed_clock():
    result = run_settings(DEBUG="1", CSPPLAN_TODAY="2021-12-32")
    assert result.returncode != 0
    assert "CSPPLAN_TODAY must be a date written as YYYY-MM-DD" in result.stderr


def test_settings_read_the_clock_with_debug_on():
    code = "import django; from django.conf import settings; print(repr(settings.CSPPLAN_TODAY))"
    result = run_settings(code, DEBUG="1", CSPPLAN_TODAY="2021-12-08")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "datetime.date(2021, 12, 8)"
    unset = run_settings(code, DEBUG="1")
    assert unset.stdout.strip() == "None"


def test_today_is_the_set_date_or_the_local_date(settings):
    settings.CSPPLAN_TODAY = None
    assert clock.today() == timezone.localdate()
    settings.CSPPLAN_TODAY = DEMO_DAY
    assert clock.today() == DEMO_DAY


@pytest.mark.django_db
@pytest.mark.parametrize("url", [reverse("accessibility"), reverse("login")])
def test_every_page_says_when_the_clock_is_set_and_only_then(client, settings, url):
    settings.CSPPLAN_TODAY = None
    assert BANNER not in client.get(url).text
    settings.CSPPLAN_TODAY = DEMO_DAY
    text = client.get(url).text
    assert BANNER in text
    # In the header landmark, before the page's own content.
    assert text.index("</header>") > text.index(BANNER) > text.index("<header")


@pytest.mark.django_db
def test_the_admin_says_so_too(client, settings):
    administrator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(administrator)
    settings.CSPPLAN_TODAY = None
    assert "treating today as" not in client.get(reverse("admin:index")).text
    settings.CSPPLAN_TODAY = DEMO_DAY
    assert "treating today as 8 December 2021" in client.get(reverse("admin:index")).text
