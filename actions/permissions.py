"""Who may do what with a plan: the one place views (and later dashboards and the admin)
ask.

For now these follow Django's model permissions, given to users or groups in the admin. The
roles work (a later issue: partnership officers, board chairs, action leads) extends these
functions, e.g. to limit a user to the plans of their own partnership, without the views
that call them changing.
"""

from actions.models import Plan


def can_export_plan(user, plan: Plan | None = None) -> bool:
    """Download the plan as a workbook (it shows every action of the plan); without a plan,
    whether the user may export any plan at all."""
    return bool(user.is_authenticated and user.is_active and user.has_perm("actions.view_plan"))


def can_import_plan(user, plan: Plan | None = None) -> bool:
    """Upload a workbook into the plan, changing and adding its actions; without a plan,
    whether the user may import into any plan at all."""
    return bool(user.is_authenticated and user.is_active and user.has_perm("actions.change_action"))
