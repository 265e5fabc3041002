"""The London VRU action plan template (seed 004, Barking & Dagenham 2021/22).

Above the table: the plan title, the year ("2021/22 ACTION PLAN") and the SENIOR
LEADERSHIP list. Mandated actions begin "VRU Mandated Action - ", as the VRU writes them.
"""

import re

from actions.models import ActionOrigin, Plan
from workbooks.cells import cell_text, header_key
from workbooks.reading import SheetRow
from workbooks.table import ID_COLUMN, ORIGIN_COLUMN, VERSION_COLUMN, Column, TableLayout
from workbooks.writing import SheetWriter

MANDATED_PREFIX = "VRU Mandated Action - "
_MANDATED = re.compile(r"^\s*VRU\s+Mandated\s+Action\s*[-–—:]\s*", re.IGNORECASE)
LEADER_FIELDS = {"name": "name", "organisation": "organisation", "role": "role"}


class VRULayout(TableLayout):
    name = "vru"
    title = "VRU action plan template"
    columns = (
        Column("Ref Theme", "theme", 30, kind="theme", aliases=("Theme",)),
        Column("Action No", "ref", 8, kind="ref", aliases=("Action Number", "No")),
        Column("Actions", "text", 50, aliases=("Action",)),
        Column("Outcomes", "outcomes", 40),
        Column("Named CSP Lead", "leads", 20, aliases=("Lead",)),
        Column("Lead organisation", "lead_organisations_text", 18),
        Column("Start date", "start", 13, kind="date"),
        Column("End date", "end", 13, kind="date"),
        Column("Supporting organisation(s)", "supporting_organisations_text", 20),
        Column("Progress", "progress", 40, kind="progress"),
        Column("Comment", "comment", 40, aliases=("Comments",)),
        Column("Document Reference(s)", "document_references", 20),
        Column("Risk RAG status", "rag", 11, kind="rag", aliases=("RAG status", "RAG")),
        ORIGIN_COLUMN,
        ID_COLUMN,
        VERSION_COLUMN,
    )
    required = ("theme", "text")
    theme_fields = ("theme",)

    def finish_values(self, values: dict) -> None:
        text = values.get("text", "")
        prefix = _MANDATED.match(text)
        # The hidden Origin column, where it names another origin, says the words are the text.
        if prefix and values.get("origin", "") in ("", ActionOrigin.VRU_MANDATED):
            values["text"] = text[prefix.end() :].strip()
            values["origin"] = ActionOrigin.VRU_MANDATED

    def write_cell(self, out: SheetWriter, column: Column, action):
        if column.field == "text":
            if action.origin == ActionOrigin.VRU_MANDATED:
                return out.cell(MANDATED_PREFIX + action.text, f"origin:{action.origin}")
            if action.origin in (ActionOrigin.VRU_NEW, ActionOrigin.VRU_OPTIONAL):
                return out.cell(action.text, f"origin:{action.origin}")
        return super().write_cell(out, column, action)

    def write_preamble(self, out: SheetWriter, plan: Plan) -> list[list]:
        rows = [[out.cell(plan.title, "title")]]
        if plan.period_start and plan.period_end:
            year = f"{plan.period_start:%Y}/{plan.period_end:%y} ACTION PLAN"
            rows.append([out.cell(year, "heading")])
        rows.append([out.cell("SENIOR LEADERSHIP", "heading")])
        rows.append(
            [out.cell("Name", "header"), None, out.cell("Organisation", "header")]
            + [out.cell("Role", "header")]
        )
        for leader in plan.senior_leaders.order_by("order", "pk"):
            rows.append(
                [out.cell(leader.name), None, out.cell(leader.organisation), out.cell(leader.role)]
            )
        rows.append([])
        return rows

    def read_preamble(self, sheet_title: str, rows: list[SheetRow], parsed) -> None:
        """The title is the first line above the table; leaders follow SENIOR LEADERSHIP."""
        leaders_from = None
        for position, row in enumerate(rows):
            keys = [header_key(value) for value in row.values]
            if any("seniorleadership" in key for key in keys):
                leaders_from = position
                break
            if position == 0:
                title = next((cell_text(v) for v in row.values if cell_text(v)), "")
                if "actionplan" not in header_key(title) or len(title) > 40:
                    parsed.plan["title"] = title
        if leaders_from is None:
            return
        parsed.senior_leaders = []
        columns = None
        for row in rows[leaders_from + 1 :]:
            keys = [header_key(value) for value in row.values]
            if columns is None:
                if "name" in keys or "role" in keys:
                    columns = {
                        field: keys.index(key)
                        for key, field in LEADER_FIELDS.items()
                        if key in keys
                    }
                continue
            leader = {field: cell_text(row.value(index)) for field, index in columns.items()}
            if any(leader.values()):
                parsed.senior_leaders.append(leader)


LAYOUT = VRULayout()
