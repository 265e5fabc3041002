"""The pack's Word tables are written as XML in bulk (reporting.pack_docx.word_table) rather
than cell by cell through python-docx's objects, for speed (benchmarks/README.md,
exports.py). The XML must be what python-docx's objects wrote: here both write the same
tables, one with every kind of row, cell and piece the packs hold, and the tables' XML is
compared whole.

`cell_by_cell` is how word_table wrote its rows before (commit f0ce114's
reporting/pack_docx.py), kept here as the reference.
"""

import docx
import pytest
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor
from lxml import etree

from actions.rag import COLOURS, RAG
from reporting import pack_docx
from reporting.pack import Column, Link, Marked, Rag, Strong, Table, Text, rag_piece
from reporting.pack_widths import piece_words


def cell_by_cell(document, table: Table) -> None:
    widths = pack_docx._widths(document, table)
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    pack_docx._caption(grid, table.caption)
    header = grid.rows[0]
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(marker)
    for cell, column in zip(header.cells, table.columns, strict=True):
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(column.name)
        run.bold, run.font.size = True, pack_docx.TABLE_TEXT
        if column.numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for body_row in table.body:
        cells = grid.add_row().cells
        if body_row.group:
            merged = cells[0].merge(cells[-1])
            run = merged.paragraphs[0].add_run(pack_docx.NOT_IN_XML.sub(" ", body_row.group))
            run.bold, run.font.size = True, pack_docx.TABLE_TEXT
            continue
        for index, (cell, (content, column)) in enumerate(zip(cells, body_row.cells, strict=True)):
            bold = table.row_headers and index == 0
            for number, line in enumerate(content):
                paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
                if column.numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                for piece in line:
                    run = paragraph.add_run(pack_docx.NOT_IN_XML.sub(" ", piece_words(piece)))
                    run.font.size = pack_docx.TABLE_TEXT
                    if piece.kind in ("strong", "marking") or bold:
                        run.bold = True
                    if piece.kind == "rag":
                        background, foreground = COLOURS[RAG(piece.value)]
                        run.bold = True
                        run.font.color.rgb = RGBColor.from_string(foreground.lstrip("#").upper())
                        shading = OxmlElement("w:shd")
                        shading.set(qn("w:val"), "clear")
                        shading.set(qn("w:color"), "auto")
                        shading.set(qn("w:fill"), background.lstrip("#").upper())
                        run._r.get_or_add_rPr().append(shading)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def every_kind_of_table() -> Table:
    """Rows with a group above them, numbers, a row heading, every RAG status, strong words,
    markings, links, empty text, an empty line and an empty cell, and words that python-docx
    writes specially: line breaks (LF, CR, CRLF), tabs, spaces at either end, what XML
    escapes and control characters."""
    columns = [
        Column("No."),
        Column("Action", wide=True),
        Column("Count", numeric=True),
        Column("RAG status"),
        Column("Latest update", wide=True),
    ]
    awkward = '  Knife crime & <gangs> "review"\n(8)\r\nnext\ttab\rend\x0b\x07 '
    rows = []
    for number, rag in enumerate([*RAG.values, "unknown"]):
        rows.append(
            [
                [[Link(str(number + 1), f"/actions/{number}/")]],
                [[Text(f"Action {number} "), Marked("official_sensitive", "OFFICIAL-SENSITIVE")]],
                [[Text(str(number * 7))], [Strong("total")]],
                [[rag_piece(rag)], [Text("was Amber until 1 Dec 2026")]],
                [[Strong("28 Nov 2026")], [Text(awkward)]],
            ]
        )
    rows.append(
        [
            [[Text("")]],
            [[]],
            [],
            [[Rag("red", "Red"), Text(" to "), Rag("green", "Green")]],
            [[Text(" ")]],
        ]
    )
    return Table(
        "Every kind of row & <cell>",
        columns,
        rows,
        row_headers=True,
        groups={0: "GOVERNANCE\x0c & <plans>", 3: "Prevention\nand early help"},
    )


def one_column_table() -> Table:
    return Table(
        "One column", [Column("Subgroup")], [[[[Text("a")]]], [[[Text("b")]]]], groups={1: "Later"}
    )


def table_xml(write, table: Table, *, landscape: bool) -> bytes:
    document = docx.Document()
    pack_docx.page_setup(document.sections[0], landscape=landscape)
    write(document, table)
    (element,) = document.element.body.iterchildren(qn("w:tbl"))
    return etree.tostring(element)


@pytest.mark.parametrize("make", [every_kind_of_table, one_column_table])
@pytest.mark.parametrize("landscape", [False, True])
def test_the_bulk_xml_is_what_python_docx_writes_cell_by_cell(make, landscape):
    table = make()

    written = table_xml(pack_docx.word_table, table, landscape=landscape)

    assert written == table_xml(cell_by_cell, table, landscape=landscape)
    # And it reads back as a table of the same cells (python-docx's own reading).
    document = docx.Document()
    pack_docx.word_table(document, table)
    read = document.tables[0]
    assert len(read.rows) == 1 + len(table.body)
    assert [cell.text for cell in read.rows[0].cells] == [column.name for column in table.columns]
