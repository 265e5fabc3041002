"""The community safety partnership plan (seed 003, Havering 2017/18-2019/20).

Focus area and strategy objective are two levels of theme, each merged over its actions;
actions are numbered inside their cell as in the SGV plan.
"""

from actions.models import Action
from actions.spreadsheets.table import (
    ID_COLUMN,
    ORIGIN_COLUMN,
    Column,
    TableLayout,
    numbered_text,
    split_numbered_text,
)
from actions.spreadsheets.writing import SheetWriter


class CSPLayout(TableLayout):
    name = "csp"
    title = "Community safety partnership plan"
    columns = (
        Column("Focus Area", "focus_area", 24, kind="theme"),
        Column("Strategy Objective", "objective", 30, kind="theme", aliases=("Objective",)),
        Column("Project/Action", "text", 50, aliases=("Project / Action", "Action", "Actions")),
        Column("Outcomes", "outcomes", 40),
        Column("Resources", "resources", 30),
        Column("Timescale", "timescale", 18),
        Column("Lead", "leads", 22),
        ORIGIN_COLUMN,
        ID_COLUMN,
    )
    required = ("focus_area", "text")
    theme_fields = ("focus_area", "objective")

    def finish_values(self, values: dict) -> None:
        split_numbered_text(values)

    def write_cell(self, out: SheetWriter, column: Column, action: Action):
        if column.field == "text":
            return out.cell(numbered_text(action.ref, action.text))
        return super().write_cell(out, column, action)


LAYOUT = CSPLayout()
