"""A pack table's cells, drawn in Python: a pack at 300 actions has thousands of cells, and a
template include for each (with the RAG and marking tags' includes inside it) took nine
tenths of the page's time (benchmarks/README.md, "Load test").

    {% load pack_tags %}{% pack_cell cell %}

`cell` is reporting.pack's Cell: lines, each of pieces shown in turn (text, strong text, a
RAG status as its tag with its word, a protective marking as its tag, a link).
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from actions.display import marking_tag, rag_tag
from cspplan.display import escaped

register = template.Library()


def _piece(piece) -> str:
    if piece.kind == "rag":
        return rag_tag(piece.value, piece.label)
    if piece.kind == "marking":
        return marking_tag(piece.value)
    if piece.kind == "link":
        url, text = escaped(piece.url), escaped(piece.text)
        return f'<a class="govuk-link" href="{url}">{text}</a>'
    tag = "strong" if piece.kind == "strong" else "span"
    return f'<{tag} class="app-pre-line">{escaped(piece.text)}</{tag}>'


@register.simple_tag
def pack_cell(cell) -> SafeString:
    # Each piece's text is escaped (or is one of our own tags): joined, they are safe.
    return mark_safe(
        "".join(
            f'<span class="app-pack__line">{"".join(_piece(piece) for piece in line)}</span> '
            for line in cell
        )
    )


@register.simple_tag
def pack_rows(table) -> SafeString:
    """A pack table's body rows (reporting.pack.Table's `body`): a row across the table
    naming each group (a board's plan), then each row's cells, the first a row heading where
    the table has them. In Python, as the cells are: a template loop over thousands of
    cells was most of what was left of the page's time."""
    across = len(table.columns)
    rows = []
    for row in table.body:
        if row.group:
            rows.append(
                f'<tr class="govuk-table__row"><th scope="colgroup" colspan="{across}" '
                f'class="govuk-table__header app-dashboard-plan-row">{escaped(row.group)}</th>'
                "</tr>"
            )
            continue
        anchor = f' id="{escaped(row.anchor)}"' if row.anchor else ""
        cells = []
        for index, (cell, column) in enumerate(row.cells):
            if index == 0 and table.row_headers:
                cells.append(f'<th scope="row" class="govuk-table__header">{pack_cell(cell)}</th>')
            else:
                numeric = " govuk-table__cell--numeric" if column.numeric else ""
                cells.append(f'<td class="govuk-table__cell{numeric}">{pack_cell(cell)}</td>')
        rows.append(f'<tr class="govuk-table__row"{anchor}>{"".join(cells)}</tr>')
    return mark_safe("\n".join(rows))
