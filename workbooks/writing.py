"""Writing a layout workbook in openpyxl's write-only mode (streamed, so large plans are fast).

Write-only cells are styled by copying a prepared style array rather than setting fonts and
fills cell by cell, which is where openpyxl spends its time otherwise.
"""

import datetime
import re
from copy import copy

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from actions.models import ActionOrigin
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


def clean_text(text: str) -> str:
    """Text as a cell can hold it: Word's vertical tab (a line break) becomes a line break;
    other control characters, which the file format cannot store, are dropped."""
    return _NOT_IN_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", text.replace("\x0b", "\n")))


# Two more characters XML cannot hold, which openpyxl lets through (Excel would refuse the file).
_NOT_IN_XML = re.compile("[\ufffe\uffff]")


class SheetWriter:
    """Cells for one write-only sheet, in a small set of named styles."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.styles = {}
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

    def cell(self, value, style: str = "text") -> Cell:
        if isinstance(value, datetime.date) and style == "text":
            style = "date"
        cell = Cell(self.sheet, row=1, column=1, style_array=copy(self.styles[style]))
        if isinstance(value, str):
            # Text is stored directly: Cell.value's checks are clean_text's over again, and
            # they are a third of the time a cell takes. It cuts text to 32,767 characters,
            # the most a cell holds, and so does this.
            cell._value = clean_text(value)[:32767]
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

    def set_widths(self, widths: list[float], hidden: set[int] = frozenset()) -> None:
        """Column widths (in characters) and hidden columns, set before any row is written."""
        for index, width in enumerate(widths, start=1):
            dimension = self.sheet.column_dimensions[get_column_letter(index)]
            dimension.width = width
            dimension.hidden = index in hidden
