"""A Closed plan is read-only.

When next year's plan is activated the old one is closed (rollover.services): it stays
visible, exportable and in every comparison as the record of its year, but nothing in it
may change any more, by any path: the update form, the admin, an import, a command. The
services that write a plan's contents ask here first, so the rule is kept in one place
whichever client calls them; the pages and the admin only hide what would be refused.

The seed loader (`*_upsert`) is the one writer that does not ask: it loads a source
document as it stands, and some of them are plans that have already ended.
"""

from django.core.exceptions import ValidationError
from django.db import models

from actions.models import (
    Action,
    Indicator,
    IndicatorValue,
    Plan,
    PlanStatus,
    ProgressUpdate,
    SeniorLeader,
    Theme,
)

# From a plan to each record inside it, and from each record to the record it belongs to.
_FROM_PLAN = {
    Plan: "pk",
    SeniorLeader: "senior_leaders",
    Theme: "themes",
    Action: "themes__actions",
    ProgressUpdate: "themes__actions__updates",
    Indicator: "indicators",
    IndicatorValue: "indicators__values",
}
_PARENT = {
    SeniorLeader: "plan",
    Theme: "plan",
    Action: "theme",
    ProgressUpdate: "action",
    Indicator: "plan",
    IndicatorValue: "indicator",
}


class PlanClosed(ValidationError):
    """The change is to a closed plan; nothing was written. A ValidationError, so that a
    form (the admin's included) shows its words as the reason."""

    def __init__(self, plan: Plan):
        self.plan = plan
        successor = plan.successors.order_by("-period_start", "-pk").first()
        carried_on = (
            f" Its unfinished actions carry on in “{successor.title}”." if successor else ""
        )
        super().__init__(
            f"“{plan.title}” is closed, so nothing in it can be changed: it is kept as the "
            f"record of its year.{carried_on}"
        )


def closed_plan_of(model: type[models.Model], pk) -> Plan | None:
    """The closed plan holding the stored record `pk` of `model`, or None if its plan is
    open (or it holds no record of that key)."""
    return Plan.objects.filter(status=PlanStatus.CLOSED, **{_FROM_PLAN[model]: pk}).first()


def ensure_open(
    record: models.Model, values: dict | None = None, *, reopening: bool = False
) -> None:
    """Raise PlanClosed if `record` (stored, or about to be created from `values`) is in a
    closed plan, or if `values` would move it into one. With `reopening`, a plan's edit
    that changes nothing but its status is let through: reopening a closed plan is the one
    change it accepts, an administrator undoing a mistake, recorded in its history like
    any other change."""
    model, values = type(record), values or {}
    if reopening and model is Plan and set(values) <= {"status"}:
        return
    if record.pk is not None:
        plan = closed_plan_of(model, record.pk)
        if plan is not None:
            raise PlanClosed(plan)
    parent_field = _PARENT.get(model)
    parent = values.get(parent_field) if parent_field else None
    if parent is not None:
        plan = closed_plan_of(type(parent), parent.pk)
        if plan is not None:
            raise PlanClosed(plan)


def ensure_open_values(model: type[models.Model], values: dict) -> None:
    """`ensure_open` for a record not yet made, from the values it will be made of."""
    ensure_open(model(), values)
