"""Writes to plans, themes, actions, progress updates and indicators."""

from django.db import transaction

from actions.models import (
    Action,
    Indicator,
    IndicatorValue,
    Plan,
    ProgressUpdate,
    SeniorLeader,
    Theme,
)
from cspplan.saving import save_if_changed


@transaction.atomic
def plan_upsert(*, slug: str, **values) -> tuple[Plan, bool]:
    plan = Plan.objects.filter(slug=slug).first() or Plan(slug=slug)
    changed = save_if_changed(plan, values)
    return plan, changed


@transaction.atomic
def senior_leader_upsert(*, plan: Plan, order: int, **values) -> tuple[SeniorLeader, bool]:
    leader = SeniorLeader.objects.filter(plan=plan, order=order).first() or SeniorLeader(
        plan=plan, order=order
    )
    changed = save_if_changed(leader, values)
    return leader, changed


@transaction.atomic
def theme_upsert(*, plan: Plan, parent: Theme | None, name: str, **values) -> tuple[Theme, bool]:
    theme = Theme.objects.filter(plan=plan, parent=parent, name=name).first() or Theme(
        plan=plan, parent=parent, name=name
    )
    changed = save_if_changed(theme, values)
    return theme, changed


@transaction.atomic
def action_upsert(
    *,
    theme: Theme,
    ref: str,
    order: int,
    lead_people=(),
    lead_organisations=(),
    supporting_organisations=(),
    **values,
) -> tuple[Action, bool]:
    """Create or update the action numbered `ref` in `theme` (by position if it has no number)."""
    existing = theme.actions.filter(ref=ref) if ref else theme.actions.filter(ref="", order=order)
    action = existing.first() or Action(theme=theme, ref=ref)
    changed = save_if_changed(
        action,
        {"order": order, **values},
        m2m={
            "lead_people": lead_people,
            "lead_organisations": lead_organisations,
            "supporting_organisations": supporting_organisations,
        },
    )
    return action, changed


@transaction.atomic
def progress_update_upsert(
    *, action: Action, date, text: str, **values
) -> tuple[ProgressUpdate, bool]:
    """Record an update; the same date and words again are the same update, not a new one."""
    update = ProgressUpdate.objects.filter(
        action=action, date=date, text=text
    ).first() or ProgressUpdate(action=action, date=date, text=text)
    changed = save_if_changed(update, values)
    return update, changed


@transaction.atomic
def indicator_upsert(*, plan: Plan, order: int, values=(), **fields) -> tuple[Indicator, bool]:
    indicator = Indicator.objects.filter(plan=plan, order=order).first() or Indicator(
        plan=plan, order=order
    )
    changed = save_if_changed(indicator, fields)
    for value in values:
        row = IndicatorValue.objects.filter(indicator=indicator, date=value["date"]).first()
        row = row or IndicatorValue(indicator=indicator, date=value["date"])
        changed |= save_if_changed(row, {k: v for k, v in value.items() if k != "date"})
    return indicator, changed
