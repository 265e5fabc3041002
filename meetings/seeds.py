"""Reading a meetings fixture (fixtures/<partnership>/meetings.yaml) into the database.

The shape is documented in fixtures/README.md. Like the partnership and plan files it is
read strictly (an unknown key, a name no one has, a board or plan not in the partnership is
an error naming the file and the record) and idempotently (a meeting is found by its board
and date, an item and a minuted action by their place in the meeting, attendance by the
name as written, a subgroup's report by the subgroup and meeting).
"""

from actions.models import Marking, Plan
from boards.models import Board, Partnership
from boards.seeds import person_named
from cspplan.records import Record, RecordError
from meetings import services
from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingAction,
    MeetingStatus,
)


def _board(partnership: Partnership, slug: str) -> Board:
    board = Board.objects.filter(partnership=partnership, slug=slug).first()
    if board is None:
        raise ValueError(f"{partnership} has no board with the slug '{slug}'")
    return board


def _plan(partnership: Partnership, slug: str) -> Plan | None:
    if not slug:
        return None
    plan = Plan.objects.filter(partnership=partnership, slug=slug).first()
    if plan is None:
        raise ValueError(f"{partnership} has no plan with the slug '{slug}'")
    return plan


def _person(name: str):
    return person_named(name) if name else None


def _marking(record: Record, default=Marking.OFFICIAL) -> str:
    return record.choice("marking", Marking, default=default)


def _load_action(record: Record, item: AgendaItem, order: int) -> int:
    # An action raised under a marked item is marked with it.
    marking = _marking(record, default=item.marking)
    if item.marking != Marking.OFFICIAL and marking == Marking.OFFICIAL:
        raise RecordError(f"{record.where}: an action under a marked item is marked with it")
    with record.located():
        _, changed = services.meeting_action_upsert(
            meeting=item.meeting,
            order=order,
            agenda_item=item,
            owners_as_written=record.text("owners"),
            owners=[person_named(name) for name in record.texts("owner_people")],
            text=record.text("text", required=True),
            due_date=record.date("due_date"),
            status=record.choice("status", MeetingAction.Status),
            # The minutes of the meeting it is written under state its status.
            status_meeting=item.meeting,
            marking=marking,
        )
    record.finish()
    return changed


def _load_item(record: Record, meeting: Meeting, order: int, action_order: list[int]) -> int:
    partnership = meeting.board.partnership
    with record.located():
        item, changed = services.agenda_item_upsert(
            meeting=meeting,
            order=order,
            number=record.text("number"),
            title=record.text("title", required=True),
            description=record.text("description"),
            presenter_as_written=record.text("presenter"),
            presenters=[person_named(name) for name in record.texts("presenter_people")],
            minutes_allowed=record.integer("minutes_allowed"),
            pages=record.text("pages"),
            marking=_marking(record),
            report=record.text("report"),
            plan=_plan(partnership, record.text("plan")),
            minutes=record.text("minutes"),
            takes_matters_arising=record.flag("takes_matters_arising"),
        )
    for action in record.records("actions"):
        changed += _load_action(action, item, action_order[0])
        action_order[0] += 1
    record.finish()
    return changed


def _load_attendance(record: Record, meeting: Meeting) -> int:
    with record.located():
        _, changed = services.attendance_upsert(
            meeting=meeting,
            name_as_written=record.text("name", required=True),
            person=_person(record.text("person")),
            kind=record.choice("kind", Attendance.Kind),
            role=record.choice("role", Attendance.Role, optional=True),
        )
    record.finish()
    return changed


def _load_report(record: Record, meeting: Meeting) -> int:
    with record.located():
        subgroup = _board(meeting.board.partnership, record.text("board", required=True))
        if subgroup.parent_id != meeting.board.pk:
            raise ValueError(f"{subgroup} is not a subgroup of {meeting.board}")
        _, changed = services.subgroup_report_upsert(
            board=subgroup,
            meeting=meeting,
            title=record.text("title"),
            author_as_written=record.text("author"),
            author=_person(record.text("author_person")),
            brief_update=record.text("brief_update"),
            key_challenges=record.text("key_challenges"),
            emerging_trends=record.text("emerging_trends"),
            support_required=record.text("support_required"),
            marking=_marking(record),
        )
    record.finish()
    return changed


def _load_meeting(record: Record, partnership: Partnership) -> int:
    with record.located():
        meeting, changed = services.meeting_upsert(
            board=_board(partnership, record.text("board", required=True)),
            date=record.date("date", required=True),
            status=record.choice("status", MeetingStatus),
            time_as_written=record.text("time"),
            start_time=record.time("start_time"),
            end_time=record.time("end_time"),
            venue=record.text("venue"),
            online=record.flag("online"),
            chair=_person(record.text("chair")),
        )
    action_order = [0]  # a meeting's minuted actions are numbered across its items
    for index, item in enumerate(record.records("items")):
        changed += _load_item(item, meeting, index, action_order)
    for attendance in record.records("attendance"):
        changed += _load_attendance(attendance, meeting)
    for report in record.records("subgroup_reports"):
        changed += _load_report(report, meeting)
    record.finish()
    return changed


def load_meetings_file(document: Record) -> int:
    """Load one meetings file; returns how many records were created or changed."""
    slug = document.text("partnership", required=True)
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        raise RecordError(f"{document.where}: no partnership has the slug '{slug}'")
    changed = 0
    for meeting in document.records("meetings", required=True):
        changed += _load_meeting(meeting, partnership)
    document.finish()
    return changed
