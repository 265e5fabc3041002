"""An import preview (workbooks.preview) in words: the one presenter of what an import
would do, for the plan's import page, the admin's import pages and the import_plan command.

`describe` turns a preview into plain values (every coded choice as its word); the preview
page renders that, `text_lines` writes it as lines of text for the command and the admin's
overview, and `fingerprint` is taken of it, so that a confirmation (in the browser or the
admin) applies only what the user saw.
"""

import hashlib
import json

from actions.rag import RAG
from cspplan.display import NOT_RECORDED, show_when, user_name
from workbooks.preview import (
    ActionChange,
    FieldChange,
    ImportPreview,
    label,
    shown,
    shown_field,
    theme_paths,
)
from workbooks.versions import Conflict, choice_name

PATH = " › "
# How many problems a preview lists; the rest are counted ("and 120 more problems").
MOST_PROBLEMS = 200
# How many of the plan's actions (and measures) left out of the workbook the text names.
NAMED_ABSENT = {"actions": 20, "measures": 10}


def field_change(change: FieldChange) -> dict:
    return {"label": change.label, "old": change.old_shown, "new": change.new_shown}


def action_row(change: ActionChange) -> dict:
    """Where a row is and which action it is."""
    action = change.action
    return {
        "sheet": change.row.sheet,
        "row": change.row.row,
        "theme": PATH.join(change.row.theme),
        "ref": change.row.values.get("ref") or (action.ref if action else ""),
        "text": change.row.values.get("text") or (action.text if action else ""),
    }


def in_sentence(words: str) -> str:
    """A field's label inside a sentence: "end date", but "RAG status" as it is."""
    return words if words[:2].isupper() else words[:1].lower() + words[1:]


def conflict(change: ActionChange, found: Conflict) -> dict:
    """A conflict as the preview shows it: the value exported, now and in the workbook, and
    who made the change that gave the plan its value."""
    name = found.name

    def value(values: tuple) -> str:
        if len(values) == 2:  # a date and its words: as the cell shows them
            return shown(values[1] or values[0])
        if name == "theme":  # a path of names
            return shown(PATH.join(values[0]))
        return shown_field(name, values[0])

    return {
        "name": choice_name(change.action.pk, found),
        "label": label(name),
        "exported": value(found.exported),
        "current": value(found.current),
        "workbook": value(found.workbook),
        "changed_by": user_name(found.changed_by) if found.changed_at else NOT_RECORDED,
        "changed_at": show_when(found.changed_at),
    }


def new_action(values: dict, updates=()) -> dict:
    """What the preview shows of a new action besides its number and text: the columns of
    the preview page, and every field the row gives, its progress updates among them (for
    the admin's row list)."""
    return {
        "leads": shown(values.get("leads")),
        "organisations": shown(values.get("lead_organisations_text")),
        "start": shown(values.get("start_text") or values.get("start_date")),
        "end": shown(values.get("end_text") or values.get("end_date")),
        "rag": RAG(values.get("rag") or RAG.NOT_RATED).label,
        # The marking it comes in at, when above OFFICIAL (the workbook's: workbooks.preview).
        "marking": values.get("marking", ""),
        "fields": [
            {"label": label(name), "value": shown_field(name, value)}
            for name, value in values.items()
            if name not in ("ref", "text") and value not in (None, "")
        ]
        + [{"label": update.label, "value": update.new_shown} for update in updates],
    }


def _measures(preview: ImportPreview) -> dict:
    """The performance measures, for previews that compare them (the CSP layout)."""
    live = [change for change in preview.indicators if not change.refused]
    return {
        # Whether the workbook has a measures table at all: without one, every measure is
        # left as it is.
        "table": preview.parsed.indicators is not None,
        "created": [
            {"sheet": change.row.sheet, "row": change.row.row, "name": change.name}
            for change in live
            if change.kind == "create"
        ],
        "updated": [
            {
                "sheet": change.row.sheet,
                "row": change.row.row,
                "name": change.name,
                "changes": [str(f) for f in change.changes],
            }
            for change in live
            if change.kind == "update"
        ],
        "unchanged": sum(1 for change in live if change.kind == "unchanged"),
        "absent": [change.name for change in live if change.kind == "absent"],
        "notes": [
            {"row": change.row.row if change.row else None, "text": note}
            for change in live
            for note in change.notes
        ],
    }


def describe(preview: ImportPreview) -> dict:
    plan = preview.plan
    paths = theme_paths(list(plan.themes.all())) if plan else {}
    rows = [change for change in preview.actions if not change.refused]
    return {
        "new_plan": plan is None,
        "counts": {
            "create": preview.count("create"),
            "update": preview.count("update"),
            "unchanged": preview.count("unchanged"),
            "conflict": preview.count("conflict"),
            "conflicts": sum(len(change.conflicts) for change in rows),
            "refused": preview.refused,
            "problems": len(preview.problems),
        },
        "summary": preview.summary,
        "problems": [
            {
                "sheet": problem.sheet,
                "row": problem.row,
                "column": problem.column,
                "message": problem.message,
                "text": str(problem),
            }
            for problem in preview.problems[:MOST_PROBLEMS]
        ],
        "more_problems": max(len(preview.problems) - MOST_PROBLEMS, 0),
        "plan_changes": [field_change(change) for change in preview.plan_changes],
        "leaders": None
        if preview.leaders is None
        else [
            {
                **{name: shown(leader.get(name)) for name in ("name", "organisation", "role")},
                "called": leader.get("name") or leader.get("role") or "?",
            }
            for leader in preview.leaders
        ],
        "new_themes": [PATH.join(theme.path) for theme in preview.new_themes],
        "theme_changes": [
            {"theme": PATH.join(paths.get(theme.pk, (theme.name,))), **field_change(change)}
            for theme, changes in preview.theme_changes
            for change in changes
        ],
        "created": [
            {**action_row(change), **new_action(change.row.values, change.updates)}
            for change in rows
            if change.kind == "create"
        ],
        "updated": [
            {
                **action_row(change),
                "changes": [field_change(item) for item in [*change.changes, *change.updates]],
            }
            for change in rows
            if change.kind == "update"
        ],
        "unchanged": [action_row(change) for change in rows if change.kind == "unchanged"],
        "conflicted": [
            {
                **action_row(change),
                "conflicts": [conflict(change, found) for found in change.conflicts],
                "changes": [field_change(field) for field in change.changes],
            }
            for change in rows
            if change.kind == "conflict"
        ],
        "not_in_workbook": [
            {
                "theme": PATH.join(paths.get(action.theme_id, ())),
                "ref": action.ref,
                "text": action.text,
            }
            for action in preview.not_in_workbook
        ],
        "measures": _measures(preview),
        "notes": list(preview.notes),
        "ok": preview.ok,
        "changes_anything": preview.changes_anything,
    }


def fingerprint(described: dict) -> str:
    """The same for two previews exactly when they show the same thing."""
    text = json.dumps(described, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


# ---- as lines of text --------------------------------------------------------------------


def _action_name(row: dict) -> str:
    where = f"'{row['theme']}'"
    return f"action {row['ref']} in {where}" if row["ref"] else f"an unnumbered action in {where}"


def _change_line(change: dict) -> str:
    return f"    {change['label']}: {change['old']} → {change['new']}"


def _conflict_line(found: dict) -> str:
    when = f" on {found['changed_at']}" if found["changed_at"] else ""
    return (
        f"    CONFLICT {found['label']}: exported {found['exported']}; "
        f"now {found['current']} (changed by {found['changed_by']}{when}); "
        f"workbook {found['workbook']}"
    )


def _named(items: list[str], most: int) -> str:
    return ", ".join(items[:most]) + ("" if len(items) <= most else ", ...")


def text_lines(described: dict, *, rows: bool = True) -> list[str]:
    """What the import would do, a line each (details indented by four spaces); without
    `rows`, leave out the action rows and the problems (which the admin lists itself)."""
    lines = ["A new plan will be made."] if described["new_plan"] else []
    lines += [f"Plan {_change_line(change).strip()}" for change in described["plan_changes"]]
    if described["leaders"] is not None:
        names = ", ".join(leader["called"] for leader in described["leaders"]) or "(none)"
        lines.append(f"Senior leadership will be: {names}")
    lines += [f"New theme: {path}" for path in described["new_themes"]]
    lines += [
        f"Theme '{change['theme']}': {_change_line(change).strip()}"
        for change in described["theme_changes"]
    ]
    if rows:
        for row in described["created"]:
            lines.append(f"Row {row['row']}: new {_action_name(row)}: {row['text'][:80]}")
            # Its protective marking, when the workbook's gives it one above OFFICIAL.
            lines += [
                f"    {found['label']}: {found['value']}"
                for found in row["fields"]
                if found["label"] == label("marking")
            ]
        for row in described["updated"]:
            lines.append(f"Row {row['row']}: changes {_action_name(row)}:")
            lines += [_change_line(change) for change in row["changes"]]
        for row in described["conflicted"]:
            lines.append(f"Row {row['row']}: conflicts on {_action_name(row)}:")
            lines += [_conflict_line(found) for found in row["conflicts"]]
            lines += [_change_line(change) for change in row["changes"]]
    absent = described["not_in_workbook"]
    if absent:
        refs = [action["ref"] or "(unnumbered)" for action in absent]
        lines.append(
            f"{len(absent)} action(s) of the plan are not in the workbook and are left as "
            f"they are: {_named(refs, NAMED_ABSENT['actions'])}"
        )
    lines += _measure_lines(described["measures"])
    lines += [f"Note: {note}" for note in described["notes"]]
    if rows and described["problems"]:
        lines.append(f"Problems ({described['counts']['problems']}):")
        lines += [f"    {problem['text']}" for problem in described["problems"]]
        if described["more_problems"]:
            lines.append(f"    ... and {more_problems(described)}")
    return lines


def more_problems(described: dict) -> str:
    count = described["more_problems"]
    return f"{count:,} more problem{'s' if count != 1 else ''}"


# ---- a large preview ---------------------------------------------------------------------

ROW_KINDS = (("created", "New"), ("updated", "Changed"), ("unchanged", "Unchanged"))


def row_count(described: dict) -> int:
    return sum(len(described[kind]) for kind, _ in ROW_KINDS) + len(described["conflicted"])


def by_theme(described: dict) -> list[dict]:
    """How many rows of each kind each theme has, in the workbook's order of themes."""
    themes: dict[str, dict] = {}
    for kind in ("created", "updated", "unchanged", "conflicted"):
        for row in described[kind]:
            counts = themes.setdefault(
                row["theme"],
                {
                    "theme": row["theme"],
                    "created": 0,
                    "updated": 0,
                    "unchanged": 0,
                    "conflicted": 0,
                },
            )
            counts[kind] += 1
    kinds = ("created", "updated", "unchanged", "conflicted")
    return [
        {"theme": counts["theme"], **{kind: counts.get(kind, 0) for kind in kinds}}
        for counts in sorted(themes.values(), key=lambda counts: counts["theme"])
    ]


def summarised(described: dict, first: int) -> dict:
    """The preview with only the `first` rows of each kind listed (and of the plan's
    actions left out), for a workbook too large to list row by row on a page; the counts
    per theme say what the rest are. Of the conflicted actions too, the first `first`:
    each of their conflicts is a choice of its own, and one choice settles the rest
    (workbooks.forms.ConflictChoicesForm), which the download lists in full."""
    return {
        **described,
        "summarised": True,
        "by_theme": by_theme(described),
        "rows": row_count(described),
        "first": first,
        **{
            kind: described[kind][:first]
            for kind in ("created", "updated", "conflicted", "not_in_workbook")
        },
        "unchanged": [],
        "counts": {
            **described["counts"],
            "not_in_workbook": len(described["not_in_workbook"]),
            "conflicted_not_listed": max(len(described["conflicted"]) - first, 0),
        },
    }


PREVIEW_HEADERS = ["Sheet", "Row", "Theme", "Number", "Action", "What the import does"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A value for a CSV cell that a spreadsheet will show as text, never run as a formula."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def preview_table(described: dict) -> list[list[str]]:
    """Every action row of the preview, a line each, for the preview's download."""
    lines = [PREVIEW_HEADERS]
    for row in described["created"]:
        fields = "; ".join(f"{f['label']}: {f['value']}" for f in row["fields"])
        lines.append(_line(row, f"New action. {fields}".strip()))
    for row in described["updated"]:
        changes = "; ".join(f"{c['label']}: {c['old']} → {c['new']}" for c in row["changes"])
        lines.append(_line(row, f"Changes {changes}"))
    for row in described["conflicted"]:
        # Each conflict with its three values, as the preview page shows them.
        for found in row["conflicts"]:
            lines.append(
                _line(
                    row,
                    f"Conflict on {found['label']}: when exported {found['exported']}; in "
                    f"the plan now {found['current']} (changed by {found['changed_by']}); "
                    f"in the workbook {found['workbook']}",
                )
            )
        changes = "; ".join(f"{c['label']}: {c['old']} → {c['new']}" for c in row["changes"])
        if changes:
            lines.append(_line(row, f"Changes, with no conflict, {changes}"))
    for row in described["unchanged"]:
        lines.append(_line(row, "No change"))
    return [[_cell(value) for value in line] for line in lines]


def _line(row: dict, what: str) -> list:
    return [row["sheet"], row["row"], row["theme"], row["ref"], row["text"], what]


def _measure_lines(measures: dict) -> list[str]:
    lines = [f"Measures row {row['row']}: new {row['name']}" for row in measures["created"]]
    for row in measures["updated"]:
        lines.append(f"Measures row {row['row']}: changes {row['name']}:")
        lines += [f"    {change}" for change in row["changes"]]
    lines += [f"Measures row {note['row']}: note: {note['text']}" for note in measures["notes"]]
    absent = measures["absent"]
    if absent and not measures["table"]:
        lines.append(
            f"The workbook has no performance measures table: the plan's {len(absent)} "
            "measure(s) are left as they are."
        )
    elif absent:
        lines.append(
            f"{len(absent)} measure(s) of the plan are not in the workbook and are left as "
            f"they are: {_named(absent, NAMED_ABSENT['measures'])}"
        )
    return lines


def preview_lines(preview: ImportPreview) -> list[str]:
    """The whole preview as lines of text (the import_plan command)."""
    return text_lines(describe(preview))
