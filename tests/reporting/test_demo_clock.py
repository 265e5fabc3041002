"""The seed plans as of the 8 December 2021 B&D CSP Board (seed 004), with the demo's clock
set (CSPPLAN_TODAY, cspplan/clock.py), and on the real date without it.

What the seeds imply on 8 December 2021: the B&D VRU plan runs from 11 December 2021 to
10 December 2022 (fixtures/barking-dagenham/bd-vru-2021-22.yaml), so none of its actions is
overdue yet; five of them (8, 9, 10, 12, 13) have a progress update dated November 2021,
within the eight weeks before the meeting, so only they are not stale. In Havering's SGV
plan the one action past its end is 8, "Complete December 2019"; 4 (to May 2022) and 5 (to
March 2022) were not yet due. On the real date (after 2022) every dated action is overdue
and every action stale.
"""

import datetime

import pytest
from django.urls import reverse

from actions.models import Action, Plan
from actions.selectors import with_progress
from tests.conftest import DEMO_DAY
from tests.factories import UserFactory
from tests.helpers import update_form

pytestmark = pytest.mark.usefixtures("seeded")

VRU, SGV = "bd-vru-2021-22", "havering-sgv-2019-22"


@pytest.fixture
def administrator(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def dashboard_of(client, slug):
    response = client.get(reverse("reporting:plan-dashboard", args=[slug]))
    assert response.status_code == 200
    return response.context["dash"]


def refs(action_list) -> list[str]:
    return sorted(a.ref for a in action_list.actions)


def test_the_demo_reads_as_it_did_on_the_day_of_the_board(client, administrator, settings):
    settings.CSPPLAN_TODAY = DEMO_DAY

    vru = dashboard_of(client, VRU)
    total = Action.objects.filter(theme__plan__slug=VRU).count()
    assert (vru.today, vru.total.total, vru.overdue) == (DEMO_DAY, total, 0)
    assert vru.stale == total - 5
    recent = with_progress(Action.objects.filter(theme__plan__slug=VRU)).filter(is_stale=False)
    assert sorted(recent.values_list("ref", flat=True)) == ["10", "12", "13", "8", "9"]

    sgv = dashboard_of(client, SGV)
    assert sgv.overdue == 1
    assert refs(sgv.lists["overdue"]) == ["8"]


def test_without_the_clock_the_demo_reads_as_of_the_real_date(client, administrator, settings):
    settings.CSPPLAN_TODAY = None
    assert datetime.date.today() > datetime.date(2022, 12, 10)  # after the seed plans end

    vru = dashboard_of(client, VRU)
    actions = Action.objects.filter(theme__plan__slug=VRU)
    assert vru.overdue == actions.filter(end_date__isnull=False).count() > 0
    assert vru.stale == actions.count()

    sgv = dashboard_of(client, SGV)
    assert refs(sgv.lists["overdue"]) == ["4", "5", "8"]


@pytest.mark.parametrize("today", [None, DEMO_DAY], ids=["real-date", "clock-2021-12-08"])
def test_the_board_dashboard_agrees_with_its_plans(client, administrator, settings, today):
    # The B&D CSP Board owns the VRU plan: its dashboard counts the same overdue and stale.
    settings.CSPPLAN_TODAY = today
    plan = Plan.objects.get(slug=VRU)
    board = client.get(reverse("reporting:board-dashboard", args=[plan.board_id])).context["dash"]
    vru = dashboard_of(client, VRU)
    assert (board.overdue, board.stale) >= (vru.overdue, vru.stale)
    assert board.today == (today or datetime.date.today())


def test_the_update_form_dates_by_the_clock(client, administrator, settings):
    settings.CSPPLAN_TODAY = DEMO_DAY
    action = Action.objects.filter(theme__plan__slug=VRU).order_by("pk").first()
    url = reverse("actions:action-update", args=[action.pk])
    form = client.get(url).context["form"]
    assert form["update_date"].value() == DEMO_DAY

    written = update_form(
        action,
        update_text="Written the day after the board",
        update_date_0="9",
        update_date_1="12",
        update_date_2="2021",
    )
    response = client.post(url, written)
    assert response.status_code == 200
    assert "The date of the update must be today or earlier" in response.text
    assert not action.updates.filter(text="Written the day after the board").exists()


def test_the_pack_and_since_count_from_the_clock(client, administrator, settings):
    settings.CSPPLAN_TODAY = DEMO_DAY
    since = client.get(reverse("reporting:plan-since", args=[VRU]))
    # No date given: the CSP Board's last meeting held before 8 December 2021, the 29
    # September 2021 board (seed 004), as its chair would have counted that day.
    assert since.context["since"] == datetime.date(2021, 9, 29)
    pack = client.get(reverse("reporting:plan-pack", args=[VRU]), {"since": "2021-09-29"})
    assert ("Prepared on", "8 December 2021") in pack.context["pack"].facts
    future = client.get(reverse("reporting:plan-pack", args=[VRU]), {"since": "2021-12-09"})
    assert future.context["since"] is None
