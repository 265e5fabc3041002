"""The layouts by name, and reading or writing a workbook in one of them."""

from actions.models import Marking, Plan
from workbooks import csp, sgv, vru
from workbooks.reading import open_workbook
from workbooks.rows import ParsedWorkbook
from workbooks.table import TableLayout

LAYOUTS: dict[str, TableLayout] = {
    layout.name: layout for layout in (vru.LAYOUT, sgv.LAYOUT, csp.LAYOUT)
}


def layout_named(name: str) -> TableLayout:
    if name not in LAYOUTS:
        raise ValueError(f"'{name}' is not a layout: choose one of {', '.join(LAYOUTS)}")
    return LAYOUTS[name]


def read_workbook(data: bytes, layout: str) -> ParsedWorkbook:
    """Read an uploaded workbook; raises WorkbookRefused if it is not one we will open."""
    workbook = open_workbook(data)
    try:
        return layout_named(layout).read(workbook)
    finally:
        workbook.close()


def write_workbook(
    plan: Plan, layout: str, stream, actions=None, *, leave_out_marked: bool = False
) -> Marking:
    """The plan in `layout`; with `actions` (a queryset of the plan's), those alone; with
    `leave_out_marked`, without its OFFICIAL-SENSITIVE items. Returns the highest marking
    of what it holds, which the workbook states."""
    return layout_named(layout).write(plan, stream, actions, leave_out_marked=leave_out_marked)
