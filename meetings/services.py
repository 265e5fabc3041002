"""Writes to a board's meetings: the forward plan, agendas and standing items, attendance,
minutes, the meeting action log and subgroups' reports. The one module of them: the pages,
the admin (meetings.admin) and the fixture loader (meetings.seeds, the `*_upsert`
functions) all write here, so each rule is kept in one place. Each change is saved with one
history row in the name of the user making it (cspplan.saving), and a change refused writes
nothing: the checks raise ValidationError, in words for the page to show, before anything
is saved, and the transaction undoes anything saved before a later check fails.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from actions.models import Marking
from actions.permissions import person_of
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
    SubgroupReport,
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
    "takes_matters_arising",
)
STANDING_FIELDS = (
    "title",
    "presenter_as_written",
    "minutes_allowed",
    "marking",
    "takes_matters_arising",
)
# What the admin may also set on an item, beyond what the pages set: where it came from,
# its minutes and its place.
ITEM_ADMIN_FIELDS = ("standing_item", "subgroup_report", "minutes", "order")
ACTION_FIELDS = (
    "agenda_item",
    "owners_as_written",
    "owners",
    "text",
    "due_date",
    "status",
    "status_meeting",
    "plan_action",
    "marking",
    "order",
)
ATTENDANCE_FIELDS = ("name_as_written", "person", "kind", "role")
REPORT_FIELDS = (
    "title",
    "author",
    "author_as_written",
    "brief_update",
    "key_challenges",
    "emerging_trends",
    "support_required",
    "marking",
)


def _unknown(what: str, given, allowed) -> None:
    unknown = set(given) - set(allowed)
    if unknown:
        raise TypeError(f"{what} cannot set {', '.join(sorted(unknown))}")


def _stays(record, changes: dict, name: str) -> None:
    """A record stays with the board or meeting it was made for (`name`): the admin posts
    it back with every other field, and moving it is refused rather than done without the
    checks its new place would need. Takes `name` out of `changes`."""
    if name not in changes:
        return
    value = changes.pop(name)
    if getattr(value, "pk", value) != getattr(record, f"{name}_id"):
        raise ValidationError(
            f"A {record._meta.verbose_name} cannot be moved to another {name}: "
            f"add it there instead."
        )


# ---- meetings and the forward plan ---------------------------------------------------------


@transaction.atomic
def meeting_create(
    *, board: Board, user, date: datetime.date, planned: Meeting | None = None, **details
) -> Meeting:
    """The board's next meeting on `date`: made from its forward-plan entry (`planned`, a
    meeting of the board still planned, whose items it keeps) or new. Either way the
    board's standing items are added to its agenda, each once.

    `details` are the meeting's other fields (MEETING_FIELDS but date); its status, if
    given, moves on from planned as meeting_update would move it."""
    _unknown("meeting_create", details, set(MEETING_FIELDS) - {"date"})
    _check_people(board, [details.get("chair")], "The chair")
    if planned is not None:
        if planned.board_id != board.pk:
            raise ValidationError("That forward-plan entry is another board's.")
        if planned.status != MeetingStatus.PLANNED:
            raise ValidationError("That meeting is no longer a forward-plan entry.")
    _check_date_free(board, date, but=planned)
    _check_status(date, details.get("status", MeetingStatus.PLANNED), was=MeetingStatus.PLANNED)
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
    stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _stays(stored, changes, "board")
    _unknown("meeting_update", changes, MEETING_FIELDS)
    date = changes.get("date", stored.date)
    _check_status(date, changes.get("status", stored.status), was=stored.status)
    if "chair" in changes:
        _check_people(stored.board, [changes["chair"]], "The chair")
    if date != stored.date:
        _check_date_free(stored.board, date, but=stored)
    return record_edit(stored, user=user, **changes)


@transaction.atomic
def meeting_delete(*, meeting: Meeting, user) -> None:
    """Delete the meeting with its items, attendance, minuted actions and reports, each with
    a history row of its own (cspplan.history.delete)."""
    history.delete(meeting, user=user)


def _check_status(date: datetime.date, status: str, *, was: str) -> None:
    if status not in STATUS_ORDER:
        raise ValidationError(f"{status!r} is not a meeting status.")
    if STATUS_ORDER.index(status) < STATUS_ORDER.index(was):
        raise ValidationError(
            f"A meeting whose status is {MeetingStatus(was).label.lower()} cannot go "
            f"back to {MeetingStatus(status).label.lower()}."
        )
    if status in (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED) and (date > clock.today()):
        raise ValidationError(f"A meeting on {show_date(date)} cannot have been held yet.")


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


# ---- matters arising -----------------------------------------------------------------------


def _matters_arising_moves(others, user, *, wanted: bool) -> None:
    """One item of a meeting (one standing item of a board) takes the matters arising: an
    item given them takes them from the one that had them (`others`, the meeting's or
    board's other items), which keeps a history row saying so. Done before the item is
    saved, so that the database's constraint (at most one) holds at every step."""
    if not wanted:
        return
    for other in others.select_for_update().filter(takes_matters_arising=True):
        record_edit(other, user=user, takes_matters_arising=False)


# ---- standing items ------------------------------------------------------------------------


@transaction.atomic
def standing_items_apply(*, meeting: Meeting, user) -> list[AgendaItem]:
    """Add to the meeting's agenda each of its board's standing items it does not carry
    yet, after its other items. Returns the items added. The standing item that takes
    matters arising gives them to its agenda item unless the agenda already has an item
    taking them (a forward-plan entry's "Minutes and Actions from previous meeting")."""
    carried = set(
        meeting.items.exclude(standing_item=None).values_list("standing_item_id", flat=True)
    )
    taken = meeting.items.filter(takes_matters_arising=True).exists()
    added = []
    order = _next_order(meeting)
    for standing in meeting.board.standing_items.order_by("order", "pk"):
        if standing.pk in carried:
            continue
        values = {name: getattr(standing, name) for name in STANDING_FIELDS}
        values["takes_matters_arising"] = standing.takes_matters_arising and not taken
        taken |= values["takes_matters_arising"]
        added.append(
            record_create(
                AgendaItem,
                user=user,
                meeting=meeting,
                standing_item=standing,
                order=order,
                **values,
            )
        )
        order += 1
    return added


@transaction.atomic
def standing_item_add(
    *, board: Board, user, title: str, order: int | None = None, **values
) -> StandingItem:
    """A standing item after the board's others, or at `order`."""
    _unknown("standing_item_add", values, STANDING_FIELDS)
    _matters_arising_moves(
        board.standing_items.all(), user, wanted=values.get("takes_matters_arising", False)
    )
    if order is None:
        last = board.standing_items.aggregate(last=Max("order"))["last"]
        order = 0 if last is None else last + 1
    return record_create(
        StandingItem, user=user, board=board, title=title.strip(), order=order, **values
    )


@transaction.atomic
def standing_item_update(*, item: StandingItem, user, **changes) -> StandingItem:
    """Change a standing item for the meetings to come: the agendas it is already on keep
    what they were given."""
    _stays(item, changes, "board")
    _unknown("standing_item_update", changes, (*STANDING_FIELDS, "order"))
    _matters_arising_moves(
        StandingItem.objects.filter(board_id=item.board_id).exclude(pk=item.pk),
        user,
        wanted=changes.get("takes_matters_arising", False),
    )
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
def agenda_item_add(
    *, meeting: Meeting, user, title: str, order: int | None = None, **values
) -> AgendaItem:
    """An item at the end of the meeting's agenda, or at `order`."""
    _unknown("agenda_item_add", values, (*ITEM_FIELDS, *ITEM_ADMIN_FIELDS))
    _check_item(meeting, values)
    _matters_arising_moves(
        meeting.items.all(), user, wanted=values.get("takes_matters_arising", False)
    )
    return record_create(
        AgendaItem,
        user=user,
        meeting=meeting,
        title=title.strip(),
        order=_next_order(meeting) if order is None else order,
        **values,
    )


def _check_item(meeting: Meeting, values: dict) -> None:
    """What an item links to is of its meeting: presenters of the board's partnership, the
    standing item of its board, a report to this meeting."""
    _check_people(meeting.board, values.get("presenters", ()), "Presenters")
    standing = values.get("standing_item")
    if standing is not None and standing.board_id != meeting.board_id:
        raise ValidationError(f"That standing item is not one of {meeting.board.name}'s.")
    report = values.get("subgroup_report")
    if report is not None and report.meeting_id != meeting.pk:
        raise ValidationError("That subgroup report is not one made to this meeting.")


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, user, **changes) -> AgendaItem:
    _stays(item, changes, "meeting")
    _unknown("agenda_item_update", changes, (*ITEM_FIELDS, *ITEM_ADMIN_FIELDS))
    _check_item(item.meeting, changes)
    _matters_arising_moves(
        AgendaItem.objects.filter(meeting_id=item.meeting_id).exclude(pk=item.pk),
        user,
        wanted=changes.get("takes_matters_arising", False),
    )
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
def attendance_add(*, meeting: Meeting, user, name_as_written: str, **values) -> Attendance:
    """One more row of the meeting's attendance (the admin; the pages record it whole)."""
    _unknown("attendance_add", values, ATTENDANCE_FIELDS)
    values = {"role": "", **values, "name_as_written": name_as_written}
    _check_attendee(meeting, values, but=None)
    return record_create(Attendance, user=user, meeting=meeting, **values)


@transaction.atomic
def attendance_update(*, attendance: Attendance, user, **changes) -> Attendance:
    _stays(attendance, changes, "meeting")
    _unknown("attendance_update", changes, ATTENDANCE_FIELDS)
    _check_attendee(attendance.meeting, changes, but=attendance)
    return record_edit(attendance, user=user, **changes)


@transaction.atomic
def attendance_link(*, meeting: Meeting, user, links: list[tuple[Attendance, object]]) -> None:
    """Link names of the meeting's attendance to the partnership's people (or unlink them:
    None), all or none, a history row for each."""
    for attendance, person in links:
        if attendance.meeting_id != meeting.pk:
            raise ValidationError("That name is not in this meeting's attendance.")
        attendance_update(attendance=attendance, user=user, person=person)


@transaction.atomic
def attendance_remove(*, attendance: Attendance, user) -> None:
    history.delete(attendance, user=user)


def _check_attendee(meeting: Meeting, values: dict, *, but: Attendance | None) -> None:
    """As attendance_record checks a whole list: a name listed once, a person of the
    partnership."""
    if "name_as_written" in values:
        name = values["name_as_written"] = " ".join(values["name_as_written"].split())
        if not name:
            raise ValidationError("Each attendee needs a name.")
        others = meeting.attendance.exclude(pk=but.pk) if but is not None else meeting.attendance
        if any(
            row.casefold() == name.casefold()
            for row in others.values_list("name_as_written", flat=True)
        ):
            raise ValidationError(f"{name} is listed more than once.")
    _check_people(meeting.board, [values.get("person")], "Attendance")


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
    status: str = MeetingAction.Status.OPEN,
    status_meeting: Meeting | None = None,
    order: int | None = None,
) -> MeetingAction:
    """An "ACTION: owner to do X" line of the meeting's minutes. An action raised under a
    marked item takes its marking. Its status is set at `status_meeting` (this meeting
    unless given: the admin may enter an old action whose status was set later)."""
    marking = _item_marking(meeting, agenda_item, marking)
    _check_people(meeting.board, owners, "Owners")
    at = status_meeting or meeting
    _check_status_at(meeting, status, at)
    if order is None:
        last = meeting.actions_raised.aggregate(last=Max("order"))["last"]
        order = 0 if last is None else last + 1
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
        order=order,
        status=status,
        status_meeting=at,
    )


@transaction.atomic
def meeting_action_update(*, action: MeetingAction, user, **changes) -> MeetingAction:
    """Change a minuted action (the admin), as the pages would: under a marked item it keeps
    the item's marking, its owners are of the partnership, and a change of status is made
    at a meeting of its board (`status_meeting`, else the one that last set it, else the
    one it was raised at), which it records."""
    stored = (
        MeetingAction.objects.select_related("meeting__board").select_for_update().get(pk=action.pk)
    )
    _stays(stored, changes, "meeting")
    _unknown("meeting_action_update", changes, ACTION_FIELDS)
    meeting = stored.meeting
    item = changes.get("agenda_item", stored.agenda_item)
    changes["marking"] = _item_marking(meeting, item, changes.get("marking", stored.marking))
    _check_people(meeting.board, changes.get("owners", ()), "Owners")
    status = changes.get("status", stored.status)
    given = changes.pop("status_meeting", None)
    at = given or stored.status_meeting or meeting
    if status != stored.status or (given is not None and given.pk != stored.status_meeting_id):
        _check_status_at(meeting, status, at)
        changes["status_meeting"] = at
    if "text" in changes:
        changes["text"] = changes["text"].strip()
    return record_edit(stored, user=user, **changes)


@transaction.atomic
def meeting_action_remove(*, action: MeetingAction, user) -> None:
    history.delete(action, user=user)


def _item_marking(meeting: Meeting, item: AgendaItem | None, marking: str) -> str:
    """The marking of an action raised under `item`: at least the item's."""
    if item is None:
        return marking
    if item.meeting_id != meeting.pk:
        raise ValidationError("That agenda item is not on this meeting's agenda.")
    return highest([marking, item.marking])


def _check_status_at(raised: Meeting, status: str, at: Meeting) -> None:
    """A status is one of an action's, set at a meeting of its board on or after the one
    it was raised at."""
    if status not in MeetingAction.Status.values:
        raise ValidationError(f"{status!r} is not a status of an action.")
    if at.board_id != raised.board_id:
        raise ValidationError("An action's status is set at a meeting of its own board.")
    if at.date < raised.date:
        raise ValidationError(
            f"This action was raised on {show_date(raised.date)}: its status cannot be "
            f"set at the meeting of {show_date(at.date)}, before it."
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
    _check_status_at(stored.meeting, status, at)
    return record_edit(stored, user=user, status=status, status_meeting=at)


# ---- subgroups' reports --------------------------------------------------------------------

# Under the pack's four headings (meetings.reports.HEADINGS), of which a report fills one
# at least.
REPORT_HEADINGS = ("brief_update", "key_challenges", "emerging_trends", "support_required")
SAVED_REASON = "Written in the browser"


@transaction.atomic
def subgroup_report_save(
    *,
    meeting: Meeting,
    subgroup: Board,
    user,
    brief_update: str,
    key_challenges: str,
    emerging_trends: str,
    support_required: str,
    marking: str,
    title: str = "",
    author: Person | None = None,
    reason: str = SAVED_REASON,
) -> SubgroupReport:
    """Write the subgroup's update report for the meeting, or change the one it has, in
    `user`'s name (one history row saying who). The author is `author`, else the user's
    person. Refused (ValidationError, nothing written) for a board that is not a subgroup of
    the meeting's board, or a report with nothing under any heading."""
    if subgroup.parent_id != meeting.board_id:
        raise ValidationError(f"{subgroup} does not report to {meeting.board}.")
    values = {
        "brief_update": brief_update.strip(),
        "key_challenges": key_challenges.strip(),
        "emerging_trends": emerging_trends.strip(),
        "support_required": support_required.strip(),
        "marking": marking,
    }
    if not any(values[name] for name in REPORT_HEADINGS):
        raise ValidationError("Write the report under at least one of its headings.")
    if author is None and user is not None:
        author = person_of(user)
    existing = SubgroupReport.objects.select_for_update().filter(meeting=meeting, board=subgroup)
    report = existing.first()
    if report is None:
        return record_create(
            SubgroupReport,
            user=user,
            reason=reason,
            board=subgroup,
            meeting=meeting,
            title=title,
            author=author,
            **values,
        )
    if title:
        values["title"] = title
    return record_edit(report, user=user, reason=reason, author=author, **values)


# The admin writes a report whole, by its fields.


@transaction.atomic
def subgroup_report_add(*, board: Board, meeting: Meeting, user, **values) -> SubgroupReport:
    _unknown("subgroup_report_add", values, REPORT_FIELDS)
    _check_report(board, meeting, values)
    return record_create(SubgroupReport, user=user, board=board, meeting=meeting, **values)


@transaction.atomic
def subgroup_report_update(*, report: SubgroupReport, user, **changes) -> SubgroupReport:
    _stays(report, changes, "board")
    _stays(report, changes, "meeting")
    _unknown("subgroup_report_update", changes, REPORT_FIELDS)
    _check_report(report.board, report.meeting, changes)
    return record_edit(report, user=user, **changes)


@transaction.atomic
def subgroup_report_remove(*, report: SubgroupReport, user) -> None:
    history.delete(report, user=user)


def _check_report(board: Board, meeting: Meeting, values: dict) -> None:
    if board.parent_id != meeting.board_id:
        raise ValidationError(f"{board} does not report to {meeting.board}.")
    _check_people(meeting.board, [values.get("author")], "The author")


# ---- the fixture loader's upserts ------------------------------------------------------------
# Each finds its record by what names it in a fixture (a meeting by its board and date, an
# item or minuted action by its place in the meeting, attendance by the name as written, a
# subgroup's report by the subgroup and meeting), sets the rest, and writes only if
# something differs: loading the same fixture twice changes nothing. The fixtures are the
# seed documents as they stand (a held meeting, an action closed at a later meeting), so
# these set what the documents say rather than walk the pages' steps; history is in the
# name of whoever loads them (cspplan.history.history_user: the system user for a command).


@transaction.atomic
def meeting_upsert(*, board: Board, date, **values) -> tuple[Meeting, bool]:
    meeting = Meeting.objects.filter(board=board, date=date).first() or Meeting(
        board=board, date=date
    )
    return meeting, save_if_changed(meeting, values)


@transaction.atomic
def agenda_item_upsert(
    *, meeting: Meeting, order: int, presenters=(), **values
) -> tuple[AgendaItem, bool]:
    item = AgendaItem.objects.filter(meeting=meeting, order=order).first() or AgendaItem(
        meeting=meeting, order=order
    )
    others = AgendaItem.objects.filter(meeting=meeting)
    if item.pk is not None:
        others = others.exclude(pk=item.pk)
    _matters_arising_moves(others, None, wanted=values.get("takes_matters_arising", False))
    return item, save_if_changed(item, values, {"presenters": presenters})


@transaction.atomic
def attendance_upsert(
    *, meeting: Meeting, name_as_written: str, **values
) -> tuple[Attendance, bool]:
    row = Attendance.objects.filter(
        meeting=meeting, name_as_written=name_as_written
    ).first() or Attendance(meeting=meeting, name_as_written=name_as_written)
    return row, save_if_changed(row, values)


@transaction.atomic
def meeting_action_upsert(
    *, meeting: Meeting, order: int, owners=(), **values
) -> tuple[MeetingAction, bool]:
    action = MeetingAction.objects.filter(meeting=meeting, order=order).first() or MeetingAction(
        meeting=meeting, order=order
    )
    return action, save_if_changed(action, values, {"owners": owners})


@transaction.atomic
def subgroup_report_upsert(
    *, board: Board, meeting: Meeting, **values
) -> tuple[SubgroupReport, bool]:
    report = SubgroupReport.objects.filter(board=board, meeting=meeting).first() or SubgroupReport(
        board=board, meeting=meeting
    )
    return report, save_if_changed(report, values)
