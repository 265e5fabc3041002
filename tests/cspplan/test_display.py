"""cspplan/display.py: the one way dates, times, numbers and people are shown, in Python and
(through its template filters) in every template."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone
from django.utils.dateformat import format as format_date

from cspplan.display import (
    NOT_RECORDED,
    SHORT_DATE,
    short_date,
    show_date,
    show_number,
    show_when,
    user_name,
)
from tests.factories import PersonFactory, UserFactory

DAYS = [datetime.date(2021, month, day) for month in range(1, 13) for day in (1, 28)]


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_short_date_is_the_short_format_of_every_month(day):
    assert short_date(day) == show_date(day, SHORT_DATE) == format_date(day, "j M Y")


def test_dates_in_words():
    assert show_date(datetime.date(2021, 11, 1)) == "1 November 2021"
    assert short_date(datetime.date(2022, 3, 1)) == "1 Mar 2022"
    assert show_date(None) == short_date(None) == show_when(None) == ""


def test_a_moment_is_shown_in_local_time():
    # 23:30 UTC on 1 July is half past midnight the next day in London (BST).
    moment = datetime.datetime(2021, 7, 1, 23, 30, tzinfo=datetime.UTC)
    assert show_when(moment) == "2 Jul 2021, 00:30"


@pytest.mark.parametrize(
    "value, shown",
    [
        (Decimal("120.5000"), "120.5"),
        (Decimal("120.0000"), "120"),
        (Decimal("1E+3"), "1000"),
        (Decimal("-0.0000"), "0"),
        (Decimal("0.0500"), "0.05"),
        (None, ""),
    ],
)
def test_numbers_without_the_zeros_of_their_decimal_places(value, shown):
    assert show_number(value) == shown


@pytest.mark.django_db
def test_a_user_is_named_by_their_person_then_full_name_then_username():
    with_person = UserFactory(username="jh", first_name="J", last_name="H")
    PersonFactory(user=with_person, name="Jade Hodgson")
    full_name = UserFactory(username="cm", first_name="Cath", last_name="Mullane")
    username_only = UserFactory(username="admin", first_name="", last_name="")

    assert user_name(with_person) == "Jade Hodgson"
    assert user_name(full_name) == "Cath Mullane"
    assert user_name(username_only) == "admin"
    assert user_name(None) == NOT_RECORDED


def test_templates_show_dates_with_the_same_helpers():
    day = datetime.date(2021, 12, 8)
    moment = timezone.make_aware(datetime.datetime(2021, 12, 8, 18, 5))
    rendered = Template("{{ d|show_date }}|{{ d|short_date }}|{{ m|show_when }}").render(
        Context({"d": day, "m": moment})
    )
    assert rendered == f"{show_date(day)}|{short_date(day)}|{show_when(moment)}"
    assert rendered == "8 December 2021|8 Dec 2021|8 Dec 2021, 18:05"
