"""Three-way import: what the workbook changed, what the plan changed since the export, and
where both changed the same field (a conflict).

An export writes, beside each action's hidden ID, the version of the action it was made
from: the newest row of its history (Action.history) when the workbook was written. On
import, each field a row carries is compared three ways, with the value exported (that
history row), the value now (the action) and the value in the workbook:

- the workbook still holds the value it was exported with: unchanged, whatever has happened
  in the plan since (an old workbook never puts old values back);
- the workbook changed it and the plan did not: an ordinary change;
- both changed it, to different values: a conflict, settled by the person importing (keep
  the plan's value or take the workbook's) before anything is written.

An action's theme is compared the same way: exported, the theme of the version; now, the
action's; in the workbook, the theme the row sits under. A row the workbook leaves under
the theme exported, while the plan has moved the action since, stays where the plan put it
(and is no part of the workbook theme's order); the workbook moving it is a move; both
moving it to different themes is a conflict, shown with the themes' paths. Taking the
workbook's theme puts the action at the end of that theme.

Positions within a theme (workbooks.preview._positions): the workbook's order of a theme's
actions counts only where it differs from the order they were exported in (the exported
versions' positions). Otherwise the workbook has not reordered them, and they keep the
order they have now (which the plan may have changed since), rows added in the workbook
staying after the action they follow there.

A row without a version (a partner's own workbook, a row added in Excel) is compared with the
plan as it is now. Progress updates are records of their own, not fields of the action, and
are not compared here.
"""

from dataclasses import dataclass

from django.db.models import Max, OuterRef, Subquery

from actions.models import Action
from cspplan.bulk import runs
from cspplan.history import history_model
from workbooks.cells import cell_text
from workbooks.rows import ActionRow, Problem
from workbooks.writing import CELL_LIMIT, clean_text

VERSION_HEADER = "cspplan version (do not change)"
KEEP_PLAN, TAKE_WORKBOOK = "plan", "workbook"

# A date cell gives two fields (the date, and the words when it was words). They are
# compared and settled together, so that a date never ends up beside another value's words.
TOGETHER = {
    "start_date": ("start_date", "start_text"),
    "start_text": ("start_date", "start_text"),
    "end_date": ("end_date", "end_text"),
    "end_text": ("end_date", "end_text"),
}


@dataclass
class Conflict:
    """A field (or a date's pair of fields) that both the plan and the workbook changed."""

    fields: tuple[str, ...]
    exported: tuple
    current: tuple
    workbook: tuple
    # The change that gave the plan its current value, as the history records it.
    changed_by: object = None
    changed_at: object = None
    choice: str | None = None  # KEEP_PLAN or TAKE_WORKBOOK, once settled

    @property
    def name(self) -> str:
        return self.fields[0]


def choice_name(action_pk: int, conflict: Conflict) -> str:
    """The name a conflict's choice goes by in the browser's form."""
    return f"conflict-{action_pk}-{conflict.name}"


def latest_version() -> Subquery:
    """The version an export records for each action: its newest history row (history rows
    are numbered in the order they are written)."""
    rows = history_model(Action).objects.filter(id=OuterRef("pk"))
    return Subquery(rows.values("id").annotate(newest=Max("history_id")).values("newest")[:1])


def set_aside(
    rows: list[tuple[ActionRow, Action | None]], path_of: dict[int, tuple[str, ...]]
) -> dict[int, list[Conflict]]:
    """Compare each row that carries its version with that version and with the action.

    Fields the workbook leaves as exported are taken out of the row's values, as a deleted
    column's are, so the plan keeps whatever it holds now; fields in conflict are taken out
    too and returned, {id(row): conflicts}, to be settled. A theme left as exported, or in
    conflict, is set aside likewise: the row is put under the action's theme now and marked
    to stay there (`path_of`: the plan's themes' paths by pk). A version that is not one of
    the row's action is a problem on the row. Two queries at most, however many rows
    (up to SQLite's limit on a statement's parameters, 32,766 by default).
    """
    versioned = [
        (row, action)
        for row, action in rows
        if action is not None and row.version is not None and row.id == action.pk
    ]
    if not versioned:
        return {}
    exported = _versions(sorted({row.version for row, _ in versioned}))
    conflicts: dict[int, list[Conflict]] = {}
    tracked = {field.name for field in history_model(Action).tracked_fields}
    theme_at = {path: pk for pk, path in path_of.items()}
    for row, action in versioned:
        version = exported.get(row.version)
        if version is None or version.id != action.pk:
            row.problems.append(
                Problem(
                    f"The hidden version cell holds {row.version}, which is not a version of "
                    "this row's action: leave it as exported, or clear it to compare the row "
                    "with the plan as it is now.",
                    row.sheet,
                    row.row,
                    VERSION_HEADER,
                )
            )
            continue
        row.exported = version
        found = _compare(row, action, version, tracked) + _compare_theme(
            row, action, path_of, theme_at
        )
        if found:
            conflicts[id(row)] = found
    _find_who_changed(conflicts, {id(row): (row, action) for row, action in versioned})
    return conflicts


def _versions(wanted: list[int]) -> dict[int, object]:
    """The history rows `wanted`, by history_id: one query for as many as SQLite takes in
    one statement (Django's in_bulk would ask 999 at a time there, so the query count would
    grow with the plan)."""
    history = history_model(Action).objects
    found = {}
    for start, stop in runs(len(wanted), 1):
        for version in history.filter(history_id__in=wanted[start:stop]):
            found[version.history_id] = version
    return found


def _compare(row: ActionRow, action: Action, version, tracked: set[str]) -> list[Conflict]:
    found = []
    for fields in _field_groups(row.values, tracked):
        workbook = tuple(row.values[name] for name in fields)
        current = tuple(getattr(action, name) for name in fields)
        exported = tuple(getattr(version, name) for name in fields)
        if workbook == current:
            continue  # nothing to change, whoever changed what
        if workbook == _as_read_back(exported):
            pass  # as exported: the plan's value stands
        elif current == exported:
            continue  # changed in the workbook only: an ordinary change
        else:
            found.append(Conflict(fields, exported, current, workbook))
        for name in fields:
            del row.values[name]
    return found


def _compare_theme(row: ActionRow, action: Action, path_of: dict, theme_at: dict) -> list:
    workbook, current, exported = theme_at.get(row.theme), action.theme_id, row.exported.theme_id
    found = []
    if workbook == current or (workbook != exported and current == exported):
        return found  # not moved, or moved in the workbook only: as any other row
    if workbook != exported:
        # The theme exported may since have been deleted: no path then.
        paths = (path_of.get(exported, ()), path_of[current], row.theme)
        found.append(Conflict(("theme",), *((path,) for path in paths)))
    row.theme, row.stays = path_of[current], True
    return found


def _field_groups(values: dict, tracked: set[str]) -> list[tuple[str, ...]]:
    """The fields of `values` to compare, a date with its words. Only the action's own fields
    that its history keeps (`tracked`): anything else a row carries (its dated progress
    updates, say) is not a field of the action and is left to the preview."""
    groups = []
    for name in values:
        if name not in tracked:
            continue
        group = tuple(other for other in TOGETHER.get(name, (name,)) if other in values)
        if group not in groups:
            groups.append(group)
    return groups


def _as_read_back(values: tuple) -> tuple:
    """Values as an untouched exported workbook reads back: text as a cell holds it."""
    return tuple(
        cell_text(clean_text(value)[:CELL_LIMIT]) if isinstance(value, str) else value
        for value in values
    )


def _find_who_changed(conflicts: dict[int, list[Conflict]], rows: dict) -> None:
    """For each conflict, the history row that gave the field its current value: the last of
    the action's rows since the exported version in which the field's value changed."""
    if not conflicts:
        return
    since = {rows[key][1].pk: rows[key][0].version for key in conflicts}
    later = (
        history_model(Action)
        .objects.filter(id__in=since, history_id__gt=min(since.values()))
        .select_related("history_user__person")
        .order_by("history_id")
    )
    by_action: dict[int, list] = {}
    for version in later:
        if version.history_id > since[version.id]:
            by_action.setdefault(version.id, []).append(version)
    for key, found in conflicts.items():
        row, action = rows[key]
        for conflict in found:
            before = _value(row.exported, conflict.fields)
            for version in by_action.get(action.pk, []):
                value = _value(version, conflict.fields)
                if value != before:
                    conflict.changed_by = version.history_user
                    conflict.changed_at = version.history_date
                    before = value


def _value(version, fields: tuple[str, ...]) -> tuple:
    """A version's value of a conflict's fields; a theme by its key (not a query for it)."""
    return tuple(getattr(version, "theme_id" if name == "theme" else name) for name in fields)
