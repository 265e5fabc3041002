"""Writes to plans, themes, actions, progress updates and indicators."""

from collections import defaultdict

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from actions.models import (
    Action,
    Indicator,
    IndicatorValue,
    Plan,
    ProgressUpdate,
    SeniorLeader,
    Theme,
)
from actions.spreadsheets.preview import theme_paths
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


class ImportRefused(ValueError):
    """The workbook has problems; nothing was written."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(f"The import was refused: {len(problems)} problem(s) in the workbook.")


@transaction.atomic
def plan_import(preview, *, user=None, new_plan: dict | None = None) -> Plan:
    """Apply an import preview (actions.spreadsheets.preview) in one transaction: all of it,
    or, if it has any problem, none of it.

    Actions are written in bulk with one history row each in the importing user's name, so
    an import takes the same number of queries for ten rows or ten thousand. `new_plan`
    gives the fields of the plan to create when the preview is for a new plan.
    """
    if preview.problems:
        raise ImportRefused(preview.problems)
    now = timezone.now()
    plan = preview.plan
    if plan is None:
        plan = Plan(**new_plan)
        _save_by(plan, {}, user)
    else:
        _save_by(plan, {change.field: change.new for change in preview.plan_changes}, user)
    if preview.leaders is not None:
        _replace_leaders(plan, preview.leaders, user)
    themes = _import_themes(plan, preview, user)
    _import_indicators(plan, preview, user)

    created, updated, fields = [], [], {"updated_at"}
    named = []  # (action, {list field: records})
    for change in preview.actions:
        values = change.row.values
        if change.kind == "create":
            action = Action(theme=themes[change.row.theme], order=change.order, **values)
            created.append(action)
        elif change.kind == "update":
            action = change.action
            for field_change in change.changes:
                if field_change.field == "theme":
                    action.theme = themes[change.row.theme]
                elif field_change.field == "order":
                    action.order = change.order
                elif field_change.field in values:
                    setattr(action, field_change.field, values[field_change.field])
                else:
                    continue  # a list of people or organisations, written below
                fields.add(field_change.field)
            action.updated_at = now
            updated.append(action)
        else:
            continue
        if change.named:
            named.append((action, change.named))
    history = {"default_user": user, "default_change_reason": IMPORT_REASON, "default_date": now}
    if created:
        bulk_create_with_history(created, Action, batch_size=BATCH, **history)
    if updated:
        bulk_update_with_history(updated, Action, sorted(fields), batch_size=BATCH, **history)
    _set_named(named)
    if created or updated:
        _history_lists(plan, now)
    return plan


IMPORT_REASON = "Imported from a workbook"
BATCH = 500  # rows per INSERT or UPDATE; SQLite allows a few thousand parameters a query
LIST_FIELDS = ("lead_people", "lead_organisations", "supporting_organisations")


def _save_by(instance, values: dict, user) -> bool:
    instance._history_user = user
    try:
        return save_if_changed(instance, values)
    finally:
        del instance._history_user


def _import_indicators(plan: Plan, preview, user) -> None:
    """The workbook's new and changed performance measures, one history row each."""
    for change in preview.indicators:
        if change.kind not in ("create", "update"):
            continue  # unchanged, or not in the workbook: left as it is
        indicator = change.indicator or Indicator(plan=plan)
        indicator._change_reason = IMPORT_REASON
        _save_by(indicator, change.values, user)


def _replace_leaders(plan: Plan, leaders: list[dict], user) -> None:
    current = list(plan.senior_leaders.order_by("order", "pk"))
    for order, values in enumerate(leaders):
        leader = current[order] if order < len(current) else SeniorLeader(plan=plan)
        _save_by(leader, {"order": order, **values}, user)
    for leader in current[len(leaders) :]:
        leader._history_user = user
        leader.delete()


def _import_themes(plan: Plan, preview, user) -> dict[tuple, Theme]:
    """Every theme of the plan by its path of names, creating the workbook's new ones."""
    existing = list(plan.themes.all())
    paths = theme_paths(existing)
    themes = {paths[theme.pk]: theme for theme in existing}
    for theme, changes in preview.theme_changes:
        _save_by(theme, {change.field: change.new for change in changes}, user)
    siblings = defaultdict(int)
    for theme in existing:
        siblings[theme.parent_id] = max(siblings[theme.parent_id], theme.order + 1)
    for row in preview.new_themes:
        parent = themes[row.path[:-1]] if len(row.path) > 1 else None
        parent_id = parent.pk if parent else None
        theme = Theme(plan=plan, parent=parent, name=row.path[-1], order=siblings[parent_id])
        siblings[parent_id] += 1
        _save_by(theme, {"description": row.description or ""}, user)
        themes[row.path] = theme
    return themes


def _through(list_field: str):
    """The table behind one of an action's lists, and its column for the listed record."""
    through = getattr(Action, list_field).through
    target = next(f.attname for f in through._meta.fields if f.attname not in ("id", "action_id"))
    return through, target


def _set_named(named: list) -> None:
    """Replace the people and organisations lists worked out from the words in their cells."""
    for list_field in LIST_FIELDS:
        through, target = _through(list_field)
        wanted = [(action, found[list_field]) for action, found in named if list_field in found]
        if not wanted:
            continue
        through.objects.filter(action__in=[action.pk for action, _ in wanted]).delete()
        through.objects.bulk_create(
            [
                through(action_id=action.pk, **{target: record.pk})
                for action, records in wanted
                for record in records
            ],
            batch_size=BATCH,
        )


def _history_lists(plan: Plan, when) -> None:
    """Give the history rows just written their lists of people and organisations.

    django-simple-history keeps, for each history row, the lists as they were then; its bulk
    helpers do not, so without this the history would show every list emptied."""
    rows = {
        row.id: row
        for row in Action.history.filter(history_date=when, theme__plan=plan).only("pk", "id")
    }
    for list_field in LIST_FIELDS:
        through, target = _through(list_field)
        snapshot = apps.get_model("actions", f"HistoricalAction_{list_field}")
        links = through.objects.filter(action__theme__plan=plan)
        snapshot.objects.bulk_create(
            [
                snapshot(
                    history_id=rows[link.action_id].pk,
                    id=link.id,
                    action_id=link.action_id,
                    **{target: getattr(link, target)},
                )
                for link in links
                if link.action_id in rows
            ],
            batch_size=BATCH,
        )
