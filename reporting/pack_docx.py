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
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Mm, Pt

from actions.models import Marking
from actions.rag import COLOURS, RAG
from reporting.pack import Cell, Pack, Section, Table
from reporting.pack_widths import fitted_widths, piece_words

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Control characters that XML, and so a .docx, cannot hold; text pasted from other documents
# sometimes carries them (a vertical tab for a line break in an Excel cell, say).
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# What python-docx writes as elements of their own in a run rather than as text.
BREAKS = re.compile(r"([\t\r\n])")

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
    """The table, its columns fitted to what they hold, the column headings repeated on each
    page it runs onto and each row kept whole on a page where it fits.

    The table itself (its style, alignment, fixed layout, grid and caption) is made with
    python-docx; its rows are written as one piece of XML (`_TableXml`) and parsed in one
    go. Adding them cell by cell, run by run through python-docx's objects took about 1.5 s
    for a pack of 300 actions (benchmarks/README.md, exports.py): each run's size, bold and
    text, and each cell's width, looks its place up among its siblings. The XML is what
    those calls wrote (tests/reporting/test_pack_docx_xml.py compares the two)."""
    widths = _widths(document, table)
    grid = document.add_table(rows=0, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    _caption(grid, table.caption)
    grid._tbl.extend(_TableXml(widths).rows(table))


def _xml_text(text: str) -> str:
    """`text` as the content of a run, as python-docx's `run.text` writes it: a tab as
    <w:tab/>, a line break (CR or LF) as <w:br/>, the rest in <w:t>, whose spaces are kept
    where it starts or ends with white space."""
    out = []
    for chunk in BREAKS.split(text):
        if chunk == "\t":
            out.append("<w:tab/>")
        elif chunk in ("\r", "\n"):
            out.append("<w:br/>")
        elif chunk:
            space = ' xml:space="preserve"' if len(chunk.strip()) < len(chunk) else ""
            out.append(f"<w:t{space}>{escape(chunk)}</w:t>")
    return "".join(out)


class _TableXml:
    """A pack table's rows as WordprocessingML, as python-docx's objects would write them
    (see `word_table`): each cell with its column's width, each run in 9 point."""

    SIZE = f'<w:sz w:val="{int(TABLE_TEXT.pt * 2)}"/>'
    RIGHT = '<w:pPr><w:jc w:val="right"/></w:pPr>'

    def __init__(self, widths: list[int]):
        # The cells' widths in twentieths of a point, as python-docx rounds them.
        self.twips = [Emu(width).twips for width in widths]

    def rows(self, table: Table) -> list:
        parts = [self._header(table)]
        for body_row in table.body:
            if body_row.group:
                parts.append(self._group(NOT_IN_XML.sub(" ", body_row.group)))
                continue
            cells = []
            for index, (content, column) in enumerate(body_row.cells):
                bold = table.row_headers and index == 0
                cells.append(self._cell(index, self._lines(content, column.numeric, bold)))
            parts.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>")
        return list(parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(parts)}</w:tbl>"))

    def _header(self, table: Table) -> str:
        cells = [
            self._cell(index, self._paragraph(self._run(column.name, bold=True), column.numeric))
            for index, column in enumerate(table.columns)
        ]
        # Repeated at the top of each page the table runs onto; every row is kept whole on
        # a page where it fits, rather than an action split in two.
        marks = '<w:tblHeader w:val="true"/><w:cantSplit/>'
        return f"<w:tr><w:trPr>{marks}</w:trPr>{''.join(cells)}</w:tr>"

    def _group(self, words: str) -> str:
        """A row across the table naming the rows under it. python-docx gave the merged
        cell the width of the last column it spans (each of a row's cells is given its
        column's width, and a merged cell is each of the columns it spans in turn)."""
        span = len(self.twips)
        spans = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        width = f'<w:tcW w:type="dxa" w:w="{self.twips[-1]}"/>'
        paragraph = self._paragraph(self._run(words, bold=True), False)
        cell = f"<w:tc><w:tcPr>{width}{spans}</w:tcPr>{paragraph}</w:tc>"
        return f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cell}</w:tr>"

    def _cell(self, index: int, paragraphs: str) -> str:
        width = f'<w:tcW w:type="dxa" w:w="{self.twips[index]}"/>'
        # A cell holds at least one paragraph, empty if it says nothing.
        return f"<w:tc><w:tcPr>{width}</w:tcPr>{paragraphs or '<w:p/>'}</w:tc>"

    def _lines(self, content: Cell, numeric: bool, bold: bool) -> str:
        """A cell's lines, a paragraph each, of its pieces' runs: bold for a row's heading,
        strong words and a marking; a RAG status its word in its colours."""
        paragraphs = []
        for line in content:
            runs = []
            for piece in line:
                text = NOT_IN_XML.sub(" ", piece_words(piece))
                if piece.kind == "rag":
                    runs.append(self._run(text, bold=True, rag=piece.value))
                else:
                    runs.append(self._run(text, bold=bold or piece.kind in ("strong", "marking")))
            paragraphs.append(self._paragraph("".join(runs), numeric))
        return "".join(paragraphs)

    def _paragraph(self, runs: str, numeric: bool) -> str:
        return f"<w:p>{self.RIGHT if numeric else ''}{runs}</w:p>"

    def _run(self, text: str, *, bold: bool, rag: str | None = None) -> str:
        """A run in 9 point, bold or not; a RAG status in its colours (`_rag_colours`)."""
        properties = "<w:b/>" if bold else ""
        if rag is None:
            properties += self.SIZE
        else:
            background, foreground = _rag_colours(rag)
            # Shading goes last in the run's properties, where Word's schema puts it.
            properties += f'<w:color w:val="{foreground}"/>{self.SIZE}'
            properties += f'<w:shd w:val="clear" w:color="auto" w:fill="{background}"/>'
        return f"<w:r><w:rPr>{properties}</w:rPr>{_xml_text(text)}</w:r>"


def _rag_colours(value: str) -> tuple[str, str]:
    """A RAG status's background and text colours as Word writes them ("D4351C")."""
    background, foreground = COLOURS[RAG(value)]
    return background.lstrip("#").upper(), foreground.lstrip("#").upper()


def _caption(grid, caption: str) -> None:
    """The table's title for assistive technology (Word's Alt Text title)."""
    element = OxmlElement("w:tblCaption")
    element.set(qn("w:val"), caption)
    grid._tbl.tblPr.append(element)
