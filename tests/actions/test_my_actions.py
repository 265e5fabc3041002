"""Home / My actions: the actions that name the user as a lead and those their organisation
leads, in two lists counted apart, each action once with every reason it needs them first
(overdue, no update in STALE_AFTER_WEEKS weeks, red)."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from actions import selectors
from actions.models import Plan
from actions.rag import RAG
from actions.views.plans import PAGE_SIZE
from boards.models import Role
from tests.factories import (
    ActionFactory,
    OrganisationFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    UserFactory,
    user_in_role,
)
from tests.helpers import OVERDUE_TAG, days_ago

pytestmark = pytest.mark.django_db

URL = reverse("actions:my-actions")


@pytest.fixture
def theme(world):
    """A theme of its own in the shared world's plan (tests/conftest.py), which is active."""
    return ThemeFactory(plan=world.plan)


@pytest.fixture
def officer(world):
    """An officer of the world's partnership, of an organisation of their own: they lead no
    action until a test makes them."""
    return user_in_role(Role.OFFICER, partnerships=[world.here])


def led(user, theme, **fields):
    """An action in `theme` with the user as its named lead."""
    action = ActionFactory(theme=theme, **fields)
    action.lead_people.add(user.person)
    return action


def recent(action):
    ProgressUpdateFactory(action=action, date=timezone.localdate())
    return action


def the_list(response, which):
    return next(lst for lst in response.context["lists"] if lst["key"] == which)


def listed(response, which="named") -> list[int]:
    """The pks of one list's rows on the page, in order."""
    return [action.pk for action in the_list(response, which)["rows"]]


def context_pks(response) -> list[int]:
    """Both lists' rows."""
    return [action.pk for lst in response.context["lists"] for action in lst["rows"]]


def counts(response, which="named") -> dict:
    return the_list(response, which)["count"]


# Who may see the page ------------------------------------------------------------------


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={URL}"


def test_a_user_with_no_person_is_told_to_ask_their_administrator(client):
    client.force_login(UserFactory())
    response = client.get(URL)
    assert response.status_code == 200
    assert "Your account is not linked to a person yet" in response.text
    assert "ask your partnership's administrator" in response.text


def test_a_superuser_with_no_person_is_sent_to_the_plans(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(URL)
    assert response.status_code == 200
    assert "Your account is not linked to a person, so no actions are yours" in response.text
    assert f'href="{reverse("actions:plan-list")}">Plans</a>' in response.text
    assert "ask your partnership" not in response.text


def test_the_page_cannot_be_posted_to(client, officer, theme):
    action = led(officer, theme)
    client.force_login(officer)
    assert client.post(URL, {"rag": RAG.RED}).status_code == 405
    action.refresh_from_db()
    assert action.rag == RAG.NOT_RATED


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CHAIR, Role.ANALYST, Role.ADMINISTRATOR])
def test_every_role_sees_the_actions_they_lead_and_no_others(client, world, theme, role):
    organisation = OrganisationFactory()
    user = user_in_role(role, partnerships=[world.here], organisation=organisation)
    by_name = led(user, theme, text="Mine by name")
    by_organisation = ActionFactory(theme=theme, text="Mine through my organisation")
    by_organisation.lead_organisations.add(organisation)
    ActionFactory(theme=theme, text="Someone else's")
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    assert listed(response, "named") == [by_name.pk]
    assert listed(response, "organisation") == [by_organisation.pk]
    assert "Someone else" not in response.text
    # Each links to its page and, being theirs, to its update form.
    for action in (by_name, by_organisation):
        assert reverse("actions:action-detail", args=[action.pk]) in response.text
        assert reverse("actions:action-update", args=[action.pk]) in response.text


def test_an_action_led_by_name_and_organisation_is_listed_once(client, officer, theme):
    action = led(officer, theme)
    action.lead_organisations.add(officer.person.organisation)
    client.force_login(officer)
    response = client.get(URL)
    assert listed(response, "named") == [action.pk]
    assert listed(response, "organisation") == []
    assert (counts(response, "named")["total"], counts(response, "organisation")["total"]) == (1, 0)


def test_a_restricted_action_of_their_organisation_that_they_may_not_see_is_not_listed(
    client, officer, theme
):
    hidden = ActionFactory(theme=theme, marking="official-sensitive", text="Protectively marked")
    hidden.lead_organisations.add(officer.person.organisation)
    named = led(officer, theme, marking="official-sensitive")
    client.force_login(officer)
    response = client.get(URL)
    assert context_pks(response) == [named.pk]
    assert "Protectively marked" not in response.text


def test_someone_who_leads_nothing_is_told_so(client, officer):
    client.force_login(officer)
    response = client.get(URL)
    assert response.status_code == 200
    assert "You do not lead any actions" in response.text


# What needs them first -----------------------------------------------------------------


def test_overdue_means_the_end_date_has_passed_and_the_action_is_not_complete(officer, theme):
    yesterday, today = days_ago(1), timezone.localdate()
    overdue = recent(led(officer, theme, end_date=yesterday, rag=RAG.GREEN))
    due_today = recent(led(officer, theme, end_date=today, rag=RAG.GREEN))
    done = recent(led(officer, theme, end_date=yesterday, rag=RAG.COMPLETE))
    in_words = recent(led(officer, theme, end_text="Ongoing", rag=RAG.GREEN))
    flags = {a.pk: a.is_overdue for a in selectors.my_actions(officer)}
    assert flags == {overdue.pk: True, due_today.pk: False, done.pk: False, in_words.pk: False}


def test_stale_means_no_update_in_the_last_weeks_and_not_complete(officer, theme, settings):
    settings.STALE_AFTER_WEEKS = 8
    limit = 8 * 7
    never = led(officer, theme, rag=RAG.GREEN)
    just_in_time = led(officer, theme, rag=RAG.GREEN)
    ProgressUpdateFactory(action=just_in_time, date=days_ago(limit))
    too_old = led(officer, theme, rag=RAG.GREEN)
    ProgressUpdateFactory(action=too_old, date=days_ago(limit + 1))
    # An old update does not hide a newer one.
    ProgressUpdateFactory(action=too_old, date=days_ago(limit + 30))
    newer = led(officer, theme, rag=RAG.GREEN)
    ProgressUpdateFactory(action=newer, date=days_ago(limit + 30))
    ProgressUpdateFactory(action=newer, date=days_ago(3))
    complete = led(officer, theme, rag=RAG.COMPLETE)
    actions = {a.pk: a for a in selectors.my_actions(officer)}
    assert {pk: a.is_stale for pk, a in actions.items()} == {
        never.pk: True,
        just_in_time.pk: False,
        too_old.pk: True,
        newer.pk: False,
        complete.pk: False,
    }
    assert actions[newer.pk].last_update == days_ago(3)
    assert actions[never.pk].last_update is None


def test_the_stale_period_is_the_setting(client, officer, theme, settings):
    action = led(officer, theme, rag=RAG.GREEN)
    ProgressUpdateFactory(action=action, date=days_ago(20))
    client.force_login(officer)
    settings.STALE_AFTER_WEEKS = 8
    assert counts(client.get(URL))["stale"] == 0
    settings.STALE_AFTER_WEEKS = 2
    response = client.get(URL)
    assert counts(response)["stale"] == 1
    assert the_list(response, "named")["rows"][0].reasons == ["no update in 2 weeks"]
    assert "No update in 2 weeks</th>" in response.text
    settings.STALE_AFTER_WEEKS = 1
    response = client.get(URL)
    assert the_list(response, "named")["rows"][0].reasons == ["no update in 1 week"]
    assert "No update in 1 week</th>" in response.text


def test_each_list_counts_its_own_and_lists_each_action_once_with_all_its_flags(
    client, officer, theme
):
    organisation = officer.person.organisation

    def theirs(**fields):
        action = ActionFactory(theme=theme, **fields)
        action.lead_organisations.add(organisation)
        return action

    overdue = recent(led(officer, theme, end_date=days_ago(1), rag=RAG.GREEN, text="Overdue one"))
    stale = led(officer, theme, rag=RAG.AMBER, text="Stale one")
    red = recent(led(officer, theme, rag=RAG.RED, text="Red one"))
    everything = led(officer, theme, end_date=days_ago(5), rag=RAG.RED, text="All three")
    fine = recent(led(officer, theme, end_date=days_ago(-30), rag=RAG.GREEN, text="Fine one"))
    org_red = theirs(rag=RAG.RED, text="Their red stale one")
    org_fine = recent(theirs(rag=RAG.GREEN, end_date=days_ago(-3), text="Their fine one"))
    client.force_login(officer)
    response = client.get(URL)

    assert counts(response, "named") == {"total": 5, "overdue": 2, "stale": 2, "red": 2}
    assert counts(response, "organisation") == {"total": 2, "overdue": 0, "stale": 1, "red": 1}
    # Each action once, those needing attention first, then by end date.
    named = listed(response, "named")
    assert len(named) == len(set(named)) == 5
    assert named[0] == everything.pk  # overdue and red come before overdue alone
    assert named[1] == overdue.pk
    assert set(named[2:4]) == {stale.pk, red.pk}
    assert named[-1] == fine.pk
    assert listed(response, "organisation") == [org_red.pk, org_fine.pk]
    reasons = {a.pk: a.reasons for lst in response.context["lists"] for a in lst["rows"]}
    assert reasons[everything.pk] == ["overdue", "no update in 8 weeks", "red"]
    assert reasons[org_red.pk] == ["no update in 8 weeks", "red"]
    assert reasons[fine.pk] == reasons[org_fine.pk] == []
    text = html.unescape(response.text)
    for action in (everything, org_red):
        assert text.count(f'href="{reverse("actions:action-detail", args=[action.pk])}"') == 1
    assert "Needs you first: overdue, no update in 8 weeks, red" in text
    assert text.count(OVERDUE_TAG) == 2  # beside the end dates of the two overdue ones
    assert "Actions you are named on (5)" in text
    assert f"{organisation}'s actions (2)" in text


def test_each_row_shows_the_rag_end_date_as_written_and_last_update(client, officer, theme):
    written = led(officer, theme, rag=RAG.AMBER, end_date=datetime.date(2022, 3, 31))
    written.end_text = "March 2022"
    written.save()
    dated = led(officer, theme, rag=RAG.GREEN, end_date=datetime.date(2031, 7, 4))
    ProgressUpdateFactory(action=dated, date=datetime.date(2030, 1, 15))
    client.force_login(officer)
    response = client.get(URL)
    text = response.text
    assert "March 2022" in text
    assert "4 Jul 2031" in text
    assert "15 Jan 2030" in text
    assert "None yet" in text  # the first has no update
    assert 'app-rag--amber">Amber</strong>' in text
    assert "What the RAG statuses mean" in text


def test_nothing_needs_them_when_all_is_well(client, officer, theme):
    recent(led(officer, theme, rag=RAG.GREEN, end_date=days_ago(-10)))
    client.force_login(officer)
    response = client.get(URL)
    assert not response.context["needs_attention"]
    assert "none of your actions is overdue" in response.text


def test_actions_in_closed_plans_need_nothing_but_are_still_listed(client, officer, world):
    closed = ThemeFactory(plan=PlanFactory(partnership=world.here, status=Plan.Status.CLOSED))
    old = led(officer, closed, rag=RAG.RED, end_date=days_ago(400))
    client.force_login(officer)
    response = client.get(URL)
    assert counts(response) == {"total": 1, "overdue": 0, "stale": 0, "red": 0}
    assert context_pks(response) == [old.pk]
    assert the_list(response, "named")["rows"][0].reasons == []


def test_each_list_is_paged_on_its_own(client, officer, theme):
    many = [recent(led(officer, theme, rag=RAG.GREEN)) for _ in range(PAGE_SIZE + 5)]
    theirs = ActionFactory(theme=theme, text="Their one")
    theirs.lead_organisations.add(officer.person.organisation)
    client.force_login(officer)
    first = client.get(URL)
    assert len(listed(first, "named")) == PAGE_SIZE
    assert listed(first, "organisation") == [theirs.pk]
    second = client.get(URL, {"named_page": 2})
    assert len(listed(second, "named")) == 5
    assert listed(second, "organisation") == [theirs.pk]
    assert set(listed(first)) | set(listed(second)) == {a.pk for a in many}
    # The links keep the list's place on the page.
    assert 'href="?named_page=1#named"' in second.text
    assert 'aria-label="Pagination: Actions you are named on"' in second.text
    assert counts(second)["total"] == PAGE_SIZE + 5


def test_a_chair_who_leads_an_action_outside_their_boards_sees_it(client, world):
    chair = world.chair  # of the CSP board
    action = led(chair, ThemeFactory(plan=world.far_plan))
    client.force_login(chair)
    assert context_pks(client.get(URL)) == [action.pk]


def test_one_plan_is_named_once_and_several_on_each_row(client, officer, theme, world):
    led(officer, theme)
    client.force_login(officer)
    response = client.get(URL)
    plan = theme.plan
    assert response.context["one_plan"] == plan
    assert response.text.count(f">{plan.title}</a>") == 1
    assert "Plan and theme" not in response.text
    led(officer, ThemeFactory(plan=world.other_plan))
    response = client.get(URL)
    assert not response.context["one_plan"]
    assert "Plan and theme" in response.text
    assert ">Test other plan</a>" in response.text


def test_a_chair_is_shown_the_dashboards_of_their_boards(client, world):
    board = world.board
    client.force_login(world.chair)

    page = client.get(reverse("actions:my-actions")).content.decode()

    assert reverse("reporting:board-dashboard", args=[board.pk]) in page
    assert "Test CSP board dashboard</a> (chair)" in page
    officer = user_in_role(Role.OFFICER, partnerships=[world.here], boards=[board])
    client.force_login(officer)
    assert "Your boards" not in client.get(reverse("actions:my-actions")).content.decode()
