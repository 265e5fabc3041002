"""The plan workbook layouts as django-import-export formats, for the admin's import page.

django-import-export reads an upload through a format into a tablib Dataset and hands that
to a resource (workbooks/resources.py). Our layouts are not flat tables, so each format reads
the workbook with our own reader and returns a dataset of one flat row per action row that
also carries the ParsedWorkbook: the resource compares that with the plan, without reading
the file a second time. The formats import only: a plan is exported in a layout from the
plan's own admin page (PlanAdmin.export_workbook_view), as a plan is not a flat table.
"""

from import_export.formats.base_formats import Format
from tablib import Dataset

from workbooks.exports import XLSX_CONTENT_TYPE
from workbooks.layouts import read_workbook
from workbooks.rows import ParsedWorkbook

# Before the values, whatever the layout.
PLACE_HEADERS = ["sheet", "row", "theme", "id"]


class WorkbookDataset(Dataset):
    """The action rows of a workbook, flat, with the ParsedWorkbook they came from."""

    def __init__(self, parsed: ParsedWorkbook):
        values = list(dict.fromkeys(name for row in parsed.actions for name in row.values))
        super().__init__(headers=PLACE_HEADERS + values)
        for row in parsed.actions:
            place = [row.sheet, row.row, " › ".join(row.theme), row.id]
            self.append(place + [row.values.get(name) for name in values])
        self.parsed = parsed

    def __bool__(self) -> bool:
        # A workbook with no action rows is still one to preview (its problems, if nothing
        # else), not django-import-export's "No valid data to import".
        return True


class WorkbookFormat(Format):
    layout = ""

    def __init__(self, encoding=None):
        self.encoding = encoding  # the admin passes one; a workbook is binary

    def get_title(self) -> str:
        return f"{self.layout.upper()} action plan workbook (.xlsx)"

    def create_dataset(self, in_stream: bytes) -> WorkbookDataset:
        """Raises WorkbookRefused, whose message says what to do, for a file we will not open."""
        return WorkbookDataset(read_workbook(in_stream, self.layout))

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def get_extension(self) -> str:
        return "xlsx"

    def get_content_type(self) -> str:
        return XLSX_CONTENT_TYPE

    def can_import(self) -> bool:
        return True

    def can_export(self) -> bool:
        return False


class VRUWorkbook(WorkbookFormat):
    layout = "vru"


class SGVWorkbook(WorkbookFormat):
    layout = "sgv"


class CSPWorkbook(WorkbookFormat):
    layout = "csp"


WORKBOOK_FORMATS = [VRUWorkbook, SGVWorkbook, CSPWorkbook]
