"""Who sees a board's meetings and their marked items, and who manages them
(meetings/permissions.py)."""

import datetime

import pytest

from actions.models import Marking
from boards.models import Membership, Role
from meetings import permissions
from meetings.models import AgendaItem, Meeting, MeetingAction, SubgroupReport
from tests.factories import BoardFactory, MembershipFactory, user_in_role

SENSITIVE = Marking.OFFICIAL_SENSITIVE


@pytest.fixture
def meeting(world):
    meeting = Meeting.objects.create(board=world.board, date=datetime.date(2021, 12, 8))
    AgendaItem.objects.create(meeting=meeting, number="1", title="Introductions", order=0)
    AgendaItem.objects.create(
        meeting=meeting, number="11", title="Heathway Tensions", marking=SENSITIVE, order=1
    )
    MeetingAction.objects.create(meeting=meeting, text="Share the survey")
    MeetingAction.objects.create(meeting=meeting, text="Marked follow-up", marking=SENSITIVE)
    SubgroupReport.objects.create(board=world.subgroup, meeting=meeting, marking=SENSITIVE)
    return meeting


def titles(user):
    return sorted(permissions.visible_items(user).values_list("title", flat=True))


def test_marked_items_only_for_those_on_the_board_or_above(world, meeting):
    everything = ["Heathway Tensions", "Introductions"]
    # The board's chair sits on it; administrators see everything.
    assert titles(world.chair) == everything
    assert titles(world.administrator) == everything
    assert titles(world.superuser) == everything
    # Officers and analysts of the partnership see the meeting but not its marked items.
    assert titles(world.officer) == ["Introductions"]
    assert titles(world.analyst) == ["Introductions"]
    assert permissions.visible_meeting_actions(world.officer).count() == 1
    assert permissions.visible_meeting_actions(world.chair).count() == 2
    assert not permissions.visible_subgroup_reports(world.officer).exists()
    assert permissions.visible_subgroup_reports(world.chair).exists()


def test_meetings_of_boards_the_user_may_not_open_do_not_exist_for_them(world, meeting):
    assert list(permissions.visible_meetings(world.officer)) == [meeting]
    assert not permissions.visible_meetings(world.far_officer).exists()
    assert not permissions.visible_meetings(world.other_chair).exists()
    assert not permissions.visible_meetings(world.no_person).exists()
    assert titles(world.far_officer) == []
    assert titles(world.no_person) == []


def test_who_manages_a_boards_meetings(world):
    assert permissions.can_manage_meetings(world.chair, world.board)
    assert permissions.can_manage_meetings(world.analyst, world.board)
    assert permissions.can_manage_meetings(world.administrator, world.board)
    assert not permissions.can_manage_meetings(world.officer, world.board)
    assert not permissions.can_manage_meetings(world.other_chair, world.board)
    assert not permissions.can_manage_meetings(world.far_officer, world.board)
    assert not permissions.can_manage_meetings(world.no_person, world.board)
    # The board's chair manages the reports its subgroups send it; a top board has no one
    # to report to.
    assert permissions.can_write_subgroup_report(world.chair, world.subgroup)
    assert not permissions.can_write_subgroup_report(world.officer, world.subgroup)
    assert not permissions.can_write_subgroup_report(world.chair, world.board)


def test_a_subgroups_chair_sees_their_subgroups_reports_and_no_other(world, meeting):
    """The subgroup's chair sits on the subgroup, not on the board it reports to: they see
    its reports to that board's meetings, marked ones too, as they may write them; not
    another subgroup's, nor the board's meetings or marked items."""
    sub_chair = user_in_role(Role.CHAIR, name="Suki Subgroup")
    MembershipFactory(board=world.subgroup, person=sub_chair.person, role=Membership.Role.CHAIR)
    sibling = BoardFactory(
        partnership=world.board.partnership, parent=world.board, name="Test sibling subgroup"
    )
    official = SubgroupReport.objects.create(board=sibling, meeting=meeting, title="Sibling")
    marked = SubgroupReport.objects.get(board=world.subgroup)

    assert list(permissions.visible_subgroup_reports(sub_chair)) == [marked]
    assert not permissions.visible_meetings(sub_chair).exists()
    assert not permissions.visible_items(sub_chair).exists()
    # Those who see the meeting see both, marked ones only if on the board or above.
    assert set(permissions.visible_subgroup_reports(world.chair)) == {marked, official}
    assert list(permissions.visible_subgroup_reports(world.officer)) == [official]
    assert not permissions.visible_subgroup_reports(world.other_chair).exists()
    assert not permissions.visible_subgroup_reports(world.far_officer).exists()
