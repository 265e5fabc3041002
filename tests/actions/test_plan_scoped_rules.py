"""The quicker ways of asking what a user may see of one plan, and of My actions, give the
answers the rules as stated give (actions/permissions.py, actions/selectors.py): for every
role, every plan, with and without marked items.

`hidden_in_plan` asks of the plan's own rows (`visible_in_plan`, the plan's themes), and not
at all when the user's scope holds the plan and nothing in it is marked;
`visible_themes_in_plan` asks which of the plan's actions the user may see; My actions reads
the ids of the user's actions first and stale from the newest update they may see
(benchmarks/README.md, the load test). Each is compared here with the rule written the long
way, over every plan of the world.
"""

import pytest

from actions import permissions, selectors
from actions.models import Action, Marking, Plan, ProgressUpdate, Theme
from boards.models import Role
from tests.factories import PlanFactory, ProgressUpdateFactory, ThemeFactory, user_in_role
from tests.helpers import days_ago

pytestmark = pytest.mark.django_db

SENSITIVE = Marking.OFFICIAL_SENSITIVE


def users(world) -> list:
    vru = user_in_role(Role.VRU, partnerships=[world.here], name="Vic VRU")
    # An analyst who leads an action in a partnership not theirs: a plan outside their
    # scope that they see part of.
    far_analyst = user_in_role(Role.ANALYST, partnerships=[world.elsewhere], name="Al Far")
    world.u1.lead_people.add(far_analyst.person)
    return [
        world.officer,
        world.council_officer,
        world.chair,
        world.other_chair,
        world.analyst,
        world.administrator,
        world.superuser,
        world.far_officer,
        world.no_person,
        vru,
        far_analyst,
    ]


def hidden_as_stated(user, plan) -> bool:
    """`hidden_in_plan` as the rule reads: marked actions, marked updates or themes of the
    plan that are not among everything the user may see."""
    if permissions.sees_everything(user):
        return False
    marked = Action.objects.filter(selectors.sensitive_condition(), theme__plan=plan)
    updates = ProgressUpdate.objects.filter(action__theme__plan=plan, marking=SENSITIVE)
    themes = Theme.objects.filter(plan=plan)
    return (
        marked.exclude(pk__in=permissions.visible_actions(user).values("pk")).exists()
        or updates.exclude(pk__in=permissions.visible_updates(user).values("pk")).exists()
        or themes.exclude(pk__in=permissions.visible_themes(user).values("pk")).exists()
    )


def my_actions_as_stated(user) -> dict[int, tuple]:
    """My actions written the long way: the actions the user leads that they may see, less
    next year's Draft and last year's plan, with `with_progress`'s last update and stale."""
    led = (
        permissions.actions_led_by(user)
        .filter(pk__in=permissions.visible_actions(user).values("pk"))
        .exclude(selectors.not_this_years())
    )
    rows = selectors.with_progress(led, updates=selectors.listed_updates(user))
    return {a.pk: (a.last_update, a.is_overdue, a.is_stale) for a in rows}


def marked_variants(world):
    """The world as built (bx2 marked), then with more marked: a marked update on the
    other plan's u1, a marked theme with no action there, a recent marked update on a2
    (which makes it recent only for those who may see it), and the whole Schools sub-theme."""
    yield "as built"
    ProgressUpdateFactory(action=world.u1, marking=SENSITIVE, text="Informant says")
    yield "a marked update in the other plan"
    ThemeFactory(plan=world.other_plan, name="Covert", order=5, marking=SENSITIVE)
    yield "a marked theme with no action"
    ProgressUpdateFactory(action=world.a2, date=days_ago(0), marking=SENSITIVE, text="Today")
    world.a2.lead_people.add(world.chair.person)
    yield "a recent marked update on a2"
    world.schools.marking = SENSITIVE
    world.schools.save()
    yield "a marked sub-theme"
    Plan.objects.filter(pk=world.other_plan.pk).update(marking=SENSITIVE)
    yield "a marked plan"


def test_what_is_hidden_in_a_plan_is_as_the_rule_states(world):
    everyone = users(world)
    for variant in marked_variants(world):
        for plan in Plan.objects.all():
            for user in everyone:
                expected = hidden_as_stated(user, plan)
                assert permissions.hidden_in_plan(user, plan) == expected, (variant, plan, user)
                # Within a request too, where the answer is kept for the page's other asks.
                with permissions.once_per_request():
                    assert permissions.hidden_in_plan(user, plan) == expected
                    assert permissions.hidden_in_plan(user, plan) == expected


def test_the_themes_of_a_plan_are_those_of_every_visible_theme_in_it(world):
    everyone = users(world)
    for variant in marked_variants(world):
        for user in everyone:
            for plan in permissions.visible_plans(user):
                expected = set(permissions.visible_themes(user).filter(plan=plan))
                assert set(permissions.visible_themes_in_plan(user, plan)) == expected, (
                    variant,
                    plan,
                    user,
                )
                with permissions.once_per_request():
                    assert set(permissions.visible_themes_in_plan(user, plan)) == expected
                    assert set(permissions.visible_themes_in_plan(user, plan)) == expected


def test_my_actions_are_those_the_rules_state_each_as_stale_as_the_rule_says(world):
    everyone = users(world)
    for variant in marked_variants(world):
        for user in everyone:
            expected = my_actions_as_stated(user)
            rows = {
                a.pk: (a.last_update, a.is_overdue, a.is_stale) for a in selectors.my_actions(user)
            }
            assert rows == expected, (variant, user)
            visible = set(permissions.visible_actions(user).values_list("pk", flat=True))
            assert set(rows) <= visible
    # The world leads something for some of them, stale and recent alike, so the
    # comparison above compared something.
    council = {a.pk: a for a in selectors.my_actions(world.council_officer)}
    assert council[world.b1.pk].is_stale and council[world.b1.pk].last_update is None
    assert council[world.a2.pk].is_stale and council[world.a2.pk].last_update == days_ago(100)
    chair = {a.pk: a for a in selectors.my_actions(world.chair)}
    assert chair[world.a2.pk].last_update == days_ago(0) and not chair[world.a2.pk].is_stale


def test_who_may_open_a_plan_is_who_finds_it_among_their_visible_plans(world):
    # `may_open_plan` answers from the user's access where their scope holds the plan, and
    # asks `visible_plans` otherwise. The variants end with the other plan marked, which
    # an officer of its partnership may open only through an action of theirs in it.
    everyone = users(world)
    world.m1.lead_people.add(world.officer.person)
    # A plan in another layout, which the VRU's reader (given a partnership here) may not
    # open although its partnership is theirs.
    PlanFactory(partnership=world.here, board=world.board, layout=Plan.Layout.CSP)
    for variant in marked_variants(world):
        for user in everyone:
            visible = set(permissions.visible_plans(user).values_list("pk", flat=True))
            for plan in Plan.objects.all():
                expected = plan.pk in visible
                assert permissions.may_open_plan(user, plan) == expected, (variant, plan, user)
                with permissions.once_per_request():
                    assert permissions.may_open_plan(user, plan) == expected


def test_a_chair_opens_their_boards_plan_without_a_query(world, django_assert_num_queries):
    with permissions.once_per_request():
        permissions.access_for(world.chair)
        with django_assert_num_queries(0):
            assert permissions.may_open_plan(world.chair, world.plan)
        # A plan outside their boards is asked of the rule.
        with django_assert_num_queries(1):
            assert not permissions.may_open_plan(world.chair, world.far_plan)


def test_the_plans_boards_monitor_are_those_holding_an_action_they_monitor(world):
    # `plans_monitored_by` finds them by the actions' and themes' own monitoring boards; the
    # rule is `monitored_by`'s: an action's own board, else its theme's. Here an action of a
    # theme the subgroup monitors names another board, so that the theme's plan is held by
    # the subgroup only through its other actions, and then through none.
    board_sets = [
        [world.board.pk],
        [world.subgroup.pk],
        [world.other_board.pk],
        [world.board.pk, world.subgroup.pk],
        [world.far_board.pk],
    ]

    def compare():
        for boards in board_sets:
            monitored = Action.objects.filter(selectors.monitored_by(boards))
            expected = set(Plan.objects.filter(pk__in=monitored.values("theme__plan_id")))
            assert set(Plan.objects.filter(selectors.plans_monitored_by(boards))) == expected

    compare()
    assert world.other_plan in Plan.objects.filter(
        selectors.plans_monitored_by([world.subgroup.pk])
    )
    Action.objects.filter(theme=world.exploitation).update(monitoring_board=world.other_board)
    compare()
    assert world.other_plan not in Plan.objects.filter(
        selectors.plans_monitored_by([world.subgroup.pk])
    )


def test_a_missing_plan_and_a_hidden_one_take_the_same_queries(world):
    from django.db import connection
    from django.http import Http404
    from django.test.utils import CaptureQueriesContext

    def queries(slug) -> int:
        with permissions.once_per_request(), CaptureQueriesContext(connection) as captured:
            permissions.access_for(world.officer)
            with pytest.raises(Http404):
                permissions.plan_or_404(world.officer, slug)
        return len(captured)

    assert queries(world.far_plan.slug) == queries("no-such-plan")
    assert permissions.plan_or_404(world.officer, world.plan.slug) == world.plan
