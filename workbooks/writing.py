"""Writing a layout workbook in openpyxl's write-only mode (streamed, so large plans are fast).

Write-only cells are styled by copying a prepared style array rather than setting fonts and
fills cell by cell, which is where openpyxl spends its time otherwise.
"""

import datetime
import math
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from lxml.etree import fromstring
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel, to_ISO8601
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from actions.models import ActionOrigin, Marking
from actions.rag import COLOURS, RAG

DATE_FORMAT = "dd/mm/yyyy"

# The Actions cell is shaded by origin, explained in the key under the table.
ORIGIN_FILLS = {
    ActionOrigin.VRU_MANDATED: "E4DFEC",
    ActionOrigin.VRU_NEW: "FCE4D6",
    ActionOrigin.VRU_OPTIONAL: "EDEDED",
}

_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _solid(hex_colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", fgColor="FF" + hex_colour.lstrip("#").upper())


@dataclass(frozen=True)
class _Traits:
    wrap: bool
    bold: bool
    title: bool


def _traits_of(cell: Cell) -> _Traits:
    font = cell.font
    return _Traits(
        wrap=bool(cell.alignment.wrap_text),
        bold=bool(font and font.b),
        title=bool(font and font.sz == 14),
    )


# The most characters an Excel cell holds; openpyxl cuts longer text there.
CELL_LIMIT = 32767


def clean_text(text: str) -> str:
    """Text as a cell can hold it: Word's vertical tab (a line break) becomes a line break;
    other control characters, which the file format cannot store, are dropped."""
    return _NOT_IN_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", text.replace("\x0b", "\n")))


# Two more characters XML cannot hold, which openpyxl lets through (Excel would refuse the file).
_NOT_IN_XML = re.compile("[\ufffe\uffff]")


class _RowWriter:
    """Writes a row of a write-only sheet as openpyxl 3.1's `WorksheetWriter.write_row` and
    `lxml_write_cell` do, the same XML, but as one piece of text per row, parsed into one
    element and written at once: each cell's coordinate, its style's number (if it has a
    style, looked up once per style), its type and its value, text as an inline string
    (its spaces kept where it starts or ends with white space). A date goes through
    openpyxl's conversion. The cells `SheetWriter.cell` makes have no formula, comment
    or hyperlink; a cell that has one is refused rather than written differently.

    Cells are only read here, never changed, so one cell may stand in several places."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.styles = sheet.parent._cell_styles
        self.style_ids: dict[tuple, str] = {}
        self.letters: dict[int, str] = {}
        # Each cell's XML after its coordinate, by the cell's id (with the cell, which keeps
        # the id from being reused): a cell may stand in many places.
        self.written: dict[int, tuple] = {}

    def write_row(self, xf, row, row_number: int) -> None:
        attributes = {"r": f"{row_number}"}
        attributes.update(self.sheet.row_dimensions.get(row_number, {}))
        parts = ["<row", *(f" {name}={quoteattr(value)}" for name, value in attributes.items())]
        parts.append(">")
        empty = False
        for column, cell in enumerate(row, start=1):
            if cell is None:
                continue
            if not isinstance(cell, Cell):
                cell = Cell(self.sheet, value=cell)
            written = self.written.get(id(cell))
            if written is None or written[0] is not cell:
                written = self.written[id(cell)] = (cell, *self._cell(cell))
            _, rest, is_empty = written
            if rest is None:
                continue
            letter = self.letters.get(column)
            if letter is None:
                letter = self.letters[column] = get_column_letter(column)
            parts.append(f'<c r="{letter}{row_number}"{rest}')
            empty = empty or is_empty
        parts.append("</row>")
        element = fromstring("".join(parts))
        if not len(element):
            element.text = ""  # an empty row too: <row ...></row>
        elif empty:
            # openpyxl writes an empty cell <c ...></c>; parsed, it would be written <c .../>.
            for child in element:
                if child.text is None and not len(child):
                    child.text = ""
        xf.write(element)

    def _cell(self, cell: Cell) -> tuple[str | None, bool]:
        """The cell's XML after its coordinate (None: not written), and whether it is an
        empty element. The same wherever the cell stands: worked out once for each cell."""
        if cell._comment is not None or cell.hyperlink or cell.data_type == "f":
            raise TypeError("SheetWriter writes no formulas, comments or hyperlinks")
        styled = cell.has_style
        value = cell._value
        if value is None and not styled:
            return None, False
        data_type = kind = cell.data_type
        if data_type == "s":
            kind = "inlineStr"
        elif data_type == "d":
            # As openpyxl's `_set_attributes` converts a date: a serial number, or ISO 8601
            # if the book says so.
            if getattr(value, "tzinfo", None) is not None:
                raise TypeError("Excel does not support timezones in datetimes.")
            book = self.sheet.parent
            if book.iso_dates and not isinstance(value, datetime.timedelta):
                value = to_ISO8601(value)
            else:
                kind, value = "n", to_excel(value, book.epoch)
        style = ""
        if styled:
            key = tuple(cell._style)
            style_id = self.style_ids.get(key)
            if style_id is None:
                # Numbered in the order first used, as openpyxl numbers them.
                style_id = self.style_ids[key] = f"{self.styles.add(cell._style)}"
            style = f' s="{style_id}"'
        head = f'{style} t="{kind}">'
        if value is None or value == "":
            return f"{head}</c>", True
        if data_type == "s":
            if not isinstance(value, str):
                raise TypeError("SheetWriter writes text as plain strings")
            space = ' xml:space="preserve"' if value != value.strip() else ""
            return f"{head}<is><t{space}>{escape(value, _CARRIAGE_RETURN)}</t></is></c>", False
        return f"{head}<v>{escape(safe_string(value))}</v></c>", False


# A carriage return in text, escaped: as it is, an XML parser would read it as a line feed.
_CARRIAGE_RETURN = {"\r": "&#13;"}


class SheetWriter:
    """Cells for one write-only sheet, in a small set of named styles."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.styles = {}
        # What fitting a row's height needs of each style (wrapped, bold, the title's size),
        # by the style's array: reading them through a cell's font and alignment builds
        # style objects every time, and a 10,000-action plan has 150,000 cells.
        self._traits: dict[tuple, _Traits] = {}
        self._define("text", alignment=_WRAP, border=_BORDER)
        self._define("plain")
        self._define("date", alignment=_WRAP, border=_BORDER, number_format=DATE_FORMAT)
        self._define(
            "header",
            font=Font(bold=True),
            fill=_solid("D9D9D9"),
            alignment=Alignment(wrap_text=True, vertical="center"),
            border=_BORDER,
        )
        self._define("title", font=Font(bold=True, size=14))
        self._define("heading", font=Font(bold=True))
        self._define("theme", font=Font(bold=True), alignment=_WRAP, border=_BORDER)
        for rag in RAG:
            background, foreground = COLOURS[rag]
            self._define(
                f"rag:{rag}",
                font=Font(bold=True, color="FF" + foreground.lstrip("#").upper()),
                fill=_solid(background) if rag != RAG.NOT_RATED else PatternFill(),
                alignment=Alignment(horizontal="center", vertical="top", wrap_text=True),
                border=_BORDER,
            )
        for origin, colour in ORIGIN_FILLS.items():
            self._define(f"origin:{origin}", fill=_solid(colour), alignment=_WRAP, border=_BORDER)
            self._define(f"key:{origin}", fill=_solid(colour), border=_BORDER)

    def _define(self, name: str, **attributes) -> None:
        template = Cell(self.sheet)
        for attribute, value in attributes.items():
            setattr(template, attribute, value)
        self.styles[name] = template._style
        self._traits[tuple(template._style)] = _traits_of(template)

    def cell(self, value, style: str = "text") -> Cell:
        if isinstance(value, datetime.date) and style == "text":
            style = "date"
        # Cell copies the style array itself: each cell's style stays its own.
        cell = Cell(self.sheet, row=1, column=1, style_array=self.styles[style])
        if isinstance(value, str):
            # Text is stored directly: Cell.value's checks are clean_text's over again, and
            # they are a third of the time a cell takes. It cuts text to CELL_LIMIT
            # characters, the most a cell holds, and so does this.
            cell._value = clean_text(value)[:CELL_LIMIT]
            cell.data_type = "s"  # text that starts with "=" stays text, never a formula
        elif value is not None:
            cell.value = value
        return cell

    def set_size(self, rows: int, columns: int) -> None:
        """Record the sheet's size (the <dimension> element), before any row is written.

        openpyxl's write-only sheets leave it out, and its read-only mode then parses the
        whole sheet just to find the size before parsing it again for the rows: for 10,000
        actions that is a third of the time of every import of a workbook we exported.
        """
        ref = f"A1:{get_column_letter(max(columns, 1))}{max(rows, 1)}"
        # openpyxl 3.1's sheet writer writes what `calculate_dimension` returns, if the sheet
        # has one; write-only sheets have none of their own.
        self.sheet.calculate_dimension = lambda: ref

    def set_page(
        self, *, title: str, header_row: int | None, marking: Marking | None = None
    ) -> None:
        """How the sheet prints: landscape A4, every column fitted to the page's width (as
        many pages down as it takes), the header row at the top of every page and the title
        in the page header, with the page number below; a protective marking (an
        actions.models.Marking above OFFICIAL) centred in bold at the head and foot of every
        page, the title and page number then beside it. Set before any row is written."""
        sheet = self.sheet
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_margins = PageMargins(
            left=0.4, right=0.4, top=0.7, bottom=0.6, header=0.3, footer=0.3
        )
        if header_row:
            sheet.print_title_rows = f"{header_row}:{header_row}"
        # "&" starts a code in a header: one written in the title is doubled to stay one.
        title_part, page_part = sheet.oddHeader.center, sheet.oddFooter.center
        if marking is not None and marking != Marking.OFFICIAL:
            title_part, page_part = sheet.oddHeader.left, sheet.oddFooter.right
            for part in (sheet.oddHeader.center, sheet.oddFooter.center):
                part.text = f"&B{marking.label}"
                part.size = 10
        title_part.text = title.replace("&", "&&")
        title_part.size = 10
        page_part.text = "Page &P of &N"
        page_part.size = 9

    def fit_heights(self, rows: list[list], widths: list[float], merges=()) -> None:
        """Set each row's height to fit its wrapped text (see `row_heights`), before the
        rows are written. `widths` are the columns' widths, 0 for a hidden one."""
        heights = row_heights(rows, widths, merges, traits=self.traits)
        for number, height in enumerate(heights, start=1):
            self.sheet.row_dimensions[number].height = height

    def write_rows(self, rows: list[list]) -> None:
        """Append the rows (of cells from `cell`, or None for an empty one) to the sheet.

        openpyxl's write-only append first tries each value as a plain value and, when it
        is a cell, catches the error that raises, whose message holds the cell's repr: a
        tenth of an export's time, and a new empty cell made after each styled one. Then it
        writes each cell through four nested XML writer calls, looking its style's number up
        every time: over half of the VRU view's workbook (benchmarks/README.md,
        exports.py). Here each row is built whole as one element and written at once, with
        each style's number looked up once (`_RowWriter`): the same XML (openpyxl 3.1
        internals, pinned, as `set_size`)."""
        sheet = self.sheet
        sheet._get_writer()
        writer = sheet._writer
        sheet._values_to_row = lambda values, row_number: values
        writer.write_row = _RowWriter(sheet).write_row
        try:
            for row in rows:
                sheet.append(row)
        finally:
            del sheet._values_to_row
            del writer.write_row

    def traits(self, cell: Cell) -> "_Traits":
        key = tuple(cell._style) if cell._style is not None else None  # None: no style
        found = self._traits.get(key)
        if found is None:  # a style changed after it was made (a date's number format)
            found = self._traits[key] = _traits_of(cell)
        return found

    def set_widths(self, widths: list[float], hidden: set[int] = frozenset()) -> None:
        """Column widths (in characters) and hidden columns, set before any row is written."""
        for index, width in enumerate(widths, start=1):
            dimension = self.sheet.column_dimensions[get_column_letter(index)]
            dimension.width = width
            dimension.hidden = index in hidden


# ---- printing ----------------------------------------------------------------------------------

# Widths of 11 point Calibri's characters, in pixels at 96 dots an inch (a column's width is
# counted in widths of its "0", 7 pixels), by kind of character: near enough to wrap text as
# Excel and LibreOffice (with Carlito, Calibri's metric twin) do.
_NARROW = frozenset(" ijlI.,:;'!|")
_SEMI = frozenset('frt()-/[]"J')
_WIDE = frozenset("mwMW@%")
ZERO_PIXELS = 7
CELL_PADDING_PIXELS = 6
LINE_POINTS = 15  # a line of 11 point Calibri, as Excel spaces a wrapped cell's lines
TITLE_POINTS = 20  # the 14 point title


# Widths in tenths of a pixel: most characters', and how much narrower or wider each other
# kind is (narrow, semi-narrow, wide, capital).
_USUAL = 74
_BY_KIND = ((1, 34 - _USUAL), (2, 50 - _USUAL), (3, 115 - _USUAL), (4, 86 - _USUAL))
_WIDEST_PIXELS = max(_USUAL + difference for _, difference in _BY_KIND) / 10  # "m", "W"


def _kind(char: str) -> int:
    if char in _NARROW:
        return 1
    if char in _SEMI:
        return 2
    if char in _WIDE:
        return 3
    return 4 if char.isupper() else 0


# Each byte of Latin-1 text mapped to its kind: a text's width is then worked out from how
# many bytes of each kind it has, counted in C rather than character by character (a
# 10,000-action export has millions of characters). Outside Latin-1 a character is "?".
_KIND_OF_BYTE = bytes(_kind(chr(code)) for code in range(256))
# A wrapped line ends before the word that does not fit: room lost on each line, about a
# long word's width, so that an estimate errs towards a row too tall rather than cut short.
WRAP_LOSS_PIXELS = 42


def text_pixels(text: str) -> float:
    kinds = text.encode("latin-1", "replace").translate(_KIND_OF_BYTE)
    count = kinds.count
    tenths = len(kinds) * _USUAL
    for kind, difference in _BY_KIND:
        tenths += count(kind) * difference
    return tenths / 10


def wrapped_lines(text: str, width: float, *, bold: bool = False) -> int:
    """About how many lines `text` takes wrapped in a column `width` characters wide."""
    room = width * ZERO_PIXELS - CELL_PADDING_PIXELS
    scale = 1.07 if bold else 1.0
    lines = 0
    for paragraph in text.split("\n"):
        pixels = text_pixels(paragraph) * scale
        if pixels <= room:
            lines += 1
        else:
            # A narrow column loses less: its words are broken, or its lines are short.
            loss = min(WRAP_LOSS_PIXELS, room / 4)
            lines += math.ceil(pixels / max(room - loss, ZERO_PIXELS))
    return lines


def row_heights(rows: list[list], widths: list[float], merges, *, traits) -> list[float]:
    """The height (points) of each row, tall enough for its wrapped text, and each merged
    range (first row, last row, column, counted from 1) tall enough in all for its text,
    the rows it spans growing at the last when they are not.

    Heights are set rather than left to the program: LibreOffice does not fit rows to their
    wrapped text when it opens a workbook, and printed rows would cut the text short."""

    # Text this short fits on one line even in the widest characters, in any column it
    # can be in: most cells (numbers, dates, RAG words, names) need no measuring.
    room = [width * ZERO_PIXELS - CELL_PADDING_PIXELS for width in widths]
    short = [max(0, int(pixels // (_WIDEST_PIXELS * 1.07))) for pixels in room]

    def lines(cell, column: int, style) -> int:
        value = cell._value
        if type(value) is not str or not value or column >= len(widths) or not widths[column]:
            return 1  # not text, or in a hidden column (width 0)
        if not style.wrap:
            return value.count("\n") + 1
        if len(value) <= short[column] and "\n" not in value:
            return 1
        return wrapped_lines(value, widths[column], bold=style.bold)

    merged_first = {(first, column - 1) for first, _, column in merges}
    heights = []
    for number, row in enumerate(rows, start=1):
        tallest, title = 1, False
        for index, cell in enumerate(row):
            if cell is None:
                continue
            style = traits(cell)
            title = title or style.title
            if (number, index) not in merged_first:
                tallest = max(tallest, lines(cell, index, style))
        heights.append(TITLE_POINTS if title else tallest * LINE_POINTS)
    for first, last, column in merges:
        top = rows[first - 1][column - 1]
        needed = lines(top, column - 1, traits(top)) * LINE_POINTS
        have = sum(heights[first - 1 : last])
        if have < needed:
            heights[last - 1] += needed - have
    return heights
