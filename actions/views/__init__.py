"""The plan pages: My actions, plans, a plan's actions, an action and its update form, and
the forms for indicator values and targets."""

from actions.views.action_pages import action_detail, action_update
from actions.views.indicators import indicator_target, indicator_value
from actions.views.my_actions import my_actions
from actions.views.plans import plan_detail, plan_list

__all__ = [
    "action_detail",
    "action_update",
    "indicator_target",
    "indicator_value",
    "my_actions",
    "plan_detail",
    "plan_list",
]
