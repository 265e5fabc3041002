"""Subgroups' update reports to their board's meetings: writing one (the service) and the
reads its page and the pack share.

A report belongs to a subgroup (a board whose parent is the meeting's board) and a meeting;
there is at most one of each pair (a database constraint), so writing it again edits it.
Who may write it is `permissions.can_write_subgroup_report`; who may read it,
`permissions.visible_subgroup_reports` (its marking included): neither is decided here.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from actions.permissions import person_of, visible_boards
from boards.models import Board, Person
from cspplan.saving import record_create, record_edit
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
SAVED_REASON = "Written in the browser"

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


# ---- the service -------------------------------------------------------------------------


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
    if not any(values[name] for name in FIELDS):
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
