"""The pages outside the admin: My actions, plans, actions, and the plan workbooks."""

from actions.views.action_pages import action_detail, action_update
from actions.views.my_actions import my_actions
from actions.views.plans import plan_detail, plan_list
from actions.views.spreadsheets import plan_export, plan_import_confirm, plan_import_upload

__all__ = [
    "action_detail",
    "action_update",
    "my_actions",
    "plan_detail",
    "plan_export",
    "plan_import_confirm",
    "plan_import_upload",
    "plan_list",
]
