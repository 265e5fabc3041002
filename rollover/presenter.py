"""A roll-over's preview as lines of text, for `rollover_plan` (the pages show it as HTML)."""

from actions.display import leads_as_written
from actions.rag import RAG
from cspplan.display import show_date
from rollover.services import RolloverPreview


def _action_line(action, what: str) -> str:
    people, organisations = leads_as_written(action)
    leads = "; ".join(part for part in (people, organisations) if part) or "not stated"
    board = action.monitored_by.name if action.monitored_by else "not set"
    update = (
        f"{show_date(action.last_update)}: {_short(action.last_update_text)}"
        if action.last_update
        else "none yet"
    )
    origin = action.get_origin_display()
    ref = action.ref or "-"
    return (
        f"  {what:<8} {ref:<5} {_short(action.text)} [{RAG(action.rag).label}] "
        f"lead: {leads}; origin: {origin}; monitored by: {board}; latest update: {update}"
    )


def _short(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


def preview_lines(preview: RolloverPreview) -> list[str]:
    plan = preview.plan
    lines = [
        f"Roll over {plan.title} ({plan.slug})",
        f"into {preview.title} ({preview.slug}), a Draft for "
        f"{show_date(preview.start)} to {show_date(preview.end)}",
    ]
    for item in preview.themes:
        indent = "  " * item.depth
        lines.append(f"{indent}Theme: {item.theme.name}")
        lines += [_action_line(action, "carried") for action in item.carried]
        lines += [_action_line(action, "closes") for action in item.closing]
    lines.append(
        f"{preview.carried_count} action(s) carried forward, {preview.closing_count} Complete "
        f"action(s) closing with {plan.slug}, {len(preview.themes)} theme(s)."
    )
    return lines


def taking_lines(taking) -> list[str]:
    """What taking a template into the new Draft did (a rollover.TemplateTaking), for the
    command: its counts, then each choice, with the template's row for the --adopt and
    --refuse-match options."""
    lines = [
        f"Template {taking.file_name}: {taking.themes_added} theme(s) added, "
        f"{taking.themes_renamed} renamed, {taking.actions_added} action(s) added, "
        f"{taking.actions_merged} merged with a carried action."
    ]
    for choice in taking.choices.order_by("pk"):
        where = f"row {choice.template_row}: " if choice.template_row else ""
        what = choice.template_text or choice.template_theme
        lines.append(
            f"  {choice.get_kind_display()}, {where}{what[:80]}: {choice.get_decision_display()}"
        )
    return lines
