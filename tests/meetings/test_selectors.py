"""The reads the meetings pages, pack and reminders share (meetings/selectors.py)."""

import datetime

from boards.models import Board
from meetings import selectors
from meetings.models import Meeting, MeetingAction, SubgroupReport

Status = Meeting.Status
ActionStatus = MeetingAction.Status


def meeting(board, day, status):
    return Meeting.objects.create(board=board, date=datetime.date(2021, *day), status=status)


def test_the_previous_held_meeting_skips_planned_ones_and_other_boards(world):
    june = meeting(world.board, (6, 30), Status.MINUTES_APPROVED)
    september = meeting(world.board, (9, 29), Status.HELD)
    meeting(world.board, (11, 1), Status.PLANNED)  # never held
    meeting(world.other_board, (11, 20), Status.HELD)
    december = meeting(world.board, (12, 8), Status.AGENDA_PUBLISHED)
    assert selectors.previous_held_meeting(december) == september
    assert selectors.previous_held_meeting(september) == june
    assert selectors.previous_held_meeting(june) is None
    assert selectors.last_held_meeting(world.board, datetime.date(2021, 12, 1)) == september
    assert selectors.last_held_meeting(world.board, datetime.date(2021, 9, 29)) == june


def test_matters_arising_are_the_earlier_meetings_outstanding_actions(world):
    june = meeting(world.board, (6, 30), Status.HELD)
    september = meeting(world.board, (9, 29), Status.HELD)
    december = meeting(world.board, (12, 8), Status.PLANNED)
    other = meeting(world.other_board, (9, 1), Status.HELD)

    def action(at, text, status=ActionStatus.OPEN):
        return MeetingAction.objects.create(meeting=at, text=text, status=status)

    carried = action(june, "Write to NELFT", ActionStatus.CARRIED_FORWARD)
    action(june, "Follow up with Corporate Strategy Group", ActionStatus.COMPLETED)
    opened = action(september, "Share the women's safety survey")
    action(september, "Closed unfinished", ActionStatus.CLOSED)
    action(december, "Raised at this meeting")
    action(other, "Another board's action")

    arising = selectors.matters_arising(december, MeetingAction.objects.all())
    assert list(arising) == [carried, opened]
    # At September's meeting only June's outstanding action was arising.
    assert list(selectors.matters_arising(september, MeetingAction.objects.all())) == [carried]
    # The reader's queryset limits what is listed.
    limited = MeetingAction.objects.exclude(pk=carried.pk)
    assert list(selectors.matters_arising(december, limited)) == [opened]


def test_subgroups_not_reported(world):
    december = meeting(world.board, (12, 8), Status.PLANNED)
    second = Board.objects.create(
        partnership=world.here, parent=world.board, name="Test second subgroup", slug="second"
    )
    SubgroupReport.objects.create(board=world.subgroup, meeting=december)
    assert list(selectors.subgroups_not_reported(december, Board.objects.all())) == [second]
