"""Writes to a board's meetings: the forward plan, agendas and standing items, attendance,
minutes and the meeting action log. Each change is saved with one history row in the name
of the user making it (cspplan.saving), and a change refused writes nothing: the checks
raise ValidationError, in words for the page to show, before anything is saved, and the
transaction undoes anything saved before a later check fails.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from actions.models import Marking
from actions.selectors import highest
from boards.models import Board, Person
from cspplan import clock, history
from cspplan.display import show_date
from cspplan.saving import record_create, record_edit, save_if_changed
from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingAction,
    MeetingStatus,
    StandingItem,
)

# The order a meeting's status moves in: a step back is refused (a held meeting cannot be
# planned again; minutes approved stay approved).
STATUS_ORDER = [
    MeetingStatus.PLANNED,
    MeetingStatus.AGENDA_PUBLISHED,
    MeetingStatus.HELD,
    MeetingStatus.MINUTES_APPROVED,
]
MEETING_FIELDS = (
    "date",
    "time_as_written",
    "start_time",
    "end_time",
    "venue",
    "online",
    "chair",
    "status",
)
ITEM_FIELDS = (
    "number",
    "title",
    "description",
    "presenter_as_written",
    "presenters",
    "minutes_allowed",
    "pages",
    "marking",
    "report",
    "plan",
)
STANDING_FIELDS = ("title", "presenter_as_written", "minutes_allowed", "marking")


# ---- meetings and the forward plan ---------------------------------------------------------


@transaction.atomic
def meeting_create(
    *, board: Board, user, date: datetime.date, planned: Meeting | None = None, **details
) -> Meeting:
    """The board's next meeting on `date`: made from its forward-plan entry (`planned`, a
    meeting of the board still planned, whose items it keeps) or new. Either way the
    board's standing items are added to its agenda, each once.

    `details` are the meeting's other fields (MEETING_FIELDS but date and status)."""
    unknown = set(details) - set(MEETING_FIELDS) - {"date"}
    if unknown or "status" in details:
        raise TypeError(f"meeting_create cannot set {', '.join(sorted(unknown | {'status'}))}")
    _check_people(board, [details.get("chair")], "The chair")
    if planned is not None:
        if planned.board_id != board.pk:
            raise ValidationError("That forward-plan entry is another board's.")
        if planned.status != MeetingStatus.PLANNED:
            raise ValidationError("That meeting is no longer a forward-plan entry.")
    _check_date_free(board, date, but=planned)
    if planned is None:
        meeting = record_create(Meeting, user=user, board=board, date=date, **details)
    else:
        meeting = record_edit(planned, user=user, date=date, **details)
    standing_items_apply(meeting=meeting, user=user)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, user, **changes) -> Meeting:
    """Change the meeting's date, time, venue, chair or status. The status only moves on
    (planned, agenda published, held, minutes approved), and a meeting is held only once
    its day has come."""
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update cannot change {', '.join(sorted(unknown))}")
    stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
    date = changes.get("date", stored.date)
    status = changes.get("status", stored.status)
    if status not in STATUS_ORDER:
        raise ValidationError(f"{status!r} is not a meeting status.")
    if STATUS_ORDER.index(status) < STATUS_ORDER.index(stored.status):
        raise ValidationError(
            f"A meeting whose status is {MeetingStatus(stored.status).label.lower()} cannot go "
            f"back to {MeetingStatus(status).label.lower()}."
        )
    if status in (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED) and (date > clock.today()):
        raise ValidationError(f"A meeting on {show_date(date)} cannot have been held yet.")
    if "chair" in changes:
        _check_people(stored.board, [changes["chair"]], "The chair")
    if date != stored.date:
        _check_date_free(stored.board, date, but=stored)
    return record_edit(stored, user=user, **changes)


def _check_date_free(board: Board, date: datetime.date, *, but: Meeting | None) -> None:
    clash = Meeting.objects.filter(board=board, date=date)
    if but is not None:
        clash = clash.exclude(pk=but.pk)
    if clash.exists():
        raise ValidationError(f"{board.name} already has a meeting on {show_date(date)}.")


def _check_people(board: Board, people, what: str) -> None:
    """People linked to a meeting's records are people of the board's partnership."""
    people = [person for person in people if person is not None]
    if not people:
        return
    known = set(
        Person.objects.filter(
            pk__in=[person.pk for person in people], partnerships=board.partnership_id
        ).values_list("pk", flat=True)
    )
    strangers = [person.name for person in people if person.pk not in known]
    if strangers:
        raise ValidationError(
            f"{what}: {', '.join(strangers)} "
            f"{'is' if len(strangers) == 1 else 'are'} not of {board.partnership.name}."
        )


# ---- standing items ------------------------------------------------------------------------


@transaction.atomic
def standing_items_apply(*, meeting: Meeting, user) -> list[AgendaItem]:
    """Add to the meeting's agenda each of its board's standing items it does not carry
    yet, after its other items. Returns the items added."""
    carried = set(
        meeting.items.exclude(standing_item=None).values_list("standing_item_id", flat=True)
    )
    added = []
    order = _next_order(meeting)
    for standing in meeting.board.standing_items.order_by("order", "pk"):
        if standing.pk in carried:
            continue
        added.append(
            record_create(
                AgendaItem,
                user=user,
                meeting=meeting,
                standing_item=standing,
                order=order,
                **{name: getattr(standing, name) for name in STANDING_FIELDS},
            )
        )
        order += 1
    return added


@transaction.atomic
def standing_item_add(*, board: Board, user, title: str, **values) -> StandingItem:
    unknown = set(values) - set(STANDING_FIELDS)
    if unknown:
        raise TypeError(f"standing_item_add cannot set {', '.join(sorted(unknown))}")
    last = board.standing_items.aggregate(last=Max("order"))["last"]
    order = 0 if last is None else last + 1
    return record_create(
        StandingItem, user=user, board=board, title=title.strip(), order=order, **values
    )


@transaction.atomic
def standing_item_update(*, item: StandingItem, user, **changes) -> StandingItem:
    """Change a standing item for the meetings to come: the agendas it is already on keep
    what they were given."""
    unknown = set(changes) - set(STANDING_FIELDS)
    if unknown:
        raise TypeError(f"standing_item_update cannot change {', '.join(sorted(unknown))}")
    return record_edit(item, user=user, **changes)


@transaction.atomic
def standing_item_remove(*, item: StandingItem, user) -> None:
    """The board stops carrying the item; agendas that carried it keep their item."""
    history.delete(item, user=user)


# ---- agenda items --------------------------------------------------------------------------


def _next_order(meeting: Meeting) -> int:
    last = meeting.items.aggregate(last=Max("order"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def agenda_item_add(*, meeting: Meeting, user, title: str, **values) -> AgendaItem:
    """An item at the end of the meeting's agenda."""
    unknown = set(values) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"agenda_item_add cannot set {', '.join(sorted(unknown))}")
    _check_people(meeting.board, values.get("presenters", ()), "Presenters")
    return record_create(
        AgendaItem,
        user=user,
        meeting=meeting,
        title=title.strip(),
        order=_next_order(meeting),
        **values,
    )


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, user, **changes) -> AgendaItem:
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"agenda_item_update cannot change {', '.join(sorted(unknown))}")
    _check_people(item.meeting.board, changes.get("presenters", ()), "Presenters")
    saved = record_edit(item, user=user, **changes)
    if saved.marking == Marking.OFFICIAL_SENSITIVE:
        # What was raised under an item now marked is marked with it.
        for action in saved.actions.exclude(marking=Marking.OFFICIAL_SENSITIVE):
            record_edit(action, user=user, marking=Marking.OFFICIAL_SENSITIVE)
    return saved


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, user) -> None:
    """Take the item off the agenda. Actions raised under it stay in the log, still marked
    as it was."""
    history.delete(item, user=user)


@transaction.atomic
def agenda_item_reorder(*, meeting: Meeting, user, items: list[AgendaItem]) -> None:
    """Put `items` (some of the meeting's items, each once) in the order given, in the
    places they held among the meeting's items: the items not given (those the user may not
    see, say) keep their places."""
    every = list(meeting.items.select_for_update().order_by("order", "pk"))
    by_pk = {item.pk: item for item in every}
    wanted = [item.pk for item in items]
    if len(set(wanted)) != len(wanted) or not set(wanted) <= set(by_pk):
        raise ValidationError("Reorder the items of this meeting's agenda, each once.")
    places = [index for index, item in enumerate(every) if item.pk in set(wanted)]
    arranged = list(every)
    for place, pk in zip(places, wanted, strict=True):
        arranged[place] = by_pk[pk]
    for order, item in enumerate(arranged):
        save_if_changed(item, {"order": order}, user=user)


# ---- attendance and minutes ----------------------------------------------------------------


@transaction.atomic
def attendance_record(*, meeting: Meeting, user, entries: list[dict]) -> list[Attendance]:
    """The meeting's attendance as `entries` says, in full: each a dict of name_as_written
    (as the minutes give it), person (a person of the partnership, or None), kind (present,
    apologies, additional) and role (chair, note taker or none). Rows no longer listed are
    removed; a name listed twice is refused."""
    seen = {}
    for entry in entries:
        name = " ".join(entry["name_as_written"].split())
        if not name:
            raise ValidationError("Each attendee needs a name.")
        if name.casefold() in seen:
            first = seen[name.casefold()]["name_as_written"]
            raise ValidationError(f"{first} is listed more than once.")
        seen[name.casefold()] = {**entry, "name_as_written": name}
    _check_people(meeting.board, [entry.get("person") for entry in entries], "Attendance")
    rows = {row.name_as_written.casefold(): row for row in meeting.attendance.all()}
    for key, row in rows.items():
        if key not in seen:
            history.delete(row, user=user)
    saved = []
    for key, entry in seen.items():
        row = rows.get(key) or Attendance(meeting=meeting)
        values = {
            "name_as_written": entry["name_as_written"],
            "person": entry.get("person"),
            "kind": entry["kind"],
            "role": entry.get("role") or "",
        }
        save_if_changed(row, values, user=user)
        saved.append(row)
    return saved


@transaction.atomic
def minutes_record(*, item: AgendaItem, user, minutes: str) -> AgendaItem:
    """The minutes of one agenda item, as the note taker wrote them."""
    return record_edit(item, user=user, minutes=minutes.strip())


# ---- the meeting action log ----------------------------------------------------------------


@transaction.atomic
def meeting_action_add(
    *,
    meeting: Meeting,
    user,
    text: str,
    owners_as_written: str = "",
    owners=(),
    due_date: datetime.date | None = None,
    agenda_item: AgendaItem | None = None,
    plan_action=None,
    marking: str = Marking.OFFICIAL,
) -> MeetingAction:
    """An "ACTION: owner to do X" line of the meeting's minutes. An action raised under a
    marked item takes its marking."""
    if agenda_item is not None:
        if agenda_item.meeting_id != meeting.pk:
            raise ValidationError("That agenda item is not on this meeting's agenda.")
        marking = highest([marking, agenda_item.marking])
    _check_people(meeting.board, owners, "Owners")
    last = meeting.actions_raised.aggregate(last=Max("order"))["last"]
    return record_create(
        MeetingAction,
        user=user,
        meeting=meeting,
        agenda_item=agenda_item,
        text=text.strip(),
        owners_as_written=owners_as_written.strip(),
        owners=list(owners),
        due_date=due_date,
        plan_action=plan_action,
        marking=marking,
        order=0 if last is None else last + 1,
        status_meeting=meeting,
    )


@transaction.atomic
def meeting_action_set_status(
    *, action: MeetingAction, user, status: str, at: Meeting
) -> MeetingAction:
    """Set the action's status at the meeting `at` (a meeting of its board, on or after the
    one it was raised at): open, carried forward, completed or closed. Its history keeps
    every change, each with the meeting at which it was made."""
    if status not in MeetingAction.Status.values:
        raise ValidationError(f"{status!r} is not a status of an action.")
    stored = MeetingAction.objects.select_related("meeting").select_for_update().get(pk=action.pk)
    if at.board_id != stored.meeting.board_id:
        raise ValidationError("An action's status is set at a meeting of its own board.")
    if at.date < stored.meeting.date:
        raise ValidationError(
            f"This action was raised on {show_date(stored.meeting.date)}: its status cannot be "
            f"set at the meeting of {show_date(at.date)}, before it."
        )
    return record_edit(stored, user=user, status=status, status_meeting=at)
