"""The VRU view as a workbook: what the page shows, one sheet per part, the mandated actions
of every theme. Written as the plan workbooks are (`workbooks.writing.SheetWriter`):
openpyxl's write-only mode with prepared styles, text cleaned of what a cell cannot hold,
RAG statuses coloured with their word, and printing set up (landscape A4, the column
headings on every page, the heading in the page header).

Like the plan workbooks, a marking above OFFICIAL would be stated in a first row and in
every sheet's page header and footer; nothing is stated at OFFICIAL, which is all the VRU
role ever sees (actions/permissions.py)."""

import io

from openpyxl import Workbook

from actions.models import Marking
from actions.rag import RAG
from regional.selectors import VruView, rag_label
from workbooks.writing import SheetWriter

RAGS = list(RAG)
# RAG.values is a new list at every use: looked up once for the thousands of rows.
RAG_VALUES = frozenset(RAG.values)


def _sheet(book, title: str, heading: str, marking: Marking, columns, widths, rows):
    """A sheet: the marking if above OFFICIAL, the heading, the column headings, `rows`
    (lists of cells from the writer, made by `rows(out)`)."""
    out = SheetWriter(book.create_sheet(title))
    out.set_widths(widths)
    preamble = [[out.cell(heading, "heading")]]
    if marking != Marking.OFFICIAL:
        preamble.insert(0, [out.cell(marking.label, "heading")])
    header_row = len(preamble) + 1
    out.set_page(title=heading, header_row=header_row, marking=marking)
    out.sheet.freeze_panes = f"A{header_row + 1}"
    body = [*preamble, [out.cell(column, "header") for column in columns], *rows(out)]
    out.set_size(len(body), len(columns))
    out.write_rows(body)


def _number(out, value):
    return out.cell(value, "plain")


def _rag(out, value):
    rag = value if value in RAG_VALUES else RAG.NOT_RATED.value
    return out.cell(rag_label(rag), f"rag:{rag}")


def workbook(view: VruView, marking: Marking) -> bytes:
    book = Workbook(write_only=True)
    year = view.year.label
    since = f"{view.since:%-d %B %Y}"
    not_updated = f"Not updated since {since}"

    def boroughs(out):
        for borough in view.boroughs:
            yield [
                out.cell(borough.name),
                out.cell(borough.plan.title),
                _number(out, borough.total.total),
                *(_number(out, borough.total.counts[rag.value]) for rag in RAGS),
                out.cell(borough.latest_update or "Never"),
                _number(out, borough.total.not_updated),
            ]

    _sheet(
        book,
        "Boroughs",
        f"VRU plans {year}: actions by RAG status, and those with no update since {since}",
        marking,
        ["Borough", "Plan", "Actions", *(rag.label for rag in RAGS), "Latest update", not_updated],
        [30, 50, 10, 8, 8, 8, 10, 10, 14, 16],
        boroughs,
    )

    by_plan = {borough.plan.pk: borough for borough in view.boroughs}

    def themes(out):
        for row in view.themes:
            for plan_pk, theme in row.themes.items():
                counts = by_plan[plan_pk].by_theme[theme.pk]
                yield [
                    out.cell(row.label),
                    out.cell(by_plan[plan_pk].name),
                    _number(out, counts.total),
                    *(_number(out, counts.counts[rag.value]) for rag in RAGS),
                    _number(out, counts.not_updated),
                ]

    _sheet(
        book,
        "RAG by theme",
        f"VRU plans {year}: each borough's actions by theme and RAG status",
        marking,
        ["Theme", "Borough", "Actions", *(rag.label for rag in RAGS), not_updated],
        [40, 30, 10, 8, 8, 8, 10, 10, 16],
        themes,
    )

    def mandated(out):
        # A row per borough for each mandated action: the action's three cells, and each
        # borough's name, are made once and stand in every row that repeats them (the
        # writer only reads its cells): with 32 boroughs, close to half the sheet's cells.
        names = {borough.plan.pk: out.cell(borough.name) for borough in view.boroughs}
        for row in view.mandated:
            action_cells = [out.cell(row.theme_label), out.cell(row.ref), out.cell(row.text)]
            for borough in view.boroughs:
                action = row.actions.get(borough.plan.pk)
                first = [*action_cells, names[borough.plan.pk]]
                if action is None:
                    yield [*first, out.cell("Not in this borough's plan")]
                    continue
                yield [
                    *first,
                    _rag(out, action.rag),
                    out.cell(action.last_update),
                    out.cell(action.last_update_text or ""),
                    out.cell(action.end_date),
                    out.cell(action.end_text),
                ]

    _sheet(
        book,
        "Mandated actions",
        f"VRU mandated actions {year}: each borough's status, latest update and end date",
        marking,
        [
            "Theme",
            "Action",
            "Action text",
            "Borough",
            "Status",
            "Latest update",
            "Latest update text",
            "End date",
            "End date as written",
        ],
        [30, 8, 60, 30, 12, 14, 60, 12, 16],
        mandated,
    )

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
