"""Opening an uploaded workbook and walking its rows, with merged cells filled in.

Every row openpyxl hands over is counted against the workbook's cap on cells (blank and
padding cells too: they cost as much to make), so that reading stops as soon as a workbook
proves larger than any plan; and whatever openpyxl raises while it parses a sheet (broken
XML, a damaged part) becomes the refusal the upload pages show (workbooks.safety).
"""

import io
import re
from collections import defaultdict
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from workbooks.safety import (
    CHUNK,
    Limits,
    WorkbookRefused,
    check_workbook,
    current_limits,
    damaged,
    too_many_cells,
)

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3}[0-9]{1,7}:[A-Z]{1,3}[0-9]{1,7})"')
# Longer than any mergeCell element the pattern above matches, so that one split between
# two chunks of the sheet's XML is found whole in the second.
_MERGE_OVERLAP = 80
# openpyxl's attribute on the workbook it opened, holding our count of what was read.
_READING = "cspplan_reading"


class Reading:
    """What has been read of one workbook so far, against its limits."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.cells = 0

    def count(self, cells: int) -> None:
        self.cells += cells
        if self.cells > self.limits.max_cells:
            raise too_many_cells(self.limits)


def open_workbook(data: bytes, *, limits: Limits | None = None):
    """The workbook, opened read-only once the safety checks have passed."""
    limits = limits or current_limits()
    check_workbook(data, limits=limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise damaged(str(error)) from error
    setattr(workbook, _READING, Reading(limits))
    return workbook


def reading_of(workbook) -> Reading:
    """The count kept for a workbook open_workbook opened (or a fresh one, with the limits
    of the settings, for a workbook opened some other way)."""
    found = getattr(workbook, _READING, None)
    if found is None:
        found = Reading(current_limits())
        setattr(workbook, _READING, found)
    return found


def merged_ranges(sheet, reading: Reading | None = None) -> list[tuple[int, int, int, int]]:
    """(min col, min row, max col, max row) of each merged range of a read-only sheet.

    openpyxl's read-only mode streams rows and does not read merges, which sit after the
    rows in the sheet's XML; this scans that XML for them, a chunk at a time. The cells a
    merge covers are filled in one by one (sheet_rows), so they count as cells read.
    """
    reading = reading or reading_of(sheet.parent)
    found, tail = [], b""
    try:
        with sheet._get_source() as source:  # openpyxl 3.1 read-only internals, pinned
            while chunk := source.read(CHUNK):
                text = tail + chunk
                end = 0
                for match in _MERGE.finditer(text):
                    min_col, min_row, max_col, max_row = range_boundaries(match.group(1).decode())
                    reading.count((max_row - min_row + 1) * (max_col - min_col + 1))
                    found.append((min_col, min_row, max_col, max_row))
                    end = match.end()
                tail = text[max(end, len(text) - _MERGE_OVERLAP) :]
    except WorkbookRefused:
        raise
    except Exception as error:  # a damaged part: zipfile's or zlib's error
        raise damaged(str(error)) from error
    return found


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


def _parsed_rows(sheet, reading: Reading):
    """openpyxl's rows of the sheet, each counted (an empty row as one cell: making it
    still costs), and any error in parsing them turned into a refusal."""
    rows = sheet.iter_rows()
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except WorkbookRefused:
            raise
        except Exception as error:  # openpyxl's parse of the sheet: broken XML or zip
            raise damaged(str(error)) from error
        reading.count(max(len(cells), 1))
        yield cells


def sheet_rows(sheet):
    """Every row of a read-only sheet. A cell under the top row of a merged range reads as
    the top cell of its column in that range: a theme merged down over its actions belongs
    to each of them."""
    reading = reading_of(sheet.parent)
    sheet.reset_dimensions()  # some writers record a wrong size; trust the rows themselves
    below: dict[int, list[tuple[int, tuple[int, int]]]] = defaultdict(list)
    for min_col, min_row, max_col, max_row in merged_ranges(sheet, reading):
        for row in range(min_row + 1, max_row + 1):
            for column in range(min_col, max_col + 1):
                below[row].append((column, (min_row, column)))
    tops = {top for spans in below.values() for _, top in spans}
    top_values: dict[tuple[int, int], object] = {}
    for number, cells in enumerate(_parsed_rows(sheet, reading), start=1):
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
