"""Indicator values and targets entered on the indicators page (actions/views/indicators.py)
by analysts and administrators; a form anyone else asks for is not found; every change is
in the indicator's history on the page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import IndicatorValue
from tests.factories import IndicatorFactory, IndicatorValueFactory, PlanFactory
from tests.helpers import date_fields, get

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(world):
    indicator = IndicatorFactory(
        plan=world.plan,
        description="Reduce knife crime with injury",
        direction="reduce",
        target=100,
        target_label="2021/22 target",
    )
    IndicatorValueFactory(
        indicator=indicator, date=datetime.date(2021, 3, 31), period="2020/21", value=118
    )
    return indicator


def add_url(indicator) -> str:
    return reverse("actions:indicator-value-add", args=[indicator.plan.slug, indicator.pk])


def target_url(indicator) -> str:
    return reverse("actions:indicator-target", args=[indicator.plan.slug, indicator.pk])


def change_url(value) -> str:
    indicator = value.indicator
    return reverse(
        "actions:indicator-value-change", args=[indicator.plan.slug, indicator.pk, value.pk]
    )


def page_url(indicator) -> str:
    return reverse("reporting:plan-indicators", args=[indicator.plan.slug])


def value_form(day: datetime.date, value="", **fields) -> dict:
    return {**date_fields("date", day), "value": value, "period": "", "note": "", **fields}


# Who may use the forms ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["analyst", "administrator", "superuser"])
def test_analysts_and_administrators_add_a_value_recorded_in_their_name(
    client, world, indicator, who
):
    user = getattr(world, who)
    page = get(client, user, page_url(indicator)).text
    assert f'href="{add_url(indicator)}"' in page
    assert f'href="{target_url(indicator)}"' in page
    form = get(client, user, add_url(indicator)).text
    assert "Add a value" in form and 'name="date_0"' in form and "govuk-date-input" in form

    data = value_form(datetime.date(2022, 3, 31), "104.5", period="2021/22", note="Police data")
    response = client.post(add_url(indicator), data)

    assert response.status_code == 302
    assert response.url == f"{page_url(indicator)}#indicator-{indicator.pk}"
    added = indicator.values.get(date=datetime.date(2022, 3, 31))
    assert (added.value, added.period, added.note) == (Decimal("104.5"), "2021/22", "Police data")
    record = added.history.get()
    assert (record.history_type, record.history_user) == ("+", user)
    page = client.get(response.url).text
    assert "The value for 2021/22 was added." in page
    assert "104.5" in page


@pytest.mark.parametrize("who", ["officer", "chair", "far_officer", "no_person"])
def test_anyone_else_finds_no_form_and_changes_nothing(client, world, indicator, who):
    user = getattr(world, who)
    value = indicator.values.get()
    for url in (add_url(indicator), target_url(indicator), change_url(value)):
        get(client, user, url, status=404)
        assert client.post(url, value_form(datetime.date(2022, 3, 31), "1")).status_code == 404
    assert indicator.values.count() == 1
    value.refresh_from_db()
    assert value.value == 118
    indicator.refresh_from_db()
    assert indicator.target == 100


def test_the_page_offers_no_form_links_to_those_who_may_not_use_them(client, world, indicator):
    page = get(client, world.chair, page_url(indicator)).text
    assert add_url(indicator) not in page
    assert target_url(indicator) not in page
    # The history is there for everyone who sees the page.
    assert "Changes to this indicator" in page


def test_signed_out_people_are_sent_to_sign_in(client, indicator):
    response = client.get(add_url(indicator))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_indicator_of_another_plan_or_a_value_of_another_indicator_is_not_found(
    client, world, indicator
):
    other = IndicatorFactory(plan=PlanFactory(partnership=world.here))
    value = IndicatorValueFactory(indicator=other)
    client.force_login(world.analyst)
    wrong_plan = reverse("actions:indicator-value-add", args=[world.plan.slug, other.pk])
    assert client.get(wrong_plan).status_code == 404
    wrong_value = reverse(
        "actions:indicator-value-change", args=[world.plan.slug, indicator.pk, value.pk]
    )
    assert client.get(wrong_value).status_code == 404


# Values ------------------------------------------------------------------------------------


def test_a_value_is_corrected_and_the_history_shows_before_and_after(client, world, indicator):
    value = indicator.values.get()
    client.force_login(world.analyst)
    form = client.get(change_url(value)).text
    assert 'value="118"' in form or 'value="118.0000"' in form
    data = value_form(value.date, "112", period="2020/21", note="Corrected figure")
    response = client.post(change_url(value), data)
    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.value, value.note) == (Decimal("112"), "Corrected figure")
    page = client.get(page_url(indicator)).text
    assert "The value for 2020/21 was saved." in page
    assert "Value for 2020/21: Value" in page
    assert ">118<" in page and ">112<" in page
    assert world.analyst.person.name in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (value_form(datetime.date(2022, 3, 31), ""), "Enter the value"),
        (value_form(datetime.date(2022, 3, 31), "about 10"), "Value must be a number"),
        (value_form(datetime.date(2022, 3, 31), "1.23456"), "no more than 4 digits after"),
        (value_form(datetime.date(2021, 3, 31), "5"), "There is already a value for the period"),
        ({"value": "5"}, "Enter the end of the period"),
        (
            value_form(datetime.date(2022, 3, 31), "5") | {"date_1": ""},
            "End of the period must include a month",
        ),
        (
            value_form(datetime.date(2022, 3, 31), "5") | {"date_0": "31", "date_1": "2"},
            "End of the period must be a real date",
        ),
    ],
)
def test_a_wrong_value_says_what_to_fix_and_writes_nothing(client, world, indicator, data, message):
    client.force_login(world.analyst)
    response = client.post(add_url(indicator), data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert "<title>Error: " in response.text
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 1
    assert not IndicatorValue.history.filter(history_type="~").exists()


# The target -------------------------------------------------------------------------------


def test_the_target_is_changed_and_the_history_says_so(client, world, indicator):
    client.force_login(world.administrator)
    form = client.get(target_url(indicator)).text
    assert 'value="2021/22 target"' in form
    assert "is to reduce" in form
    data = {"target_label": "2022/23 target", "target": "95", "target_text": "-5%"}
    response = client.post(target_url(indicator), data)
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.target_label, indicator.target, indicator.target_text) == (
        "2022/23 target",
        Decimal("95"),
        "-5%",
    )
    record = indicator.history.latest("history_date")
    assert record.history_user == world.administrator
    page = client.get(page_url(indicator)).text
    assert "The target was saved." in page
    assert "Indicator: Target" in page
    assert ">100<" in page and ">95<" in page


def test_a_target_that_is_not_a_number_is_refused(client, world, indicator):
    client.force_login(world.analyst)
    response = client.post(target_url(indicator), {"target": "ten", "target_label": "x"})
    assert response.status_code == 200
    assert "Target must be a number" in response.text
    indicator.refresh_from_db()
    assert (indicator.target, indicator.target_label) == (100, "2021/22 target")
