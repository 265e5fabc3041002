"""A board meeting's pre-meeting pack: the agenda, the previous held meeting's minutes and the
actions raised at it, the open actions of earlier meetings (matters arising), the subgroups'
update reports (and which subgroups have not reported), then the plans' pack of the board
(reporting.pack.build_pack: the summary, the exceptions, and the changes since the previous
held meeting).

It is built as reporting.pack's plain structure (a `Pack` of parts, sections and tables), so
the page (templates/meetings/pack.html) and the Word document (reporting.pack_docx) lay out
the same content with the renderers the plans' pack uses.

Everything is read through meetings.permissions and the board's scope (reporting.scopes), so
an item marked beyond what the reader may see is not listed, counted or stated in the
marking. Asked to leave marked items out, the pack holds OFFICIAL items alone and says so.
"""

import datetime
from dataclasses import dataclass, replace

from django.db.models import Prefetch, QuerySet

from actions import selectors as action_selectors
from actions.models import Marking
from actions.permissions import visible_boards
from boards.models import Person
from cspplan.display import short_date, show_date
from meetings import permissions, selectors
from meetings.models import AgendaItem, Attendance, Meeting, MeetingAction
from meetings.reports import HEADINGS, meeting_reports
from reporting.pack import Column, Marked, Pack, Part, Section, Strong, Table, Text, build_pack
from reporting.scopes import board_scope, scope_marking, without_marked
from reporting.since import default_since

# The word the board's agendas put before an OFFICIAL-SENSITIVE item (seed 004, lines 17-21).
RESTRICTED = "RESTRICTED"


@dataclass(frozen=True)
class AgendaLine:
    """One agenda item as the agenda lays it out (seed 004, lines 8-36)."""

    number: str
    title: str
    description: str
    presenter: str
    minutes: int | None
    starts: datetime.time | None  # the running clock, where the meeting's start is known
    pages: str
    restricted: bool

    @property
    def time(self) -> str:
        return f"{self.minutes} mins" if self.minutes else ""

    @property
    def heading(self) -> str:
        """The title as the agenda prints it, RESTRICTED before a marked item."""
        if self.restricted and not self.title.upper().startswith(RESTRICTED):
            return f"{RESTRICTED}: {self.title}"
        return self.title


def meeting_when(meeting: Meeting) -> str:
    """ "Wednesday, 8 December 2021, 10:00 am - 1:00 pm", as the agenda heads itself
    (seed 004, line 4): the time as written, else the start and end times."""
    day = f"{meeting.date:%A}, {show_date(meeting.date)}"
    if meeting.time_as_written:
        return f"{day}, {meeting.time_as_written}"
    if meeting.start_time:
        end = f" - {meeting.end_time:%H:%M}" if meeting.end_time else ""
        return f"{day}, {meeting.start_time:%H:%M}{end}"
    return day


def presenter_of(item) -> str:
    """The presenter as the agenda wrote it, else the people linked."""
    if item.presenter_as_written:
        return item.presenter_as_written
    return " and ".join(person.name for person in item.presenters.all())


def agenda_lines(meeting: Meeting, items: list[AgendaItem]) -> list[AgendaLine]:
    """`items` (those the reader may see) in order, each with the time it starts by the
    running clock, which counts every item of the agenda (selectors.start_times): the real
    times, whichever items the reader sees."""
    starts = selectors.start_times(meeting)
    return [
        AgendaLine(
            number=item.number,
            title=item.title,
            description=item.description,
            presenter=presenter_of(item),
            minutes=item.minutes_allowed,
            starts=starts.get(item.pk),
            pages=item.pages,
            restricted=item.marking != Marking.OFFICIAL,
        )
        for item in items
    ]


def meeting_items(user, meeting: Meeting, *, official_only: bool = False) -> list[AgendaItem]:
    """The meeting's agenda items the user may see, in order, with their presenters."""
    items = permissions.visible_items(user).filter(meeting=meeting)
    if official_only:
        items = items.filter(marking=Marking.OFFICIAL)
    people = Prefetch("presenters", queryset=Person.objects.order_by("name"))
    return list(items.prefetch_related(people).order_by("order", "pk"))


def agenda_table(lines: list[AgendaLine], caption: str) -> Table:
    """The agenda's table, in the columns of the seed's: number, item, presenter, time,
    pages (and the running clock, where known)."""
    clock = any(line.starts for line in lines)
    columns = [
        Column("No."),
        Column("Item", wide=True),
        Column("Presenter"),
        Column("Time"),
        *([Column("Starts")] if clock else []),
        Column("Pages"),
    ]
    rows = []
    for line in lines:
        title = [Strong(line.heading)] if line.restricted else [Text(line.heading)]
        item = [title] + ([[Text(line.description)]] if line.description else [])
        rows.append(
            [
                [[Text(line.number)]],
                item,
                [[Text(line.presenter)]],
                [[Text(line.time)]],
                *(
                    [[[Text(line.starts.strftime("%H:%M") if line.starts else "")]]]
                    if clock
                    else []
                ),
                [[Text(line.pages)]],
            ]
        )
    return Table(caption, columns, rows)


def _marked(marking: str) -> list:
    if marking == Marking.OFFICIAL:
        return []
    label = Marking(marking).label
    return [Text(" "), Marked(marking, label)]


def _owners(action: MeetingAction) -> str:
    if action.owners_as_written:
        return action.owners_as_written
    return ", ".join(person.name for person in action.owners.all()) or "Not stated"


def actions_table(actions: list[MeetingAction], caption: str, *, raised_at: bool) -> Table:
    columns = [
        Column("Action", wide=True),
        Column("Owners"),
        *([Column("Raised at")] if raised_at else []),
        Column("Due"),
        Column("Status"),
    ]
    rows = [
        [
            [[Text(action.text), *_marked(action.marking)]],
            [[Text(_owners(action))]],
            *([[[Text(show_date(action.meeting.date))]]] if raised_at else []),
            [[Text(short_date(action.due_date) if action.due_date else "Not set")]],
            [[Text(action.get_status_display())]],
        ]
        for action in actions
    ]
    return Table(caption, columns, rows)


@dataclass(frozen=True)
class MeetingPack:
    """The pack, and what its page shows around it."""

    pack: Pack
    meeting: Meeting
    previous: Meeting | None
    since: datetime.date
    not_reported: list  # the subgroups (boards) with no report for the meeting
    counts: dict  # how many of each meeting record the pack lists, for the tests and page
    actions: QuerySet  # the plans' actions it was built from, for the download record


def _official(queryset: QuerySet, official_only: bool) -> QuerySet:
    return queryset.filter(marking=Marking.OFFICIAL) if official_only else queryset


def build_meeting_pack(
    user, meeting: Meeting, *, today: datetime.date, leave_out_marked: bool = False
) -> MeetingPack:
    """The meeting's pack as `user` may see it (without any marked item when
    `leave_out_marked`). "Since the last meeting" is the previous held meeting's date, else
    reporting's default (four weeks before today) for a board with none held before."""
    previous = selectors.previous_held_meeting(meeting)
    since = previous.date if previous else default_since(today)
    visible_actions = _official(permissions.visible_meeting_actions(user), leave_out_marked)

    items = meeting_items(user, meeting, official_only=leave_out_marked)
    lines = agenda_lines(meeting, items)
    parts = [
        Part(
            "agenda",
            "Agenda",
            [
                Section(
                    "agenda-items",
                    f"Agenda for {show_date(meeting.date)}",
                    agenda_table(lines, f"Agenda of the meeting on {show_date(meeting.date)}"),
                    empty="The agenda has no items yet.",
                )
            ],
            wide=False,
        )
    ]
    markings = [item.marking for item in items]

    # The previous held meeting: who came, its minutes item by item, the actions it raised.
    if previous is not None:
        # Present, then apologies, then additional attendees, as minutes list them.
        kinds = list(Attendance.Kind.values)
        attendance = sorted(
            Attendance.objects.filter(meeting=previous),
            key=lambda row: (kinds.index(row.kind), row.name_as_written),
        )
        previous_items = meeting_items(user, previous, official_only=leave_out_marked)
        raised = list(
            visible_actions.filter(meeting=previous)
            .select_related("meeting")
            .prefetch_related("owners")
            .order_by("order", "pk")
        )
        markings += [item.marking for item in previous_items]
        markings += [action.marking for action in raised]
        parts.append(_minutes_part(previous, attendance, previous_items, raised))

    arising = list(selectors.matters_arising(meeting, visible_actions))
    markings += [action.marking for action in arising]
    parts.append(_arising_part(arising, selectors.matters_arising_item(items)))

    reports = list(_official(meeting_reports(user, meeting), leave_out_marked))
    markings += [report.marking for report in reports]
    # Subgroups that have not reported: the board's subgroups the reader may open, less
    # those with a report, seen or not (selectors.subgroups_not_reported): a subgroup whose
    # report is marked beyond the reader is not said to have failed to report.
    not_reported = list(
        selectors.subgroups_not_reported(meeting, visible_boards(user)).order_by("name")
    )
    parts.append(_reports_part(reports, not_reported))

    scope = board_scope(user, meeting.board_id)
    if leave_out_marked:
        scope = without_marked(scope)
    plans = build_pack(scope, since=since, today=today)
    markings.append(scope_marking(scope))
    marking = action_selectors.highest(markings)

    facts = [
        ("Board", meeting.board.name),
        ("Partnership", meeting.board.partnership.name),
        ("Meeting", meeting_when(meeting)),
        ("Venue", meeting.venue or "Not set"),
        ("Prepared on", show_date(today)),
        (
            "Changes since",
            f"{show_date(since)}, the previous meeting"
            if previous
            else f"{show_date(since)} (four weeks before; no earlier meeting is recorded as held)",
        ),
    ]
    if leave_out_marked:
        facts.append(("Marked items", "Left out: this pack holds OFFICIAL items only"))
    # The plans' pack's own facts, less those said above.
    said = {label for label, _ in facts} | {"Partnership", "Board"}
    facts += [(label, value) for label, value in plans.facts if label not in said]
    pack = replace(
        plans,
        title=f"{meeting.board.name}, {show_date(meeting.date)}",
        facts=facts,
        parts=parts + plans.parts,
        marking=marking,
    )
    counts = {
        "items": len(items),
        "arising": len(arising),
        "reports": len(reports),
        "not_reported": len(not_reported),
    }
    return MeetingPack(pack, meeting, previous, since, not_reported, counts, scope.actions)


def _arising_part(arising: list[MeetingAction], item: AgendaItem | None) -> Part:
    """The open actions of earlier meetings, and the agenda item they are taken under (the
    one that takes matters arising, among the items the reader sees), if there is one."""
    where = ""
    if item is not None:
        number = item.number.rstrip(".")
        where = f" They are taken under {f'item {number}, ' if number else 'the item '}"
        where += f"{item.title}."
    return Part(
        "matters-arising",
        "Matters arising",
        [
            Section(
                "open-actions",
                f"Open actions of earlier meetings ({len(arising)})",
                actions_table(arising, "Open actions of earlier meetings", raised_at=True),
                intro="Actions raised at the board's earlier meetings and not yet completed "
                "or closed, with the meeting each came from." + where,
                empty="No actions of earlier meetings are open.",
            )
        ],
        wide=False,
    )


def _minutes_part(previous, attendance, items, raised) -> Part:
    held = show_date(previous.date)
    kinds = dict(Attendance.Kind.choices)
    roles = dict(Attendance.Role.choices)
    attendance_rows = [
        [
            [[Text(row.name_as_written)]],
            [[Text(kinds.get(row.kind, row.kind))]],
            [[Text(roles.get(row.role, "") if row.role else "")]],
        ]
        for row in attendance
    ]
    minutes_rows = [
        [
            [[Text(item.number)]],
            [[Text(item.title), *_marked(item.marking)]],
            [[Text(item.minutes or "No minutes recorded.")]],
        ]
        for item in items
    ]
    return Part(
        "minutes",
        f"Minutes of the meeting on {held}",
        [
            Section(
                "attendance",
                "Attendance",
                Table(
                    f"Attendance at the meeting on {held}",
                    [Column("Name"), Column("Attended"), Column("Role")],
                    attendance_rows,
                ),
                empty="No attendance was recorded.",
            ),
            Section(
                "minutes-items",
                "Minutes",
                Table(
                    f"Minutes of the meeting on {held}, item by item",
                    [Column("No."), Column("Item"), Column("Minutes", wide=True)],
                    minutes_rows,
                ),
                empty="No minutes were recorded.",
            ),
            Section(
                "actions-raised",
                f"Actions raised on {held} ({len(raised)})",
                actions_table(raised, f"Actions raised at the meeting on {held}", raised_at=False),
                empty="No actions were raised.",
            ),
        ],
        wide=False,
    )


def _reports_part(reports, not_reported) -> Part:
    sections = []
    for report in reports:
        rows = [
            [[[Text(label)]], [[Text(getattr(report, name) or "Nothing written.")]]]
            for name, label in HEADINGS
        ]
        author = report.author.name if report.author else report.author_as_written
        sections.append(
            Section(
                f"report-{report.board_id}",
                report.title or f"{report.board.name} update",
                Table(
                    f"{report.board.name} update report",
                    [Column("Heading"), Column("Report", wide=True)],
                    rows,
                    row_headers=True,
                ),
                intro=" ".join(
                    words
                    for words in (
                        f"From {author}." if author else "",
                        "OFFICIAL-SENSITIVE." if report.marking != Marking.OFFICIAL else "",
                    )
                    if words
                ),
            )
        )
    waiting = Table(
        "Subgroups that have not reported",
        [Column("Subgroup"), Column("Report")],
        [
            [
                [[Text(board.name)]],
                [[Text("No report yet")]],
            ]
            for board in not_reported
        ],
    )
    sections.append(
        Section(
            "not-reported",
            f"Not yet reported ({len(not_reported)})",
            waiting,
            empty="Every subgroup has reported.",
        )
    )
    return Part(
        "reports",
        "Subgroup update reports",
        sections,
        intro="" if reports else "No subgroup has reported yet.",
        wide=False,
    )
