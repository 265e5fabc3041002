"""The pre-meeting pack, and the "since the last meeting" tables it shares with its own page.

The pack's content is built here once, as plain data: parts, each of headed sections, each
with a table whose cells are lines of pieces (text, bold text, a RAG status with its word, a
link). The HTML page (templates/reporting/pack.html) and the Word document
(reporting.pack_docx) only lay that data out, so the two cannot say different things. The
since page renders the same changes part.

Everything is computed from a scope's actions (reporting.scopes), which are already limited to
what the reader may see, so nothing restricted from them is counted or listed. The summary
and the exceptions are the chairs' dashboard's counts and lists (reporting.dashboards), in
full, so that the pack and the dashboard agree. The number of queries is fixed however many
actions the scope has: the dashboard's, three for the action list (the actions, their lead
people and lead organisations), one for the themes' names and five for the changes
(reporting.since).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from actions import selectors
from actions.display import end_as_written, leads_as_written
from actions.filters import theme_label
from actions.models import Action, ProgressUpdate, Theme
from actions.rag import MEANINGS, RAG
from cspplan.display import short_date, show_date, show_when, user_name
from reporting.dashboards import Dashboard, dashboard
from reporting.scopes import Scope
from reporting.since import Changes, changes_since

# ---- the plain structure both renderers lay out ---------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str
    kind: str = "text"


@dataclass(frozen=True)
class Strong:
    text: str
    kind: str = "strong"


@dataclass(frozen=True)
class Rag:
    """A RAG status, always shown with its word (the colour only repeats it)."""

    value: str
    label: str
    kind: str = "rag"


@dataclass(frozen=True)
class Link:
    """A link on screen; its text alone in the Word document."""

    text: str
    url: str
    kind: str = "link"


# A cell is lines, each of pieces shown one after another.
Cell = list[list[Text | Strong | Rag | Link]]


@dataclass(frozen=True)
class Column:
    name: str
    numeric: bool = False
    wide: bool = False  # the column holds long text (an action, an update)


@dataclass(frozen=True)
class Table:
    caption: str
    columns: list[Column]
    rows: list[list[Cell]]
    # The first cell of each row names the row (a theme, a status): <th scope="row">.
    row_headers: bool = False

    @property
    def body(self) -> list[list[tuple[Cell, Column]]]:
        """The rows, each cell with its column (for a template, which cannot zip)."""
        return [list(zip(row, self.columns, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Section:
    id: str  # for the HTML heading's id
    heading: str
    table: Table | None = None
    intro: str = ""
    empty: str = ""  # said instead of an empty table
    caption: str = ""  # above the heading: the plan or parent theme of a theme
    page_break: bool = False  # start on a new printed page


@dataclass(frozen=True)
class Part:
    id: str
    heading: str
    sections: list[Section]
    intro: str = ""


@dataclass(frozen=True)
class Pack:
    title: str  # the plan's title or the board's name
    kind: str  # "plan" or "board"
    facts: list[tuple[str, str]]  # about the pack: partnership, prepared on, since ...
    since: datetime.date
    parts: list[Part] = field(default_factory=list)
    # For tests and the page: the scope's counts by RAG value, and how many actions it has.
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0


# ---- helpers ---------------------------------------------------------------------------------


def rag_piece(value: str) -> Rag:
    rag = RAG(value) if value in RAG.values else RAG.NOT_RATED
    return Rag(rag.value, rag.label)


def count_heading(words: str, count: int) -> str:
    return f"{words} ({count})"


@dataclass(frozen=True)
class ThemeNames:
    """How the pages name an action's theme: by id, the theme with its parent, and its plan."""

    themes: dict[int, Theme]

    @classmethod
    def of(cls, actions: QuerySet[Action]) -> "ThemeNames":
        themes = Theme.objects.filter(pk__in=actions.values("theme_id")).select_related(
            "parent", "plan"
        )
        return cls({theme.pk: theme for theme in themes})

    def action_name(self, action: Action) -> str:
        # An action added since the themes were read has a theme without its parent
        # loaded: named by its own theme alone rather than with a query for the parent.
        theme = self.themes.get(action.theme_id)
        return action_name(theme or Theme(name=action.theme.name), action.ref)

    def plan_title(self, action: Action) -> str:
        theme = self.themes.get(action.theme_id)
        return theme.plan.title if theme else ""


def action_name(theme: Theme, ref: str) -> str:
    """E.g. "GOVERNANCE, action 1" or "Serious Group Violence › Gangs, action 1a", as
    templates/actions/includes/action_name.html names an action."""
    name = f"{theme.parent.name} › {theme.name}" if theme.parent_id else theme.name
    return f"{name}, action {ref}" if ref else f"{name}, action"


def action_cell(action: Action, names: ThemeNames, *, several_plans: bool, text=True) -> Cell:
    """The action's name as a link to its page, with its text, and its plan in a board's
    pages (a board's actions come from several plans)."""
    url = reverse("actions:action-detail", args=[action.pk])
    lines = [[Link(names.action_name(action), url)]]
    if several_plans:
        lines.append([Text(names.plan_title(action))])
    if text:
        lines.append([Text(action.text)])
    return lines


# ---- since the last meeting ------------------------------------------------------------------


def changes_part(scope: Scope, since: datetime.date) -> tuple[Part, Changes]:
    """What moved in the scope's actions on or after `since`, as sections with tables."""
    changes = changes_since(scope.actions, since)
    names = ThemeNames.of(scope.actions)
    several = scope.kind == "board"

    def cell(action, text=True):
        return action_cell(action, names, several_plans=several, text=text)

    rag_rows = [
        [
            cell(change.action, text=False),
            [[rag_piece(change.from_rag), Text(" to "), rag_piece(change.to_rag)]],
            [[Text(change.who)]],
            [[Text(show_when(change.when))]],
            [[Text(change.reason or "Not given")]],
        ]
        for change in changes.rag_changes
    ]
    new_rows = [
        [cell(action), [[rag_piece(action.rag)]], [[Text(show_when(action.created_at))]]]
        for action in changes.new_actions
    ]
    completed_rows = [
        [cell(done.action), [[Text(show_when(done.when))]], [[Text(done.who)]]]
        for done in changes.completed
    ]
    update_rows = [
        [
            cell(update.action, text=False),
            [[Text(show_when(update.created_at))]],
            [[Text(update.period or short_date(update.date))]],
            [[Text(_author(update))]],
            [[rag_piece(update.rag)]] if update.rag else [[Text("No change")]],
            [[Text(update.text)]],
        ]
        for update in changes.updates
    ]
    silent_rows = [
        [
            cell(action),
            [[rag_piece(action.rag)]],
            [
                [Text(short_date(action.last_update_date))],
                [Text(f"received {show_when(action.last_update_at)}")],
            ]
            if action.last_update_at
            else [[Text("None yet")]],
        ]
        for action in changes.not_updated
    ]
    since_text = show_date(since)
    sections = [
        Section(
            "rag-changes",
            count_heading("RAG status changes", len(rag_rows)),
            Table(
                f"RAG status changes since {since_text}",
                [
                    Column("Action"),
                    Column("Change"),
                    Column("Who"),
                    Column("When"),
                    Column("Reason"),
                ],
                rag_rows,
            ),
            intro="Each change of status, in the order it was made, however it was made (the "
            "update form, the admin or a workbook import).",
            empty="No action's RAG status changed.",
        ),
        Section(
            "new-actions",
            count_heading("New actions", len(new_rows)),
            Table(
                f"Actions added since {since_text}",
                [Column("Action", wide=True), Column("RAG status"), Column("Added")],
                new_rows,
            ),
            empty="No actions were added.",
        ),
        Section(
            "completed",
            count_heading("Completed actions", len(completed_rows)),
            Table(
                f"Actions completed since {since_text}",
                [Column("Action", wide=True), Column("Completed"), Column("By")],
                completed_rows,
            ),
            intro="Actions that became Complete and still are, most recent first.",
            empty="No actions were completed.",
        ),
        Section(
            "updates",
            count_heading("Updates received", len(update_rows)),
            Table(
                f"Progress updates received since {since_text}",
                [
                    Column("Action"),
                    Column("Received"),
                    Column("For"),
                    Column("Author"),
                    Column("RAG status set"),
                    Column("Update", wide=True),
                ],
                update_rows,
            ),
            intro="Newest first, by when they were received.",
            empty="No progress updates were received.",
        ),
        Section(
            "not-updated",
            count_heading("No update since", len(silent_rows)),
            Table(
                f"Actions with no progress update since {since_text}",
                [Column("Action", wide=True), Column("RAG status"), Column("Last update")],
                silent_rows,
            ),
            intro="Actions not complete that have had no progress update since the date.",
            empty="Every action that is not complete has had an update.",
        ),
    ]
    part = Part("changes", f"Changes since {since_text}", sections)
    return part, changes


def _author(update: ProgressUpdate) -> str:
    if update.author_id:
        return update.author.name
    return user_name(update.created_by)


# ---- the pack ----------------------------------------------------------------------------


def pack_actions(actions: QuerySet[Action]) -> list[Action]:
    """The actions in reading order with what the pack shows of each
    (`selectors.with_details` and `with_lead_names`): three queries."""
    listed = list(selectors.with_details(actions).order_by(*selectors.reading_order()))
    selectors.with_lead_names({action.pk: action for action in listed})
    return listed


def lead_cell(action: Action) -> Cell:
    """The named leads and lead organisations as written, else as linked
    (`actions.display.leads_as_written`)."""
    lines = [[Text(words)] for words in leads_as_written(action) if words]
    return lines or [[Text("Not stated")]]


def dates_cell(action: Action) -> Cell:
    """The action's dates as the plan wrote them: its timescale, else its start and end (the
    words where the plan had words)."""
    if action.timescale:
        return [[Text(action.timescale)]]
    start = action.start_text or short_date(action.start_date)
    end = action.end_text or short_date(action.end_date)
    dates = (("Start", start), ("End", end))
    lines = [[Text(f"{word}: {value}")] for word, value in dates if value]
    return lines or [[Text("Not stated")]]


def end_cell(action: Action) -> Cell:
    """The end as written (`actions.display.end_as_written`)."""
    return [[Text(end_as_written(action))]]


def update_cell(action: Action) -> Cell:
    """The latest progress update (its date in bold, then its words), else the progress the
    plan was written or imported with."""
    if action.last_update:
        return [
            [Strong(short_date(action.last_update))],
            [Text(action.last_update_text)],
        ]
    if action.progress:
        return [[Text(action.progress)]]
    return [[Text("None yet")]]


def build_pack(scope: Scope, *, since: datetime.date, today: datetime.date | None = None) -> Pack:
    """The pack for the scope: a summary of RAG counts, the exceptions, the changes since
    `since` and every action theme by theme."""
    today = today or timezone.localdate()
    several = scope.kind == "board"
    # The chairs' dashboard's counts and lists, whole: the pack says what the dashboard says.
    board = dashboard(scope, today, limit=None)
    actions = pack_actions(scope.actions)
    changes, _ = changes_part(scope, since)

    sections = []  # the themes with actions, in reading order
    for action in actions:
        if not sections or sections[-1][0].pk != action.theme_id:
            sections.append((action.theme, []))
        sections[-1][1].append(action)

    return Pack(
        title=scope.title,
        kind=scope.kind,
        facts=_facts(scope, since, today),
        since=since,
        counts=board.total.counts,
        total=board.total.total,
        parts=[
            _summary(board, several),
            _exceptions(board, {action.pk: action for action in actions}, several),
            changes,
            _themes(sections, several),
        ],
    )


def _facts(scope: Scope, since: datetime.date, today: datetime.date) -> list[tuple[str, str]]:
    owner = scope.board if scope.board else scope.plan
    facts = [("Partnership", owner.partnership.name)]
    if scope.plan:
        facts.append(("Board", scope.plan.board.name if scope.plan.board else "Not set"))
    facts += [
        ("Prepared on", show_date(today)),
        ("Changes since", show_date(since)),
        ("Overdue means", "The end date has passed and the action is not complete"),
        (
            "Not updated recently means",
            f"Not complete and no progress update for {settings.STALE_AFTER_WEEKS} weeks",
        ),
    ]
    return facts


def _summary(board: Dashboard, several: bool) -> Part:
    counts, total = board.total.counts, board.total.total
    overall = Table(
        "Number of actions of each RAG status",
        [Column("RAG status"), Column("Actions", numeric=True), Column("What it means")],
        [
            [[[rag_piece(rag.value)]], [[Text(str(counts[rag.value]))]], [[Text(MEANINGS[rag])]]]
            for rag in RAG
        ]
        + [[[[Strong("Total")]], [[Strong(str(total))]], [[Text("")]]]],
        row_headers=True,
    )
    theme_rows, sub_themes = [], False
    for group in board.groups:
        for tally in group.themes:
            sub_themes = sub_themes or bool(tally.depth)
            label = f"{tally.parent_label}: {tally.label}" if tally.depth else tally.label
            name = [[Text(label)]]
            if several:
                name.append([Text(group.title)])
            theme_rows.append(
                [name]
                + [[[Text(str(tally.counts[rag]))]] for rag in RAG.values]
                + [[[Strong(str(tally.total))]]]
            )
    by_theme = Table(
        "Number of actions of each RAG status in each theme",
        [Column("Theme")]
        + [Column(rag.label, numeric=True) for rag in RAG]
        + [Column("Total", numeric=True)],
        theme_rows,
        row_headers=True,
    )
    return Part(
        "summary",
        "Summary",
        [
            Section(
                "summary-overall",
                f"All {total} action{'s' if total != 1 else ''}",
                overall,
            ),
            Section(
                "summary-themes",
                "By theme",
                by_theme,
                # As on the dashboards and the plan page's theme filter.
                intro="A theme's counts include its sub-themes' actions." if sub_themes else "",
                empty="There are no themes to count.",
            ),
        ],
    )


# What each exceptions list says when it is empty.
NONE_LISTED = {
    RAG.RED.value: "No actions are Red.",
    RAG.AMBER.value: "No actions are Amber.",
    "overdue": "No actions are overdue.",
    "stale": "Every action that is not complete has had a recent update.",
}


def _exceptions(board: Dashboard, loaded: dict[int, Action], several: bool) -> Part:
    """The dashboard's lists in full: red, amber, overdue and not updated recently, in the
    dashboard's order. Each action is shown from the pack's own list (`loaded`, by id), so
    that it reads exactly as it does there."""
    columns = [
        Column("Action", wide=True),
        Column("Lead"),
        Column("End date"),
        Column("RAG status"),
        Column("Latest update", wide=True),
    ]
    sections = []
    for kind, empty in NONE_LISTED.items():
        listed = board.lists[kind]
        rows = [
            [
                _list_action_cell(action, several),
                lead_cell(action),
                end_cell(action),
                [[rag_piece(action.rag)]],
                update_cell(action),
            ]
            # Skipping one added between the two reads, should that happen.
            for action in (loaded.get(shown.pk) for shown in listed.actions)
            if action is not None
        ]
        sections.append(
            Section(
                kind,
                count_heading(listed.title, len(rows)),
                Table(f"{listed.title} actions", columns, rows),
                intro=listed.description,
                empty=empty,
            )
        )
    return Part(
        "exceptions",
        "Exceptions",
        sections,
        intro="What is off track or has gone quiet, with who leads it and what they last said.",
    )


def _list_action_cell(action: Action, several: bool) -> Cell:
    """An action of the pack's own list (its theme, parent theme and plan loaded with it)."""
    url = reverse("actions:action-detail", args=[action.pk])
    lines = [[Link(action_name(action.theme, action.ref), url)]]
    if several:
        lines.append([Text(action.theme.plan.title)])
    lines.append([Text(action.text)])
    return lines


def _themes(sections, several: bool) -> Part:
    columns = [
        Column("Ref"),
        Column("Action", wide=True),
        Column("Lead"),
        Column("Dates"),
        Column("RAG status"),
        Column("Latest update", wide=True),
    ]
    parts = []
    for theme, actions in sections:
        label = theme_label(theme)
        caption = theme.plan.title if several else ""
        rows = [
            [
                [[Text(action.ref)]],
                [[Link(action.text, reverse("actions:action-detail", args=[action.pk]))]],
                lead_cell(action),
                dates_cell(action),
                [[rag_piece(action.rag)]],
                update_cell(action),
            ]
            for action in actions
        ]
        parts.append(
            Section(
                f"theme-{theme.pk}",
                label,
                Table(f"Actions in {label}", columns, rows),
                caption=caption,
                page_break=True,
            )
        )
    return Part(
        "actions",
        "All actions, theme by theme",
        parts,
        intro="" if parts else "There are no actions for you to see in this pack.",
    )
