"""A theme or action is monitored by a board of its own plan's partnership (issue 15): a
board of another partnership would open the plan's actions to that board's chairs, its
dashboard and its pack."""

import pytest
from django.core.exceptions import ValidationError

from actions import permissions, services


def test_an_action_is_not_monitored_by_another_partnerships_board(world):
    with pytest.raises(ValidationError, match="plan's partnership"):
        services.action_edit(action=world.far_action, user=None, monitoring_board=world.board)
    world.far_action.refresh_from_db()
    assert world.far_action.monitoring_board is None
    # The chair of that board still sees nothing of the far plan.
    assert not permissions.visible_actions(world.chair).filter(pk=world.far_action.pk).exists()


def test_a_theme_is_not_monitored_by_another_partnerships_board(world):
    theme = world.far_action.theme
    with pytest.raises(ValidationError, match="plan's partnership"):
        services.theme_edit(theme=theme, user=None, monitoring_board=world.subgroup)
    theme.refresh_from_db()
    assert theme.monitoring_board is None


def test_a_board_of_the_plans_own_partnership_may_monitor_it(world):
    services.action_edit(action=world.a2, user=None, monitoring_board=world.subgroup)
    world.a2.refresh_from_db()
    assert world.a2.monitoring_board == world.subgroup
