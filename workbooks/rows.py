"""What a layout reader finds in a workbook, before it is compared with the database."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """Something in the workbook that stops the import, and where it is."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    @property
    def where(self) -> str:
        parts = [f"sheet '{self.sheet}'"] if self.sheet else []
        if self.row:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class ThemeRow:
    """A theme as the workbook names it: its path of names from the top of the plan."""

    path: tuple[str, ...]
    description: str | None = None  # None when the layout does not carry descriptions
    sheet: str = ""
    row: int = 0


@dataclass
class ActionRow:
    """One action row. `values` holds only the fields whose columns the workbook has, so a
    column someone deleted leaves those fields as they are rather than blanking them."""

    sheet: str
    row: int
    theme: tuple[str, ...]
    id: int | None
    values: dict
    problems: list[Problem] = field(default_factory=list)
    # The history version of the action the row was exported from (workbooks.versions);
    # None for a row that carries none (a partner's own workbook, or a new row).
    version: int | None = None
    # The dated paragraphs of the progress cell (workbooks.progress); None when the layout
    # or the workbook has no progress column, which leaves the action's updates alone.
    updates: list | None = None
    # Set by workbooks.versions: the history row `version` names, and whether the action
    # stays in the theme it is in now, whatever theme the row names.
    exported: object = None
    stays: bool = False


@dataclass
class IndicatorRow:
    sheet: str
    row: int
    id: int | None
    values: dict
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ParsedWorkbook:
    layout: str
    plan: dict = field(default_factory=dict)  # plan fields the workbook gives, e.g. title
    senior_leaders: list[dict] | None = None  # None: the workbook has no leadership list
    themes: list[ThemeRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    indicators: list[IndicatorRow] | None = None  # None: the workbook has no measures table
    ignored_columns: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The protective marking the workbook states in its first row (an export's marking row:
    # workbooks.table.is_marking_row), an actions.models.Marking value; "official" when it
    # states none. New actions take it (workbooks.preview).
    marking: str = "official"

    @property
    def all_problems(self) -> list[Problem]:
        found = list(self.problems)
        for row in self.actions:
            found.extend(row.problems)
        for row in self.indicators or ():
            found.extend(row.problems)
        return found


class RowMatches:
    """Rows matched to the records they stand for: `record_of` {id(row): record}, and
    `row_of` {record pk: row} for the records already taken, so that no record is matched
    twice."""

    def __init__(self):
        self.record_of: dict[int, object] = {}
        self.row_of: dict[int, object] = {}

    def claim(self, row, record) -> None:
        self.row_of[record.pk] = row
        self.record_of[id(row)] = record

    def taken(self, record) -> bool:
        return record.pk in self.row_of

    def by_record_number(self, rows, records: dict[int, object], noun: str) -> None:
        """Match the rows that carry our record number (the hidden ID column) to `records`
        ({pk: record}); a number that is not one of them, or that an earlier row carries
        too (a copied row), is a problem on the row. `noun`: "action" or "measure"."""
        for row in rows:
            if row.id is None:
                continue
            record = records.get(row.id)
            if record is None:
                row.problems.append(
                    Problem(
                        f"This row carries record number {row.id}, which is not {_a(noun)} of "
                        f"this plan. Clear the hidden ID cell to add it as a new {noun}, or "
                        "import the workbook into the plan it was exported from.",
                        row.sheet,
                        row.row,
                    )
                )
            elif self.taken(record):
                row.problems.append(
                    Problem(
                        f"This row and row {self.row_of[record.pk].row} carry the same record "
                        f"number ({row.id}): a copied row keeps its hidden ID. Clear the ID "
                        f"cell of the copy to add it as a new {noun}.",
                        row.sheet,
                        row.row,
                    )
                )
            else:
                self.claim(row, record)


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"
