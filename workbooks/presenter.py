"""An import preview (workbooks.preview) as the preview page shows it: plain
values, every RAG status as its word, and a fingerprint of all of it, so that a confirmation
applies only what the user saw."""

import hashlib
import json

from actions.rag import RAG
from workbooks.preview import FieldChange, ImportPreview, shown, theme_paths

PATH = " › "


def _change(change: FieldChange) -> dict:
    """A change as words: coded choices (RAG, origin) as their labels, like str(change)."""
    choices = None
    if change.field not in ("theme", "order"):
        choices = dict(change.model._meta.get_field(change.field).flatchoices) or None
    return {
        "label": change.label,
        "old": shown(change.old, choices),
        "new": shown(change.new, choices),
    }


def _action_text(change) -> str:
    return change.row.values.get("text") or (change.action.text if change.action else "")


def _row(change) -> dict:
    ref = change.row.values.get("ref") or (change.action.ref if change.action else "")
    return {
        "sheet": change.row.sheet,
        "row": change.row.row,
        "theme": PATH.join(change.row.theme),
        "ref": ref,
        "text": _action_text(change),
    }


def _new_action(values: dict) -> dict:
    """What the preview shows of a new action besides its number and text."""
    return {
        "leads": shown(values.get("leads")),
        "organisations": shown(values.get("lead_organisations_text")),
        "start": shown(values.get("start_text") or values.get("start_date")),
        "end": shown(values.get("end_text") or values.get("end_date")),
        "rag": RAG(values.get("rag") or RAG.NOT_RATED).label,
    }


def _measures(preview: ImportPreview) -> dict:
    """The performance measures, for previews that compare them (the CSP layout)."""
    changes = preview.indicators
    live = [change for change in changes if not change.refused]
    return {
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
        "notes": [note for change in live for note in change.notes],
    }


def describe(preview: ImportPreview) -> dict:
    plan = preview.plan
    paths = theme_paths(list(plan.themes.all())) if plan else {}
    rows = [change for change in preview.actions if not change.refused]
    shown_preview = {
        "new_plan": plan is None,
        "counts": {
            "create": preview.count("create"),
            "update": preview.count("update"),
            "unchanged": preview.count("unchanged"),
            "refused": preview.refused,
            "problems": len(preview.problems),
        },
        "problems": [
            {
                "sheet": problem.sheet,
                "row": problem.row,
                "column": problem.column,
                "message": problem.message,
            }
            for problem in preview.problems
        ],
        "plan_changes": [_change(change) for change in preview.plan_changes],
        "leaders": None
        if preview.leaders is None
        else [
            {name: shown(leader.get(name)) for name in ("name", "organisation", "role")}
            for leader in preview.leaders
        ],
        "new_themes": [PATH.join(theme.path) for theme in preview.new_themes],
        "theme_changes": [
            {
                "theme": PATH.join(paths.get(theme.pk, (theme.name,))),
                **_change(change),
            }
            for theme, changes in preview.theme_changes
            for change in changes
        ],
        "created": [
            {**_row(change), **_new_action(change.row.values)}
            for change in rows
            if change.kind == "create"
        ],
        "updated": [
            {
                **_row(change),
                "changes": [_change(field) for field in change.changes],
            }
            for change in rows
            if change.kind == "update"
        ],
        "unchanged": [_row(change) for change in rows if change.kind == "unchanged"],
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
    return shown_preview


def fingerprint(shown_preview: dict) -> str:
    """The same for two previews exactly when they show the same thing."""
    text = json.dumps(shown_preview, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
