"""Writes of whole meeting records: the fixture loader's upserts (meetings.seeds) and the
admin's create, edit and delete (meetings.admin).

Kept apart from meetings/services.py, the pages' writes (the forward plan, minutes, the
action log), which were being written at the same time; both keep the project's rules:
keyword-only, atomic, one history row per record changed, in the name of whoever is making
the change (cspplan.history.history_user: the system user when a command loads fixtures).
"""

from django.db import transaction

from boards.models import Board
from cspplan import history
from cspplan.saving import record_create, record_edit, save_if_changed
from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingAction,
    StandingItem,
    SubgroupReport,
)

# ---- the fixture loader's upserts ------------------------------------------------------------
# Each finds its record by what names it in a fixture (a meeting by its board and date, an
# item or minuted action by its place in the meeting, attendance by the name as written, a
# subgroup's report by the subgroup and meeting), sets the rest, and writes only if
# something differs: loading the same fixture twice changes nothing.


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


# ---- changes made in the admin ---------------------------------------------------------------
# Any field of a record, in the name of the user making the change, with one history row for
# each record changed. Deleting a meeting deletes its items, attendance, minuted actions and
# reports, each with a history row of its own (cspplan.history.delete).


@transaction.atomic
def meeting_create(*, user, **values) -> Meeting:
    return record_create(Meeting, user=user, **values)


@transaction.atomic
def meeting_edit(*, meeting: Meeting, user, **values) -> Meeting:
    return record_edit(meeting, user=user, **values)


@transaction.atomic
def meeting_delete(*, meeting: Meeting, user) -> None:
    history.delete(meeting, user=user)


@transaction.atomic
def standing_item_create(*, user, **values) -> StandingItem:
    return record_create(StandingItem, user=user, **values)


@transaction.atomic
def standing_item_edit(*, standing_item: StandingItem, user, **values) -> StandingItem:
    return record_edit(standing_item, user=user, **values)


@transaction.atomic
def standing_item_delete(*, standing_item: StandingItem, user) -> None:
    history.delete(standing_item, user=user)


@transaction.atomic
def agenda_item_create(*, user, **values) -> AgendaItem:
    return record_create(AgendaItem, user=user, **values)


@transaction.atomic
def agenda_item_edit(*, agenda_item: AgendaItem, user, **values) -> AgendaItem:
    return record_edit(agenda_item, user=user, **values)


@transaction.atomic
def agenda_item_delete(*, agenda_item: AgendaItem, user) -> None:
    history.delete(agenda_item, user=user)


@transaction.atomic
def attendance_create(*, user, **values) -> Attendance:
    return record_create(Attendance, user=user, **values)


@transaction.atomic
def attendance_edit(*, attendance: Attendance, user, **values) -> Attendance:
    return record_edit(attendance, user=user, **values)


@transaction.atomic
def attendance_delete(*, attendance: Attendance, user) -> None:
    history.delete(attendance, user=user)


@transaction.atomic
def meeting_action_create(*, user, **values) -> MeetingAction:
    return record_create(MeetingAction, user=user, **values)


@transaction.atomic
def meeting_action_edit(*, meeting_action: MeetingAction, user, **values) -> MeetingAction:
    return record_edit(meeting_action, user=user, **values)


@transaction.atomic
def meeting_action_delete(*, meeting_action: MeetingAction, user) -> None:
    history.delete(meeting_action, user=user)


@transaction.atomic
def subgroup_report_create(*, user, **values) -> SubgroupReport:
    return record_create(SubgroupReport, user=user, **values)


@transaction.atomic
def subgroup_report_edit(*, subgroup_report: SubgroupReport, user, **values) -> SubgroupReport:
    return record_edit(subgroup_report, user=user, **values)


@transaction.atomic
def subgroup_report_delete(*, subgroup_report: SubgroupReport, user) -> None:
    history.delete(subgroup_report, user=user)
