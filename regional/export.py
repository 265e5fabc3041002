"""The VRU view as a workbook: what the page shows, one sheet per part, each headed by its
protective marking. Written with openpyxl's write-only workbook (rows streamed out, not
held as cells)."""

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from actions.models import Marking
from actions.rag import RAG
from regional.selectors import VruView, rag_label

RAGS = list(RAG)
BOLD = Font(bold=True)


def _header(sheet, values):
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = BOLD
        cells.append(cell)
    sheet.append(cells)


def _start(book, title: str, heading: str, marking: Marking, columns, widths):
    sheet = book.create_sheet(title)
    for letter, width in zip("ABCDEFGHIJKLMN", widths, strict=False):
        sheet.column_dimensions[letter].width = width
    sheet.append([marking.label])
    sheet.append([heading])
    _header(sheet, columns)
    return sheet


def workbook(view: VruView, marking: Marking) -> bytes:
    book = Workbook(write_only=True)
    year = view.year.label
    since = f"{view.since:%-d %B %Y}"

    sheet = _start(
        book,
        "Boroughs",
        f"VRU plans {year}: actions by RAG status, and those with no update since {since}",
        marking,
        [
            "Borough",
            "Plan",
            "Actions",
            *(rag.label for rag in RAGS),
            "Latest update",
            f"Not updated since {since}",
        ],
        [30, 60, 10, 8, 8, 8, 10, 10, 14, 16],
    )
    for borough in view.boroughs:
        sheet.append(
            [
                borough.name,
                borough.plan.title,
                borough.total.total,
                *(borough.total.counts[rag.value] for rag in RAGS),
                borough.latest_update,
                borough.total.not_updated,
            ]
        )

    sheet = _start(
        book,
        "RAG by theme",
        f"VRU plans {year}: each borough's actions by theme and RAG status",
        marking,
        ["Theme", "Borough", "Actions", *(rag.label for rag in RAGS), f"Not updated since {since}"],
        [40, 30, 10, 8, 8, 8, 10, 10, 16],
    )
    by_plan = {borough.plan.pk: borough for borough in view.boroughs}
    for row in view.themes:
        for plan_pk, theme in row.themes.items():
            counts = by_plan[plan_pk].by_theme[theme.pk]
            sheet.append(
                [
                    row.label,
                    by_plan[plan_pk].name,
                    counts.total,
                    *(counts.counts[rag.value] for rag in RAGS),
                    counts.not_updated,
                ]
            )

    sheet = _start(
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
    )
    for row in view.mandated:
        for borough in view.boroughs:
            action = row.actions.get(borough.plan.pk)
            if action is None:
                sheet.append([row.theme_label, row.ref, row.text, borough.name, "Not in plan"])
                continue
            sheet.append(
                [
                    row.theme_label,
                    row.ref,
                    row.text,
                    borough.name,
                    rag_label(action.rag),
                    action.last_update,
                    action.last_update_text or "",
                    action.end_date,
                    action.end_text,
                ]
            )

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
