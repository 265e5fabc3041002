"""Who may see and do what with a board's meetings, built on `actions.permissions`.

- Seeing: the meetings of the boards the user may open (`visible_boards`): a chair's boards
  and their subgroups, every board of an officer's or analyst's partnerships, all for
  administrators.
- Marked items: an agenda item, minuted action, standing item or subgroup report marked
  OFFICIAL-SENSITIVE (the pack's RESTRICTED items) is seen only by administrators and by
  those who sit on the meeting's board or on a board above it, the rule marked plan actions
  follow. To anyone else it does not exist: not listed, not counted, not in any document,
  and its page is a 404.
- Managing (the forward plan, agendas, attendance, minutes, the action log): the board's
  chair (or interim chair), and the analysts and administrators of its partnership (and
  the site's superusers).
- A subgroup's update report: seen by those who see the meeting it is made to and by those
  who sit on the subgroup (`visible_subgroup_reports`); written by the subgroup's chair and
  whoever manages the board it reports to.
"""

from django.db.models import Q, QuerySet

from actions.models import Marking
from actions.permissions import access_for, visible_boards
from boards.models import Board, Membership, Role
from meetings.models import AgendaItem, Meeting, MeetingAction, StandingItem, SubgroupReport


def visible_meetings(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(board__in=visible_boards(user))


def marking_ok(user, board_path: str) -> Q:
    """The one statement of who may see a marked meeting item: a condition on a queryset
    whose boards are at `board_path` ("meeting__board", "board", ...) and which has a
    `marking`."""
    access = access_for(user)
    if access.everywhere:
        return Q()
    official = Q(marking=Marking.OFFICIAL)
    if access.role is None:
        return official
    return official | Q(**{f"{board_path}__in": access.board_ids})


def may_see_marked(user, board: Board) -> bool:
    access = access_for(user)
    return access.everywhere or (access.role is not None and board.pk in access.board_ids)


def visible_items(user) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(
        marking_ok(user, "meeting__board"), meeting__in=visible_meetings(user)
    )


def visible_meeting_actions(user) -> QuerySet[MeetingAction]:
    """Minuted actions the user may see: an action raised under a marked item is marked
    with it (the services set that), so its own marking is enough here."""
    return MeetingAction.objects.filter(
        marking_ok(user, "meeting__board"), meeting__in=visible_meetings(user)
    )


def visible_subgroup_reports(user) -> QuerySet[SubgroupReport]:
    """A subgroup's report to a meeting of the board above it is seen by those who see the
    board's meeting (marked ones: those on the meeting's board or above), and by those who
    sit on the subgroup (marked ones: on the subgroup or above): its chair, who writes it,
    sits on the subgroup but need not sit on the board it reports to."""
    return SubgroupReport.objects.filter(
        (marking_ok(user, "meeting__board") & Q(meeting__in=visible_meetings(user)))
        | (marking_ok(user, "board") & Q(board__in=visible_boards(user)))
    )


def visible_standing_items(user) -> QuerySet[StandingItem]:
    return StandingItem.objects.filter(marking_ok(user, "board"), board__in=visible_boards(user))


def _chairs(user, board: Board) -> bool:
    access = access_for(user)
    if access.person_id is None:
        return False
    return Membership.objects.filter(
        board=board, person_id=access.person_id, role=Membership.Role.CHAIR
    ).exists()


def can_manage_meetings(user, board: Board) -> bool:
    """The forward plan, agendas, attendance, minutes and the action log of `board`."""
    access = access_for(user)
    if access.everywhere:
        return True
    # The VRU role reads plans and changes nothing, whatever board its person sits on.
    if access.role in (None, Role.VRU):
        return False
    if access.manages and board.partnership_id in access.partnership_ids:
        return True
    return _chairs(user, board)


def report_writable_subgroups(user, board: Board) -> QuerySet[Board]:
    """The subgroups of `board` whose reports to it the user may write: all of them for
    whoever manages the board's meetings, else those the user chairs. One query for a whole
    list (the pack's subgroups not yet reported)."""
    subgroups = Board.objects.filter(parent=board)
    if can_manage_meetings(user, board):
        return subgroups
    access = access_for(user)
    if access.person_id is None or access.role == Role.VRU:
        return subgroups.none()
    return subgroups.filter(
        memberships__person_id=access.person_id, memberships__role=Membership.Role.CHAIR
    )


def can_write_subgroup_report(user, subgroup: Board) -> bool:
    """A subgroup's report to the board above it."""
    if subgroup.parent_id is None:
        return False
    return report_writable_subgroups(user, subgroup.parent).filter(pk=subgroup.pk).exists()
