"""The dashboards' repeated pieces, drawn in Python: a dashboard's tables have a row per
theme, origin and lead organisation, each with a bar and six counts, and its lists up to
seventy actions, each with a dozen fields; a template include or a dozen template variables
per row cost more than the rest of the page's rendering.

    {% load dashboard_tags %}
    {% rag_bar tally %}  {% rag_bar dash.total large=True %}
    {% count_cells tally %}  {% count_cells total total_row=True %}
    {% list_rows list show_plan %}
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from actions.display import (
    action_name,
    end_as_written,
    first_words,
    latest_update_html,
    leads_html,
    marking_tag,
    overdue_tag,
    rag_tag,
)
from actions.templatetags.action_display import action_href, marking
from cspplan.display import escaped

register = template.Library()

_NUMERIC = "govuk-table__cell govuk-table__cell--numeric"


@register.simple_tag
def rag_bar(tally, large: bool = False) -> SafeString:
    """A stacked bar of a tally's RAG counts (`reporting.dashboards.Tally.segments`), each
    status its share of the whole, its colour overlaid with its pattern (the patterns are
    reporting/includes/dashboard_patterns.html). Hidden from screen readers: the table it
    sits in gives the numbers. Nothing for a tally of no actions; `large` for the headline.
    Its values are our own (RAG statuses, and numbers formatted by `segments`)."""
    if not tally.total:
        return mark_safe("")
    segments = "".join(
        f'<rect class="app-bar__segment--{s["rag"]}" x="{s["x_attr"]}" y="0" '
        f'width="{s["width_attr"]}" height="100%"/>'
        f'<rect fill="url(#app-bar-pattern-{s["rag"]})" x="{s["x_attr"]}" y="0" '
        f'width="{s["width_attr"]}" height="100%"/>'
        for s in tally.segments
    )
    large = " app-bar--large" if large else ""
    return mark_safe(
        f'<svg class="app-bar{large}" aria-hidden="true" focusable="false">{segments}</svg>'
    )


def _cell(count: int, href: str | None = None, name: str = "") -> str:
    if not href:
        return f'<td class="{_NUMERIC}">{count}</td>'
    return (
        f'<td class="{_NUMERIC}"><a class="govuk-link" href="{escaped(href)}">{count}'
        f'<span class="govuk-visually-hidden"> {escaped(name)}</span></a></td>'
    )


@register.simple_tag
def count_cells(tally, total_row: bool = False) -> SafeString:
    """A table row's counts (`Tally.cells`), one cell per RAG status and then the total.
    Each count that is not zero links to the plan page filtered to the actions it counts,
    named for screen readers ("Red: Governance"; in the `total_row`, "Red in all", and its
    total not linked). Drawn with f-strings, the texts escaped (`escaped`), as the lists'
    rows are."""
    cells = []
    for cell in tally.cells:
        name = f"{cell['label']} in all" if total_row else f"{cell['label']}: {tally.label}"
        cells.append(_cell(cell["count"], cell["href"], name))
    href = None if total_row else tally.total_href
    cells.append(_cell(tally.total, href, f"in all: {tally.label}"))
    return mark_safe("".join(cells))  # every text escaped in `_cell`


_AS_WRITTEN = "No update yet; progress as written:"
_TRAVEL = "govuk-body-s govuk-!-display-block govuk-!-margin-top-1 govuk-!-margin-bottom-0"


@register.simple_tag(takes_context=True)
def list_rows(context, action_list, show_plan: bool) -> SafeString:
    """The body rows of a dashboard's list (`reporting.dashboards.ActionList`): each action
    with its name and words, RAG status (and a red or amber one's direction of travel),
    leads, end and latest update; a row naming each plan above its actions on a board's
    dashboard of several (`show_plan`). Each text is escaped as it is put in (`escaped`,
    as the pack's cells are drawn: Django's escape per value was half of this)."""
    rows = []
    plan = None
    for action in action_list.actions:
        if show_plan and action.theme.plan_id != plan:
            plan = action.theme.plan_id
            rows.append(
                '<tr class="govuk-table__row"><th scope="colgroup" colspan="5" '
                'class="govuk-table__header app-dashboard-plan-row">'
                f"{escaped(action.theme.plan.title)}</th></tr>"
            )
        travel = getattr(action, "travel", None)
        travel = f'<span class="{_TRAVEL}">{escaped(travel.words)}</span>' if travel else ""
        rows.append(
            '<tr class="govuk-table__row">'
            f'<td class="govuk-table__cell"><a class="govuk-link" '
            f'href="{escaped(action_href(context, action))}">{escaped(action_name(action))}</a> '
            f"{marking_tag(marking(action))}"
            f'<span class="govuk-!-display-block">{first_words(action.text, 20)}</span></td>'
            f'<td class="govuk-table__cell">{rag_tag(action.rag)}{travel}</td>'
            f'<td class="govuk-table__cell">{leads_html(action)}</td>'
            f'<td class="govuk-table__cell"><span class="app-nowrap">'
            f"{escaped(end_as_written(action))}</span> {overdue_tag(action)}</td>"
            f'<td class="govuk-table__cell">{latest_update_html(action, 20, _AS_WRITTEN)}</td>'
            "</tr>"
        )
    return mark_safe("".join(rows))  # every text escaped above; the tags are our own
