"""The community safety partnership plan (seed 003, Havering 2017/18-2019/20).

Focus area and strategy objective are two levels of theme, each merged over its actions;
actions are numbered inside their cell as in the SGV plan.

The performance measures
------------------------

The plan's indicators go on a second sheet, "Performance measures", laid out as the plan
prints its measures table::

    <plan title>: performance measures                              (title)
    <a note on the hidden columns>
    Ref | Description | 2016/17 Outturn (End-of-year) | 2017/18 Target | Link to Corporate Vision
        | Direction | Outturn label | Target label | Target as written | cspplan ID (do not change)
    Key Local Outcomes                                  (a category row, merged across A:E)
    <the category's measures, one per row, in the plan's order>
    Local
    ...

- The first five columns are the printed table. Outturn (the baseline) and Target hold
  numbers as numbers. Where a measure has no numeric target, the Target cell holds its
  target as written ("Reduce", "-5%"). The hidden "Target as written" column always holds
  the words, so that typing a number over "Reduce" (as the plan expects once outturns are
  known) sets the number and keeps the words. Reading the Target cell: a number is the
  target, with the words from the hidden column; words are the target as written, with no
  number; blank is neither.
- A category row (one text cell, in column A or the Ref column, merged across the printed
  columns) gives the category of the measures under it, up to the next category row. A
  measure with no category after one with a category is preceded by a "(No category)" row.
  A workbook with no category rows at all leaves categories as they are.
- The labels of the Outturn and Target columns ("2016/17 Outturn (End-of-year)",
  "2017/18 Target") are the measures' baseline and target labels. When every measure has the
  same label it is written in the header cell, which people can edit for the next year, and
  the hidden label cells are left blank; otherwise the header says just "Outturn" / "Target"
  and each row's label is in the hidden "Outturn label" / "Target label" cell. On reading, a
  row's label is its hidden label cell if filled, else the header's label; a plain header
  and no label column (a workbook made by hand) leave labels as they are.
- Direction (Reduce or Increase) is a hidden column. Left blank (e.g. in a row someone
  added), it is taken from the target words when they begin with Reduce or Increase. Target
  words that contradict the direction are pointed out in the preview, not refused.
- Our record number is in the hidden "cspplan ID (do not change)" column, as in the action
  table; clear it for a new measure.

Everything an Indicator holds round-trips exactly: ref, category, description, direction,
baseline and target (to the 4 decimal places the database keeps), their labels, target as
written, link to corporate vision and order. The dated values (IndicatorValue) do not fit
this one-outturn, one-target table and are not written; an import leaves them untouched.

Reading finds the measures header on any sheet (headers matched ignoring case and spaces;
an Outturn or Target header may carry a label), within the first rows of the sheet as for
the action table, so a measures table below a long action table on the same sheet is not
found. Columns may be reordered, added (ignored) or missing (their fields are then left as
they are); blank rows and repeated header rows are skipped. A measure removed from the sheet
is not deleted: it is reported and left as it is (workbooks.indicators).
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from openpyxl.utils import get_column_letter

from actions.models import Indicator, IndicatorDirection, Plan
from workbooks.cells import cell_text, header_key
from workbooks.indicators import direction_of_words
from workbooks.reading import SheetRow, sheet_rows
from workbooks.rows import IndicatorRow, ParsedWorkbook, Problem
from workbooks.table import (
    HEADER_SEARCH_ROWS,
    ID_COLUMN,
    ORIGIN_COLUMN,
    VERSION_COLUMN,
    Column,
    NumberedTextLayout,
    _blank,
    _parse_id,
)
from workbooks.writing import SheetWriter

MEASURES_SHEET = "Performance measures"
NO_CATEGORY = "(No category)"

MEASURE_COLUMNS = (
    Column("Ref", "ref", 8, aliases=("Ref.", "Reference")),
    Column("Description", "description", 70, aliases=("Measure", "Performance measure")),
    Column("Outturn", "baseline", 18, kind="number", aliases=("Baseline",)),
    Column("Target", "target", 18, kind="target"),
    Column("Link to Corporate Vision", "link_to_corporate_vision", 24),
    Column("Direction", "direction", 12, kind="direction", hidden=True),
    Column("Outturn label", "baseline_label", 28, kind="label", hidden=True),
    Column("Target label", "target_label", 20, kind="label", hidden=True),
    Column("Target as written", "target_text", 20, hidden=True),
    Column(ID_COLUMN.header, "id", 8, kind="id", aliases=ID_COLUMN.aliases, hidden=True),
)
_HIDDEN = [get_column_letter(i) for i, column in enumerate(MEASURE_COLUMNS, 1) if column.hidden]
MEASURES_NOTE = (
    "Direction, the column labels of single measures, the target as written and our record "
    f"numbers are in hidden columns {_HIDDEN[0]}-{_HIDDEN[-1]}. Add a measure by adding a row "
    "(under its category); removing a row does not delete a measure."
)
_BY_KEY = {key: column for column in MEASURE_COLUMNS for key in column.keys}
_BY_FIELD = {column.field: column for column in MEASURE_COLUMNS}
# A header naming one of these columns with more words is that column with a label.
_LABELLED = (("baseline", ("outturn", "baseline")), ("target", ("target",)))
_LABEL_OF = {"baseline": "baseline_label", "target": "target_label"}
# A lone text in one of these columns, or in column A, is a category row, not a measure.
_CATEGORY_CELL = {None, "ref", "link_to_corporate_vision"}
_FOOTNOTE = re.compile(r"[\s⁰¹²³⁴⁵⁶⁷⁸⁹]+$")

_DIRECTION_WORDS = {
    "reduce": IndicatorDirection.REDUCE,
    "decrease": IndicatorDirection.REDUCE,
    "down": IndicatorDirection.REDUCE,
    "lower": IndicatorDirection.REDUCE,
    "increase": IndicatorDirection.INCREASE,
    "up": IndicatorDirection.INCREASE,
    "higher": IndicatorDirection.INCREASE,
}


class CSPLayout(NumberedTextLayout):
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
        VERSION_COLUMN,
    )
    required = ("focus_area", "text")
    theme_fields = ("focus_area", "objective")

    def write_other_sheets(self, workbook, plan: Plan, *, marking=None) -> None:
        write_measures(workbook, plan, marking=marking)

    def read_other_sheets(self, workbook, parsed: ParsedWorkbook) -> None:
        read_measures(workbook, parsed)


LAYOUT = CSPLayout()


# ---- writing the measures ---------------------------------------------------------------


def write_measures(workbook, plan: Plan, *, marking=None) -> None:
    sheet = workbook.create_sheet(MEASURES_SHEET)
    out = SheetWriter(sheet)
    out.set_widths(
        [column.width for column in MEASURE_COLUMNS],
        hidden={index for index, column in enumerate(MEASURE_COLUMNS, 1) if column.hidden},
    )
    indicators = list(plan.indicators.order_by("order", "pk"))
    header_labels = {
        field: _shared_label(field, [getattr(i, _LABEL_OF[field]) for i in indicators])
        for field in _LABEL_OF
    }
    headers = [header_labels.get(column.field) or column.header for column in MEASURE_COLUMNS]
    printed = sum(1 for column in MEASURE_COLUMNS if not column.hidden)
    sheet.freeze_panes = "A4"
    rows = [
        [out.cell(f"{plan.title}: performance measures", "title")],
        [out.cell(MEASURES_NOTE, "plain")],
        [out.cell(header, "header") for header in headers],
    ]
    merges = []
    category = ""
    for indicator in indicators:
        if indicator.category != category:
            category = indicator.category
            rows.append(
                [out.cell(category or NO_CATEGORY, "theme")]
                + [out.cell(None, "theme") for _ in range(printed - 1)]
            )
            merges.append(f"A{len(rows)}:{get_column_letter(printed)}{len(rows)}")
        rows.append(_measure_cells(out, indicator, header_labels))
    out.set_page(title=f"{plan.title}: performance measures", header_row=3, marking=marking)
    shown = [0 if column.hidden else column.width for column in MEASURE_COLUMNS]
    out.fit_heights(rows, shown)
    out.write_rows(rows)
    for merge in merges:
        sheet.merged_cells.add(merge)


def _shared_label(field: str, labels: list[str]) -> str | None:
    """The label to write in the Outturn or Target header: the one all measures share, when
    that header reads back as this column with this label."""
    if len(set(labels)) != 1 or not labels[0]:
        return None
    found = _header_column(labels[0])
    if found is None or found[0].field != field or found[1] != labels[0]:
        return None
    return labels[0]


def _measure_cells(out: SheetWriter, indicator: Indicator, header_labels: dict) -> list:
    cells = []
    for column in MEASURE_COLUMNS:
        field = column.field
        if field == "id":
            cells.append(out.cell(indicator.pk, "plain"))
        elif field == "direction":
            cells.append(out.cell(IndicatorDirection(indicator.direction).label, "plain"))
        elif column.kind == "label":
            shown_in_header = header_labels[_field_labelled(field)] is not None
            cells.append(out.cell(None if shown_in_header else getattr(indicator, field), "plain"))
        elif field == "target":
            numeric = indicator.target is not None
            words = indicator.target_text
            cells.append(out.cell(_number(indicator.target) if numeric else words))
        elif field == "target_text":
            cells.append(out.cell(indicator.target_text, "plain"))
        elif field == "baseline":
            cells.append(out.cell(_number(indicator.baseline)))
        else:
            cells.append(out.cell(getattr(indicator, field)))
    return cells


def _field_labelled(label_field: str) -> str:
    return next(field for field, name in _LABEL_OF.items() if name == label_field)


def _number(value: Decimal | None):
    """A decimal as Excel holds numbers: a whole number, or a float (exact to 15 digits,
    more than the database's 14)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# ---- reading the measures ---------------------------------------------------------------


def read_measures(workbook, parsed: ParsedWorkbook) -> None:
    """Fill `parsed.indicators` from the first sheet with a measures header row (other
    sheets than the action table's first); leave it None if no sheet has one."""
    action_sheets = {row.sheet for row in parsed.actions} | {row.sheet for row in parsed.themes}
    for sheet in sorted(workbook.worksheets, key=lambda sheet: sheet.title in action_sheets):
        rows = sheet_rows(sheet)
        for row in rows:
            if row.number > HEADER_SEARCH_ROWS:
                break
            header = _match_header(row)
            if header is not None:
                parsed.indicators = _MeasuresReader(sheet.title, row, header, parsed).read(rows)
                return


def _header_column(value) -> tuple[Column, str] | None:
    """The measures column a header cell names, and the label it carries ("" for none)."""
    key = header_key(value)
    if not key:
        return None
    if key in _BY_KEY:
        return _BY_KEY[key], ""
    for field, words in _LABELLED:
        if any(word in key for word in words):
            return _BY_FIELD[field], _FOOTNOTE.sub("", cell_text(value))
    return None


def _match_header(row: SheetRow) -> dict[int, tuple[Column, str]] | None:
    mapping: dict[int, tuple[Column, str]] = {}
    found = set()
    for index, value in enumerate(row.values):
        named = _header_column(value)
        if named is not None and named[0].field not in found:
            mapping[index] = named
            found.add(named[0].field)
    if "description" in found and found & {"baseline", "target"}:
        return mapping
    return None


class _MeasuresReader:
    def __init__(self, sheet: str, header: SheetRow, mapping: dict, parsed: ParsedWorkbook):
        self.sheet = sheet
        self.columns = {index: column for index, (column, _) in mapping.items()}
        # The label an Outturn or Target header carries (None: the column is not there).
        self.header_labels = {
            column.field: label for column, label in mapping.values() if column.field in _LABEL_OF
        }
        self.headings = {index: cell_text(header.value(index)) for index in self.columns}
        for index, value in enumerate(header.values):
            if index not in self.columns and not _blank(value):
                parsed.ignored_columns.append(
                    f"'{cell_text(value)}' (sheet '{sheet}', column {get_column_letter(index + 1)})"
                )

    def read(self, rows) -> list[IndicatorRow]:
        measures: list[IndicatorRow] = []
        category = ""
        categorised = False
        for row in rows:
            if row.blank or _match_header(row) is not None:
                continue  # a blank row, or the header typed again
            filled = [(index, value) for index, value in enumerate(row.values) if not _blank(value)]
            if len(filled) == 1 and isinstance(filled[0][1], str):
                index = filled[0][0]
                field = self.columns[index].field if index in self.columns else None
                if field != "description" and (index == 0 or field in _CATEGORY_CELL):
                    text = cell_text(filled[0][1])
                    category = "" if header_key(text) == header_key(NO_CATEGORY) else text
                    categorised = True
                    continue
            measure = self._measure(row)
            measure.values["category"] = category
            measures.append(measure)
        if not categorised:
            for measure in measures:
                del measure.values["category"]  # no category rows: categories left as they are
        return measures

    def _measure(self, row: SheetRow) -> IndicatorRow:
        values: dict = {}
        problems: list[Problem] = []
        indicator_id = None
        words = None  # the Target cell's words ("": blank; None: a number, or no Target column)
        direction = None
        labels: dict[str, str] = {}
        for index, column in self.columns.items():
            value = row.value(index)
            try:
                if column.kind == "id":
                    indicator_id = _parse_id(value)
                elif column.kind == "number":
                    values[column.field] = parse_number(value, "the outturn")
                elif column.kind == "target":
                    if isinstance(value, str) or _blank(value):
                        values["target"] = None
                        words = cell_text(value)
                    else:
                        values["target"] = parse_number(value, "the target")
                elif column.kind == "direction":
                    direction = parse_direction(value)
                elif column.kind == "label":
                    labels[column.field] = cell_text(value)
                else:
                    values[column.field] = cell_text(value)
            except ValueError as error:
                problems.append(Problem(str(error), self.sheet, row.number, self.headings[index]))
        if words is not None:
            values["target_text"] = words  # the visible cell wins over the hidden copy
        for field, label_field in _LABEL_OF.items():
            label = labels.get(label_field) or self.header_labels.get(field)
            if label or label_field in labels:
                values[label_field] = label or ""
        direction = direction or direction_of_words(values.get("target_text", ""))
        if direction is not None:
            values["direction"] = direction
        if not values.get("description"):
            column = next(i for i, c in self.columns.items() if c.field == "description")
            problems.append(
                Problem(
                    "This measure has no description: write what is measured, or delete the row.",
                    self.sheet,
                    row.number,
                    self.headings[column],
                )
            )
        return IndicatorRow(self.sheet, row.number, indicator_id, values, problems)


def parse_number(value, what: str) -> Decimal | None:
    """A number as the database keeps it (up to 10 digits before the point and 4 after),
    from a number cell or text such as "1,234" or "12.5"; blank is no number."""
    if _blank(value):
        return None
    if isinstance(value, bool | datetime.date | datetime.time):
        raise ValueError(
            f"'{cell_text(value)}' is not a number: write {what} as a number (e.g. 1234 or "
            "12.5), or leave it blank"
        )
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = re.sub(r"[\s,]", "", cell_text(value))
        try:
            if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", text):
                raise InvalidOperation
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                f"'{cell_text(value)}' is not a number: write {what} as a number (e.g. 1234 or "
                "12.5), or leave it blank"
            ) from None
    if not number.is_finite():
        raise ValueError(f"'{cell_text(value)}' is not a number: write {what} as a number")
    model_field = Indicator._meta.get_field("baseline")
    places = model_field.decimal_places
    whole = model_field.max_digits - places
    if abs(number) >= Decimal(10) ** whole:
        raise ValueError(
            f"{cell_text(value)} is too large: {what} can have at most {whole} digits before "
            "the decimal point"
        )
    if number.as_tuple().exponent < -places and number != round(number, places):
        raise ValueError(
            f"{cell_text(value)} has more than {places} decimal places: round it to {places}"
        )
    return number


def parse_direction(value) -> str | None:
    """Reduce or Increase (any case; also decrease/lower, higher); None when blank."""
    word = header_key(cell_text(value))
    if not word:
        return None
    if word not in _DIRECTION_WORDS:
        raise ValueError(
            f"'{cell_text(value)}' is not a direction: write Reduce (lower is better) or "
            "Increase (higher is better)"
        )
    return _DIRECTION_WORDS[word].value
