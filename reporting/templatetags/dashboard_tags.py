"""The dashboards' repeated pieces, drawn in Python: a dashboard's tables have a row per
theme, origin and lead organisation, each with a bar and six counts, and a template include
or a dozen template variables per row cost more than the rest of the page's rendering.

    {% load dashboard_tags %}
    {% rag_bar tally %}  {% rag_bar dash.total large=True %}
    {% count_cells tally %}  {% count_cells total total_row=True %}
"""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

_SEGMENT = (
    '<rect class="app-bar__segment--{0}" x="{1}" y="0" width="{2}" height="100%"/>'
    '<rect fill="url(#app-bar-pattern-{0})" x="{1}" y="0" width="{2}" height="100%"/>'
)
_CELL = '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
_LINKED_CELL = (
    '<td class="govuk-table__cell govuk-table__cell--numeric"><a class="govuk-link" href="{}">'
    '{}<span class="govuk-visually-hidden"> {}</span></a></td>'
)


@register.simple_tag
def rag_bar(tally, large: bool = False) -> str:
    """A stacked bar of a tally's RAG counts (`reporting.dashboards.Tally.segments`), each
    status its share of the whole, its colour overlaid with its pattern (the patterns are
    reporting/includes/dashboard_patterns.html). Hidden from screen readers: the table it
    sits in gives the numbers. Nothing for a tally of no actions; `large` for the headline."""
    if not tally.total:
        return ""
    segments = format_html_join(
        "", _SEGMENT, ((s["rag"], s["x_attr"], s["width_attr"]) for s in tally.segments)
    )
    return format_html(
        '<svg class="app-bar{}" aria-hidden="true" focusable="false">{}</svg>',
        " app-bar--large" if large else "",
        segments,
    )


@register.simple_tag
def count_cells(tally, total_row: bool = False) -> str:
    """A table row's counts (`Tally.cells`), one cell per RAG status and then the total.
    Each count that is not zero links to the plan page filtered to the actions it counts,
    named for screen readers ("Red: Governance"; in the `total_row`, "Red in all", and its
    total not linked)."""
    cells = []
    for cell in tally.cells:
        if cell["href"]:
            name = f"{cell['label']} in all" if total_row else f"{cell['label']}: {tally.label}"
            cells.append(format_html(_LINKED_CELL, cell["href"], cell["count"], name))
        else:
            cells.append(format_html(_CELL, cell["count"]))
    href = None if total_row else tally.total_href
    if href:
        cells.append(format_html(_LINKED_CELL, href, tally.total, f"in all: {tally.label}"))
    else:
        cells.append(format_html(_CELL, tally.total))
    return format_html_join("", "{}", ((cell,) for cell in cells))
