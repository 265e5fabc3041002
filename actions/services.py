"""Writes to plans, themes, actions, progress updates and indicators."""

import hashlib

from django.db import transaction

from actions.closing import PlanClosed, ensure_open, ensure_open_values
from actions.models import (
    Action,
    Indicator,
    IndicatorValue,
    Marking,
    PanelFeedback,
    Plan,
    PlanStatus,
    ProgressUpdate,
    SeniorLeader,
    Theme,
)
from boards.models import Person
from cspplan import history
from cspplan.saving import record_create, record_edit, save_if_changed


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
def panel_feedback_upsert(
    *, theme: Theme, order: int, people=(), **values
) -> tuple[PanelFeedback, bool]:
    """The review panel's feedback on `theme` at `order` (a seed file lists each theme's in
    order), created or brought up to date."""
    feedback = PanelFeedback.objects.filter(theme=theme, order=order).first()
    feedback = feedback or PanelFeedback(theme=theme, order=order)
    changed = save_if_changed(feedback, values, m2m={"people": people})
    return feedback, changed


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
    locked = _locked_in_open_plan(action)
    if action_version(locked) != expected_version:
        raise ActionChanged(locked)
    values = dict(changes)
    for end in ("start", "end"):
        date = f"{end}_date"
        if date in values and values[date] != getattr(locked, date):
            values[f"{end}_text"] = ""
    save_if_changed(locked, values, user=user, reason=reason)
    if update is not None:
        progress_update_create(action=locked, user=user, reason=reason, **update)
    return locked


def _locked_in_open_plan(action: Action) -> Action:
    """The stored action, its row locked until the transaction ends, with its plan read in
    the same query to refuse a closed one (actions.closing)."""
    locked = (
        Action.objects.select_for_update(of=("self",))
        .select_related("theme__plan")
        .get(pk=action.pk)
    )
    if locked.theme.plan.status == PlanStatus.CLOSED:
        raise PlanClosed(locked.theme.plan)
    return locked


# The author of an update added without naming one: the person of the user adding it.
USERS_PERSON = object()


@transaction.atomic
def progress_update_create(
    *,
    action: Action,
    user,
    date,
    text: str,
    rag: str = "",
    period: str = "",
    author: Person | None | object = USERS_PERSON,
    reason: str | None = BROWSER_REASON,
    marking: str = Marking.OFFICIAL,
) -> ProgressUpdate:
    """Add a progress update typed in by `user`, written by `author` (by default their
    own person; the admin names whoever wrote an update it types in, or nobody). An update
    whose RAG status differs from the action's sets the action's status too: that is what
    "the RAG status an update sets" means. The action is saved first, so that its history
    row comes before the update (actions.history.since_version relies on that order)."""
    # Where the update sets the RAG, the action is locked and its plan checked in one
    # query; otherwise its plan is checked on its own.
    if not rag:
        ensure_open(action)
    else:
        locked = _locked_in_open_plan(action)
        if save_if_changed(locked, {"rag": rag}, user=user, reason=reason):
            action.rag, action.updated_at = locked.rag, locked.updated_at
    signed_in = user is not None and user.is_authenticated
    if author is USERS_PERSON:
        author = getattr(user, "person", None) if signed_in else None
    update = ProgressUpdate(
        action=action,
        date=date,
        period=period,
        text=text,
        rag=rag,
        author=author,
        created_by=user if signed_in else None,
        marking=marking,
    )
    save_if_changed(update, {}, user=user, reason=reason)
    return update


# ---- changes made in the admin -------------------------------------------------------------
# Any field of a record, in the name of the user making the change, with one history row
# for each record changed. (`action_update` is the update form's narrower change, with its
# check that nobody saved the action in between.) A progress update added in the admin is
# `progress_update_create`'s, as on the update form. Deleting a record deletes what
# belongs to it (a plan's themes and actions, say), each with a history row of its own.


@transaction.atomic
def plan_create(*, user, **values) -> Plan:
    return record_create(Plan, user=user, **values)


@transaction.atomic
def plan_edit(*, plan: Plan, user, **values) -> Plan:
    ensure_open(plan, values, reopening=True)
    return record_edit(plan, user=user, **values)


@transaction.atomic
def plan_delete(*, plan: Plan, user) -> None:
    ensure_open(plan)
    history.delete(plan, user=user)


@transaction.atomic
def senior_leader_create(*, user, **values) -> SeniorLeader:
    ensure_open_values(SeniorLeader, values)
    return record_create(SeniorLeader, user=user, **values)


@transaction.atomic
def senior_leader_edit(*, senior_leader: SeniorLeader, user, **values) -> SeniorLeader:
    ensure_open(senior_leader, values)
    return record_edit(senior_leader, user=user, **values)


@transaction.atomic
def senior_leader_delete(*, senior_leader: SeniorLeader, user) -> None:
    ensure_open(senior_leader)
    history.delete(senior_leader, user=user)


@transaction.atomic
def theme_create(*, user, **values) -> Theme:
    ensure_open_values(Theme, values)
    return record_create(Theme, user=user, **values)


@transaction.atomic
def theme_edit(*, theme: Theme, user, **values) -> Theme:
    ensure_open(theme, values)
    return record_edit(theme, user=user, **values)


@transaction.atomic
def theme_delete(*, theme: Theme, user) -> None:
    ensure_open(theme)
    history.delete(theme, user=user)


@transaction.atomic
def panel_feedback_create(*, user, **values) -> PanelFeedback:
    """The review panel's feedback on a theme: its `theme`, `text`, the `year` it reviewed
    and who gave it (`given_by`) as written, its `date` and `people` where known."""
    return record_create(PanelFeedback, user=user, **values)


@transaction.atomic
def panel_feedback_edit(*, panel_feedback: PanelFeedback, user, **values) -> PanelFeedback:
    return record_edit(panel_feedback, user=user, **values)


@transaction.atomic
def panel_feedback_delete(*, panel_feedback: PanelFeedback, user) -> None:
    history.delete(panel_feedback, user=user)


@transaction.atomic
def action_create(*, user, **values) -> Action:
    """A new action; its lists (lead_people, lead_organisations, supporting_organisations)
    by name among `values`, recorded in the same history row as its fields."""
    ensure_open_values(Action, values)
    return record_create(Action, user=user, **values)


@transaction.atomic
def action_edit(*, action: Action, user, **values) -> Action:
    """Change any of the action's fields and lists, in one history row."""
    ensure_open(action, values)
    return record_edit(action, user=user, **values)


@transaction.atomic
def action_delete(*, action: Action, user) -> None:
    ensure_open(action)
    history.delete(action, user=user)


@transaction.atomic
def progress_update_edit(
    *, update: ProgressUpdate, user, reason: str | None = None, **values
) -> ProgressUpdate:
    """Correct an update (its date, words, author, the RAG status it records). The
    action's own RAG status is left as it is: that is changed on the action itself."""
    ensure_open(update, values)
    return record_edit(update, user=user, reason=reason, **values)


@transaction.atomic
def progress_update_delete(*, update: ProgressUpdate, user) -> None:
    ensure_open(update)
    history.delete(update, user=user)


@transaction.atomic
def indicator_create(*, user, **values) -> Indicator:
    ensure_open_values(Indicator, values)
    return record_create(Indicator, user=user, **values)


@transaction.atomic
def indicator_edit(*, indicator: Indicator, user, **values) -> Indicator:
    ensure_open(indicator, values)
    return record_edit(indicator, user=user, **values)


@transaction.atomic
def indicator_delete(*, indicator: Indicator, user) -> None:
    ensure_open(indicator)
    history.delete(indicator, user=user)


@transaction.atomic
def indicator_value_create(*, user, **values) -> IndicatorValue:
    ensure_open_values(IndicatorValue, values)
    return record_create(IndicatorValue, user=user, **values)


@transaction.atomic
def indicator_value_edit(*, indicator_value: IndicatorValue, user, **values) -> IndicatorValue:
    # Not `value=`: that is the name of the record's number, which `values` may change.
    ensure_open(indicator_value, values)
    return record_edit(indicator_value, user=user, **values)


@transaction.atomic
def indicator_value_delete(*, indicator_value: IndicatorValue, user) -> None:
    ensure_open(indicator_value)
    history.delete(indicator_value, user=user)
