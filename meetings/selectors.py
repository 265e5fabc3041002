"""Reads the meetings pages, the pack and the reminders share. Each takes querysets already
limited to what the user may see (meetings.permissions), so a rule is written once and the
marking rule is applied by the caller's queryset."""

import datetime

from django.db.models import QuerySet

from boards.models import Board
from meetings.models import HELD_STATUSES, OUTSTANDING, AgendaItem, Meeting, MeetingAction


def previous_held_meeting(meeting: Meeting) -> Meeting | None:
    """The board's newest meeting held before `meeting`: where "since the last meeting"
    counts from, and whose minutes the next pack carries."""
    return (
        Meeting.objects.filter(board=meeting.board, date__lt=meeting.date, status__in=HELD_STATUSES)
        .order_by("-date")
        .first()
    )


def last_held_meeting(board: Board, before) -> Meeting | None:
    """The board's newest meeting held before the date `before` (today, for a board's
    "since the last meeting" with no meeting chosen)."""
    return (
        Meeting.objects.filter(board=board, date__lt=before, status__in=HELD_STATUSES)
        .order_by("-date")
        .first()
    )


def matters_arising(meeting: Meeting, actions: QuerySet[MeetingAction]) -> QuerySet[MeetingAction]:
    """The actions of the board's earlier meetings still outstanding (open or carried
    forward): listed under `meeting`'s item that takes them (matters_arising_item) until
    completed or closed. `actions` is
    what the reader may see (`permissions.visible_meeting_actions`)."""
    return (
        actions.filter(
            meeting__board=meeting.board,
            meeting__date__lt=meeting.date,
            status__in=OUTSTANDING,
        )
        .select_related("meeting", "agenda_item")
        .prefetch_related("owners")
        .order_by("meeting__date", "order", "pk")
    )


def start_times(meeting: Meeting) -> dict[int, datetime.time]:
    """The running clock: when each of the meeting's items starts (by its pk), the meeting's
    start plus the minutes allowed for the items before it (an item with none takes none).
    Counted over every item of the agenda, marked or not, so that every reader sees the
    real times (an officer presenting item 13 turns up when it is taken). The reader is
    shown the times of the items they may see only: the numbers of the agenda already show
    a gap where an item is hidden, and its start time says no more than that. Empty when
    the meeting has no start time."""
    if meeting.start_time is None:
        return {}
    moment = datetime.datetime.combine(meeting.date, meeting.start_time)
    starts = {}
    for pk, minutes in meeting.items.order_by("order", "pk").values_list("pk", "minutes_allowed"):
        starts[pk] = moment.time()
        moment += datetime.timedelta(minutes=minutes or 0)
    return starts


def matters_arising_item(items) -> AgendaItem | None:
    """Of `items` (the agenda items the reader may see), the one the matters arising are
    taken under, as the agenda says (AgendaItem.takes_matters_arising); None when none of
    them does, and the matters arising are listed after the agenda."""
    return next((item for item in items if item.takes_matters_arising), None)


def subgroups_not_reported(meeting: Meeting, subgroups: QuerySet[Board]) -> QuerySet[Board]:
    """The board's subgroups (its children, among `subgroups`: those the reader may see)
    with no update report for `meeting`."""
    return subgroups.filter(parent=meeting.board).exclude(subgroup_reports__meeting=meeting)
