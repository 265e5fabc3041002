"""Reads the meetings pages, the pack and the reminders share. Each takes querysets already
limited to what the user may see (meetings.permissions), so a rule is written once and the
marking rule is applied by the caller's queryset."""

from django.db.models import QuerySet

from boards.models import Board
from meetings.models import HELD_STATUSES, OUTSTANDING, Meeting, MeetingAction


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
    forward): listed under `meeting`'s minutes item until completed or closed. `actions` is
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


def subgroups_not_reported(meeting: Meeting, subgroups: QuerySet[Board]) -> QuerySet[Board]:
    """The board's subgroups (its children, among `subgroups`: those the reader may see)
    with no update report for `meeting`."""
    return subgroups.filter(parent=meeting.board).exclude(subgroup_reports__meeting=meeting)
