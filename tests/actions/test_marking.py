"""Protective marking (issue 12, finding 6): plans, themes, actions and progress updates are
OFFICIAL or OFFICIAL-SENSITIVE; a plan's or theme's marking covers everything in it; those
who may not see a marked item get every page as if it did not exist, a theme none of whose
actions they may see included; those who may see it see it with its marking, and a banner
on the page says the highest marking the page holds."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from actions import permissions, selectors
from actions.models import Action, Marking, Plan, ProgressUpdate, Theme
from cspplan import clock
from tests.factories import ActionFactory, PlanFactory, ProgressUpdateFactory, ThemeFactory
from tests.helpers import days_ago, get

SENSITIVE = Marking.OFFICIAL_SENSITIVE
OFFICIAL = Marking.OFFICIAL
BANNER = "OFFICIAL-SENSITIVE: this page contains sensitive information"
TAG = "govuk-tag--orange app-marking-tag"


# Effective marking -------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["action", "theme", "parent", "plan", None])
def test_an_actions_effective_marking_is_the_highest_of_it_its_themes_and_its_plan(db, where):
    plan = PlanFactory()
    parent = ThemeFactory(plan=plan, name="Section")
    theme = ThemeFactory(plan=plan, parent=parent, name="Objective")
    action = ActionFactory(theme=theme)
    beside = ActionFactory(theme=ThemeFactory(plan=PlanFactory(), name="Elsewhere"))
    marked = {"action": action, "theme": theme, "parent": parent, "plan": plan}.get(where)
    if marked is not None:
        marked.marking = SENSITIVE
        marked.save()
    expected = SENSITIVE if where else OFFICIAL

    annotated = selectors.with_marking(Action.objects.all())
    assert annotated.get(pk=action.pk).effective_marking == expected
    assert annotated.get(pk=beside.pk).effective_marking == OFFICIAL
    loaded = Action.objects.select_related("theme__parent", "theme__plan").get(pk=action.pk)
    assert selectors.effective_marking(loaded) == expected
    # The two conditions split the actions between them, whatever the marking.
    sensitive = set(Action.objects.filter(selectors.sensitive_condition()))
    official = set(Action.objects.filter(selectors.official_condition()))
    assert sensitive | official == set(Action.objects.all())
    assert not sensitive & official
    assert (action in sensitive) == bool(where)
    # An update is at least at its action's marking.
    update = ProgressUpdateFactory(action=action)
    assert selectors.effective_marking(update) == expected
    assert selectors.highest_marking(ProgressUpdate.objects.filter(pk=update.pk)) == expected


def test_highest_marking_of_a_queryset_or_of_loaded_items(world):
    plan_actions = Action.objects.filter(theme__plan=world.plan)
    # bx2 is marked in the world.
    assert selectors.highest_marking(plan_actions) == SENSITIVE
    assert selectors.highest_marking(plan_actions.exclude(pk=world.bx2.pk)) == OFFICIAL
    assert selectors.highest_marking(Action.objects.none()) == OFFICIAL
    assert selectors.highest_marking([world.plan, world.a1]) == OFFICIAL
    assert selectors.highest_marking([world.a1, world.bx2]) == SENSITIVE
    world.other_plan.marking = SENSITIVE
    world.other_plan.save()
    assert selectors.highest_marking(Plan.objects.filter(pk=world.other_plan.pk)) == SENSITIVE
    assert selectors.highest_marking(Theme.objects.filter(plan=world.other_plan)) == SENSITIVE
    assert selectors.highest_marking(Theme.objects.filter(plan=world.plan)) == OFFICIAL


def test_a_marking_outside_the_choices_is_refused_by_the_database(world):
    for model in (Plan, Theme, Action, ProgressUpdate):
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.filter(pk=model.objects.first().pk).update(marking="secret")


# Who sees a marked item ---------------------------------------------------------------------


def test_an_action_in_a_marked_theme_is_seen_only_as_a_marked_action_is(world):
    world.schools.marking = SENSITIVE
    world.schools.save()
    in_schools = {world.bx1, world.bx2, world.c1}
    assert not in_schools & set(permissions.visible_actions(world.officer))
    assert not in_schools & set(permissions.visible_in_plan(world.officer, world.plan))
    assert in_schools <= set(permissions.visible_in_plan(world.chair, world.plan))
    assert permissions.hidden_in_plan(world.analyst, world.plan)
    assert world.schools not in permissions.visible_themes(world.officer)
    assert world.schools in permissions.visible_themes(world.chair)


def test_a_marked_plan_is_hidden_from_those_who_may_see_none_of_it(world):
    world.other_plan.marking = SENSITIVE
    world.other_plan.save()
    # Officers of the partnership sit on no board: the plan and all of it are gone.
    assert world.other_plan not in permissions.visible_plans(world.officer)
    assert not permissions.visible_actions(world.officer).filter(theme__plan=world.other_plan)
    # The other board's chair sits on the board that owns it.
    assert world.other_plan in permissions.visible_plans(world.other_chair)
    assert permissions.visible_in_plan(world.other_chair, world.other_plan).count() == 3


def test_a_theme_with_no_action_stays_unless_it_is_marked(client, world):
    empty = ThemeFactory(plan=world.plan, name="Still to plan", order=9)
    covert = ThemeFactory(plan=world.plan, name="Covert", order=10, marking=SENSITIVE)
    assert empty in permissions.visible_themes(world.officer)
    assert covert not in permissions.visible_themes(world.officer)
    assert covert in permissions.visible_themes(world.chair)
    choices = get(client, world.officer, plan_url(world)).context["filters"]
    labels = dict(choices.form.fields["theme"].choices).values()
    assert "Still to plan" in labels and "Covert" not in labels


def test_a_marked_update_is_seen_only_by_those_who_may_see_marked_items(client, world):
    ProgressUpdateFactory(action=world.a1, text="Informant says", marking=SENSITIVE)
    officer_page = get(client, world.officer, action_url(world.a1)).content.decode()
    assert "Informant says" not in officer_page and BANNER not in officer_page
    chair_page = get(client, world.chair, action_url(world.a1)).content.decode()
    assert "Informant says" in chair_page and BANNER in chair_page and TAG in chair_page
    # Lists of many actions read no marked update as an action's latest for those who may
    # not see it: the officer's plan page still gives the update before it.
    plan_page = get(client, world.officer, plan_url(world)).content.decode()
    assert "Informant says" not in plan_page and "Meeting moved to weekly" in plan_page


def test_lists_show_a_marked_update_marked_to_those_who_may_see_it(client, world):
    # a1 (red, at OFFICIAL) gets a marked update today, newer than its update of 2 days ago.
    ProgressUpdateFactory(
        action=world.a1, date=days_ago(0), text="Informant says", marking=SENSITIVE
    )
    lists = [
        plan_url(world),
        reverse("reporting:plan-dashboard", args=[world.plan.slug]),
        reverse("reporting:plan-since", args=[world.plan.slug]),
        reverse("reporting:plan-pack", args=[world.plan.slug]) + "?everything=1",
        reverse("reporting:board-dashboard", args=[world.board.pk]),
        reverse("reporting:board-since", args=[world.board.pk]),
        reverse("reporting:board-pack", args=[world.board.pk]) + "?everything=1",
    ]
    for reader in (world.chair, world.administrator):
        for url in lists:
            text = get(client, reader, url).content.decode()
            assert "Informant says" in text, (reader, url)
            assert BANNER in text and TAG in text, (reader, url)
    # The plan page tags the marked action bx2 and the marked update: two tags.
    plan_page = get(client, world.chair, plan_url(world)).content.decode()
    assert plan_page.count(TAG) == 2
    for url in lists:
        text = get(client, world.officer, url).content.decode()
        assert "Informant says" not in text and BANNER not in text, url


# Pages with and without the marked items ----------------------------------------------------


def plan_url(world) -> str:
    return reverse("actions:plan-detail", args=[world.plan.slug])


def action_url(action) -> str:
    return reverse("actions:action-detail", args=[action.pk])


def pages(world) -> list[str]:
    return [
        reverse("actions:my-actions"),
        reverse("actions:plan-list"),
        plan_url(world),
        plan_url(world) + "?rag=red",
        reverse("reporting:plan-dashboard", args=[world.plan.slug]),
        reverse("reporting:plan-since", args=[world.plan.slug]),
        reverse("reporting:plan-pack", args=[world.plan.slug]) + "?everything=1",
        reverse("reporting:board-list"),
        reverse("reporting:board-dashboard", args=[world.board.pk]),
        reverse("reporting:board-pack", args=[world.board.pk]),
        reverse("reporting:board-since", args=[world.board.pk]),
    ]


# What differs between two renderings of the same page: the CSP nonce and CSRF tokens.
_VOLATILE = re.compile(r'(nonce|value)="[A-Za-z0-9+/=_-]{16,}"')


def rendered(client, user, urls) -> dict[str, str]:
    client.force_login(user)
    texts = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = _VOLATILE.sub(r'\1="-"', response.content.decode())
    return texts


def mark_governance_and_schools(world) -> Theme:
    """Governance's two actions marked one by one, the Schools sub-theme as a whole, and an
    empty theme marked: for an officer, three themes that must vanish."""
    for action in (world.a1, world.a2):
        action.marking = SENSITIVE
        action.save()
    world.schools.marking = SENSITIVE
    world.schools.save()
    return ThemeFactory(plan=world.plan, name="Covert", order=10, marking=SENSITIVE)


def test_pages_for_those_who_may_not_see_marked_items_are_as_if_they_did_not_exist(client, world):
    ProgressUpdateFactory(action=world.b1, text="Informant says", marking=SENSITIVE)
    covert = mark_governance_and_schools(world)
    urls = pages(world)
    # (An analyst's plan page differs: it offers no export or import of a plan holding
    # items they may not see, as before marking; see tests/actions/test_permissions.py.)
    readers = (world.officer, world.council_officer)
    with_marked = {user.pk: rendered(client, user, urls) for user in readers}
    for text in with_marked[world.officer.pk].values():
        assert "Governance" not in text and "Schools" not in text and "Covert" not in text
        assert BANNER not in text and TAG not in text

    ProgressUpdate.objects.filter(marking=SENSITIVE).delete()
    Action.objects.filter(pk__in=[world.a1.pk, world.a2.pk]).delete()
    Theme.objects.filter(pk__in=[world.governance.pk, world.schools.pk, covert.pk]).delete()
    for user in readers:
        assert rendered(client, user, urls) == with_marked[user.pk], user


def test_those_who_may_see_marked_items_see_them_marked_with_a_banner(client, world):
    mark_governance_and_schools(world)
    for url in pages(world)[2:7]:
        text = get(client, world.chair, url).content.decode()
        assert BANNER in text, url
        assert "app-marked" in text, url
        assert TAG in text, url  # beside the marked actions each page lists
    plan_page = get(client, world.chair, plan_url(world)).content.decode()
    # A tag beside each marked action (a1, a2, bx1, bx2, c1) and each marked theme heading.
    assert plan_page.count(TAG) == 5 + 1
    # ...and nothing at OFFICIAL says so.
    unmarked = get(client, world.chair, reverse("actions:plan-detail", args=["other-plan"]))
    assert BANNER not in unmarked.content.decode() and TAG not in unmarked.content.decode()


def test_a_plan_holding_marked_items_an_analyst_may_not_see_is_not_theirs_to_export_or_import(
    world,
):
    # The other plan is the other board's: the analyst here sits on no board.
    assert permissions.can_import_plan(world.analyst, world.other_plan)
    for marked in (
        lambda: ThemeFactory(plan=world.other_plan, name="Covert", marking=SENSITIVE),
        lambda: ProgressUpdateFactory(action=world.u1, marking=SENSITIVE),
    ):
        item = marked()
        assert permissions.hidden_in_plan(world.analyst, world.other_plan)
        assert not permissions.can_export_plan(world.analyst, world.other_plan)
        assert world.other_plan not in permissions.importable_plans(world.analyst)
        assert permissions.can_export_plan(world.administrator, world.other_plan)
        item.delete()
        assert world.other_plan in permissions.importable_plans(world.analyst)


# Stale, as the reader may see the updates ----------------------------------------------------


def stale_pages(world) -> list[str]:
    """The pages that say which actions are stale (no update in STALE_AFTER_WEEKS weeks):
    the dashboards, the plan page filtered as the dashboard's stale link has it, the packs
    and My actions."""
    from reporting.dashboards import PlanLink, stale_filters

    stale_link = PlanLink(world.plan.slug).url(**stale_filters(clock.today()))
    return [
        reverse("actions:my-actions"),
        stale_link,
        reverse("reporting:plan-dashboard", args=[world.plan.slug]),
        reverse("reporting:plan-pack", args=[world.plan.slug]) + "?everything=1",
        reverse("reporting:board-dashboard", args=[world.board.pk]),
        reverse("reporting:board-pack", args=[world.board.pk]),
    ]


def test_a_marked_update_makes_an_action_recent_only_for_those_who_may_see_it(client, world):
    # a2 (green, at OFFICIAL, led by the council) was last updated 100 days ago: stale. A
    # marked update today is its only recent one. The chair of the owning board is made a
    # named lead of it, so that My actions shows it to someone who may see the update.
    world.a2.lead_people.add(world.chair.person)
    ProgressUpdateFactory(
        action=world.a2, date=days_ago(0), text="Informant says", marking=SENSITIVE
    )
    urls = stale_pages(world)
    stale_link = urls[1]

    # The chair sees a2 as updated today: not stale anywhere, its last update today.
    chair_list = get(client, world.chair, stale_link).content.decode()
    assert "Problem profile" not in chair_list and "Youth outreach" in chair_list
    dash = get(client, world.chair, urls[2]).context["dash"]
    assert world.a2 not in dash.lists["stale"].actions and dash.stale == 2  # b1, bx2
    my_page = get(client, world.chair, reverse("actions:my-actions"))
    (row,) = my_page.context["lists"][0]["rows"]
    assert row.last_update == days_ago(0) and not row.is_stale and row.reasons == []
    # The date shown is a marked update's: tagged, and the page marked.
    assert TAG in my_page.content.decode() and BANNER in my_page.content.decode()

    # Officers who may not see the update (the police officer, and the council's, whose
    # organisation leads a2) see a2 as stale, each page exactly as without the update.
    readers = (world.officer, world.council_officer)
    officer_list = get(client, world.officer, stale_link).content.decode()
    assert "Problem profile" in officer_list and "Informant says" not in officer_list
    dash = get(client, world.officer, urls[2]).context["dash"]
    assert world.a2 in dash.lists["stale"].actions
    mine = get(client, world.council_officer, reverse("actions:my-actions")).context["lists"]
    (row,) = [row for row in mine[-1]["rows"] if row.pk == world.a2.pk]
    assert row.is_stale and row.last_update == days_ago(100)
    with_marked = {user.pk: rendered(client, user, urls) for user in readers}

    ProgressUpdate.objects.filter(marking=SENSITIVE).delete()
    for user in readers:
        assert rendered(client, user, urls) == with_marked[user.pk], user
