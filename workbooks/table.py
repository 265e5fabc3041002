"""What the three layouts share: a table of actions under a header row, grouped by theme.

A layout (vru.py, sgv.py, csp.py) lists its columns and overrides the few hooks where it
differs: the block above the table, how the action cell carries the number or origin, and
any further sheets. Reading is forgiving of what people do in Excel (merged or blank theme
cells, repeated header rows, blank rows, columns moved or added); writing gives a workbook
that reads back to exactly what was written.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from actions.models import Action, ActionOrigin, Marking, Plan, ProgressUpdate, Theme
from actions.rag import MEANINGS, RAG
from actions.selectors import (
    NEWEST_FIRST,
    highest,
    listed_updates,
    official_condition,
    theme_sensitive_condition,
)
from workbooks.cells import (
    action_ref,
    cell_text,
    header_key,
    parse_date,
    parse_rag,
    rag_from_fill,
)
from workbooks.progress import format_progress, parse_progress
from workbooks.reading import SheetRow, reading_of, sheet_rows
from workbooks.rows import ActionRow, ParsedWorkbook, Problem, ThemeRow
from workbooks.safety import WorkbookRefused
from workbooks.versions import VERSION_HEADER, latest_version
from workbooks.writing import ORIGIN_FILLS, SheetWriter

# How far down a sheet the header row is looked for (the VRU header block is ~25 rows).
HEADER_SEARCH_ROWS = 200
ID_HEADER = "cspplan ID (do not change)"
# Where parse() puts a progress cell's dated updates, taken out of the values into the row.
UPDATES = "updates"


@dataclass(frozen=True)
class Column:
    header: str  # as the template writes it
    field: str  # the model field, or one of the kinds' own names (see TableLayout.parse)
    width: float = 20
    kind: str = "text"  # text, ref, theme, date, rag, origin, id, version, progress
    aliases: tuple[str, ...] = ()
    hidden: bool = False

    @cached_property  # asked for every row read
    def keys(self) -> set[str]:
        return {header_key(self.header), *(header_key(alias) for alias in self.aliases)}


ORIGIN_COLUMN = Column("Origin", "origin", 12, kind="origin", hidden=True)
ID_COLUMN = Column(ID_HEADER, "id", 8, kind="id", aliases=("cspplan ID",), hidden=True)
# Which version of the action (its history row) the row was exported from, so that an
# import can tell what the workbook changed from what changed in the plan since.
VERSION_COLUMN = Column(VERSION_HEADER, "version", 8, kind="version", hidden=True)

_ORIGIN_WORDS = {header_key(origin.label): origin for origin in ActionOrigin} | {
    header_key(origin.value): origin for origin in ActionOrigin if origin.value
}
_ORIGIN_WORDS.update(
    {
        "": ActionOrigin.NOT_STATED,
        "mandated": ActionOrigin.VRU_MANDATED,
        "new": ActionOrigin.VRU_NEW,
    }
)


def parse_origin(value) -> ActionOrigin:
    word = header_key(cell_text(value))
    if word not in _ORIGIN_WORDS:
        choices = ", ".join(origin.label for origin in ActionOrigin if origin.value)
        raise ValueError(f"'{cell_text(value)}' is not an origin: write one of {choices}")
    return _ORIGIN_WORDS[word]


def split_theme_cell(text: str) -> tuple[str, str]:
    """A theme cell holds the theme's name on its first line and any description below."""
    name, _, description = text.partition("\n")
    return name.strip(), description.strip()


def theme_cell(theme: Theme) -> str:
    return f"{theme.name}\n\n{theme.description}" if theme.description else theme.name


def shown_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _fill(cell):
    """A read cell's fill, or None; a hostile file can name a style it does not define,
    which openpyxl only looks up (and fails on) when asked."""
    try:
        return getattr(cell, "fill", None)
    except (IndexError, KeyError, TypeError):
        return None


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class TableLayout:
    name = ""
    title = ""
    sheet_title = "Action plan"
    columns: tuple[Column, ...] = ()
    # Fields whose headers must be present for a row to count as the header row.
    required: tuple[str, ...] = ()
    # Theme columns, outermost first.
    theme_fields: tuple[str, ...] = ()
    # A row holding only a name, just above a header row, names a section (a top-level theme).
    sections = False
    # Besides the theme columns, fields whose equal neighbours within a theme share a merged cell.
    merged_fields: tuple[str, ...] = ()

    # ---- reading -----------------------------------------------------------------------

    def read(self, workbook) -> ParsedWorkbook:
        parsed = ParsedWorkbook(layout=self.name)
        for sheet in workbook.worksheets:
            # The rows are read as they come rather than listed first: holding every row's
            # cells (150,000 for a 10,000-action plan) costs memory, and time in Python's
            # garbage collector.
            rows = self._content_rows(sheet, parsed)
            above = self._down_to_header(rows)
            if above is not None:
                max_actions = reading_of(workbook).limits.max_actions
                self._read_sheet(sheet.title, above, rows, parsed, max_actions=max_actions)
                break
        else:
            headings = ", ".join(
                column.header for column in self.columns if column.field in self.required
            )
            parsed.problems.append(
                Problem(
                    f"No sheet has the {self.name.upper()} layout's header row. The action "
                    f"table needs a row with the headings {headings}; check the layout chosen "
                    "matches the workbook."
                )
            )
        self.read_other_sheets(workbook, parsed)
        return parsed

    @staticmethod
    def _content_rows(sheet, parsed: ParsedWorkbook):
        """The sheet's rows that are not blank, less the marking row, whose marking is
        kept as the workbook's (`parsed.marking`)."""
        for row in sheet_rows(sheet):
            if row.blank:
                continue
            if is_marking_row(row):
                parsed.marking = marking_stated(row)
                continue
            yield row

    def _match_header(self, row: SheetRow) -> dict[int, Column] | None:
        by_key = {key: column for column in self.columns for key in column.keys}
        mapping: dict[int, Column] = {}
        for index, value in enumerate(row.values):
            column = by_key.get(header_key(value))
            if column is not None and column not in mapping.values():
                mapping[index] = column
        found = {column.field for column in mapping.values()}
        return mapping if set(self.required) <= found else None

    def _down_to_header(self, rows) -> list[SheetRow] | None:
        """The rows taken from `rows` down to the first header row, which is the last of
        them; None if there is none in the first HEADER_SEARCH_ROWS rows."""
        above = []
        for row in rows:
            if row.number > HEADER_SEARCH_ROWS:
                return None
            above.append(row)
            if self._match_header(row) is not None:
                return above
        return None

    def _read_sheet(
        self, title: str, above: list[SheetRow], below, parsed, *, max_actions: int
    ) -> None:
        """Read the table whose header row ends `above`, from the rows `below` it; refused
        as soon as it has more than `max_actions` action rows."""
        header = above[-1]
        mapping = self._match_header(header)
        for index, value in enumerate(header.values):
            if index not in mapping and not _blank(value):
                parsed.ignored_columns.append(
                    f"'{cell_text(value)}' (column {get_column_letter(index + 1)})"
                )
        preamble = above[:-1]
        state = _TableState(title, mapping, self, parsed, max_actions)
        if self.sections and preamble and self._lone_text(preamble[-1]):
            state.start_section(preamble.pop())
        self.read_preamble(title, preamble, parsed)
        text_index, text_column = next(
            (index, column) for index, column in mapping.items() if column.field == "text"
        )
        text_keys = text_column.keys
        pending = None  # a lone name that may turn out to be a section heading
        for row in below:
            if self._lone_text(row) and header_key(row.value(0)) == "key":
                break  # the key under the table
            if header_key(row.value(text_index)) in text_keys and self._match_header(row):
                if pending is not None:
                    state.start_section(pending)
                    pending = None
                continue  # a repeated header row
            if pending is not None:
                state.read_row(pending, parsed)
                pending = None
            if self.sections and self._lone_text(row):
                pending = row
                continue
            state.read_row(row, parsed)
        if pending is not None:
            state.read_row(pending, parsed)

    @staticmethod
    def _lone_text(row: SheetRow) -> bool:
        return not _blank(row.value(0)) and all(_blank(value) for value in row.values[1:])

    def parse(self, column: Column, value, cell, values: dict) -> None:
        """Put what one cell says into `values`; raises ValueError for a value it cannot take."""
        if column.kind == "text":
            values[column.field] = cell_text(value)
        elif column.kind == "ref":
            values[column.field] = action_ref(value)
        elif column.kind == "date":
            is_date = isinstance(value, datetime.date | int | float) and not isinstance(value, bool)
            values[f"{column.field}_text"] = "" if is_date else cell_text(value)
            values[f"{column.field}_date"] = parse_date(value, end=column.field == "end")
        elif column.kind == "rag":
            rag = parse_rag(value)
            if rag == RAG.NOT_RATED and _blank(value):
                rag = rag_from_fill(_fill(cell)) or RAG.NOT_RATED
            values[column.field] = rag
        elif column.kind == "origin":
            values[column.field] = parse_origin(value)
        elif column.kind == "progress":
            cell = parse_progress(cell_text(value))
            values[column.field] = cell.undated
            values[UPDATES] = cell.updates
        else:
            raise AssertionError(f"unknown column kind {column.kind}")

    def finish_values(self, values: dict) -> None:
        """Layout rules across cells, e.g. an action number written inside the action text."""

    # ---- writing -----------------------------------------------------------------------

    def write(
        self,
        plan: Plan,
        stream,
        actions: QuerySet[Action] | None = None,
        *,
        leave_out_marked: bool = False,
    ) -> Marking:
        """The plan as a workbook; with `actions` (of the plan), those alone, under their
        themes, and none of the plan's other sheets (a filtered plan page's download); with
        `leave_out_marked`, without the OFFICIAL-SENSITIVE themes and actions. A workbook
        holding a marked item states the highest marking in a first row and in every
        sheet's page header and footer. Returns that marking."""
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(self.sheet_title)
        out = SheetWriter(sheet)
        out.set_widths(
            [column.width for column in self.columns],
            hidden={index for index, column in enumerate(self.columns, 1) if column.hidden},
        )
        themes, by_theme = _plan_contents(
            plan, actions, updates=self.carries_updates, leave_out_marked=leave_out_marked
        )
        marking = _highest_marking(plan, themes, by_theme)
        table, merges = self._table_rows(out, themes, by_theme)
        preamble = self.write_preamble(out, plan)
        if marking != Marking.OFFICIAL:
            preamble = [[out.cell(marking.label, "heading")], *preamble]
        offset = len(preamble)
        first_header = 1 + (1 if self.sections else 0)
        sheet.freeze_panes = f"A{offset + first_header + 1}"
        rows = [*preamble, *table, *self.write_key(out)]
        merges = [(first + offset, last + offset, index) for first, last, index in merges]
        out.set_size(len(rows), max(len(row) for row in rows))
        out.set_page(title=plan.title, header_row=offset + first_header, marking=marking)
        # A hidden column's text is not shown, so it does not make its row taller.
        shown = [0 if column.hidden else column.width for column in self.columns]
        out.fit_heights(rows, shown, merges)
        out.write_rows(rows)
        for first, last, index in merges:
            letter = get_column_letter(index)
            sheet.merged_cells.add(f"{letter}{first}:{letter}{last}")
        if actions is None:
            self.write_other_sheets(workbook, plan, marking=marking)
        workbook.save(stream)
        return marking

    def _header(self, out: SheetWriter) -> list:
        return [out.cell(column.header, "header") for column in self.columns]

    def _table_rows(self, out: SheetWriter, themes, actions):
        """The table's rows (header, sections, one row per action or per theme with none),
        and the (first row, last row, column) ranges to merge, rows counted from 1."""
        rows = [] if self.sections else [self._header(out)]
        merges = []
        spans: dict[int, list] = {}  # column -> [first row, last row, what it holds]

        def close(index):
            first, last, _ = spans.pop(index)
            if last > first:
                merges.append((first, last, index))

        def place(index: int, key, value, style: str):
            """The cell in column `index` of the next row, merged with the one above it when
            both hold the same `key` (None: never merged)."""
            number = len(rows) + 1
            span = spans.get(index)
            if span is not None and key is not None and span[2] == key and span[1] == number - 1:
                span[1] = number
                return out.cell(None, style)
            if span is not None:
                close(index)
            if key is not None:
                spans[index] = [number, number, key]
            return out.cell(value, style)

        section = None
        for path, theme, theme_actions in _theme_rows(themes, actions):
            if self.sections and path[0] is not section:
                section = path[0]
                for index in list(spans):
                    close(index)
                rows.append([out.cell(theme_cell(section), "heading")])
                rows.append(self._header(out))
                if len(path) == 1 and not theme_actions:
                    continue  # a section with nothing under it: its heading is enough
            levels = self._theme_levels(path)
            for action in theme_actions or [None]:
                cells = []
                for index, column in enumerate(self.columns, 1):
                    if column.kind == "theme":
                        level = levels[self.theme_fields.index(column.field)]
                        key, text = level or (None, "")
                        cells.append(place(index, key, text, "theme"))
                    elif action is None:
                        cells.append(out.cell(None))
                    elif column.field in self.merged_fields:
                        value = getattr(action, column.field)
                        key = (theme.pk, value) if value else None
                        cells.append(place(index, key, value, "text"))
                    else:
                        cells.append(self.write_cell(out, column, action))
                rows.append(cells)
        for index in list(spans):
            close(index)
        return rows, merges

    def _theme_levels(self, path: list[Theme]) -> list[tuple[tuple, str] | None]:
        """What each theme column holds for an action of the theme at `path`: (which theme,
        cell text), or None. A plan nested deeper than the layout has its deeper names
        joined in the last theme column."""
        skip = 1 if self.sections else 0
        inner = path[skip:]
        count = len(self.theme_fields)
        levels: list[tuple[tuple, str] | None] = []
        for level in range(count):
            if level >= len(inner):
                levels.append(None)
            elif level == count - 1 and len(inner) > count:
                key = tuple(theme.pk for theme in path)
                levels.append((key, " / ".join(theme.name for theme in inner[level:])))
            else:
                key = tuple(theme.pk for theme in path[: skip + level + 1])
                levels.append((key, theme_cell(inner[level])))
        return levels

    @property
    def carries_updates(self) -> bool:
        """Whether the layout has a progress column, which holds the dated updates."""
        return any(column.kind == "progress" for column in self.columns)

    def write_cell(self, out: SheetWriter, column: Column, action: Action):
        if column.kind == "progress":
            return out.cell(format_progress(action.progress, action.newest_updates))
        if column.kind == "date":
            words = getattr(action, f"{column.field}_text")
            value = getattr(action, f"{column.field}_date")
            return out.cell(words or value, "date" if value and not words else "text")
        if column.kind == "rag":
            rag = RAG(action.rag)
            return out.cell("" if rag == RAG.NOT_RATED else rag.label, f"rag:{rag}")
        if column.kind == "origin":
            return out.cell(ActionOrigin(action.origin).label if action.origin else "", "plain")
        if column.kind == "id":
            return out.cell(action.pk, "plain")
        if column.kind == "version":
            return out.cell(action.version, "plain")
        return out.cell(getattr(action, column.field))

    # ---- hooks ---------------------------------------------------------------------------

    def read_preamble(self, sheet_title: str, rows: list[SheetRow], parsed) -> None:
        """The rows above the first header row (the VRU header block)."""

    def write_preamble(self, out: SheetWriter, plan: Plan) -> list[list]:
        return [[out.cell(plan.title, "title")], []]

    def write_key(self, out: SheetWriter) -> list[list]:
        rows = [[], [out.cell("Key", "heading")]]
        for origin in ORIGIN_FILLS:
            rows.append([out.cell(origin.label, f"key:{origin}")])
        for rag in RAG:
            if rag != RAG.NOT_RATED:
                rows.append([out.cell(rag.label, f"rag:{rag}"), None, out.cell(MEANINGS[rag])])
        return rows

    def read_other_sheets(self, workbook, parsed) -> None:
        """Further sheets a layout reads (the CSP performance measures)."""

    def write_other_sheets(self, workbook, plan: Plan, *, marking: Marking) -> None:
        """Further sheets a layout writes (their page header and footer state `marking`)."""


class _TableState:
    """Reading the action rows of one sheet: the themes carried down from row to row."""

    def __init__(
        self, sheet: str, mapping: dict[int, Column], layout: TableLayout, parsed, max_actions
    ):
        self.sheet = sheet
        self.max_actions = max_actions
        self.parsed = parsed
        self.layout = layout
        self.theme_columns = [
            (index, layout.theme_fields.index(column.field))
            for index, column in mapping.items()
            if column.kind == "theme"
        ]
        self.theme_columns.sort(key=lambda pair: pair[1])
        self.value_columns = [
            (index, column) for index, column in mapping.items() if column.kind not in ("theme",)
        ]
        self.text_header = next(c.header for _, c in self.value_columns if c.field == "text")
        self.section: str | None = None
        self.levels: list[str | None] = [None] * len(layout.theme_fields)
        self.seen: dict[tuple, ThemeRow] = {}

    def start_section(self, row: SheetRow) -> None:
        name, description = split_theme_cell(cell_text(row.value(0)))
        self.section = name
        self.levels = [None] * len(self.levels)
        self._theme((name,), description, row)

    def _theme(self, path: tuple, description: str, row: SheetRow) -> None:
        if path not in self.seen:
            self.seen[path] = ThemeRow(path, description, self.sheet, row.number)
            self.parsed.themes.append(self.seen[path])

    def read_row(self, row: SheetRow, parsed: ParsedWorkbook) -> None:
        for index, level in self.theme_columns:
            text = cell_text(row.value(index))
            if not text:
                continue
            name, description = split_theme_cell(text)
            if name != self.levels[level]:
                self.levels[level] = name
                self.levels[level + 1 :] = [None] * (len(self.levels) - level - 1)
            path = self.path[: self._depth_of(level)]
            self._theme(path, description, row)
        if all(
            column.kind == "origin" or _blank(row.value(index))
            for index, column in self.value_columns
        ):
            return  # a theme heading, or the theme cell of a theme with no actions
        if len(parsed.actions) >= self.max_actions:
            raise WorkbookRefused(
                f"The workbook has more than {self.max_actions:,} actions (row {row.number} "
                f"of sheet '{self.sheet}' is action {self.max_actions + 1:,}); a plan has far "
                "fewer. Check the right workbook was chosen, or split the plan and import "
                "each part into its own plan."
            )
        problems: list[Problem] = []
        values: dict = {}
        action_id = version = None
        for index, column in self.value_columns:
            value = row.value(index)
            try:
                if column.kind == "id":
                    action_id = _parse_id(value)
                elif column.kind == "version":
                    version = _parse_version(value)
                else:
                    self.layout.parse(column, value, row.cell(index), values)
            except ValueError as error:
                problems.append(Problem(str(error), self.sheet, row.number, column.header))
        updates = values.pop(UPDATES, None)
        self.layout.finish_values(values)
        if not values.get("text"):
            problems.append(
                Problem(
                    "This row has no action text: write the action, or delete the row.",
                    self.sheet,
                    row.number,
                    self.text_header,
                )
            )
        start, end = values.get("start_date"), values.get("end_date")
        if start and end and end < start:
            problems.append(
                Problem(
                    f"The end date ({shown_date(end)}) is before the start date "
                    f"({shown_date(start)}): correct one of them.",
                    self.sheet,
                    row.number,
                    "End date",
                )
            )
        if not self.path:
            problems.append(
                Problem(
                    "This action has no theme: write its theme in the first column above it.",
                    self.sheet,
                    row.number,
                )
            )
        parsed.actions.append(
            ActionRow(
                self.sheet, row.number, self.path, action_id, values, problems, version, updates
            )
        )

    def _depth_of(self, level: int) -> int:
        return (1 if self.section else 0) + len([n for n in self.levels[: level + 1] if n])

    @property
    def path(self) -> tuple[str, ...]:
        names = [self.section] if self.section else []
        return tuple(names + [name for name in self.levels if name])


def _parse_id(value) -> int | None:
    if _blank(value):
        return None
    text = cell_text(value)
    if not text.isdigit():
        raise ValueError(
            f"'{text}' is not one of our record numbers: this hidden column must be left as "
            "exported (clear it for a new action)"
        )
    return int(text)


def _parse_version(value) -> int | None:
    if _blank(value):
        return None
    text = cell_text(value)
    if not text.isdigit():
        raise ValueError(
            f"'{text}' is not one of our version numbers: leave this hidden cell as exported, "
            "or clear it to compare the row with the plan as it is now"
        )
    return int(text)


def is_marking_row(row: SheetRow) -> bool:
    """The first row of a marked workbook, stating its protective marking: not part of the
    plan (an export's, read back)."""
    return (
        row.number == 1
        and TableLayout._lone_text(row)
        and cell_text(row.value(0)).upper() in {label.upper() for label in Marking.labels}
    )


def marking_stated(row: SheetRow) -> Marking:
    """The marking a marking row (`is_marking_row`) states."""
    words = cell_text(row.value(0)).upper()
    return next(marking for marking in Marking if marking.label.upper() == words)


def _highest_marking(plan: Plan, themes: list[Theme], by_theme: dict) -> Marking:
    """The highest marking of what a workbook holds. Everything that passes a marking on
    (the plan, every theme written, parents included) is among what it holds, so the
    highest of their own markings is the highest effective one."""
    markings = [plan.marking, *(theme.marking for theme in themes)]
    for actions in by_theme.values():
        for action in actions:
            markings.append(action.marking)
            markings += [update.marking for update in getattr(action, "newest_updates", ())]
    return highest(markings)


def _plan_contents(
    plan: Plan,
    chosen: QuerySet[Action] | None = None,
    *,
    updates: bool,
    leave_out_marked: bool = False,
):
    """The plan's themes and its actions by theme, each action with the version an export
    records (workbooks.versions); with `chosen`, those actions alone and the themes they are
    in (with their parents); with `updates`, each action's progress updates fetched with
    them, newest first, as `newest_updates`; with `leave_out_marked`, none of the themes,
    actions or updates marked OFFICIAL-SENSITIVE (nor what is in a marked plan or theme)."""
    found = Action.objects.filter(theme__plan=plan).annotate(version=latest_version())
    if chosen is not None:
        found = found.filter(pk__in=chosen.values("pk"))
    if leave_out_marked:
        found = found.filter(official_condition())
    by_action = defaultdict(list)
    if updates:
        # By the plan, not by the actions' ids: a prefetch sends every id as a parameter.
        # The plan page's actions as a workbook is a list of many actions: as the page, it
        # holds no update marked on its own (actions.selectors.listed_updates).
        if leave_out_marked or chosen is not None:
            written = listed_updates().filter(action__theme__plan=plan)
        else:
            written = ProgressUpdate.objects.filter(action__theme__plan=plan)
        if chosen is not None:
            written = written.filter(action__in=chosen.values("pk"))
        for update in written.order_by(*NEWEST_FIRST):
            by_action[update.action_id].append(update)
    actions = defaultdict(list)
    for action in found.order_by("order", "pk"):
        if updates:
            action.newest_updates = by_action[action.pk]
        actions[action.theme_id].append(action)
    themes = plan.themes.order_by("order", "pk")
    if leave_out_marked:
        themes = themes.exclude(theme_sensitive_condition())
    themes = list(themes)
    if chosen is not None:
        by_pk = {theme.pk: theme for theme in themes}
        kept = set()
        for theme_id in actions:
            while theme_id is not None and theme_id not in kept:
                kept.add(theme_id)
                theme_id = by_pk[theme_id].parent_id
        themes = [theme for theme in themes if theme.pk in kept]
    return themes, actions


def _theme_rows(themes: list[Theme], actions: dict):
    """(path, theme, its actions) in reading order: each theme's own actions, then its
    sub-themes'. A theme with neither still gets a row, so that it is not lost."""
    children = defaultdict(list)
    for theme in themes:
        children[theme.parent_id].append(theme)

    def walk(theme: Theme, path: list[Theme]):
        path = [*path, theme]
        own = actions.get(theme.pk, [])
        if own or not children[theme.pk]:
            yield path, theme, own
        for child in children[theme.pk]:
            yield from walk(child, path)

    for root in children[None]:
        yield from walk(root, [])


class NumberedTextLayout(TableLayout):
    """A layout whose action cell carries the action's number: "1a) Develop ..." (SGV, CSP)."""

    def finish_values(self, values: dict) -> None:
        split_numbered_text(values)

    def write_cell(self, out: SheetWriter, column: Column, action: Action):
        if column.field == "text":
            return out.cell(numbered_text(action.ref, action.text))
        return super().write_cell(out, column, action)


NUMBERED = re.compile(r"^\s*([^\s()]{1,20})\)\s*(.*)$", re.DOTALL)


def numbered_text(ref: str, text: str) -> str:
    """An action cell that carries its number: "1a) Develop ..."."""
    return f"{ref}) {text}" if ref else text


def split_numbered_text(values: dict) -> None:
    """A number at the start of the action cell is the action's number. A cell without one
    says nothing about the number, so an existing action keeps its own."""
    match = NUMBERED.match(values.get("text", ""))
    if match:
        values["ref"], values["text"] = match.group(1), match.group(2).strip()
