"""An action's change history as people read it: who changed what, when, from what to what.

django-simple-history keeps a full copy of the action at every change (in the browser, in
the admin, by an import), and of its lead and supporting lists. Each copy is compared with
the one before it (`diff_against`), giving one row per field that changed. The lists are
compared here from snapshots loaded once for all copies: `diff_against` would query twice
per copy for each list, and the page must take the same number of queries however long
its history. The history of the action's progress updates (added, corrected, removed) is
part of the action's history too.
"""

import datetime
import functools
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.utils.text import capfirst

from actions.models import ACTION_LIST_FIELDS as LIST_FIELDS
from actions.models import Action, Indicator, IndicatorValue, Marking, ProgressUpdate, Theme
from actions.rag import RAG
from actions.services import VERSIONED_FIELDS, action_version
from boards.models import Board
from cspplan.display import show_date, show_number, user_name

LABELS = {"text": "Action", "order": "Position in its theme", "theme": "Theme"}
UPDATE_FIELDS = ("date", "period", "text", "rag", "author")
# How far back to look for the version a form was filled in from.
VERSION_SEARCH_LIMIT = 200


@dataclass
class Change:
    """One row of the history: what changed in one field, or what happened to the action
    or one of its progress updates (`what` says which; `before`/`after` may be blank)."""

    when: datetime.datetime
    who: str
    how: str  # the change reason recorded with it ("Imported from a workbook"), if any
    what: str
    before: str = ""
    after: str = ""
    order: tuple = field(default=(), repr=False)


@dataclass
class SinceVersion:
    """What changed in an action after the version a form was filled in from."""

    base: object | None  # the history record of that version, if it was found
    changes: list[Change]  # oldest first
    updates: list[ProgressUpdate]  # progress updates added since, oldest first


def action_history(action: Action, *, marked_updates: bool = True) -> list[Change]:
    """Every recorded change to the action and its progress updates, newest first; without
    `marked_updates`, none of the updates ever marked OFFICIAL-SENSITIVE."""
    records = list(_records(action).order_by("history_date", "history_id"))
    snapshots = _list_snapshots(action)
    changes = _action_changes(records, snapshots=snapshots)
    changes += _update_changes(action, marked_updates=marked_updates)
    changes.sort(key=lambda change: change.order, reverse=True)
    return changes


def since_version(action: Action, version: str, *, marked_updates: bool = True) -> SinceVersion:
    """The changes to the fields an update form edits, made after the newest history record
    whose version is `version`, and the progress updates added with or after them (without
    `marked_updates`, those marked OFFICIAL-SENSITIVE left out)."""
    newest_first = list(
        _records(action).order_by("-history_date", "-history_id")[:VERSION_SEARCH_LIMIT]
    )
    index = next(
        (i for i, record in enumerate(newest_first) if action_version(record) == version), None
    )
    if index is None:
        return SinceVersion(base=None, changes=[], updates=[])
    base = newest_first[index]
    newer = list(reversed(newest_first[: index + 1]))  # the base first, as the baseline
    changes = _action_changes(newer, snapshots=None, fields=VERSIONED_FIELDS, baseline=True)
    updates = []
    if len(newer) > 1:
        # The updates saved with those changes are created just after them (the service
        # saves the action, then the update); earlier ones were there when the form was.
        added = action.updates.filter(created_at__gte=newer[1].history_date)
        if not marked_updates:
            added = added.exclude(marking=Marking.OFFICIAL_SENSITIVE)
        updates = list(added.select_related("author").order_by("created_at", "pk"))
    return SinceVersion(base=base, changes=changes, updates=updates)


# ---- the action's own fields ---------------------------------------------------------------


def _records(action: Action):
    return action.history.select_related("history_user__person")


def _action_changes(
    records: list, *, snapshots: dict | None, fields=None, baseline: bool = False
) -> list[Change]:
    """Rows for each record compared with the one before it (`records` oldest first).
    `snapshots`: the lists of each record (None: leave the lists out). `fields`: only
    these fields (default: every editable one). `baseline`: the first record is only
    what the next is compared with."""
    lists = list(LIST_FIELDS) if snapshots is not None else []
    pending = []  # (record, [(field name, old, new)])
    pairs = list(zip([None, *records], records, strict=False))
    for previous, record in pairs[1:] if baseline else pairs:
        if record.history_type == "+":
            pending.append((record, "Action created"))
            continue
        if record.history_type == "-":
            pending.append((record, "Action deleted"))
            continue
        if previous is None:
            continue  # the oldest record kept is not the creation: no baseline to compare
        delta = record.diff_against(previous, excluded_fields=LIST_FIELDS, included_fields=fields)
        diffs = [(change.field, change.old, change.new) for change in delta.changes]
        for name in lists:
            old = snapshots.get(previous.history_id, {}).get(name, [])
            new = snapshots.get(record.history_id, {}).get(name, [])
            if old != new:
                diffs.append((name, old, new))
        if diffs:
            pending.append((record, sorted(diffs, key=lambda diff: _field_order(diff[0]))))
    names = _related_names(pending)
    changes = []
    for record, diffs in pending:
        if isinstance(diffs, str):
            changes.append(_change(record, what=diffs))
            continue
        for position, (name, old, new) in enumerate(diffs):
            changes.append(
                _change(
                    record,
                    what=_label(name),
                    before=_shown(name, old, names),
                    after=_shown(name, new, names),
                    position=position,
                )
            )
    return changes


def _list_snapshots(action: Action) -> dict[int, dict[str, list[str]]]:
    """{history record id: {list field: sorted names}}, one query per list."""
    snapshots: dict[int, dict[str, list[str]]] = {}
    for name in LIST_FIELDS:
        model = apps.get_model("actions", f"HistoricalAction_{name}")
        target = "person" if name == "lead_people" else "organisation"
        rows = model.objects.filter(action_id=action.pk).select_related(target)
        for row in rows:
            listed = getattr(row, target)
            shown = listed.name if listed is not None else _gone(target, row)
            snapshots.setdefault(row.history_id, {}).setdefault(name, []).append(shown)
    for lists in snapshots.values():
        for names in lists.values():
            names.sort(key=str.casefold)
    return snapshots


def _gone(target: str, row) -> str:
    return f"(a {target} since deleted, number {getattr(row, f'{target}_id')})"


@functools.cache
def _field_order(name: str) -> int:
    """Fields in the order the model declares them (unknown ones last)."""
    names = [f.name for f in Action._meta.get_fields()]
    return names.index(name) if name in names else len(names)


def _model_field(name: str):
    try:
        return Action._meta.get_field(name)
    except FieldDoesNotExist:  # a field the model no longer has; its history keeps it
        return Action.history.model._meta.get_field(name)


def _label(name: str) -> str:
    return LABELS.get(name) or capfirst(_model_field(name).verbose_name)


def _related_names(pending: list) -> dict:
    """{(model, pk): name} for the themes and boards the changes refer to: one query each."""
    wanted = {Theme: set(), Board: set()}
    for _, diffs in pending:
        if isinstance(diffs, str):
            continue
        for name, old, new in diffs:
            model = getattr(_model_field(name), "related_model", None)
            if model in wanted and name not in LIST_FIELDS:
                wanted[model].update(pk for pk in (old, new) if pk is not None)
    names = {}
    for model, pks in wanted.items():
        if pks:
            for pk, text in model.objects.filter(pk__in=pks).values_list("pk", "name"):
                names[(model, pk)] = text
    return names


def _shown(name: str, value, names: dict) -> str:
    """A value as words: choices by their label, dates in full, records by their name."""
    if name in LIST_FIELDS:
        return ", ".join(value)
    if value is None or value == "":
        return ""
    model_field = _model_field(name)
    if model_field.is_relation:
        model = model_field.related_model
        return names.get((model, value), f"(a {model._meta.verbose_name} since deleted)")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return show_date(value)
    return str(value)


# ---- progress updates ----------------------------------------------------------------------


def _update_changes(action: Action, *, marked_updates: bool) -> list[Change]:
    records = (
        ProgressUpdate.history.filter(action_id=action.pk)
        .select_related("history_user__person", "author")
        .order_by("history_date", "history_id")
    )
    if not marked_updates:
        ever_marked = ProgressUpdate.history.filter(
            action_id=action.pk, marking=Marking.OFFICIAL_SENSITIVE
        )
        records = records.exclude(id__in=ever_marked.values("id"))
    previous_of: dict[int, object] = {}
    changes = []
    for record in records:
        previous = previous_of.get(record.id)
        previous_of[record.id] = record
        if record.history_type == "+":
            changes.append(_change(record, "Progress update added", after=_summary(record)))
        elif record.history_type == "-":
            changes.append(_change(record, "Progress update removed", before=_summary(record)))
        elif previous is not None:
            delta = record.diff_against(previous, included_fields=UPDATE_FIELDS)
            for position, change in enumerate(delta.changes):
                model_field = ProgressUpdate._meta.get_field(change.field)
                changes.append(
                    _change(
                        record,
                        f"Progress update of {_update_date(previous)}: "
                        f"{capfirst(model_field.verbose_name)}",
                        before=_update_value(previous, change.field),
                        after=_update_value(record, change.field),
                        position=position,
                    )
                )
    return changes


def _update_date(record) -> str:
    return record.period or show_date(record.date)


def _summary(record) -> str:
    text = f"{_update_date(record)}: {record.text}"
    if record.rag:
        text += f" (RAG status set: {RAG(record.rag).label})"
    return text


def _update_value(record, name: str) -> str:
    if name == "author":
        return _person_name(record, "author")
    value = getattr(record, name)
    if name == "rag":
        return RAG(value).label if value in RAG.values else ""
    if isinstance(value, datetime.date):
        return show_date(value)
    return value or ""


# ---- indicators ----------------------------------------------------------------------------

INDICATOR_FIELDS = (
    "ref",
    "category",
    "description",
    "direction",
    "baseline_label",
    "baseline",
    "target_label",
    "target",
    "target_text",
)
VALUE_FIELDS = ("date", "period", "value", "note")


def indicators_history(indicators: list[Indicator]) -> dict[int, list[Change]]:
    """Every recorded change to each indicator (its target and other fields) and to its
    values (added, corrected, removed), newest first, by indicator pk: two queries for any
    number of indicators."""
    pks = [indicator.pk for indicator in indicators]
    found: dict[int, list[Change]] = {pk: [] for pk in pks}
    kinds = (
        (Indicator.history.filter(id__in=pks), INDICATOR_FIELDS, Indicator, "Indicator", "id"),
        (
            IndicatorValue.history.filter(indicator_id__in=pks),
            VALUE_FIELDS,
            IndicatorValue,
            "Value",
            "indicator_id",
        ),
    )
    for records, fields, model, noun, indicator_of in kinds:
        records = records.select_related("history_user__person").order_by(
            "history_date", "history_id"
        )
        for indicator_pk, record, what, before, after, position in _record_changes(
            records, fields, model, noun, lambda record, key=indicator_of: getattr(record, key)
        ):
            found[indicator_pk].append(
                _change(record, what, before=before, after=after, position=position)
            )
    for changes in found.values():
        changes.sort(key=lambda change: change.order, reverse=True)
    return found


def _record_changes(records, fields, model, noun: str, owner):
    """(owner pk, record, what, before, after, position) for each change in `records`
    (oldest first): a record created or deleted, or each of `fields` that changed."""
    previous_of: dict[int, object] = {}
    for record in records:
        previous = previous_of.get(record.id)
        previous_of[record.id] = record
        name = noun if model is Indicator else f"Value for {_value_when(record)}"
        if record.history_type == "+":
            after = "" if model is Indicator else _value_summary(record)
            yield owner(record), record, f"{name} added", "", after, 0
        elif record.history_type == "-":
            before = "" if model is Indicator else _value_summary(record)
            yield owner(record), record, f"{name} removed", before, "", 0
        elif previous is not None:
            delta = record.diff_against(previous, included_fields=list(fields))
            for position, change in enumerate(delta.changes):
                label = capfirst(model._meta.get_field(change.field).verbose_name)
                yield (
                    owner(record),
                    record,
                    f"{name}: {label}",
                    _plain(model, change.field, change.old),
                    _plain(model, change.field, change.new),
                    position,
                )


def _value_when(record) -> str:
    return record.period or show_date(record.date)


def _value_summary(record) -> str:
    text = show_number(record.value)
    return f"{text} ({record.note})" if record.note else text


def _plain(model, name: str, value) -> str:
    if value is None or value == "":
        return ""
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return show_date(value)
    if model_field.get_internal_type() == "DecimalField":
        return show_number(value)
    return str(value)


# ---- any tracked model (the audit log) -----------------------------------------------------


def field_changes(record, previous) -> list[tuple[str, object, object]]:
    """(field name, before, after) for each tracked field that differs between two history
    rows of one record of any tracked model (`previous` the older), lists left out, in the
    order the model declares its fields: the same comparison as the histories above."""
    lists = [field.name for field in record._history_m2m_fields]
    delta = record.diff_against(previous, excluded_fields=lists)
    order = [field.name for field in record._meta.get_fields()]
    return sorted(
        ((change.field, change.old, change.new) for change in delta.changes),
        key=lambda change: order.index(change[0]) if change[0] in order else len(order),
    )


def field_label(history, name: str) -> str:
    """A field (or list) of a history model as people read its name."""
    try:
        model_field = history._meta.get_field(name)
    except FieldDoesNotExist:  # a list: the history keeps its rows in a table of their own
        model_field = history.instance_type._meta.get_field(name)
    return LABELS.get(name) or capfirst(model_field.verbose_name)


def shown_value(history, name: str, value, names: dict) -> str:
    """A field's value as the histories show it: choices by their label, dates in full,
    numbers without trailing zeros, records by their name in `names` ({(model, pk): name}).
    `history` is the history model (its fields are the model's as they were recorded)."""
    model_field = history._meta.get_field(name)
    if model_field.is_relation and value not in (None, ""):
        model = model_field.related_model
        return names.get((model, value), f"(a {model._meta.verbose_name} since deleted)")
    return _plain(history, name, value)


# ---- common --------------------------------------------------------------------------------


def _change(record, what: str, *, before="", after="", position=0) -> Change:
    return Change(
        when=record.history_date,
        who=user_name(record.history_user),
        how=record.history_change_reason or "",
        what=what,
        before=before,
        after=after,
        # Newest first when reversed; within one record, fields in the model's order.
        order=(record.history_date, -position),
    )


def _person_name(record, name: str) -> str:
    if getattr(record, f"{name}_id") is None:
        return ""
    try:
        person = getattr(record, name)
    except ObjectDoesNotExist:
        person = None
    return person.name if person is not None else "(a person since deleted)"
