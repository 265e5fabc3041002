"""A chair's page is about a plan, or a board with its subgroups, limited to what they see."""

import pytest
from django.db.models import Q
from django.http import Http404

from actions import permissions, selectors
from actions.models import Action, Plan, ProgressUpdate
from reporting.scopes import board_scope, plan_scope
from tests.factories import ActionFactory, PlanFactory, ProgressUpdateFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_a_board_scope_holds_its_plans_its_subgroups_plans_and_what_they_monitor(world):
    board, subgroup = world.board, world.subgroup
    sub = ActionFactory(
        theme=ThemeFactory(plan=PlanFactory(partnership=world.here, board=subgroup))
    )
    # In the other board's plan: m1's theme is the subgroup's to monitor, m2 names the other
    # board, u1 is monitored by nobody; beside u1, one the subgroup monitors by name and a
    # restricted one it monitors.
    monitored = ActionFactory(theme=world.licensing, monitoring_board=subgroup)
    secret = ActionFactory(
        theme=world.licensing, monitoring_board=subgroup, marking="official-sensitive"
    )

    scope = board_scope(world.officer, board.pk)

    # The board's plan as an officer sees it (not the restricted bx2), the subgroup's plan,
    # m1 and `monitored`: neither m2, u1, nor the restricted one.
    own = [world.a1, world.a2, world.b1, world.bx1, world.c1]
    assert set(scope.actions) == {*own, sub, world.m1, monitored}
    assert secret not in scope.actions and world.bx2 not in scope.actions
    assert set(scope.plans) == {world.plan, sub.theme.plan, world.other_plan}
    assert scope.kind == "board" and scope.url("dashboard") == f"/boards/{board.pk}/"


def test_a_plan_scope_is_404_for_a_plan_the_user_may_not_see(world):
    plan = PlanFactory(partnership=world.here, board=world.other_board)
    ActionFactory(theme=ThemeFactory(plan=plan))
    chair = world.chair  # of the CSP board
    with pytest.raises(Http404):
        plan_scope(chair, plan.slug)
    with pytest.raises(Http404):
        board_scope(chair, world.other_board.pk)
    mine = PlanFactory(partnership=world.here, board=world.subgroup)
    scope = plan_scope(chair, mine.slug)
    assert scope.kind == "plan" and scope.url("pack") == f"/plans/{mine.slug}/pack/"


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_a_board_scopes_plans_themes_and_updates_are_the_general_rules_for_every_reader(world):
    """A board's scope finds its plans, themes and updates with less asking for those who
    see all of it (`permissions.sees_whole_boards`, `visible_themes_in_plans`): the same as
    the general rules narrowed to the scope, for every reader and board."""
    # Marked items the rules decide on: a restricted action the subgroup monitors in the
    # other board's plan, a marked theme with no action, updates marked on their own.
    ActionFactory(
        theme=world.licensing, monitoring_board=world.subgroup, marking="official-sensitive"
    )
    ThemeFactory(plan=world.other_plan, name="Marked and empty", marking="official-sensitive")
    # Next year's Draft of the board's plan, one of whose actions the subgroup monitors:
    # in no scope until it is activated.
    draft = PlanFactory(
        partnership=world.here,
        board=world.board,
        predecessor=world.plan,
        status=Plan.Status.DRAFT,
        title="Test violence plan, next year",
    )
    ActionFactory(theme=ThemeFactory(plan=draft, name="Governance"))
    ActionFactory(
        theme=ThemeFactory(plan=draft, name="Exploitation"), monitoring_board=world.subgroup
    )
    for action in Action.objects.all():
        ProgressUpdateFactory(action=action, marking="official-sensitive")
    readers = {
        "chair": world.chair,
        "other chair": world.other_chair,
        "officer": world.officer,
        "council officer": world.council_officer,
        "analyst": world.analyst,
        "administrator": world.administrator,
        "superuser": world.superuser,
        "far officer": world.far_officer,
    }
    boards = [world.board, world.subgroup, world.other_board, world.far_board]
    compared = 0
    for (who, user), board in [(r, b) for r in readers.items() for b in boards]:
        try:
            scope = board_scope(user, board.pk)
        except Http404:
            continue
        plans = (
            permissions.visible_plans(user)
            .filter(Q(board_id__in=scope.boards) | Q(pk__in=scope.actions.values("theme__plan_id")))
            .exclude(selectors.not_this_years(""))
        )
        themes = permissions.visible_themes(user).filter(plan__in=plans)
        updates = selectors.listed_updates(user).filter(action__in=scope.actions)
        actions = (
            permissions.visible_actions(user)
            .filter(selectors.owned_or_monitored(scope.boards))
            .exclude(selectors.not_this_years())
        )
        assert pks(scope.actions) == pks(actions), (who, board.name)
        assert pks(scope.plans) == pks(plans), (who, board.name)
        assert pks(scope.themes) == pks(themes), (who, board.name)
        assert pks(scope.updates.filter(action__in=scope.actions)) == pks(updates), (who, board)
        compared += 1
    assert compared >= 10
    # Some of the updates are hidden from some readers: the comparison decided something.
    officer_scope = board_scope(world.officer, world.board.pk)
    read = officer_scope.updates.filter(action__in=officer_scope.actions)
    assert read.count() < ProgressUpdate.objects.filter(action__in=officer_scope.actions).count()
