"""My actions, the plans list and the plan page take the same number of queries for a plan of
10 actions as for one of 1,000 (with or without filters), so they stay quick as plans grow.

The counts include the session and user look-ups of a signed-in request. A change that adds
a query per action, per theme or per page row fails here at 1,000 actions.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ProgressUpdate
from actions.rag import RAG
from boards.models import Role
from tests.factories import (
    ActionFactory,
    BoardFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    PlanFactory,
    ThemeFactory,
    user_in_role,
)

pytestmark = pytest.mark.django_db

SIZES = (10, 1000)
RAGS = list(RAG.values)


def make_plan(size: int):
    """A plan of `size` actions in three themes and a sub-theme, every one led by the
    officer's organisation, half by the officer by name and the rest by someone else, with
    supporting organisations, RAG statuses, end dates (some past) and progress updates (some
    old); and a chair on the board that owns it. Saved in bulk."""
    here = PartnershipFactory()
    board = BoardFactory(partnership=here)
    subgroup = BoardFactory(partnership=here, parent=board)
    council, charity = OrganisationFactory(), OrganisationFactory()
    officer = user_in_role(Role.OFFICER, partnerships=[here], organisation=council)
    chair = user_in_role(Role.CHAIR, partnerships=[here], boards=[board])
    colleague = PersonFactory(organisation=council)
    plan = PlanFactory(partnership=here, board=board)
    top = ThemeFactory.create_batch(3, plan=plan, monitoring_board=subgroup)
    themes = [*top, ThemeFactory(plan=plan, parent=top[1])]
    today = timezone.localdate()
    actions = Action.objects.bulk_create(
        ActionFactory.build(
            theme=themes[n % len(themes)],
            rag=RAGS[n % len(RAGS)],
            end_date=today + datetime.timedelta(days=n % 60 - 30),
            progress=f"Progress {n}",
            monitoring_board=subgroup if n % 7 == 0 else None,
        )
        for n in range(size)
    )
    through = Action.lead_people.through
    through.objects.bulk_create(
        through(action=action, person=officer.person if n % 2 else colleague)
        for n, action in enumerate(actions)
    )
    through = Action.lead_organisations.through
    through.objects.bulk_create(through(action=action, organisation=council) for action in actions)
    through = Action.supporting_organisations.through
    through.objects.bulk_create(
        through(action=action, organisation=charity) for action in actions[::2]
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(action=action, date=today - datetime.timedelta(days=n % 120), text="Done")
        for n, action in enumerate(actions)
        if n % 3
    )
    return {"plan": plan, "officer": officer, "chair": chair, "council": council}


def filters(world) -> dict:
    since = timezone.localdate() - datetime.timedelta(days=30)
    return {
        "rag": ["red", "amber"],
        "lead_org": world["council"].pk,
        "q": "progress",
        "overdue": "on",
        "not_updated_since_0": since.day,
        "not_updated_since_1": since.month,
        "not_updated_since_2": since.year,
    }


# Pinned per page and user; the same at every size. A plan page reads its page's ids, and
# the theme before them, in one query, then those actions' details. My actions reads the ids
# of the user's actions first (a short query PostgreSQL plans well: benchmarks/README.md,
# the load test), then counts both its lists in one query and reads a page of each (10: one
# more than before it read the ids first, and as many as when it read three "needs you
# first" groups and one list, plus the person's organisation for its heading).
# A plan page is two more than it was before issue 14: the review panel's feedback on its
# themes (one query; a second, for the people who gave it, only where there is some) and
# last and next year's plans, to compare with.
EXPECTED = {
    "my_actions": 10,
    "plan_list_officer": 7,
    "plan_officer": 18,
    "plan_officer_filtered": 18,
    "plan_officer_page_2": 18,
    "plan_chair": 18,
}


def get(client, django_assert_num_queries, name, user, url, data=None):
    client.force_login(user)
    with django_assert_num_queries(EXPECTED[name]):
        response = client.get(url, data)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("size", SIZES)
def test_my_actions(client, django_assert_num_queries, size):
    world = make_plan(size)
    response = get(
        client,
        django_assert_num_queries,
        "my_actions",
        world["officer"],
        reverse("actions:my-actions"),
    )
    assert response.context["total"] == size
    named, organisation = response.context["lists"]
    assert named["count"]["total"] == organisation["count"]["total"] == size // 2
    assert len(named["rows"]) == len(organisation["rows"]) == min(size // 2, 100)


@pytest.mark.parametrize("size", SIZES)
def test_plan_list(client, django_assert_num_queries, size):
    world = make_plan(size)
    response = get(
        client,
        django_assert_num_queries,
        "plan_list_officer",
        world["officer"],
        reverse("actions:plan-list"),
    )
    assert response.context["rows"][0]["total"] == size


@pytest.mark.parametrize("size", SIZES)
def test_plan_page(client, django_assert_num_queries, size):
    world = make_plan(size)
    url = reverse("actions:plan-detail", args=[world["plan"].slug])
    response = get(client, django_assert_num_queries, "plan_officer", world["officer"], url)
    assert response.context["total"] == size
    response = get(
        client,
        django_assert_num_queries,
        "plan_officer_filtered",
        world["officer"],
        url,
        filters(world),
    )
    assert not response.context["filters"].errors
    assert response.context["total"] > 0
    response = get(client, django_assert_num_queries, "plan_chair", world["chair"], url)
    assert response.context["total"] == size


@pytest.mark.parametrize("size", (150, 1000))
def test_a_later_plan_page(client, django_assert_num_queries, size):
    # A page after the first asks for one more thing: the theme of the action before it.
    world = make_plan(size)
    url = reverse("actions:plan-detail", args=[world["plan"].slug])
    response = get(
        client, django_assert_num_queries, "plan_officer_page_2", world["officer"], url, {"page": 2}
    )
    assert response.context["page"].number == 2
