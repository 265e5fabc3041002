"""Making and editing workbooks in tests, the way a partner edits an exported plan."""

import io

from openpyxl import load_workbook

from workbooks.layouts import write_workbook


def export(plan, layout: str = "vru") -> bytes:
    stream = io.BytesIO()
    write_workbook(plan, layout, stream)
    return stream.getvalue()


class Sheet:
    """The action sheet of a workbook, addressed by header and by the text in a row."""

    def __init__(self, data: bytes, header_text: str = "Actions"):
        self.workbook = load_workbook(io.BytesIO(data))
        self.sheet = self.workbook.worksheets[0]
        self.header_row, self.columns = next(
            (row[0].row, {cell.value: cell.column for cell in row if cell.value})
            for row in self.sheet.iter_rows()
            if any(cell.value == header_text for cell in row)
        )

    def row_of(self, text: str) -> int:
        column = self.columns.get("Actions", 2)
        for row in range(self.header_row + 1, self.sheet.max_row + 1):
            value = self.sheet.cell(row, column).value
            if isinstance(value, str) and text in value:
                return row
        raise AssertionError(f"no row holds {text!r}")

    def set(self, row: int, header: str, value) -> None:
        self.sheet.cell(row, self.columns[header]).value = value

    def get(self, row: int, header: str):
        return self.sheet.cell(row, self.columns[header]).value

    def save(self) -> bytes:
        stream = io.BytesIO()
        self.workbook.save(stream)
        return stream.getvalue()


def add_row(sheet: Sheet, theme: str, ref: int, text: str, rag: str) -> None:
    """A partner's new row at the bottom of a VRU action table (the Key block removed)."""
    key_row = next(
        r for r in range(1, sheet.sheet.max_row + 1) if sheet.sheet.cell(r, 1).value == "Key"
    )
    sheet.sheet.delete_rows(key_row - 1, sheet.sheet.max_row)
    row = key_row - 1
    sheet.set(row, "Ref Theme", theme)
    sheet.set(row, "Action No", ref)
    sheet.set(row, "Actions", text)
    sheet.set(row, "Risk RAG status", rag)


def edit_row(data: bytes, text: str, cells: dict) -> bytes:
    """The workbook with `cells` ({header: value}) set in the row whose action text holds
    `text`, as a partner editing it in Excel would."""
    sheet = Sheet(data)
    row = sheet.row_of(text)
    for header, value in cells.items():
        sheet.set(row, header, value)
    return sheet.save()


def move_row(data: bytes, text: str, theme: str) -> bytes:
    """The workbook with the row whose action text holds `text` put under `theme` (the merged
    theme cells unmerged first), as a partner moving an action in Excel would."""
    sheet = Sheet(data)
    for merged in list(sheet.sheet.merged_cells.ranges):
        sheet.sheet.unmerge_cells(str(merged))
    sheet.set(sheet.row_of(text), "Ref Theme", theme)
    return sheet.save()


def kept_uploads() -> list[str]:
    """The tokens of the uploads kept for import (in the database: workbooks.uploads)."""
    from downloads.models import PendingUpload

    return sorted(PendingUpload.objects.values_list("token", flat=True))
