"""The pack's cells and table rows drawn in Python (reporting/templatetags/pack_tags.py)
are the HTML that Django's format_html and the pack's table template gave for the same
pieces: every text escaped once, already-safe text left as it is, and our own tags as the
RAG and marking tags draw them."""

import re

from django.template import Context, Template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from actions.display import rag_tag
from actions.models import Marking
from reporting.pack import Column, Link, Marked, Rag, Strong, Table, Text
from reporting.templatetags.pack_tags import pack_cell, pack_rows

AWKWARD = [
    "Plain words",
    "Knife crime & <script>alert('x')</script> \"quoted\"",
    "Line one\nline two\ttabbed  ",
    "Ampersand already &amp; escaped",
    "",
    "Émigré — “curly” ‘quotes’",
]


def reference(cell) -> str:
    """The cell as format_html drew it before (the pack's first Python version)."""

    def piece_html(piece):
        if piece.kind == "rag":
            return rag_tag(piece.value, piece.label)
        if piece.kind == "marking":
            if piece.value == Marking.OFFICIAL_SENSITIVE:
                return mark_safe(
                    '<strong class="govuk-tag govuk-tag--orange app-marking-tag">'
                    "OFFICIAL-SENSITIVE</strong>"
                )
            return mark_safe("")
        if piece.kind == "link":
            return format_html('<a class="govuk-link" href="{}">{}</a>', piece.url, piece.text)
        if piece.kind == "strong":
            return format_html('<strong class="app-pre-line">{}</strong>', piece.text)
        return format_html('<span class="app-pre-line">{}</span>', piece.text)

    return format_html_join(
        "",
        '<span class="app-pack__line">{}</span> ',
        ((mark_safe("".join(piece_html(piece) for piece in line)),) for line in cell),
    )


def test_every_kind_of_piece_with_awkward_text_is_drawn_as_format_html_draws_it():
    for text in AWKWARD:
        cell = [
            [Text(text), Strong(text)],
            [Link(text, f"/plans/a&b/?q={text}")],
            [Rag("red", "Red"), Rag("", "Not rated"), Rag("amber", text or "Amber")],
            [Marked(Marking.OFFICIAL_SENSITIVE, "OFFICIAL-SENSITIVE"), Marked("official", "")],
            [],
        ]
        assert pack_cell(cell) == reference(cell), text


def test_text_already_safe_is_not_escaped_again_and_unsafe_text_is():
    safe = mark_safe("<em>kept</em>")
    assert pack_cell([[Text(safe)]]) == reference([[Text(safe)]])
    assert "<em>kept</em>" in pack_cell([[Text(safe)]])
    assert "&lt;em&gt;" in pack_cell([[Text("<em>not kept</em>")]])


def test_an_empty_cell_is_empty():
    assert pack_cell([]) == ""


# The body rows as the pack's table template drew them before they were drawn in Python.
TEMPLATE_ROWS = """{% load pack_tags %}
{% for row in table.body %}
  {% if row.group %}
    <tr class="govuk-table__row"><th scope="colgroup" colspan="{{ table.columns|length }}" class="govuk-table__header app-dashboard-plan-row">{{ row.group }}</th></tr>
  {% else %}
    <tr class="govuk-table__row"{% if row.anchor %} id="{{ row.anchor }}"{% endif %}>
      {% for cell, column in row.cells %}
        {% if forloop.first and table.row_headers %}
          <th scope="row" class="govuk-table__header">{% pack_cell cell %}</th>
        {% else %}
          <td class="govuk-table__cell{% if column.numeric %} govuk-table__cell--numeric{% endif %}">{% pack_cell cell %}</td>
        {% endif %}
      {% endfor %}
    </tr>
  {% endif %}
{% endfor %}"""  # noqa: E501


def _between_tags(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def test_the_rows_are_drawn_as_the_template_drew_them():
    columns = [Column("Theme"), Column("Action", wide=True), Column("Red", numeric=True)]
    for row_headers in (True, False):
        table = Table(
            caption="Exceptions",
            columns=columns,
            rows=[
                [[[Text(text)]], [[Link(text, "/actions/1/")], [Rag("red", "Red")]], [[Text("3")]]]
                for text in AWKWARD
            ],
            row_headers=row_headers,
            groups={0: "Plan <one> & two", 3: "Second plan"},
            anchors={1: "action-7", 4: 'odd"id'},
        )
        drawn = Template(TEMPLATE_ROWS).render(Context({"table": table}))
        assert _between_tags(pack_rows(table)) == _between_tags(drawn)
        assert pack_rows(table).count("<tr") == len(AWKWARD) + 2
