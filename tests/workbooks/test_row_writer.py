"""SheetWriter.write_rows writes each row as one piece of XML (workbooks.writing._RowWriter)
rather than cell by cell through openpyxl's writer, for speed (benchmarks/README.md,
exports.py). The sheet must be what openpyxl's own write-only `append` writes: here both
write the same rows, with every kind of cell the workbooks hold, and the sheets' XML is
compared byte for byte."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook

from workbooks.writing import SheetWriter

AWKWARD = '  Knife crime & <gangs> "review"\nnext line\r\nwindows\tand a tab\rend '


def rows_of(out: SheetWriter) -> list[list]:
    shared = out.cell("The same cell in two rows")
    return [
        [out.cell("A title", "title")],
        [],
        [None, None],
        [out.cell(name, "header") for name in ("Text", "Number", "Date", "RAG", "Other")],
        [
            out.cell(AWKWARD),
            out.cell(42, "plain"),
            out.cell(datetime.date(2026, 12, 6)),
            out.cell("Red", "rag:red"),
            shared,
        ],
        [
            out.cell(""),
            out.cell(2.5),
            out.cell(datetime.datetime(2026, 12, 6, 10, 30)),
            None,
            shared,
        ],
        [out.cell(None), out.cell(None, "plain"), out.cell(True), "a plain value", 7],
        [out.cell("=SUM(A1:A2) stays text"), None, out.cell(" ", "theme"), out.cell("x" * 40000)],
    ]


def sheet_xml(write, iso_dates: bool = False) -> tuple[bytes, bytes]:
    book = Workbook(write_only=True, iso_dates=iso_dates)
    out = SheetWriter(book.create_sheet("Sheet"))
    out.set_widths([30, 10, 12, 10, 20])
    rows = rows_of(out)
    # Row heights (written on each row) as the plan workbooks fit them; fitting reads cells
    # only, not the plain values a row may also hold.
    cells = [[cell if hasattr(cell, "_style") else None for cell in row] for row in rows]
    out.fit_heights(cells, [30, 10, 12, 10, 20])
    write(out, rows)
    stream = io.BytesIO()
    book.save(stream)
    with zipfile.ZipFile(stream) as archive:
        return archive.read("xl/worksheets/sheet1.xml"), archive.read("xl/styles.xml")


def openpyxl_append(out: SheetWriter, rows: list[list]) -> None:
    """openpyxl's own write-only append, cell by cell through its writer."""
    for row in rows:
        out.sheet.append(row)


@pytest.mark.parametrize("iso_dates", [False, True], ids=["serial dates", "ISO dates"])
@pytest.mark.parametrize("part", [0, 1], ids=["sheet", "styles"])
def test_rows_are_written_as_openpyxl_writes_them(part, iso_dates):
    written = sheet_xml(lambda out, rows: out.write_rows(rows), iso_dates)[part]

    assert written == sheet_xml(openpyxl_append, iso_dates)[part]
    if part == 0:
        assert b'<t xml:space="preserve">  Knife crime &amp; &lt;gangs&gt;' in written
        assert b"&#13;" in written  # a carriage return kept, not read back as a line feed
