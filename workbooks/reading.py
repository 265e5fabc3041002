"""Opening an uploaded workbook and walking its rows, with merged cells filled in."""

import io
import re
from collections import defaultdict
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from workbooks.safety import Limits, WorkbookRefused, check_workbook

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def open_workbook(data: bytes, *, limits: Limits | None = None):
    """The workbook, opened read-only once the safety checks have passed."""
    check_workbook(data, **({"limits": limits} if limits else {}))
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise WorkbookRefused(
            f"The workbook could not be read ({error}). Open it in Excel or LibreOffice, "
            "save it again as an Excel workbook (.xlsx) and upload that."
        ) from error


def merged_ranges(sheet) -> list[tuple[int, int, int, int]]:
    """(min col, min row, max col, max row) of each merged range of a read-only sheet.

    openpyxl's read-only mode streams rows and does not read merges, which sit after the
    rows in the sheet's XML; this scans that XML for them.
    """
    with sheet._get_source() as source:  # openpyxl 3.1 read-only internals, pinned
        xml = source.read()
    return [range_boundaries(ref.decode()) for ref in _MERGE.findall(xml)]


@dataclass
class SheetRow:
    number: int  # as Excel shows it
    values: list  # cell values, merged cells holding the value at the top of their range
    cells: tuple  # openpyxl read-only cells, for styles (a RAG given by fill colour)

    def value(self, index: int):
        return self.values[index] if index < len(self.values) else None

    def cell(self, index: int):
        return self.cells[index] if index < len(self.cells) else None

    @property
    def blank(self) -> bool:
        return all(value is None or str(value).strip() == "" for value in self.values)


def sheet_rows(sheet):
    """Every row of a read-only sheet. A cell under the top row of a merged range reads as
    the top cell of its column in that range: a theme merged down over its actions belongs
    to each of them."""
    sheet.reset_dimensions()  # some writers record a wrong size; trust the rows themselves
    below: dict[int, list[tuple[int, tuple[int, int]]]] = defaultdict(list)
    for min_col, min_row, max_col, max_row in merged_ranges(sheet):
        for row in range(min_row + 1, max_row + 1):
            for column in range(min_col, max_col + 1):
                below[row].append((column, (min_row, column)))
    tops = {top for spans in below.values() for _, top in spans}
    top_values: dict[tuple[int, int], object] = {}
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        values = [getattr(cell, "value", None) for cell in cells]
        if tops:
            for index, value in enumerate(values):
                if (number, index + 1) in tops:
                    top_values[(number, index + 1)] = value
            for column, top in below.get(number, ()):
                if column > len(values):
                    values.extend([None] * (column - len(values)))
                if values[column - 1] is None:
                    values[column - 1] = top_values.get(top)
        yield SheetRow(number, values, cells)
