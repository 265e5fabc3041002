"""The pre-meeting pack, and the "since the last meeting" tables it shares with its own page.

The pack's content is built here once, as plain data: parts, each of headed sections, each
with a table whose cells are lines of pieces (text, bold text, a RAG status with its word, a
link). The HTML page (templates/reporting/pack.html) and the Word document
(reporting.pack_docx) only lay that data out, so the two cannot say different things. The
since page renders the same changes part.

The pack leads with the summary and the exceptions, then the changes; every action, theme
by theme, only when asked for (`everything`). Each action is shown in full once, in the
first list that names it; later lists name it by theme and number (`InFull`), so that a
printed pack does not repeat an action in up to five lists.

Everything is computed from a scope's actions (reporting.scopes), which are already limited to
what the reader may see, so nothing hidden from them is counted or listed. The summary
and the exceptions are the chairs' dashboard's counts and lists (reporting.dashboards), in
full, so that the pack and the dashboard agree. The number of queries is fixed however many
actions the scope has: the dashboard's (with its red and amber actions' direction of
travel), one for the themes' names, five for the changes (reporting.since), one or two
for the review panel's feedback (and the people who gave it) and, with everything, three
for the action list (the actions, their lead people and organisations).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from actions import selectors
from actions.display import end_as_written, feedback_credit, leads_as_written
from actions.filters import theme_label
from actions.models import Action, Marking, ProgressUpdate, Theme
from actions.rag import MEANINGS, RAG
from cspplan import clock
from cspplan.display import short_date, show_date, show_when, user_name
from reporting.dashboards import Dashboard, dashboard
from reporting.pack_widths import fitted_widths
from reporting.scopes import Scope
from reporting.since import Changes, Travel, changes_since

# About how many characters of the printed page's table text fit across a landscape A4 page.
PRINTED_CHARACTERS = 150

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


@dataclass(frozen=True)
class Marked:
    """An item's protective marking beside it: a tag on screen, its words in bold in the
    Word document. Only markings above OFFICIAL are shown."""

    value: str
    text: str
    kind: str = "marking"


# A cell is lines, each of pieces shown one after another.
Cell = list[list[Text | Strong | Rag | Link | Marked]]


@dataclass(frozen=True)
class Column:
    name: str
    numeric: bool = False
    wide: bool = False  # the column holds long text (an action, an update)


@dataclass(frozen=True)
class BodyRow:
    """A row as the templates lay it out: a heading across the table (`group`: the plan of
    the rows under it, in a board's pack), or cells, each with its column."""

    cells: list[tuple[Cell, Column]]
    group: str = ""
    anchor: str = ""  # the id of an action's row where it is shown in full


@dataclass(frozen=True)
class Table:
    caption: str
    columns: list[Column]
    rows: list[list[Cell]]
    # The first cell of each row names the row (a theme, a status): <th scope="row">.
    row_headers: bool = False
    # By row index: the plan that row starts (a board's lists name each plan once, above
    # its rows, rather than on every row), and the id of the row of an action in full.
    groups: dict[int, str] = field(default_factory=dict)
    anchors: dict[int, str] = field(default_factory=dict)

    @property
    def column_widths(self) -> list[int]:
        """Each column's share of the table's width, fitted to what it holds
        (reporting.pack_widths), in whole percent: the page's <col> widths, as classes
        (app-pack__col--N in assets/scss/components/_pack.scss), since the
        Content-Security-Policy allows no style attribute."""
        widths = fitted_widths(self, PRINTED_CHARACTERS)
        return [max(1, min(100, round(100 * width / PRINTED_CHARACTERS))) for width in widths]

    @property
    def body(self) -> list[BodyRow]:
        """The rows, each cell with its column (for a template, which cannot zip), with a
        group row before each row that starts a plan."""
        body = []
        for index, row in enumerate(self.rows):
            if index in self.groups:
                body.append(BodyRow([], group=self.groups[index]))
            cells = list(zip(row, self.columns, strict=True))
            body.append(BodyRow(cells, anchor=self.anchors.get(index, "")))
        return body


@dataclass(frozen=True)
class Refs:
    """Actions a list names that are shown in full earlier in the pack, by theme: each
    theme's action numbers, linked to the rows that show them, and where those rows are."""

    theme: str
    actions: list[Link]
    where: str


@dataclass(frozen=True)
class Section:
    id: str  # for the HTML heading's id
    heading: str
    table: Table | None = None
    intro: str = ""
    empty: str = ""  # said instead of an empty table
    caption: str = ""  # above the heading: the plan or parent theme of a theme
    refs: list[Refs] = field(default_factory=list)

    @property
    def refs_intro(self) -> str:
        shown = "Also in this list" if self.table and self.table.rows else "In this list"
        return f"{shown}, shown in full earlier in the pack:"

    @property
    def refs_table(self) -> Table | None:
        """The references as a table of their own (theme, action numbers, where shown)."""
        if not self.refs:
            return None
        rows = [
            [[[Text(ref.theme)]], [_joined(ref.actions)], [[Text(ref.where)]]] for ref in self.refs
        ]
        columns = [Column("Theme"), Column("Actions", wide=True), Column("Shown in full under")]
        return Table(f"{self.heading}: shown in full earlier in the pack", columns, rows)


def _joined(links: list[Link]) -> list:
    """Links one after another, with commas between them."""
    pieces = []
    for link in links:
        if pieces:
            pieces.append(Text(", "))
        pieces.append(link)
    return pieces


@dataclass(frozen=True)
class Part:
    id: str
    heading: str
    sections: list[Section]
    intro: str = ""
    # Its tables have many columns: the Word document lays it out on landscape pages.
    wide: bool = True


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
    everything: bool = False  # with every action, theme by theme
    # The highest protective marking of what it holds (actions.models.Marking), stated at
    # the head and foot of the page and of the document.
    marking: str = "official"


# ---- helpers ---------------------------------------------------------------------------------

# RAG.values is a new list at every use, and a pack looks a status up for each of its rows.
RAG_VALUES = frozenset(RAG.values)


def rag_piece(value: str) -> Rag:
    rag = RAG(value) if value in RAG_VALUES else RAG.NOT_RATED
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

    def theme(self, action: Action) -> Theme:
        # An action added since the themes were read has a theme without its parent
        # loaded: named by its own theme alone rather than with a query for the parent.
        return self.themes.get(action.theme_id) or Theme(
            name=action.theme.name, plan=action.theme.plan, marking=action.theme.marking
        )

    def action_name(self, action: Action) -> str:
        return action_name(self.theme(action), action.ref)

    @property
    def several_plans(self) -> bool:
        """Whether the actions come from more than one plan, so that lists name the plan."""
        return len({theme.plan_id for theme in self.themes.values()}) > 1


def action_name(theme: Theme, ref: str) -> str:
    """E.g. "GOVERNANCE, action 1" or "Serious Group Violence › Gangs, action 1a", as
    templates/actions/includes/action_name.html names an action."""
    name = f"{theme.parent.name} › {theme.name}" if theme.parent_id else theme.name
    return f"{name}, action {ref}" if ref else f"{name}, action"


def action_link(action: Action, names: ThemeNames) -> Link:
    return Link(names.action_name(action), reverse("actions:action-detail", args=[action.pk]))


def plan_groups(actions: list[Action], names: ThemeNames, several_plans: bool) -> dict[int, str]:
    """For a board's list: the plan's title above each row that starts another plan (by
    row index), so that the title is said once for its rows, not on each of them."""
    if not several_plans:
        return {}
    groups, plan = {}, None
    for index, action in enumerate(actions):
        title = names.theme(action).plan.title
        if title != plan:
            groups[index] = plan = title
    return groups


class InFull:
    """Where the pack shows each action in full (its text, lead, dates, status and latest
    update): in the first list that names it. Every later list names it by theme and
    number instead, linked to that row, so that no action's words are printed twice.

    A list's actions in full are grouped under their theme (and plan, in a board's pack of
    several), named once in a row across the table, each action by its number (linked to
    its page) beside its words."""

    def __init__(self, names: ThemeNames):
        self.names = names
        self.several = names.several_plans
        self.where: dict[int, str] = {}

    @staticmethod
    def anchor(action: Action) -> str:
        return f"action-{action.pk}"

    def marked(self, action: Action) -> list:
        """The action's effective marking, as pieces to put beside it: none at OFFICIAL."""
        theme = self.names.theme(action)
        marking = selectors.highest([action.marking, selectors.effective_marking(theme)])
        if marking == Marking.OFFICIAL:
            return []
        return [Text(" "), Marked(marking.value, marking.label)]

    def text_cell(self, action: Action) -> Cell:
        """The action's words, with its marking beside them when it is marked."""
        return [[Text(action.text), *self.marked(action)]]

    def theme_label(self, action: Action) -> str:
        theme = self.names.theme(action)
        label = theme_label(theme)
        return f"{theme.plan.title}: {label}" if self.several else label

    def list(
        self,
        caption: str,
        columns: list[Column],
        actions: list[Action],
        where: str,
        row,
        grouped: bool = True,
    ) -> tuple[Table, list[Refs]]:
        """The table of the `actions` shown in full here, a number column and `row(action)`'s
        cells, under a row naming each theme (unless not `grouped`: a theme's own list), and
        references to those shown in full earlier, by theme, in list order."""
        shown, refs = [], {}
        for action in actions:
            if action.pk in self.where:
                key = (self.theme_label(action), self.where[action.pk])
                link = Link(action.ref or "without a number", f"#{self.anchor(action)}")
                refs.setdefault(key, []).append(link)
            else:
                self.where[action.pk] = where
                shown.append(action)
        groups, group = {}, None
        for index, action in enumerate(shown if grouped else []):
            label = self.theme_label(action)
            if label != group:
                groups[index] = group = label
        number = Column("No.")
        table = Table(
            caption,
            [number, *columns],
            [[[[_number(action)]], *row(action)] for action in shown],
            groups=groups,
            anchors={index: self.anchor(action) for index, action in enumerate(shown)},
        )
        return table, [Refs(theme, links, where) for (theme, where), links in refs.items()]


def _number(action: Action) -> Link:
    """The action's number, linked to its page."""
    return Link(action.ref or "–", reverse("actions:action-detail", args=[action.pk]))


# ---- since the last meeting ------------------------------------------------------------------


def changes_part(
    scope: Scope, since: datetime.date, in_full: InFull | None = None
) -> tuple[Part, Changes]:
    """What moved in the scope's actions on or after `since`, as sections with tables.
    `in_full`: where the pack has shown actions in full already (the since page has
    nothing before it)."""
    changes = changes_since(scope.actions, since, scope.updates)
    in_full = in_full or InFull(ThemeNames.of(scope.actions))
    names, several = in_full.names, in_full.several

    def named(action):
        return [[action_link(action, names), *in_full.marked(action)]]

    rag_rows = [
        [
            named(change.action),
            [[rag_piece(change.from_rag), Text(" to "), rag_piece(change.to_rag)]],
            [[Text(change.who)]],
            [[Text(show_when(change.when))]],
            [[Text(change.reason or "Not given")]],
        ]
        for change in changes.rag_changes
    ]
    update_rows = [
        [
            named(update.action),
            [[Text(show_when(update.created_at))]],
            [[Text(update.period or short_date(update.date))]],
            [[Text(_author(update))]],
            [[rag_piece(update.rag)]] if update.rag else [[Text("No change")]],
            [[Text(update.text), *update_marked(update.marking)]],
        ]
        for update in changes.updates
    ]
    since_text = show_date(since)
    new_table, new_refs = in_full.list(
        f"Actions added since {since_text}",
        [Column("Action", wide=True), Column("RAG status"), Column("Added")],
        changes.new_actions,
        "New actions",
        lambda action: [
            in_full.text_cell(action),
            [[rag_piece(action.rag)]],
            [[Text(show_when(action.created_at))]],
        ],
    )
    done = {completion.action.pk: completion for completion in changes.completed}
    completed_table, completed_refs = in_full.list(
        f"Actions completed since {since_text}",
        [Column("Action", wide=True), Column("Completed"), Column("By")],
        [completion.action for completion in changes.completed],
        "Completed actions",
        lambda action: [
            in_full.text_cell(action),
            [[Text(show_when(done[action.pk].when))]],
            [[Text(done[action.pk].who)]],
        ],
    )
    silent_table, silent_refs = in_full.list(
        f"Actions with no progress update since {since_text}",
        [Column("Action", wide=True), Column("RAG status"), Column("Last update")],
        changes.not_updated,
        "No update since",
        lambda action: [
            in_full.text_cell(action),
            [[rag_piece(action.rag)]],
            [
                [Text(short_date(action.last_update_date))],
                [Text(f"received {show_when(action.last_update_at)}")],
            ]
            if action.last_update_at
            else [[Text("None yet")]],
        ],
    )
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
                groups=plan_groups([c.action for c in changes.rag_changes], names, several),
            ),
            intro="Each change of status, in the order it was made, however it was made (the "
            "update form, the admin or a workbook import).",
            empty="No action's RAG status changed.",
        ),
        Section(
            "new-actions",
            count_heading("New actions", len(changes.new_actions)),
            new_table,
            intro="Actions added to a plan after it was set up. Those that came with their "
            "plan, loaded or imported with it on the day it was created, are not new.",
            empty="No actions were added.",
            refs=new_refs,
        ),
        Section(
            "completed",
            count_heading("Completed actions", len(changes.completed)),
            completed_table,
            intro="Actions that became Complete and still are, most recent first.",
            empty="No actions were completed.",
            refs=completed_refs,
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
                groups=plan_groups([u.action for u in changes.updates], names, several),
            ),
            intro="Newest first, by when they were received.",
            empty="No progress updates were received.",
        ),
        Section(
            "not-updated",
            count_heading("No update since", len(changes.not_updated)),
            silent_table,
            intro="Actions not complete that have had no progress update since the date.",
            empty="Every action that is not complete has had an update.",
            refs=silent_refs,
        ),
    ]
    part = Part("changes", f"Changes since {since_text}", sections)
    return part, changes


def _author(update: ProgressUpdate) -> str:
    if update.author_id:
        return update.author.name
    return user_name(update.created_by)


# ---- the pack ----------------------------------------------------------------------------


def pack_actions(
    actions: QuerySet[Action], updates: QuerySet[ProgressUpdate] | None = None
) -> list[Action]:
    """The actions in reading order with what the pack shows of each
    (`selectors.with_details` reading `updates`, and `with_lead_names`): three queries."""
    listed = list(selectors.with_details(actions, updates).order_by(*selectors.reading_order()))
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


def update_marked(marking: str | None) -> list:
    """An update's own marking, as pieces to put beside its words: none at OFFICIAL."""
    if marking != Marking.OFFICIAL_SENSITIVE:
        return []
    return [Text(" "), Marked(marking, Marking(marking).label)]


def update_cell(action: Action) -> Cell:
    """The latest progress update (its date in bold, then its words), else the progress the
    plan was written or imported with."""
    if action.last_update:
        return [
            [Strong(short_date(action.last_update))],
            [Text(action.last_update_text), *update_marked(action.last_update_marking)],
        ]
    if action.progress:
        return [[Text(action.progress)]]
    return [[Text("None yet")]]


def rag_cell(action: Action, travel: Travel | None = None) -> Cell:
    """The status, and for a red or amber action its direction of travel: the status it had
    before and when it changed (`reporting.since.rag_travel`)."""
    lines = [[rag_piece(action.rag)]]
    if travel is not None:
        lines.append([Text(travel.words)])
    return lines


def build_pack(
    scope: Scope,
    *,
    since: datetime.date,
    today: datetime.date | None = None,
    everything: bool = False,
) -> Pack:
    """The pack for the scope: a summary of RAG counts, the exceptions and the changes since
    `since`, and with `everything` every action theme by theme. Each action is shown in full
    once, where it is first listed (`InFull`)."""
    today = today or clock.today()
    # The chairs' dashboard's counts and lists, whole: the pack says what the dashboard says.
    board = dashboard(scope, today, limit=None)
    in_full = InFull(ThemeNames.of(scope.actions))
    parts = [_summary(board, len(board.groups) > 1), _exceptions(board, in_full)]
    changes, _ = changes_part(scope, since, in_full)
    parts.append(changes)
    feedback = _panel_feedback(scope, len(board.groups) > 1)
    if feedback is not None:
        parts.append(feedback)
    if everything:
        sections = []  # the themes with actions, in reading order
        for action in pack_actions(scope.actions, scope.updates):
            if not sections or sections[-1][0].pk != action.theme_id:
                sections.append((action.theme, []))
            sections[-1][1].append(action)
        parts.append(_themes(sections, in_full))

    return Pack(
        title=scope.title,
        kind=scope.kind,
        facts=_facts(scope, since, today, everything),
        since=since,
        counts=board.total.counts,
        total=board.total.total,
        parts=parts,
        everything=everything,
    )


def _facts(
    scope: Scope, since: datetime.date, today: datetime.date, everything: bool
) -> list[tuple[str, str]]:
    owner = scope.board if scope.board else scope.plan
    facts = [("Partnership", owner.partnership.name)]
    if scope.plan:
        facts.append(("Board", scope.plan.board.name if scope.plan.board else "Not set"))
    facts += [
        ("Prepared on", show_date(today)),
        ("Changes since", show_date(since)),
        (
            "Contents",
            "Everything: the summary, the exceptions, the changes and every action"
            if everything
            else "The summary, the exceptions and the changes",
        ),
        (
            "Each action",
            "Shown in full once, where it is first listed; later lists give its theme and number",
        ),
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
    theme_rows, sub_themes, groups = [], False, {}
    for group in board.groups:
        if several:
            groups[len(theme_rows)] = group.title
        for tally in group.themes:
            sub_themes = sub_themes or bool(tally.depth)
            label = f"{tally.parent_label}: {tally.label}" if tally.depth else tally.label
            theme_rows.append(
                [[[Text(label)]]]
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
        groups=groups,
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
        wide=False,
    )


# What each exceptions list says when it is empty.
NONE_LISTED = {
    RAG.RED.value: "No actions are Red.",
    RAG.AMBER.value: "No actions are Amber.",
    "overdue": "No actions are overdue.",
    "stale": "Every action that is not complete has had a recent update.",
}


def _exceptions(board: Dashboard, in_full: InFull) -> Part:
    """The dashboard's lists in full: red, amber, overdue and not updated recently, in the
    dashboard's order, red and amber with their direction of travel."""
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
        table, refs = in_full.list(
            f"{listed.title} actions",
            columns,
            listed.actions,
            listed.title,
            lambda action: [
                in_full.text_cell(action),
                lead_cell(action),
                end_cell(action),
                rag_cell(action, board.travel.get(action.pk)),
                update_cell(action),
            ],
        )
        sections.append(
            Section(
                kind,
                count_heading(listed.title, len(listed.actions)),
                table,
                intro=listed.description,
                empty=empty,
                refs=refs,
            )
        )
    return Part(
        "exceptions",
        "Exceptions",
        sections,
        intro="What is off track or has gone quiet, with who leads it and what they last said.",
    )


def _panel_feedback(scope: Scope, several: bool) -> Part | None:
    """The review panel's feedback on the scope's themes, theme by theme, with the year it
    reviewed, who gave it and when ("Not stated" where the source did not say); None if
    there is none."""
    feedback = list(selectors.panel_feedback_of(scope.themes))
    if not feedback:
        return None
    columns = [
        Column("Theme"),
        Column("Feedback", wide=True),
        *(Column(label) for label, _ in feedback_credit(feedback[0])),
    ]
    rows, groups = [], {}
    for item in feedback:
        if several and (not rows or item.theme.plan_id != feedback[len(rows) - 1].theme.plan_id):
            groups[len(rows)] = item.theme.plan.title
        marking = selectors.effective_marking(item.theme)
        marked = (
            [Text(" "), Marked(marking.value, marking.label)] if marking != Marking.OFFICIAL else []
        )
        rows.append(
            [[[Text(theme_label(item.theme)), *marked]], [[Text(item.text)]]]
            + [[[Text(words)]] for _, words in feedback_credit(item)]
        )
    table = Table(
        "The review panel's feedback on each theme", columns, rows, row_headers=True, groups=groups
    )
    return Part(
        "panel-feedback",
        "Review panel feedback",
        [Section("panel-feedback-themes", "By theme", table)],
        intro="What the VRU's review panel said about each theme of the plan it reviewed.",
    )


def _themes(sections, in_full: InFull) -> Part:
    columns = [
        Column("Action", wide=True),
        Column("Lead"),
        Column("Dates"),
        Column("RAG status"),
        Column("Latest update", wide=True),
    ]
    parts = []
    for theme, actions in sections:
        label = theme_label(theme)
        table, refs = in_full.list(
            f"Actions in {label}",
            columns,
            actions,
            label,
            lambda action: [
                in_full.text_cell(action),
                lead_cell(action),
                dates_cell(action),
                [[rag_piece(action.rag)]],
                update_cell(action),
            ],
            grouped=False,
        )
        parts.append(
            Section(
                f"theme-{theme.pk}",
                label,
                table,
                caption=theme.plan.title if in_full.several else "",
                refs=refs,
            )
        )
    return Part(
        "actions",
        "All actions, theme by theme",
        parts,
        intro="" if parts else "There are no actions for you to see in this pack.",
    )
