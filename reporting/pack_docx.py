"""The pre-meeting pack as a Word document (.docx), written with python-docx from the same
plain structure as the pack's page (reporting.pack.build_pack): the same parts, sections and
tables, in the same order.

A4: the title, facts and summary on portrait pages, and the parts with wide tables (the
exceptions, the changes, every action) in a landscape section after them. Parts are level 1
headings and sections level 2 (Word's built-in heading styles, which its navigation pane and a
screen reader's heading list show); the footer numbers the pages. Each table's columns get
widths for what they hold (long text wide, numbers and statuses narrow), set on the grid and
on every cell, as Word and LibreOffice each read one of them. A pack holding anything marked
OFFICIAL-SENSITIVE says so, in bold, at the head and foot of every page. A RAG status is its word,
shaded in its colour (the word alone carries the meaning when the page is printed in black
and white). Links become their text.
"""

import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from actions.models import Marking
from actions.rag import COLOURS, RAG
from reporting.pack import Cell, Pack, Section, Table
from reporting.pack_widths import fitted_widths, piece_words

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Control characters that XML, and so a .docx, cannot hold; text pasted from other documents
# sometimes carries them (a vertical tab for a line break in an Excel cell, say).
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

A4_SHORT, A4_LONG, MARGIN = Mm(210), Mm(297), Mm(15)
TABLE_TEXT = Pt(9)
# About how wide a character of 9 point text is, on average, to share out a table's width.
CHARACTER = Mm(1.8)


def pack_docx(pack: Pack) -> bytes:
    document = Document()
    page_setup(document.sections[0], landscape=False)
    document.styles["Normal"].font.size = Pt(10)
    document.core_properties.title = f"{pack.title}: pre-meeting pack"
    page_numbers(document.sections[0])
    if pack.marking == Marking.OFFICIAL_SENSITIVE:
        mark_pages(document.sections[0], Marking.OFFICIAL_SENSITIVE.label)

    document.add_heading(pack.title, level=0)
    document.add_paragraph("Pre-meeting pack", style="Subtitle")
    for label, value in pack.facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)

    landscape = False
    for part in pack.parts:
        if part.wide and not landscape:
            # The wide tables from here on: a landscape section, numbered on from the last.
            page_setup(document.add_section(WD_SECTION.NEW_PAGE), landscape=True)
            landscape = True
        document.add_heading(part.heading, level=1)
        if part.intro:
            document.add_paragraph(part.intro)
        for section in part.sections:
            _section(document, section)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def page_setup(section, *, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    if landscape:
        section.page_width, section.page_height = A4_LONG, A4_SHORT
    else:
        section.page_width, section.page_height = A4_SHORT, A4_LONG
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN


def page_numbers(section) -> None:
    """ "Page N of M" in the footer, centred (later sections carry the same footer on)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Page ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES")


def mark_pages(section, words: str) -> None:
    """The protective marking, centred and bold, in the page header and above the page
    numbers in the footer (later sections carry both on)."""
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(words).bold = True
    footer = section.footer.paragraphs[0]
    marking = footer.insert_paragraph_before()
    marking.alignment = WD_ALIGN_PARAGRAPH.CENTER
    marking.add_run(words).bold = True


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES), which Word and LibreOffice work out when they lay the
    document out."""
    run = paragraph.add_run()
    for kind in ("begin", None, "separate", "end"):
        if kind is None:
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = f" {instruction} "
            run._r.append(text)
            continue
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)
        if kind == "separate":
            placeholder = OxmlElement("w:t")
            placeholder.text = "1"
            run._r.append(placeholder)


def _section(document, section: Section) -> None:
    if section.caption:
        document.add_paragraph(section.caption).paragraph_format.keep_with_next = True
    document.add_heading(section.heading, level=2)
    if section.intro:
        document.add_paragraph(section.intro)
    if section.table is not None and section.table.rows:
        word_table(document, section.table)
    elif section.empty and not section.refs:
        document.add_paragraph(section.empty)
    if section.refs:
        document.add_paragraph(section.refs_intro).paragraph_format.keep_with_next = True
        word_table(document, section.refs_table)


def _widths(document, table: Table) -> list[int]:
    """Each column's width (EMU), fitted to what it holds (reporting.pack_widths)."""
    section = document.sections[-1]
    room = section.page_width - section.left_margin - section.right_margin
    return [int(width * CHARACTER) for width in fitted_widths(table, room / CHARACTER)]


def word_table(document, table: Table) -> None:
    widths = _widths(document, table)
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    _caption(grid, table.caption)
    header = grid.rows[0]
    _repeat_as_header(header)
    for cell, column in zip(header.cells, table.columns, strict=True):
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(column.name)
        run.bold, run.font.size = True, TABLE_TEXT
        if column.numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for body_row in table.body:
        cells = grid.add_row().cells
        if body_row.group:
            merged = cells[0].merge(cells[-1])
            run = merged.paragraphs[0].add_run(NOT_IN_XML.sub(" ", body_row.group))
            run.bold, run.font.size = True, TABLE_TEXT
            continue
        for index, (cell, (content, column)) in enumerate(zip(cells, body_row.cells, strict=True)):
            _fill(cell, content, numeric=column.numeric, bold=table.row_headers and index == 0)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width
        _keep_whole(row)


def _fill(cell, content: Cell, *, numeric: bool, bold: bool) -> None:
    for number, line in enumerate(content):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        if numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for piece in line:
            run = paragraph.add_run(NOT_IN_XML.sub(" ", piece_words(piece)))
            run.font.size = TABLE_TEXT
            if piece.kind in ("strong", "marking") or bold:
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


def _keep_whole(row) -> None:
    """Keep a row on one page where it fits, rather than splitting an action in two."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _caption(grid, caption: str) -> None:
    """The table's title for assistive technology (Word's Alt Text title)."""
    element = OxmlElement("w:tblCaption")
    element.set(qn("w:val"), caption)
    grid._tbl.tblPr.append(element)
