"""Writes to plans, themes, actions, progress updates and indicators."""

import datetime
import hashlib
import sqlite3
from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone

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

    # Every action written gets updated_at = now (and a new one created_at = now too):
    # _write_history finds them by it.
    new, changed, updated, fields = [], [], [], {"updated_at"}
    for change in preview.actions:
        if change.kind == "create":
            new.append(change)
        elif change.kind == "update":
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
    new_pks = _create(
        Action,
        [change.row.values for change in new],
        theme_id=[themes[change.row.theme].pk for change in new],
        order=[change.order for change in new],
        created_at=[now] * len(new),
        updated_at=[now] * len(new),
    )
    _update(Action, updated, sorted(fields))
    _set_named(
        [*new_pks, *(action.pk for action in updated)],
        [change.named for change in new + changed],
        new=len(new),
    )
    if new or updated:
        if new:  # django-simple-history's user lookup takes an action: the first written
            first = new[0]
            action = Action(
                pk=new_pks[0], theme=themes[first.row.theme], order=first.order, **first.row.values
            )
        else:
            action = updated[0]
        # As django-simple-history chooses it: with no user given, the request's (if any).
        history_user = user or Action.history.model.get_default_history_user(action)
        _write_history(plan, now, history_user)
    return plan


IMPORT_REASON = "Imported from a workbook"
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


def _set_named(pks: list, named: list[dict], *, new: int) -> None:
    """Replace the people and organisations lists worked out from the words in their cells:
    named[i] ({list field: records}) for the action pks[i]. The first `new` of them are new
    actions, with no lists to remove."""
    for list_field in LIST_FIELDS:
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
        for start, stop in _runs(len(old), 1):
            through.objects.filter(action_id__in=old[start:stop]).delete()
        fields = [through._meta.get_field(name) for name in ("action_id", target)]
        _insert_rows(through, fields, [action_ids, target_ids])


def _write_history(plan: Plan, when, user) -> None:
    """One history row for each action the import wrote (those it gave updated_at `when`),
    and the lists of people and organisations each now has.

    The rows are copied inside the database (INSERT ... SELECT) rather than built in Python
    by django-simple-history's bulk helpers, which takes seconds for thousands of actions.
    They hold what bulk_history_create writes: every tracked field, `when`, the user,
    IMPORT_REASON, and "+" for a created action or "~" for a changed one. The bulk helpers
    leave the lists out, so without the second part the history would show them emptied."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = Action.history.model
    q = connection.ops.quote_name
    date = history._meta.get_field("history_date").get_db_prep_save(when, connection)
    in_plan = f"IN (SELECT {q('id')} FROM {q(Theme._meta.db_table)} WHERE {q('plan_id')} = %s)"
    values = {
        history._meta.get_field(field.name).column: f"a.{q(field.column)}"
        for field in history.tracked_fields
    }
    values |= {
        "history_date": "%s",
        "history_change_reason": "%s",
        "history_type": f"CASE WHEN a.{q('created_at')} = %s THEN '+' ELSE '~' END",
        "history_user_id": "%s",
    }
    unfilled = {f.column for f in history._meta.concrete_fields} - set(values) - {"history_id"}
    if unfilled:  # django-simple-history has grown a column this copy would leave empty
        raise RuntimeError(f"Import history: no value for {', '.join(sorted(unfilled))}")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(history._meta.db_table)} ({', '.join(map(q, values))}) "
            f"SELECT {', '.join(values.values())} FROM {q(Action._meta.db_table)} a "
            f"WHERE a.{q('updated_at')} = %s AND a.{q('theme_id')} {in_plan} "
            f"ORDER BY a.{q('id')}",
            [date, IMPORT_REASON, date, user.pk if user else None, date, plan.pk],
        )
        for list_field in LIST_FIELDS:
            through, target = _through(list_field)
            snapshot = apps.get_model("actions", f"HistoricalAction_{list_field}")
            cursor.execute(
                f"INSERT INTO {q(snapshot._meta.db_table)} "
                f"({q('history_id')}, {q('id')}, {q('action_id')}, {q(target)}) "
                f"SELECT h.{q('history_id')}, l.{q('id')}, l.{q('action_id')}, l.{q(target)} "
                f"FROM {q(through._meta.db_table)} l "
                f"JOIN {q(history._meta.db_table)} h ON h.{q('id')} = l.{q('action_id')} "
                f"WHERE h.{q('history_date')} = %s AND h.{q('theme_id')} {in_plan}",
                [date, plan.pk],
            )


# ---- writing many rows -------------------------------------------------------------------
# Django's bulk_create and bulk_update cost more than the database does for thousands of
# rows: bulk_update builds a CASE expression per field per row (seconds for 10,000), and on
# SQLite both split the rows into batches of 999 parameters, far below SQLite's own limit.
# These write the same values in as few statements as the database allows.


def _prepared(field, values) -> list:
    """`values` (an iterable) of `field`, as the database driver takes them."""
    # The connection itself rather than the `connection` proxy, which looks every attribute
    # up in a thread-local: a fifth of the time of preparing 250,000 values.
    db = connections[DEFAULT_DB_ALIAS]
    prepare = field.get_db_prep_save
    if type(field) in (models.CharField, models.TextField):
        # Django prepares a str for these as itself; most of an action's values are text,
        # and the calls it takes to find that out were half the time of preparing them.
        return [value if type(value) is str else prepare(value, db) for value in values]
    return [prepare(value, db) for value in values]


def _create(model, records: list[dict], **columns: list) -> list:
    """INSERT a row for each record ({attname: value}), with its values in `columns`
    ({attname: [a value for each record]}): what model(**record, **those values) would be
    saved with (no auto_now, no signals, as bulk_create), the fields' defaults for the rest.
    The new rows' primary keys, in order.

    Column by column, with no model instance, or any other object, for each row: making and
    reading back 10,000 actions took longer than preparing their values, and every object
    that lasts through an import makes Python's cycle collector go over all of them again."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    given = set().union(*records)
    unknown = (given | columns.keys()) - {field.attname for field in fields}
    if unknown or given & columns.keys():  # as model(...) refuses them
        wrong = sorted(unknown or given & columns.keys())
        raise TypeError(f"{model.__name__}: unknown or repeated field(s) {', '.join(wrong)}")
    values = []
    for field in fields:
        name = field.attname
        if name in columns:
            column = columns[name]
        elif field.has_default() and callable(field.default):  # a new value for each row
            column = (record[name] if name in record else field.get_default() for record in records)
        else:
            default = field.get_default()
            column = (record.get(name, default) for record in records)
        values.append(_prepared(field, column))
    return _insert_rows(model, fields, values, returning=True)


def _runs(count: int, parameters_per_row: int):
    """(start, stop) of runs of `count` rows that fit one statement each. SQLite allows a set
    number of parameters per statement (32,766 by default; Debian's build 250,000);
    psycopg2 fills parameters in on the client, so PostgreSQL takes any number."""
    if not count:
        return
    size = count
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        size = max(1, limit // parameters_per_row)
    for start in range(0, count, size):
        yield start, min(start + size, count)


def _table(fields, columns: list[list]) -> tuple[str, list]:
    """SQL for a table of the values in `columns` (one list per field of `fields`, as the
    driver takes them), and its parameters. SQLite gets a VALUES list. PostgreSQL gets an
    array per column, as Django's own bulk_create sends rows there: planning a VALUES list
    of thousands of rows takes longer than the insert itself. The arrays are typed without
    lengths (varchar, not varchar(300)), as Django does, so that nothing is cut: an overlong
    text fails instead."""
    if connection.vendor == "postgresql":
        types = [field.db_type(connection).split("(")[0] for field in fields]
        arrays = ", ".join(f"(%s)::{db_type}[]" for db_type in types)
        return f"SELECT * FROM UNNEST({arrays})", [_array(column) for column in columns]
    row = f"({', '.join(['%s'] * len(fields))})"
    params = [value for values in zip(*columns, strict=True) for value in values]
    return f"VALUES {', '.join([row] * len(columns[0]))}", params


def _array(column) -> str | list:
    """A column of values for PostgreSQL: one array literal ('{"text",7,NULL}') where every
    value is of a kind written here, else the list, for psycopg2 to send as ARRAY[...].

    psycopg2 would send a list as ARRAY['text', 7, NULL], one SQL constant per value, which
    it has to quote and the server to parse and transform one by one: for the 230,000
    values of 10,000 actions that took longer than the insert itself. One literal string is
    quoted and parsed (by the array type's own input function) at a fraction of the cost.
    The text of each value is what the column type's input function reads back as the same
    value: ISO 8601 for dates and times, as psycopg2 writes them too."""
    items = []
    append = items.append
    for value in column:
        if isinstance(value, str):
            # Quoted, every character stands for itself but a backslash or a double quote.
            append('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"')
        elif value is None:
            append("NULL")
        elif isinstance(value, bool):
            append("t" if value else "f")
        elif isinstance(value, int):
            append(str(int(value)))  # int() so that an IntEnum gives its number
        elif isinstance(value, datetime.date):  # datetimes too
            append(value.isoformat())
        else:  # a kind psycopg2 knows how to send better (Decimal, UUID, JSON, bytes ...)
            return list(column)
    return "{" + ",".join(items) + "}"


def _insert_rows(model, fields, columns: list[list], *, returning: bool = False) -> list:
    """INSERT rows of the values in `columns` (one list per field of the model's `fields`,
    as the driver takes them); the new rows' primary keys, in order, when `returning`."""
    q = connection.ops.quote_name
    into = f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(f.column) for f in fields)})"
    count = len(columns[0])
    if any(len(column) != count for column in columns):
        raise ValueError("The columns of an INSERT differ in length.")
    pks = []
    with connection.cursor() as cursor:
        for start, stop in _runs(count, len(fields)):
            table, params = _table(fields, [column[start:stop] for column in columns])
            sql = f"{into} {table}"
            if returning:
                sql += f" RETURNING {q(model._meta.pk.column)}"
            cursor.execute(sql, params)
            if returning:
                # Rows come back in the order they were given, as Django's bulk_create
                # also relies on.
                pks += [pk for (pk,) in cursor.fetchall()]
    return pks


def _update(model, objs: list, names: list[str]) -> None:
    """UPDATE each object's row to its values of the fields `names`, joining the table to a
    table of (pk, values...)."""
    q = connection.ops.quote_name
    fields = [model._meta.pk, *(model._meta.get_field(name) for name in names)]
    aliases = ["pk", *(f"v{index}" for index in range(len(names)))]
    table = q(model._meta.db_table)
    setters = ", ".join(
        f"{q(field.column)} = new.{alias}"
        for alias, field in zip(aliases[1:], fields[1:], strict=True)
    )
    columns = [_prepared(field, [getattr(obj, field.attname) for obj in objs]) for field in fields]
    with connection.cursor() as cursor:
        for start, stop in _runs(len(objs), len(fields)):
            new, params = _table(fields, [column[start:stop] for column in columns])
            cursor.execute(
                f"WITH new ({', '.join(aliases)}) AS ({new}) UPDATE {table} SET {setters} "
                f"FROM new WHERE {table}.{q(model._meta.pk.column)} = new.pk",
                params,
            )


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
    _save_by(update, {}, user)
    return update


def _save_in_browser(action: Action, values: dict, user, reason: str) -> bool:
    """Save `values` with one history row in `user`'s name, saying how it was changed."""
    action._change_reason = reason
    try:
        return _save_by(action, values, user)
    finally:
        del action._change_reason
