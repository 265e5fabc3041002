"""Writes to plans, themes, actions, progress updates and indicators."""

import hashlib

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
from cspplan.saving import save_by, save_if_changed


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


# ---- changes made in the browser ---------------------------------------------------------

BROWSER_REASON = "Updated in the browser"

# The fields the update form shows and changes. A change to any of them since a form was
# filled in means saving the form could overwrite it; changes to other fields (an import
# rewording the outcomes, say) cannot be lost by it, so they do not stop it.
VERSIONED_FIELDS = (
    "rag",
    "start_date",
    "start_text",
    "end_date",
    "end_text",
    "progress",
    "comment",
)
ACTION_UPDATE_FIELDS = ("rag", "start_date", "end_date", "progress", "comment")


def action_version(action) -> str:
    """A fingerprint of the action's VERSIONED_FIELDS. Works on an Action and on one of its
    history records alike, so the record a form was based on can be found again."""
    values = [str(getattr(action, name) or "") for name in VERSIONED_FIELDS]
    return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:32]


class ActionChanged(Exception):
    """The action changed after the form was filled in; nothing was written. `action` is
    the action as saved now."""

    def __init__(self, action: Action):
        self.action = action
        super().__init__(f"Action {action.pk} has changed since the form was filled in.")


@transaction.atomic
def action_update(
    *,
    action: Action,
    user,
    expected_version: str,
    update: dict | None = None,
    reason: str = BROWSER_REASON,
    **changes,
) -> Action:
    """Change the action's fields (ACTION_UPDATE_FIELDS) and add a progress update
    (`update`: date, text, rag), all or nothing, in `user`'s name.

    Optimistic locking: the action's row is locked, and if its version is no longer
    `expected_version` (someone saved it since the form was shown) ActionChanged is raised
    and nothing is written. On SQLite, which cannot lock a row, the database lock taken by
    the first write does the same: the second writer's transaction fails rather than
    overwriting.

    A changed date clears its words "as written" (start_text, end_text): those words were
    about the old date ("April 2019", "TBC"), and an export writes the words in place of the
    date whenever there are any, so keeping them would contradict the new date. Cleared,
    the export writes the date itself, and the history keeps the old words.

    Returns the action as saved.
    """
    unknown = set(changes) - set(ACTION_UPDATE_FIELDS)
    if unknown:
        raise TypeError(f"action_update cannot change {', '.join(sorted(unknown))}")
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if action_version(locked) != expected_version:
        raise ActionChanged(locked)
    values = dict(changes)
    for end in ("start", "end"):
        date = f"{end}_date"
        if date in values and values[date] != getattr(locked, date):
            values[f"{end}_text"] = ""
    _save_in_browser(locked, values, user, reason)
    if update is not None:
        progress_update_create(action=locked, user=user, reason=reason, **update)
    return locked


@transaction.atomic
def progress_update_create(
    *, action: Action, user, date, text: str, rag: str = "", reason: str = BROWSER_REASON
) -> ProgressUpdate:
    """Add a progress update written by `user` (its author is their person). An update
    whose RAG status differs from the action's sets the action's status too: that is what
    "the RAG status an update sets" means. The action is saved first, so that its history
    row comes before the update (actions.history.since_version relies on that order)."""
    if rag:
        locked = Action.objects.select_for_update().get(pk=action.pk)
        if _save_in_browser(locked, {"rag": rag}, user, reason):
            action.rag, action.updated_at = locked.rag, locked.updated_at
    signed_in = user is not None and user.is_authenticated
    update = ProgressUpdate(
        action=action,
        date=date,
        text=text,
        rag=rag,
        author=getattr(user, "person", None) if signed_in else None,
        created_by=user if signed_in else None,
    )
    update._change_reason = reason
    save_by(update, {}, user)
    return update


def _save_in_browser(action: Action, values: dict, user, reason: str) -> bool:
    """Save `values` with one history row in `user`'s name, saying how it was changed."""
    action._change_reason = reason
    try:
        return save_by(action, values, user)
    finally:
        del action._change_reason
