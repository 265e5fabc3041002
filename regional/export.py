"""The VRU view as a workbook: what the page shows, one sheet per part. Written with
openpyxl's write-only workbook (rows streamed out, not held as cells).

Like the plan workbooks (workbooks/), a marking above OFFICIAL would be stated in a first row
and in every sheet's page header and footer; nothing is stated at OFFICIAL, which is all the
VRU role ever sees (actions/permissions.py)."""

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

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
    """A sheet with its column widths, how it prints (landscape A4 across one page's width,
    the column headings on every page, the heading in the page header), the marking if above
    OFFICIAL, the heading and the column headings. Set before any row is written."""
    sheet = book.create_sheet(title)
    for letter, width in zip("ABCDEFGHIJKLMN", widths, strict=False):
        sheet.column_dimensions[letter].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    marked = marking != Marking.OFFICIAL
    header_row = 3 if marked else 2
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.freeze_panes = f"A{header_row + 1}"
    # "&" starts a code in a header: one written in the heading is doubled to stay one.
    sheet.oddHeader.left.text = heading.replace("&", "&&")
    sheet.oddFooter.right.text = "Page &P of &N"
    if marked:
        for part in (sheet.oddHeader.center, sheet.oddFooter.center):
            part.text = f"&B{marking.label}"
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
