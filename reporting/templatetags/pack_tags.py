"""A pack table's cells, drawn in Python: a pack at 300 actions has thousands of cells, and a
template include for each (with the RAG and marking tags' includes inside it) took nine
tenths of the page's time (benchmarks/README.md, "Load test").

    {% load pack_tags %}{% pack_cell cell %}

`cell` is reporting.pack's Cell: lines, each of pieces shown in turn (text, strong text, a
RAG status as its tag with its word, a protective marking as its tag, a link).
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from actions.display import rag_tag
from actions.models import Marking

register = template.Library()

# As templates/includes/marking_tag.html: nothing for OFFICIAL, which need not be shown.
_MARKED = mark_safe(
    '<strong class="govuk-tag govuk-tag--orange app-marking-tag">OFFICIAL-SENSITIVE</strong>'
)


def _piece(piece) -> SafeString:
    if piece.kind == "rag":
        return rag_tag(piece.value, piece.label)
    if piece.kind == "marking":
        return _MARKED if piece.value == Marking.OFFICIAL_SENSITIVE else mark_safe("")
    if piece.kind == "link":
        return format_html('<a class="govuk-link" href="{}">{}</a>', piece.url, piece.text)
    if piece.kind == "strong":
        return format_html('<strong class="app-pre-line">{}</strong>', piece.text)
    return format_html('<span class="app-pre-line">{}</span>', piece.text)


@register.simple_tag
def pack_cell(cell) -> SafeString:
    # Each piece is escaped by format_html (or is one of our own tags): joined, they are safe.
    return format_html_join(
        "",
        '<span class="app-pack__line">{}</span> ',
        ((mark_safe("".join(_piece(piece) for piece in line)),) for line in cell),
    )
