"""The pre-meeting pack as a Word document (.docx), written with python-docx from the same
plain structure as the pack's page (reporting.pack.build_pack): the same parts, sections and
tables, in the same order.

A4 portrait. Parts are level 1 headings and sections level 2, so that Word's navigation pane
and a screen reader's heading list show the pack's outline; each theme starts a new page.
A RAG status is its word, shaded in its colour (the word alone carries the meaning when the
page is printed in black and white). Links become their text.
"""

import io
import re

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from actions.rag import COLOURS, RAG
from reporting.pack import Cell, Pack, Section, Table

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Control characters that XML, and so a .docx, cannot hold; text pasted from other documents
# sometimes carries them (a vertical tab for a line break in an Excel cell, say).
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def pack_docx(pack: Pack) -> bytes:
    document = Document()
    _a4(document)
    document.styles["Normal"].font.size = Pt(10)
    document.core_properties.title = f"{pack.title}: pre-meeting pack"

    document.add_heading(pack.title, level=0)
    document.add_paragraph("Pre-meeting pack", style="Subtitle")
    for label, value in pack.facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)

    for part in pack.parts:
        document.add_heading(part.heading, level=1)
        if part.intro:
            document.add_paragraph(part.intro)
        for section in part.sections:
            _section(document, section)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _a4(document) -> None:
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(15)
        section.top_margin = section.bottom_margin = Mm(15)


def _section(document, section: Section) -> None:
    first = None
    if section.caption:
        first = document.add_paragraph(section.caption)
        first.paragraph_format.keep_with_next = True
    heading = document.add_heading(section.heading, level=2)
    if section.page_break:
        (first or heading).paragraph_format.page_break_before = True
    if section.intro:
        document.add_paragraph(section.intro)
    if section.table is not None and section.table.rows:
        _table(document, section.table)
    elif section.empty:
        document.add_paragraph(section.empty)


def _table(document, table: Table) -> None:
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    _caption(grid, table.caption)
    header = grid.rows[0]
    _repeat_as_header(header)
    for cell, column in zip(header.cells, table.columns, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.add_run(column.name).bold = True
        if column.numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        cells = grid.add_row().cells
        for index, (cell, content, column) in enumerate(
            zip(cells, row, table.columns, strict=True)
        ):
            _fill(cell, content, numeric=column.numeric, bold=table.row_headers and index == 0)


def _fill(cell, content: Cell, *, numeric: bool, bold: bool) -> None:
    for number, line in enumerate(content):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        if numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for piece in line:
            words = piece.label if piece.kind == "rag" else piece.text
            run = paragraph.add_run(NOT_IN_XML.sub(" ", words))
            if piece.kind == "strong" or bold:
                run.bold = True
            if piece.kind == "rag":
                _rag_run(run, piece.value)


def _rag_run(run, value: str) -> None:
    background, foreground = COLOURS[RAG(value)]
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(foreground.lstrip("#").upper())
    # Shading goes last in the run's properties, where Word's schema puts it.
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), background.lstrip("#").upper())
    run._r.get_or_add_rPr().append(shading)


def _repeat_as_header(row) -> None:
    """Repeat the column headings at the top of each page the table runs onto."""
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _caption(grid, caption: str) -> None:
    """The table's title for assistive technology (Word's Alt Text title)."""
    element = OxmlElement("w:tblCaption")
    element.set(qn("w:val"), caption)
    grid._tbl.tblPr.append(element)
