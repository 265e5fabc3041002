"""The serious group violence action plan (seed 002, Havering 2019-22).

Sections (Serious Group Violence; Knife Crime) each have a heading row and the header row;
the strategy objective is merged over its actions, as are outcomes and resources where
actions share them; actions are numbered inside their cell: "1)", "1a)".
"""

from workbooks.table import (
    ID_COLUMN,
    ORIGIN_COLUMN,
    VERSION_COLUMN,
    Column,
    NumberedTextLayout,
)


class SGVLayout(NumberedTextLayout):
    name = "sgv"
    title = "Serious group violence action plan"
    columns = (
        Column("Strategy Objective", "objective", 30, kind="theme", aliases=("Objective",)),
        Column("Project/Action", "text", 50, aliases=("Project / Action", "Action", "Actions")),
        Column("Outcomes", "outcomes", 40),
        Column("Resources", "resources", 30),
        Column("Timescale", "timescale", 18),
        Column("Responsible Service", "responsible_service", 22),
        Column("Responsible Team", "responsible_team", 20),
        ORIGIN_COLUMN,
        ID_COLUMN,
        VERSION_COLUMN,
    )
    required = ("objective", "text")
    theme_fields = ("objective",)
    sections = True
    merged_fields = ("outcomes", "resources")


LAYOUT = SGVLayout()
