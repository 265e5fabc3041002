"""Who may roll a plan over, activate or undo its roll-over, or take the VRU's new template
into next year's Draft, built on `actions.permissions`.

The analysts of the plan's partnership and administrators, provided they may see every
action, theme and update in the plan: a roll-over carries all of it (the rule that lets
them export it whole, `can_export_plan`). To anyone else a roll-over's pages do not exist
(404), nor the plan's roll-over where they may not see the plan.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from actions.models import Plan
from actions.permissions import can_export_plan, plan_or_404
from rollover.models import Rollover


def can_roll_over(user, plan: Plan) -> bool:
    return can_export_plan(user, plan)


def plan_to_roll_over(user, slug: str) -> Plan:
    """The plan at `slug`, if the user may see it and roll it over; else Http404."""
    plan = plan_or_404(user, slug, related=("partnership", "board"))
    if not can_roll_over(user, plan):
        raise Http404("No such plan")
    return plan


def rollover_of(user, slug: str, pk: int) -> Rollover:
    """The roll-over `pk` of the plan at `slug` (the plan rolled over), if the user may
    roll that plan over; else Http404."""
    plan = plan_to_roll_over(user, slug)
    queryset = Rollover.objects.select_related("old_plan", "new_plan", "created_by")
    return get_object_or_404(queryset, pk=pk, old_plan=plan)
