"""The roll-over pages: the form and its preview, confirming, the roll-over's page with
Activate and Undo; who may use them (analysts and administrators of the plan's partnership
who may see all of it; 404 for anyone else); the links from the plan and action pages; and
the preview's queries, the same for a plan of 10 actions as for one of 300.

The shared world's other plan (tests/conftest.py) has no marked action, so its partnership's
analyst may roll it over; the violence plan has one the analyst may not see.
"""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from actions.models import Action, Plan, ProgressUpdate
from actions.rag import RAG
from actions.services import progress_update_create
from boards.models import Role
from rollover.models import Rollover
from tests.factories import (
    ActionFactory,
    BoardFactory,
    PartnershipFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    user_in_role,
)
from tests.helpers import date_fields, days_ago, get
from tests.rollover.helpers import NEXT_END, NEXT_START, roll_over, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    world.other_plan.period_start = datetime.date(2021, 4, 1)
    world.other_plan.period_end = datetime.date(2022, 3, 31)
    world.other_plan.title = "Test other plan 2021/22"
    world.other_plan.status = Plan.Status.ACTIVE
    world.other_plan.save()
    world.far_analyst = user_in_role(Role.ANALYST, partnerships=[world.elsewhere])
    return world


def start_url(plan):
    return reverse("rollover:start", args=[plan.slug])


def form_data(**changes) -> dict:
    data = {
        "title": "Test other plan 2022/23",
        "slug": "other-plan-2022-23",
        **date_fields("start", NEXT_START),
        **date_fields("end", NEXT_END),
    }
    return data | changes


def text_of(response) -> str:
    """The page's words, without its markup, spaces run together."""
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def test_the_form_suggests_the_next_cycle(client, world):
    response = get(client, world.analyst, start_url(world.other_plan))

    form = response.context["form"]
    assert form.initial == {
        "title": "Test other plan 2022/23",
        "slug": "other-plan-2022",
        "start": datetime.date(2022, 4, 1),
        "end": datetime.date(2023, 3, 31),
    }


def test_preview_then_confirm_makes_the_draft(client, world):
    client.force_login(world.analyst)
    before = snapshot()

    preview = client.post(start_url(world.other_plan), form_data())

    assert preview.status_code == 200
    assert preview.templates[0].name == "rollover/preview.html"
    assert snapshot() == before  # nothing made by the preview
    page = text_of(preview)
    assert "Exploitation screening" in page and "Licensing checks" in page
    assert preview.context["preview"].carried_count == 3

    confirmed = client.post(start_url(world.other_plan), form_data(confirm="1"))

    rollover = Rollover.objects.get()
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse(
        "rollover:detail", args=[world.other_plan.slug, rollover.pk]
    )
    assert rollover.new_plan.slug == "other-plan-2022-23"
    assert rollover.new_plan.status == Plan.Status.DRAFT
    assert rollover.created_by == world.analyst
    # The plan's roll-over address now leads to it, from the old plan and the new.
    for plan in (world.other_plan, rollover.new_plan):
        response = client.get(start_url(plan))
        assert response.status_code == 302 and response["Location"] == confirmed["Location"]


def test_the_forms_errors_are_the_services(client, world):
    client.force_login(world.analyst)

    response = client.post(start_url(world.other_plan), form_data(slug="violence-plan"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "slug": ["A plan with the slug violence-plan already exists."]
    }
    assert "There is a problem" in text_of(response)
    assert not Rollover.objects.exists()


def test_change_the_details_goes_back_to_the_form_with_them(client, world):
    client.force_login(world.analyst)

    response = client.post(start_url(world.other_plan), form_data(change="1", title="Changed"))

    assert response.templates[0].name == "rollover/form.html"
    assert 'value="Changed"' in response.content.decode()


def test_a_plan_that_is_not_active_is_not_rolled_over(client, world):
    world.other_plan.status = Plan.Status.DRAFT
    world.other_plan.save()
    client.force_login(world.analyst)

    assert "cannot be rolled over" in text_of(client.get(start_url(world.other_plan)))
    response = client.post(start_url(world.other_plan), form_data(confirm="1"))
    assert "cannot be rolled over" in text_of(response)
    assert not Rollover.objects.exists()


def test_activate_from_the_rollovers_page(client, world):
    rollover = roll_over(world.other_plan, world.analyst, slug="next")
    later = progress_update_create(
        action=world.m1, user=world.officer, date=days_ago(0), text="Screening started"
    )
    progress_update_create(action=world.u1, user=world.officer, date=days_ago(0), text="Skip me")
    url = reverse("rollover:detail", args=[world.other_plan.slug, rollover.pk])

    page = text_of(get(client, world.analyst, url))
    assert "Screening started" in page and "Skip me" in page

    response = client.post(
        reverse("rollover:activate", args=[world.other_plan.slug, rollover.pk]),
        {"bring": [later.pk]},
    )

    assert response.status_code == 302
    rollover.refresh_from_db()
    assert rollover.state == Rollover.State.ACTIVATED
    assert list(
        ProgressUpdate.objects.filter(action__theme__plan=rollover.new_plan).values_list(
            "text", flat=True
        )
    ) == ["Screening started"]
    world.other_plan.refresh_from_db()
    assert world.other_plan.status == Plan.Status.CLOSED
    page = text_of(client.get(url))
    assert "Activated" in page and "1 progress update brought across" in page
    assert "Undo the roll-over" not in page


def test_undo_from_its_page(client, world):
    before = snapshot()
    rollover = roll_over(world.other_plan, world.analyst, slug="next")
    url = reverse("rollover:undo", args=[world.other_plan.slug, rollover.pk])

    page = text_of(get(client, world.analyst, url))
    assert "3 actions" in page and "2 themes" in page

    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("actions:plan-detail", args=[world.other_plan.slug])
    assert snapshot() == before
    rollover.refresh_from_db()
    assert rollover.state == Rollover.State.UNDONE
    # Undone, the plan may be rolled over again.
    assert get(client, world.analyst, start_url(world.other_plan)).templates[0].name == (
        "rollover/form.html"
    )


# ---- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["officer", "council_officer", "chair", "other_chair", "far_analyst", "no_person"]
)
def test_others_find_nothing(client, world, role):
    rollover = roll_over(world.other_plan, world.analyst, slug="next")
    user = getattr(world, role)
    client.force_login(user)
    before = snapshot()
    args = [world.other_plan.slug, rollover.pk]

    assert client.get(start_url(world.other_plan)).status_code == 404
    assert client.post(start_url(world.other_plan), form_data(confirm="1")).status_code == 404
    assert client.get(reverse("rollover:detail", args=args)).status_code == 404
    assert client.post(reverse("rollover:activate", args=args)).status_code == 404
    assert client.get(reverse("rollover:undo", args=args)).status_code == 404
    assert client.post(reverse("rollover:undo", args=args)).status_code == 404

    assert snapshot() == before
    rollover.refresh_from_db()
    assert rollover.state == Rollover.State.DRAFT


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    response = client.get(start_url(world.other_plan))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_plan_holding_what_the_analyst_may_not_see_is_not_theirs_to_roll_over(client, world):
    # bx2 is marked, and the analyst sits on no board: a roll-over would carry it unseen.
    get(client, world.analyst, start_url(world.plan), status=404)
    get(client, world.administrator, start_url(world.plan), status=200)


def test_a_rollover_is_found_only_under_its_own_plan(client, world):
    rollover = roll_over(world.other_plan, world.analyst, slug="next")
    get(
        client,
        world.administrator,
        reverse("rollover:detail", args=[world.plan.slug, rollover.pk]),
        status=404,
    )


# ---- the links ----------------------------------------------------------------------------


def test_the_plan_page_links_the_rollover_for_those_allowed(client, world):
    plan_url = reverse("actions:plan-detail", args=[world.other_plan.slug])
    link = f'href="{start_url(world.other_plan)}"'

    assert link in get(client, world.analyst, plan_url).content.decode()
    assert link not in get(client, world.officer, plan_url).content.decode()

    rollover = roll_over(world.other_plan, world.analyst, slug="next")
    draft_page = get(client, world.analyst, reverse("actions:plan-detail", args=["next"]))
    assert f'href="{start_url(rollover.new_plan)}"' in draft_page.content.decode()
    assert "activate it or undo the roll-over" in text_of(draft_page)


def test_the_carried_actions_page_shows_where_it_came_from(client, world):
    ProgressUpdateFactory(action=world.m1, date=days_ago(20), text="Update from last year")
    roll_over(world.other_plan, world.analyst, slug="next")
    new_m1 = world.m1.carried_to.get()

    page = get(client, world.officer, reverse("actions:action-detail", args=[new_m1.pk]))

    html = page.content.decode()
    old_url = reverse("actions:action-detail", args=[world.m1.pk])
    assert f'href="{old_url}"' in html and f'href="{old_url}#history"' in html
    assert "Update from last year" in text_of(page)
    assert "Carried forward from Exploitation, action 1 in Test other plan 2021/22" in text_of(page)
    # And last year's action says where it went.
    old_page = get(client, world.officer, old_url)
    assert (
        f'href="{reverse("actions:action-detail", args=[new_m1.pk])}"' in old_page.content.decode()
    )


# ---- queries ------------------------------------------------------------------------------


def big_plan(size: int):
    here = PartnershipFactory()
    board = BoardFactory(partnership=here)
    analyst = user_in_role(Role.ANALYST, partnerships=[here])
    plan = PlanFactory(
        partnership=here,
        board=board,
        slug=f"big-{size}",
        status=Plan.Status.ACTIVE,
        period_start=datetime.date(2021, 4, 1),
        period_end=datetime.date(2022, 3, 31),
    )
    top = ThemeFactory.create_batch(3, plan=plan, monitoring_board=board)
    themes = [*top, ThemeFactory(plan=plan, parent=top[0])]
    rags = list(RAG.values)
    actions = Action.objects.bulk_create(
        ActionFactory.build(theme=themes[n % 4], rag=rags[n % len(rags)], ref=str(n))
        for n in range(size)
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(action=action, date=days_ago(n % 50), text=f"Update {n}")
        for n, action in enumerate(actions)
    )
    return plan, analyst


# The session, the user, their second factor, their person, partnerships and seats (access),
# the plan, what the analyst may not see in it (one check: their partnership's plan, with
# nothing in it marked, `permissions.hidden_in_plan`), whether it is in a
# roll-over (as old plan, as new), the form's checks (rolled over already, the slug taken),
# then the preview: themes, actions with their latest update, lead people and
# organisations.
PREVIEW_QUERIES = 16


@pytest.mark.parametrize("size", [10, 300])
def test_the_preview_page_reads_a_fixed_number_of_queries(client, size, django_assert_num_queries):
    plan, analyst = big_plan(size)
    client.force_login(analyst)
    data = form_data(slug=f"big-{size}-next")

    with django_assert_num_queries(PREVIEW_QUERIES):
        response = client.post(start_url(plan), data)

    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.carried_count + preview.closing_count == size
