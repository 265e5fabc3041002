"""Applying a workbook import: the preview's changes written in one transaction."""

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from actions.models import (
    ACTION_LIST_FIELDS,
    Action,
    Indicator,
    Plan,
    ProgressUpdate,
    SeniorLeader,
    Theme,
)
from actions.rag import RAG
from actions.services import progress_update_edit
from cspplan import history
from cspplan.bulk import insert_records, insert_rows, runs, update_rows, values_table
from cspplan.saving import save_if_changed
from workbooks.preview import theme_paths


class ImportRefused(ValueError):
    """The workbook has problems; nothing was written."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(f"The import was refused: {len(problems)} problem(s) in the workbook.")


class ConflictsUnsettled(ValueError):
    """Both the plan and the workbook changed some fields since the export, and no side was
    chosen for them (workbooks.settling); nothing was written."""

    def __init__(self, count: int):
        self.count = count
        super().__init__(
            f"Nothing was written: choose the plan's or the workbook's value for each of the "
            f"{count} conflict(s) first."
        )


class PlanBusy(Exception):
    """Another import or save held the plan for longer than an import waits; nothing was
    written, and confirming again later will do."""


@contextmanager
def plan_locked(plan: Plan | None) -> Iterator[None]:
    """A transaction in which nobody else can change `plan` or its actions: preview an
    import inside it and apply that preview with `plan_import` before it ends, so that the
    preview is of the plan as the import finds it, and nothing saved after the preview is
    written over (two imports, or an import and the update form, take turns).

    PostgreSQL: the plan's row and its actions' rows are locked (the update form locks the
    action it saves, so it waits for the import, and then finds the action changed, or the
    import waits for it, and then previews its change). SQLite cannot lock rows: its
    transactions begin IMMEDIATE (cspplan/settings.py), taking the database's write lock at
    once, so no other write can come between. Either way, one that waits longer than
    settings.IMPORT_LOCK_WAIT_SECONDS raises PlanBusy. With no plan (a new one) it is just
    a transaction."""
    locked = False
    try:
        with transaction.atomic():
            if plan is not None:
                _lock(plan)
            locked = True
            yield
    except OperationalError as error:
        if locked:
            raise
        raise PlanBusy(f"The plan '{plan}' is being changed by someone else.") from error


def _lock(plan: Plan) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Until the transaction ends; a wait beyond it fails (LockNotAvailable).
            cursor.execute("SET LOCAL lock_timeout = %s", [f"{settings.IMPORT_LOCK_WAIT_SECONDS}s"])
    list(Plan.objects.select_for_update().filter(pk=plan.pk).values_list("pk"))
    actions = Action.objects.filter(theme__plan=plan).select_for_update(of=("self",))
    list(actions.order_by("pk").values_list("pk"))  # in one order: no deadlock between two


@transaction.atomic
def plan_import(preview, *, user=None, new_plan: dict | None = None) -> Plan:
    """Apply an import preview (workbooks.preview) in one transaction: all of it,
    or, if it has any problem, none of it.

    Actions are written in bulk with one history row each in the importing user's name, so
    an import takes the same number of queries for ten rows or ten thousand. `new_plan`
    gives the fields of the plan to create when the preview is for a new plan.
    """
    if preview.problems:
        raise ImportRefused(preview.problems)
    if preview.unsettled:
        raise ConflictsUnsettled(len(preview.unsettled))
    now = timezone.now()
    plan = preview.plan
    if plan is None:
        if getattr(new_plan.get("partnership"), "pk", None) != preview.partnership_id:
            # The preview named the people and organisations of another partnership.
            raise ValueError("The new plan's partnership is not the one it was previewed for.")
        plan = Plan(**new_plan)
        save_if_changed(plan, {}, user=user)
    else:
        values = {change.field: change.new for change in preview.plan_changes}
        save_if_changed(plan, values, user=user)
    if preview.leaders is not None:
        _replace_leaders(plan, preview.leaders, user)
    themes = _import_themes(plan, preview, user)
    _import_indicators(plan, preview, user)

    # Every action written has updated_at = now, a new one created_at = now too, and the
    # history rows of them all history_date = now: one moment for the whole import.
    new, changed, updated, fields = [], [], [], {"updated_at"}
    for change in preview.actions:
        if change.kind == "create":
            new.append(change)
        elif change.kind in ("update", "conflict") and change.changes:  # not only updates
            values, action = change.row.values, change.action
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
            changed.append(change)
    new_pks = insert_records(
        Action,
        [change.row.values for change in new],
        theme_id=[themes[change.row.theme].pk for change in new],
        order=[change.order for change in new],
        created_at=[now] * len(new),
        updated_at=[now] * len(new),
    )
    update_rows(Action, updated, sorted(fields))
    _set_named(
        [*new_pks, *(action.pk for action in updated)],
        [change.named for change in new + changed],
        new=len(new),
    )
    _write_history(
        Action,
        [*new_pks, *(action.pk for action in updated)],
        [history.CREATED] * len(new_pks) + [history.CHANGED] * len(updated),
        when=now,
        user=history.history_user(user),
        lists=ACTION_LIST_FIELDS,
    )
    _import_updates(preview, dict(zip(map(id, new), new_pks, strict=True)), user, now)
    return plan


IMPORT_REASON = "Imported from a workbook"


def _import_updates(preview, new_pks: dict, user, now) -> None:
    """The progress cells' new and changed updates (workbooks.progress), one history row
    each in `user`'s name. A new update is the importing user's (typed in by them, written
    by their person), dated `now`, and records the RAG status its action has now, as the
    update form records it; `new_pks` gives the new actions' records by id(change). New
    ones are written in bulk, as the actions are; a changed one (rare) is saved on its own."""
    new = []
    for change in preview.actions:
        if change.action is None:
            action_id, rag = new_pks[id(change)], change.row.values.get("rag", RAG.NOT_RATED)
        else:
            action_id, rag = change.action.pk, change.action.rag
        # Oldest first: updates of one date are shown newest first by creation (the later
        # key), so that the cell's order comes back.
        for update in reversed(change.updates):
            if update.update is None:
                new.append({"action_id": action_id, "rag": rag, **update.values})
            else:
                progress_update_edit(
                    update=update.update, user=user, reason=IMPORT_REASON, **update.values
                )
    if not new:
        return
    user = history.history_user(user)
    person = getattr(user, "person", None)
    pks = insert_records(
        ProgressUpdate,
        new,
        author_id=[person.pk if person else None] * len(new),
        created_by_id=[user.pk if user else None] * len(new),
        created_at=[now] * len(new),
    )
    _write_history(ProgressUpdate, pks, [history.CREATED] * len(pks), when=now, user=user)


def _import_indicators(plan: Plan, preview, user) -> None:
    """The workbook's new and changed performance measures, one history row each."""
    for change in preview.indicators:
        if change.kind not in ("create", "update"):
            continue  # unchanged, or not in the workbook: left as it is
        indicator = change.indicator or Indicator(plan=plan)
        save_if_changed(indicator, change.values, user=user, reason=IMPORT_REASON)


def _replace_leaders(plan: Plan, leaders: list[dict], user) -> None:
    current = list(plan.senior_leaders.order_by("order", "pk"))
    for order, values in enumerate(leaders):
        leader = current[order] if order < len(current) else SeniorLeader(plan=plan)
        save_if_changed(leader, {"order": order, **values}, user=user)
    for leader in current[len(leaders) :]:
        history.delete(leader, user=user)


def _import_themes(plan: Plan, preview, user) -> dict[tuple, Theme]:
    """Every theme of the plan by its path of names, creating the workbook's new ones."""
    existing = list(plan.themes.all())
    paths = theme_paths(existing)
    themes = {paths[theme.pk]: theme for theme in existing}
    for theme, changes in preview.theme_changes:
        save_if_changed(theme, {change.field: change.new for change in changes}, user=user)
    siblings = defaultdict(int)
    for theme in existing:
        siblings[theme.parent_id] = max(siblings[theme.parent_id], theme.order + 1)
    for row in preview.new_themes:
        parent = themes[row.path[:-1]] if len(row.path) > 1 else None
        parent_id = parent.pk if parent else None
        theme = Theme(plan=plan, parent=parent, name=row.path[-1], order=siblings[parent_id])
        siblings[parent_id] += 1
        save_if_changed(theme, {"description": row.description or ""}, user=user)
        themes[row.path] = theme
    return themes


def _through(list_field: str):
    """The table behind one of an action's lists, and its column for the listed record."""
    through = getattr(Action, list_field).through
    target = next(f.attname for f in through._meta.fields if f.attname not in ("id", "action_id"))
    return through, target


def _set_named(pks: list, named: list[dict], *, new: int) -> None:
    """Replace the people and organisations lists worked out from the words in their cells:
    named[i] ({list field: records}) for the action pks[i]. The first `new` of them are new
    actions, with no lists to remove."""
    for list_field in ACTION_LIST_FIELDS:
        through, target = _through(list_field)
        old, action_ids, target_ids = [], [], []
        for index, (pk, found) in enumerate(zip(pks, named, strict=True)):
            if list_field not in found:
                continue  # the row's words for this list are as they were
            if index >= new:
                old.append(pk)
            for record in found[list_field]:
                action_ids.append(pk)
                target_ids.append(record.pk)
        for start, stop in runs(len(old), 1):
            through.objects.filter(action_id__in=old[start:stop]).delete()
        fields = [through._meta.get_field(name) for name in ("action_id", target)]
        insert_rows(through, fields, [action_ids, target_ids])


def _write_history(model, pks: list, kinds: list[str], *, when, user, lists=()) -> None:
    """One history row for each record of `model` (an action, a progress update) the
    import wrote (`pks`), of its kind (`kinds`: "+" for one created, "~" for one changed),
    dated `when`, in `user`'s name, for IMPORT_REASON; and the lists (`lists`: an action's
    people and organisations) each now has.

    The rows are copied inside the database (INSERT ... SELECT) rather than built in Python
    by django-simple-history's bulk helpers, which takes seconds for thousands of actions.
    They hold what bulk_history_create writes: every tracked field, the date, the user, the
    reason and the type. The bulk helpers leave the lists out, so without the second part
    the history would show them emptied. The history rows written are known by the keys
    the first part returns, so the lists are copied for those rows and no others."""
    if not pks or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history_model = model.history.model
    q = connection.ops.quote_name
    date = history_model._meta.get_field("history_date").get_db_prep_save(when, connection)
    values = {
        history_model._meta.get_field(field.name).column: f"a.{q(field.column)}"
        for field in history_model.tracked_fields
    }
    values |= {
        "history_date": "%s",
        "history_change_reason": "%s",
        "history_type": f"w.{q('kind')}",
        "history_user_id": "%s",
    }
    unfilled = {f.column for f in history_model._meta.concrete_fields} - set(values)
    if unfilled - {"history_id"}:  # django-simple-history has grown a column left empty
        raise RuntimeError(f"Import history: no value for {', '.join(sorted(unfilled))}")
    keys = history_model._meta.pk, history_model._meta.get_field("id")
    written = [[], []]  # the history rows written, and the record of each
    with connection.cursor() as cursor:
        fields = [model._meta.pk, history_model._meta.get_field("history_type")]
        constants = [date, IMPORT_REASON, user.pk if user else None]
        for start, stop in runs(len(pks), len(fields), other_parameters=len(constants)):
            table, params = values_table(fields, [pks[start:stop], kinds[start:stop]])
            cursor.execute(
                f"WITH w ({q('id')}, {q('kind')}) AS ({table}) "
                f"INSERT INTO {q(history_model._meta.db_table)} ({', '.join(map(q, values))}) "
                f"SELECT {', '.join(values.values())} FROM {q(model._meta.db_table)} a "
                f"JOIN w ON w.{q('id')} = a.{q('id')} ORDER BY a.{q('id')} "
                f"RETURNING {q(keys[0].column)}, {q(keys[1].column)}",
                [*params, *constants],
            )
            for history_id, record_id in cursor.fetchall():
                written[0].append(history_id)
                written[1].append(record_id)
        for list_field in lists:
            through, target = _through(list_field)
            snapshot = apps.get_model("actions", f"HistoricalAction_{list_field}")
            for start, stop in runs(len(pks), len(keys)):
                table, params = values_table(keys, [ids[start:stop] for ids in written])
                cursor.execute(
                    f"WITH h ({q('history_id')}, {q('action_id')}) AS ({table}) "
                    f"INSERT INTO {q(snapshot._meta.db_table)} "
                    f"({q('history_id')}, {q('id')}, {q('action_id')}, {q(target)}) "
                    f"SELECT h.{q('history_id')}, l.{q('id')}, l.{q('action_id')}, "
                    f"l.{q(target)} FROM {q(through._meta.db_table)} l "
                    f"JOIN h ON h.{q('action_id')} = l.{q('action_id')}",
                    params,
                )
