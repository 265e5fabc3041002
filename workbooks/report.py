"""An import preview as lines of text, for the import_plan command."""

from workbooks.preview import ImportPreview, shown


def _action_name(change) -> str:
    ref = change.row.values.get("ref") or (change.action.ref if change.action else "")
    theme = " › ".join(change.row.theme)
    return f"action {ref} in '{theme}'" if ref else f"an unnumbered action in '{theme}'"


def preview_lines(preview: ImportPreview) -> list[str]:
    lines = []
    if preview.plan is None:
        lines.append("A new plan will be made.")
    for change in preview.plan_changes:
        lines.append(f"Plan {change}")
    if preview.leaders is not None:
        names = [leader.get("name") or leader.get("role") or "?" for leader in preview.leaders]
        lines.append(f"Senior leadership will be: {shown(names)}")
    for theme in preview.new_themes:
        lines.append(f"New theme: {' › '.join(theme.path)}")
    for theme, changes in preview.theme_changes:
        for change in changes:
            lines.append(f"Theme '{theme.name}': {change}")
    for change in preview.actions:
        where = f"Row {change.row.row}"
        if change.refused:
            continue
        if change.kind == "create":
            lines.append(f"{where}: new {_action_name(change)}: {change.row.values['text'][:80]}")
        elif change.kind == "update":
            lines.append(f"{where}: changes {_action_name(change)}:")
            lines.extend(f"    {field}" for field in change.changes)
    if preview.not_in_workbook:
        refs = ", ".join(action.ref or "(unnumbered)" for action in preview.not_in_workbook[:20])
        more = "" if len(preview.not_in_workbook) <= 20 else ", ..."
        lines.append(
            f"{len(preview.not_in_workbook)} action(s) of the plan are not in the workbook and "
            f"are left as they are: {refs}{more}"
        )
    lines.extend(_indicator_lines(preview))
    lines.extend(f"Note: {note}" for note in preview.notes)
    if preview.problems:
        lines.append(f"Problems ({len(preview.problems)}):")
        lines.extend(f"    {problem}" for problem in preview.problems)
    return lines


def _indicator_lines(preview: ImportPreview) -> list[str]:
    """The performance measures: what changes, and which are left as they are."""
    lines = []
    absent = []
    for change in preview.indicators:
        if change.kind == "absent":
            absent.append(change)
            continue
        where = f"Measures row {change.row.row}"
        if change.refused:
            continue
        if change.kind == "create":
            lines.append(f"{where}: new {change.name}")
        elif change.kind == "update":
            lines.append(f"{where}: changes {change.name}:")
            lines.extend(f"    {field}" for field in change.changes)
        lines.extend(f"{where}: note: {note}" for note in change.notes)
    if absent and preview.parsed.indicators is None:
        lines.append(
            f"The workbook has no performance measures table: the plan's {len(absent)} "
            "measure(s) are left as they are."
        )
    elif absent:
        names = ", ".join(change.name for change in absent[:10])
        more = "" if len(absent) <= 10 else ", ..."
        lines.append(
            f"{len(absent)} measure(s) of the plan are not in the workbook and are left as "
            f"they are: {names}{more}"
        )
    return lines
