"""The dashboards' RAG bars, drawn in Python: a dashboard has a bar in every row of its
tables, and a template include per bar cost more than the rest of the row.

    {% load dashboard_bars %}{% rag_bar tally %}  {% rag_bar dash.total large=True %}
"""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

_SEGMENT = (
    '<rect class="app-bar__segment--{0}" x="{1}" y="0" width="{2}" height="100%"/>'
    '<rect fill="url(#app-bar-pattern-{0})" x="{1}" y="0" width="{2}" height="100%"/>'
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
