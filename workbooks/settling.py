"""Settling an import's conflicts (workbooks.versions): for each, keep the plan's value or
take the workbook's. The browser's preview asks for each conflict; the import_plan command
takes the workbook's value for all of them with --take-workbook."""

from boards.names import NameIndex
from cspplan.display import show_date
from workbooks.preview import NAMED_IN, FieldChange, ImportPreview, theme_paths
from workbooks.versions import KEEP_PLAN, TAKE_WORKBOOK, choice_name


def settle(preview: ImportPreview, choices: dict[str, str]) -> list[str]:
    """Record `choices` ({choice_name: KEEP_PLAN or TAKE_WORKBOOK}) on the preview's
    conflicts, and make each workbook value taken a change the import writes. A conflict
    with no choice stays unsettled (and the import refuses to write). Returns what is wrong
    with the combination chosen (an end date before the start), for the person to choose
    again; nothing may be written then."""
    names = NameIndex(preview.partnership_id)
    wrong = []
    for change in preview.actions:
        if change.refused or not change.conflicts:
            continue
        for conflict in change.conflicts:
            choice = choices.get(choice_name(change.action.pk, conflict))
            if choice not in (KEEP_PLAN, TAKE_WORKBOOK):
                continue
            conflict.choice = choice
            if choice == TAKE_WORKBOOK and conflict.name == "theme":
                _move(preview, change, conflict.workbook[0])
            elif choice == TAKE_WORKBOOK:
                _take(change, conflict, names)
        wrong += _dates_out_of_order(change)
    return wrong


def take_workbook(preview: ImportPreview) -> list[str]:
    """Settle every conflict by taking the workbook's value (import_plan --take-workbook)."""
    return settle(
        preview,
        {
            choice_name(change.action.pk, conflict): TAKE_WORKBOOK
            for change in preview.actions
            for conflict in change.conflicts
        },
    )


def _take(change, conflict, names: NameIndex) -> None:
    values = zip(conflict.fields, conflict.current, conflict.workbook, strict=True)
    for name, current, value in values:
        change.row.values[name] = value
        if current != value:
            change.changes.append(FieldChange(name, current, value))
        if name in NAMED_IN:
            # The people or organisations the words name, as for any changed cell.
            list_field, finder = NAMED_IN[name]
            change.named[list_field] = getattr(names, finder)(value)[0]


def _move(preview: ImportPreview, change, path: tuple[str, ...]) -> None:
    """Move the action to the workbook's theme `path`, after the actions that will be in it."""
    paths = theme_paths(list(preview.plan.themes.all()))
    there = [other.order for other in preview.actions if other.row.theme == path] + [
        action.order for action in preview.not_in_workbook if paths[action.theme_id] == path
    ]
    action = change.action
    change.changes.append(
        FieldChange("theme", " › ".join(paths[action.theme_id]), " › ".join(path))
    )
    change.row.theme, change.order = path, max(there, default=-1) + 1
    if change.order != action.order:
        change.changes.append(FieldChange("order", action.order + 1, change.order + 1))


def _dates_out_of_order(change) -> list[str]:
    action, values = change.action, change.row.values
    start = values.get("start_date", action.start_date)
    end = values.get("end_date", action.end_date)
    if not (start and end and end < start):
        return []
    where = f"action {action.ref}" if action.ref else "an unnumbered action"
    return [
        f"Row {change.row.row} ({where}): with the values chosen the end date "
        f"({show_date(end)}) would be before the start date ({show_date(start)}). Choose "
        "again so that it is not, or correct the dates in the workbook and upload it again."
    ]
