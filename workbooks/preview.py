"""What an import would do: the parsed workbook compared with the plan in the database.

Rows are matched to actions by our record number (the hidden ID column) when they have one,
otherwise by theme and action number, otherwise (unnumbered actions) by position within
their theme, so importing the same workbook twice never duplicates anything. Nothing here
writes; `workbooks.services.plan_import` applies a preview that has no problems.
"""

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models

from actions.closing import PlanClosed
from actions.models import Action, Marking, Plan, PlanStatus, SeniorLeader, Theme
from actions.rag import RAG
from boards.models import Partnership
from boards.names import NameIndex
from cspplan.display import show_date
from workbooks.indicators import IndicatorChange, indicator_changes
from workbooks.progress import UpdateChange, keep_undated, progress_changes
from workbooks.rows import ActionRow, ParsedWorkbook, Problem, RowMatches, ThemeRow
from workbooks.versions import Conflict, set_aside

# Lists of people and organisations worked out from the words in a cell.
NAMED_IN = {
    "leads": ("lead_people", "people_in"),
    "lead_organisations_text": ("lead_organisations", "organisations_in"),
    "supporting_organisations_text": ("supporting_organisations", "organisations_in"),
}
WHO = {"people_in": "person", "organisations_in": "organisation"}
LEADER_FIELDS = ("name", "organisation", "role")


def label(name: str, model=Action) -> str:
    """A field's name as the preview shows it: the model's, with the first letter raised."""
    if name == "theme":
        return "Theme"
    if name == "order":
        return "Position in theme"
    words = str(model._meta.get_field(name).verbose_name)
    return words[:1].upper() + words[1:]


RAG_CODES = frozenset(RAG.values)  # RAG.values builds its list afresh at every use


def shown(value, choices: dict | None = None) -> str:
    """A value as the preview shows it; `choices` gives the words for a stored code."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, datetime.date):
        return show_date(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "(none)"
    if choices and value in choices:
        return str(choices[value])
    if choices is None and isinstance(value, str) and value in RAG_CODES:
        return RAG(value).label  # a RAG code, from a caller that passed no choices
    return str(value)


def shown_field(name: str, value, model=Action) -> str:
    """A value of the model's field `name` as the preview shows it: a coded choice (RAG,
    origin) as its words."""
    choices = None if name in ("theme", "order") else _choices(model, name)
    return shown(value, choices)


@functools.cache
def _choices(model, name: str) -> dict | None:
    """The words for each stored code of the model's field `name`, or None for a field
    without choices (looked up once: a large import's preview shows every field of
    thousands of rows)."""
    return dict(model._meta.get_field(name).flatchoices) or None


@dataclass
class FieldChange:
    field: str
    old: object
    new: object
    model: type[models.Model] = Action

    @property
    def label(self) -> str:
        return label(self.field, self.model)

    @property
    def old_shown(self) -> str:
        return shown_field(self.field, self.old, self.model)

    @property
    def new_shown(self) -> str:
        return shown_field(self.field, self.new, self.model)

    def __str__(self) -> str:
        return f"{self.label}: {self.old_shown} → {self.new_shown}"


@dataclass
class ActionChange:
    kind: str  # "create", "update", "unchanged" or "conflict" (workbooks.versions)
    row: ActionRow
    action: Action | None = None
    changes: list[FieldChange] = field(default_factory=list)
    # Worked out by the importer: the order within the theme, and named people/organisations.
    order: int = 0
    named: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # e.g. a lead no one is called
    # Fields both the plan and the workbook changed since the export (workbooks.versions).
    conflicts: list[Conflict] = field(default_factory=list)
    # New and changed progress updates, from the progress cell (workbooks.progress).
    updates: list[UpdateChange] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.row.problems)


@dataclass
class ImportPreview:
    layout: str
    plan: Plan | None  # None: a new plan will be made
    parsed: ParsedWorkbook
    plan_changes: list[FieldChange] = field(default_factory=list)
    leaders: list[dict] | None = None  # the new senior leadership list, when it changes
    new_themes: list[ThemeRow] = field(default_factory=list)
    theme_changes: list[tuple[Theme, list[FieldChange]]] = field(default_factory=list)
    actions: list[ActionChange] = field(default_factory=list)
    not_in_workbook: list[Action] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The performance measures, compared by workbooks.indicators (not in the counts).
    indicators: list[IndicatorChange] = field(default_factory=list)
    # The plan's partnership (a new plan's to be), by its key: only its people and
    # organisations are named by the workbook's words (boards.names.NameIndex).
    partnership_id: int | None = None

    def count(self, kind: str) -> int:
        return sum(1 for change in self.actions if change.kind == kind and not change.refused)

    @property
    def refused(self) -> int:
        return sum(1 for change in self.actions if change.refused)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def summary(self) -> str:
        return (
            f"Summary: created={self.count('create')} updated={self.count('update')} "
            f"unchanged={self.count('unchanged')} conflicts={self.count('conflict')} "
            f"refused={self.refused}"
        )

    @property
    def unsettled(self) -> list[Conflict]:
        """The conflicts no one has chosen a side for yet: nothing may be written."""
        return [
            conflict
            for change in self.actions
            if not change.refused
            for conflict in change.conflicts
            if conflict.choice is None
        ]

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.plan is None
            or self.plan_changes
            or self.leaders is not None
            or self.new_themes
            or self.theme_changes
            or self.count("create")
            or self.count("update")
            or self.count("conflict")
            or any(change.kind in ("create", "update") for change in self.indicators)
        )


def theme_paths(themes: list[Theme]) -> dict[int, tuple[str, ...]]:
    by_pk = {theme.pk: theme for theme in themes}
    paths: dict[int, tuple[str, ...]] = {}

    def path(theme: Theme) -> tuple[str, ...]:
        if theme.pk not in paths:
            parent = by_pk.get(theme.parent_id)
            paths[theme.pk] = (path(parent) if parent else ()) + (theme.name,)
        return paths[theme.pk]

    for theme in themes:
        path(theme)
    return paths


def preview_import(
    parsed: ParsedWorkbook, plan: Plan | None, *, partnership: Partnership | None = None
) -> ImportPreview:
    """What importing `parsed` into `plan` would do; for a new plan (`plan` None), in the
    `partnership` it will belong to, whose people and organisations alone the words name."""
    partnership_id = plan.partnership_id if plan else getattr(partnership, "pk", None)
    if partnership_id is None:
        raise ValueError("Say which partnership the new plan belongs to.")
    preview = ImportPreview(
        layout=parsed.layout, plan=plan, parsed=parsed, partnership_id=partnership_id
    )
    preview.notes += [
        f"Column {column} is not part of the {parsed.layout.upper()} layout and was ignored."
        for column in parsed.ignored_columns
    ]
    themes = list(plan.themes.all()) if plan else []
    path_of = theme_paths(themes)
    theme_at = {path: theme for theme in themes for path in [path_of[theme.pk]]}
    existing = list(Action.objects.filter(theme__plan=plan).order_by("order", "pk")) if plan else []

    _plan_changes(preview, parsed, plan)
    _theme_changes(preview, parsed, theme_at)
    matches = _match_rows(preview, parsed, existing, theme_at)
    names = NameIndex(partnership_id)
    rows = [(row, matches.get(id(row))) for row in parsed.actions]
    for row, action in rows:
        keep_undated(row, action)  # before the three-way comparison sees the undated text
    conflicts = set_aside(rows, path_of)
    named = [_named_in(row, action, names) for row, action in rows]
    lists = _lists_now(
        (list_field, action)
        for (_, action), found in zip(rows, named, strict=True)
        if action
        for list_field in found
    )
    for row, action in rows:
        if action is None:
            _new_marking(row, parsed)
    for (row, action), found in zip(rows, named, strict=True):
        change = _action_change(row, action, found, path_of, lists)
        change.conflicts = conflicts.get(id(row), [])
        preview.actions.append(change)
        preview.notes += change.notes
    _check_numbers(preview, existing, path_of, matches)
    _check_lengths(preview)
    _positions(preview)
    for change in preview.actions:
        if change.conflicts:
            change.kind = "conflict"
    preview.notes += progress_changes(preview.actions, plan)
    claimed = {change.action.pk for change in preview.actions if change.action}
    preview.not_in_workbook = [action for action in existing if action.pk not in claimed]
    preview.indicators = indicator_changes(parsed, plan)
    preview.problems = parsed.all_problems
    if plan is not None and plan.status == PlanStatus.CLOSED:
        # A closed plan takes no import (actions.closing), whatever the workbook holds.
        preview.problems = [Problem(PlanClosed(plan).messages[0]), *preview.problems]
    return preview


def _new_marking(row: ActionRow, parsed: ParsedWorkbook) -> None:
    """A new action comes in at the marking the workbook states (its first row): a workbook
    marked OFFICIAL-SENSITIVE may hold sensitive words in any row, and only its author knows
    which, so none of its new rows is taken as lower. Stated in the row's values only when
    above OFFICIAL (the default), so that the preview shows it where it matters."""
    if parsed.marking != Marking.OFFICIAL:
        row.values["marking"] = parsed.marking


def _plan_changes(preview: ImportPreview, parsed: ParsedWorkbook, plan: Plan | None) -> None:
    if plan is None:
        preview.leaders = parsed.senior_leaders
        return
    for name, value in parsed.plan.items():
        if value and getattr(plan, name) != value:
            preview.plan_changes.append(FieldChange(name, getattr(plan, name), value, Plan))
    if parsed.senior_leaders is not None:
        current = [
            {name: getattr(leader, name) for name in LEADER_FIELDS}
            for leader in SeniorLeader.objects.filter(plan=plan).order_by("order", "pk")
        ]
        if current != parsed.senior_leaders:
            preview.leaders = parsed.senior_leaders


def _theme_changes(preview: ImportPreview, parsed: ParsedWorkbook, theme_at: dict) -> None:
    for row in parsed.themes:
        theme = theme_at.get(row.path)
        if theme is None:
            preview.new_themes.append(row)
        elif row.description is not None and row.description != theme.description:
            change = FieldChange("description", theme.description, row.description, Theme)
            preview.theme_changes.append((theme, [change]))


def _match_rows(preview, parsed: ParsedWorkbook, existing: list[Action], theme_at: dict):
    """{id(row): action} for the rows that are existing actions."""
    by_pk = {action.pk: action for action in existing}
    by_ref = {(action.theme_id, action.ref): action for action in existing if action.ref}
    unnumbered, by_words = defaultdict(list), defaultdict(list)
    for action in existing:
        by_words[(action.theme_id, action.text)].append(action)
        if not action.ref:
            unnumbered[action.theme_id].append(action)
    if preview.plan is None:
        # A copy of another plan (next year's, say): its record numbers mean nothing here.
        for row in parsed.actions:
            row.id = row.version = None
    found = RowMatches()
    found.by_record_number(parsed.actions, by_pk, "action")
    for row in parsed.actions:
        if row.id is not None:
            continue
        theme = theme_at.get(row.theme)
        if theme is None:
            continue
        ref = row.values.get("ref", "")
        if ref:
            action = by_ref.get((theme.pk, ref))
            candidates = [action] if action else []
        else:
            # A sheet that prints no numbers: the action with the same words, else the next
            # unnumbered action of the theme.
            candidates = by_words[(theme.pk, row.values.get("text"))] + unnumbered[theme.pk]
        for action in candidates:
            if not found.taken(action):
                found.claim(row, action)
                break
    return found.record_of


def _named_in(row: ActionRow, action: Action | None, names: NameIndex) -> dict:
    """{list field: (records, words matching no one)} for each list of people or
    organisations whose words the row gives anew."""
    named = {}
    for text_field, (list_field, finder) in NAMED_IN.items():
        if text_field not in row.values:
            continue
        if action is None or getattr(action, text_field) != row.values[text_field]:
            named[list_field] = getattr(names, finder)(row.values[text_field])
    return named


def _lists_now(wanted) -> dict[tuple[str, int], list[str]]:
    """{(list field, action pk): the people or organisations on it now, as words, in the
    list's own order} for the (list field, action) pairs in `wanted`: one query per list
    field, for only the actions whose words for it changed."""
    pks = defaultdict(set)
    for list_field, action in wanted:
        pks[list_field].add(action.pk)
    lists = defaultdict(list)
    for list_field, actions in pks.items():
        through = getattr(Action, list_field).through
        target = Action._meta.get_field(list_field).m2m_reverse_field_name()
        # The order action.<list>.all() gives: the person's or organisation's own ordering.
        ordering = [
            f"{'-' if name.startswith('-') else ''}{target}__{name.lstrip('-')}"
            for name in through._meta.get_field(target).related_model._meta.ordering
        ]
        links = through.objects.filter(action_id__in=actions).select_related(target)
        for link in links.order_by(*ordering, "pk"):
            lists[(list_field, link.action_id)].append(str(getattr(link, target)))
    return lists


def _action_change(row: ActionRow, action: Action | None, named: dict, path_of, lists: dict):
    values = row.values
    notes = [
        f"Row {row.row}: {', '.join(repr(name) for name in unmatched)} in "
        f"'{label(text_field)}' matched no known {WHO[finder]}; the words are kept as written."
        for text_field, (list_field, finder) in NAMED_IN.items()
        if list_field in named
        for unmatched in [named[list_field][1]]
        if unmatched
    ]
    if action is None:
        return ActionChange("create", row, named={k: v[0] for k, v in named.items()}, notes=notes)
    # (A new action's marking is the workbook's: `_new_marking`. An existing action's is
    # never changed by an import, lowered or raised: no layout has a column for it.)
    changes = []
    if path_of[action.theme_id] != row.theme:
        old_path = " › ".join(path_of[action.theme_id])
        changes.append(FieldChange("theme", old_path, " › ".join(row.theme)))
    for name, value in values.items():
        old = getattr(action, name)
        if old != value:
            changes.append(FieldChange(name, old, value))
    for list_field, (found, _) in named.items():
        old = lists[(list_field, action.pk)]
        if sorted(old) != sorted(str(item) for item in found):
            changes.append(FieldChange(list_field, old, [str(item) for item in found]))
    return ActionChange(
        "update" if changes else "unchanged",
        row,
        action,
        changes,
        named={k: v[0] for k, v in named.items()},
        notes=notes if changes else [],
    )


def _check_numbers(preview: ImportPreview, existing, path_of, matches) -> None:
    """Each action number once per theme, counting actions the workbook leaves alone."""
    seen: dict[tuple, str] = {}
    in_workbook = {action.pk for action in matches.values()}
    for action in existing:
        if action.ref and action.pk not in in_workbook:
            seen[(path_of[action.theme_id], action.ref)] = (
                f"action {action.ref} of that theme, which is not in the workbook"
            )
    for change in preview.actions:
        row = change.row
        ref = row.values.get("ref", change.action.ref if change.action else "")
        if not ref:
            continue
        key = (row.theme, ref)
        if key in seen:
            row.problems.append(
                _problem(
                    row,
                    f"Action number {ref} is used twice in theme '{' › '.join(row.theme)}' "
                    f"(this row and {seen[key]}): give each action its own number.",
                )
            )
        else:
            seen[key] = f"row {row.row}"


def _check_lengths(preview: ImportPreview) -> None:
    """Text longer than its field holds is refused here, as every database would refuse it."""
    limits = {
        field.name: field.max_length
        for field in Action._meta.concrete_fields
        if isinstance(field, models.CharField) and field.max_length
    }
    for change in preview.actions:
        # A conflict's workbook value may yet be chosen: it must fit too.
        set_aside_values = [
            pair
            for conflict in change.conflicts
            for pair in zip(conflict.fields, conflict.workbook, strict=True)
        ]
        for name, value in [*change.row.values.items(), *set_aside_values]:
            limit = limits.get(name)
            if limit and len(value) > limit:
                change.row.problems.append(
                    _problem(
                        change.row,
                        f"{label(name)} is {len(value)} characters long; it can hold at most "
                        f"{limit}. Shorten it, or move the detail to the progress or comment.",
                    )
                )


def _positions(preview: ImportPreview) -> None:
    """Where each action goes in its theme. Existing actions keep their positions unless the
    workbook reorders them or moves one into the theme; new rows are slotted in between
    where there is room, so a plan whose positions were never set is not reported as moved.
    Where the rows carry versions, the workbook reorders a theme only if its order differs
    from the order exported (workbooks.versions); an action that stays in its theme by the
    three-way rule keeps its position there."""
    by_theme = defaultdict(list)
    for change in preview.actions:
        if change.row.stays:
            change.order = change.action.order
        else:
            by_theme[change.row.theme].append(change)
    for changes in by_theme.values():
        if _kept_as_exported(changes):
            changes = _in_current_order(changes)
        kept = [change.action for change in changes if change.action]
        in_order = kept == sorted(kept, key=lambda action: (action.order, action.pk))
        if in_order and len({action.theme_id for action in kept}) <= 1 and _slot_new(changes):
            continue
        for position, change in enumerate(changes):
            change.order = position
            if change.action and change.action.order != position:
                change.changes.append(FieldChange("order", change.action.order + 1, position + 1))
                change.kind = "update"


def _moved(change: ActionChange) -> bool:
    return any(field_change.field == "theme" for field_change in change.changes)


def _kept_as_exported(changes: list[ActionChange]) -> bool:
    """Whether the workbook keeps the theme's versioned rows in the order they were exported
    in (as the export ordered them); False when none carries a version. Rows exported from
    another theme (moved since, in the workbook or the plan) say nothing of this order."""
    exported = [
        (change.row.exported.order, change.row.exported.id)
        for change in changes
        if change.row.exported is not None
        and change.row.exported.theme_id == change.action.theme_id
        and not _moved(change)
    ]
    return bool(exported) and exported == sorted(exported)


def _in_current_order(changes: list[ActionChange]) -> list[ActionChange]:
    """The theme's rows with its actions in the order they have now, each row the workbook
    adds (or moves into the theme) kept after the action it follows there."""
    leading, runs = [], []  # rows before the first action; each action and the rows after it
    for change in changes:
        if change.action and not _moved(change):
            runs.append([change])
        else:
            (runs[-1] if runs else leading).append(change)
    runs.sort(key=lambda run: (run[0].action.order, run[0].action.pk))
    return leading + [change for run in runs for change in run]


def _slot_new(changes: list[ActionChange]) -> bool:
    """Give new rows positions between their neighbours' without moving any existing action;
    False if there is no room."""
    following = [None] * len(changes)  # the position of the next existing action below
    upcoming = None
    for index in range(len(changes) - 1, -1, -1):
        following[index] = upcoming
        if changes[index].action:
            upcoming = changes[index].action.order
    last = -1
    for index, change in enumerate(changes):
        if change.action:
            last = change.order = change.action.order
            continue
        if following[index] is not None and last + 1 >= following[index]:
            return False
        last = change.order = last + 1
    return True


def _problem(row: ActionRow, message: str) -> Problem:
    return Problem(message, row.sheet, row.row)
