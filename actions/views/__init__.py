"""The pages outside the admin: My actions, plans, actions, the plan workbooks, and the
chairs' dashboards, changes since a date, indicators and the pre-meeting pack."""

from actions.views.action_pages import action_detail, action_update
from actions.views.dashboards import board_dashboard, board_list, plan_dashboard
from actions.views.meeting import (
    board_pack,
    board_pack_docx,
    board_since,
    plan_indicators,
    plan_pack,
    plan_pack_docx,
    plan_since,
)
from actions.views.my_actions import my_actions
from actions.views.plans import plan_detail, plan_list
from actions.views.spreadsheets import plan_export, plan_import_confirm, plan_import_upload

__all__ = [
    "action_detail",
    "action_update",
    "board_dashboard",
    "board_list",
    "board_pack",
    "board_pack_docx",
    "board_since",
    "my_actions",
    "plan_dashboard",
    "plan_detail",
    "plan_export",
    "plan_import_confirm",
    "plan_import_upload",
    "plan_indicators",
    "plan_list",
    "plan_pack",
    "plan_pack_docx",
    "plan_since",
]
