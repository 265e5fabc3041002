"""A chair's page is about a plan, or a board with its subgroups, limited to what they see."""

import pytest
from django.http import Http404

from reporting.scopes import board_scope, plan_scope
from tests.factories import ActionFactory, PlanFactory, ThemeFactory

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
