"""The plan pages outside the admin."""

from actions.views.spreadsheets import plan_export, plan_import_confirm, plan_import_upload

__all__ = ["plan_export", "plan_import_confirm", "plan_import_upload"]
