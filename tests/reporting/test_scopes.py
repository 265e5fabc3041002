"""A chair's page is about a plan, or a board with its subgroups, limited to what they see."""

import pytest
from django.http import Http404

from boards.models import Role
from reporting.scopes import board_scope, plan_scope
from tests.factories import (
    ActionFactory,
    BoardFactory,
    PlanFactory,
    ThemeFactory,
    user_in_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def boards():
    board = BoardFactory()
    subgroup = BoardFactory(partnership=board.partnership, parent=board)
    other = BoardFactory(partnership=board.partnership)
    return board, subgroup, other


def test_a_board_scope_holds_its_plans_its_subgroups_plans_and_what_they_monitor(boards):
    board, subgroup, other = boards
    own = ActionFactory(
        theme=ThemeFactory(plan=PlanFactory(partnership=board.partnership, board=board))
    )
    sub = ActionFactory(
        theme=ThemeFactory(plan=PlanFactory(partnership=board.partnership, board=subgroup))
    )
    elsewhere_plan = PlanFactory(partnership=board.partnership, board=other)
    monitored = ActionFactory(theme=ThemeFactory(plan=elsewhere_plan), monitoring_board=subgroup)
    not_ours = ActionFactory(theme=monitored.theme)
    secret = ActionFactory(theme=not_ours.theme, monitoring_board=subgroup, restricted=True)
    officer = user_in_role(Role.OFFICER, partnerships=[board.partnership])

    scope = board_scope(officer, board.pk)

    assert set(scope.actions) == {own, sub, monitored}  # not the restricted one, nor not_ours
    assert secret not in scope.actions
    assert set(scope.plans) == {own.theme.plan, sub.theme.plan, elsewhere_plan}
    assert scope.kind == "board" and scope.url("dashboard") == f"/boards/{board.pk}/"


def test_a_plan_scope_is_404_for_a_plan_the_user_may_not_see(boards):
    board, subgroup, other = boards
    plan = PlanFactory(partnership=board.partnership, board=other)
    ActionFactory(theme=ThemeFactory(plan=plan))
    chair = user_in_role(Role.CHAIR, boards=[board])
    with pytest.raises(Http404):
        plan_scope(chair, plan.slug)
    with pytest.raises(Http404):
        board_scope(chair, other.pk)
    mine = PlanFactory(partnership=board.partnership, board=subgroup)
    scope = plan_scope(chair, mine.slug)
    assert scope.kind == "plan" and scope.url("pack") == f"/plans/{mine.slug}/pack/"
