"""Subgroups' update reports to their board's meetings: the reads its page and the pack
share (the service that writes one is meetings.services.subgroup_report_save).

A report belongs to a subgroup (a board whose parent is the meeting's board) and a meeting;
there is at most one of each pair (a database constraint), so writing it again edits it.
Who may write it is `permissions.can_write_subgroup_report`; who may read it,
`permissions.visible_subgroup_reports` (its marking included): neither is decided here.
"""

import datetime
import re

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from actions.permissions import visible_boards
from boards.models import Board
from meetings import permissions
from meetings.models import Meeting, SubgroupReport

# The four headings of the pack's subgroup update reports (seed 004), in its order.
HEADINGS = (
    ("brief_update", "Brief update"),
    ("key_challenges", "Key challenges"),
    ("emerging_trends", "Emerging trends"),
    ("support_required", "Support required from the board"),
)
FIELDS = tuple(name for name, _ in HEADINGS)

# A meeting's date in its address, as 2021-12-08 and nothing else.
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


# ---- reads -------------------------------------------------------------------------------


def _date(day: str | datetime.date) -> datetime.date:
    if isinstance(day, datetime.date):  # from the address's "day" converter
        return day
    if not ISO_DAY.fullmatch(day):
        raise Http404("No such meeting.")
    try:
        return datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404("No such meeting.") from None


def meeting_for(user, board_pk: int, day: str) -> Meeting:
    """The board's meeting on `day` (YYYY-MM-DD) if the user may see it; 404 otherwise,
    and for a day that is not a date, so that nothing is revealed."""
    meetings = permissions.visible_meetings(user).select_related(
        "board__partnership", "board__parent", "chair"
    )
    return get_object_or_404(meetings, board_id=board_pk, date=_date(day))


def report_place(user, board_pk: int, day: str, subgroup_pk: int) -> tuple[Meeting, Board]:
    """The meeting and the subgroup of a report's page: a meeting of the board, and a
    subgroup of it the user may open. Whether they may read the report there is
    `permissions.visible_subgroup_reports` (a subgroup's chair reads and writes its reports
    to a board whose meetings they do not see), whether they may write it
    `permissions.can_write_subgroup_report`. 404 for anything else."""
    meeting = get_object_or_404(
        Meeting.objects.select_related("board__partnership", "board__parent", "chair"),
        board_id=board_pk,
        date=_date(day),
    )
    subgroups = visible_boards(user).filter(parent=meeting.board).select_related("parent")
    subgroup = subgroups.filter(pk=subgroup_pk).first()
    if subgroup is None:
        raise Http404("No such report.")
    return meeting, subgroup


def meeting_reports(user, meeting: Meeting) -> QuerySet[SubgroupReport]:
    """The meeting's subgroup reports the user may see (marked ones only if they may),
    by subgroup name."""
    return (
        permissions.visible_subgroup_reports(user)
        .filter(meeting=meeting)
        .select_related("board", "author")
        .order_by("board__name", "pk")
    )


def report_for(user, meeting: Meeting, subgroup: Board) -> SubgroupReport | None:
    """The subgroup's report for the meeting, if there is one the user may see."""
    return (
        permissions.visible_subgroup_reports(user)
        .filter(meeting=meeting, board=subgroup)
        .select_related("author")
        .first()
    )


def report_exists(meeting: Meeting, subgroup: Board) -> bool:
    """Whether the subgroup has reported, seen or not: a writer who may not see a marked
    report must not overwrite it unseen."""
    return SubgroupReport.objects.filter(meeting=meeting, board=subgroup).exists()
