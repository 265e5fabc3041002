"""Writes to a board's meetings (meetings/services.py): the forward plan, standing items,
agendas, attendance, minutes and the action log carried from meeting to meeting."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actions.models import Marking
from meetings import selectors, services
from meetings.models import AgendaItem, Attendance, Meeting, MeetingAction, StandingItem
from tests.factories import PersonFactory
from tests.helpers import days_ago

Status = Meeting.Status
ActionStatus = MeetingAction.Status
SENSITIVE = Marking.OFFICIAL_SENSITIVE


def day(month, date, year=2021):
    return datetime.date(year, month, date)


def counts():
    """Every meeting record and history row: what a refused change must leave as it was."""
    models = (Meeting, AgendaItem, Attendance, MeetingAction, StandingItem)
    return [m.objects.count() for m in models] + [m.history.count() for m in models]


def held(world, when):
    meeting = services.meeting_create(board=world.board, user=world.chair, date=when)
    return services.meeting_update(meeting=meeting, user=world.chair, status=Status.HELD)


def test_an_action_carried_across_three_meetings_until_completed(world):
    june, september, december = (held(world, day(*d)) for d in ((6, 30), (9, 29), (12, 8)))
    carried = services.meeting_action_add(
        meeting=june, user=world.chair, text="Write to NELFT", owners_as_written="Chris Lyons"
    )
    unfinished = services.meeting_action_add(
        meeting=june, user=world.chair, text="Review the panel's terms"
    )
    assert list(selectors.matters_arising(september, MeetingAction.objects.all())) == [
        carried,
        unfinished,
    ]
    services.meeting_action_set_status(
        action=carried, user=world.chair, status=ActionStatus.CARRIED_FORWARD, at=september
    )
    services.meeting_action_set_status(
        action=unfinished, user=world.analyst, status=ActionStatus.CLOSED, at=september
    )
    assert list(selectors.matters_arising(december, MeetingAction.objects.all())) == [carried]
    services.meeting_action_set_status(
        action=carried, user=world.chair, status=ActionStatus.CARRIED_FORWARD, at=december
    )
    march = services.meeting_create(board=world.board, user=world.chair, date=days_ago(1))
    assert list(selectors.matters_arising(march, MeetingAction.objects.all())) == [carried]
    services.meeting_action_set_status(
        action=carried, user=world.chair, status=ActionStatus.COMPLETED, at=march
    )
    assert not selectors.matters_arising(march, MeetingAction.objects.all()).exists()

    # Every change is in the history, with where and by whom it was made.
    changes = [
        (row.status, row.status_meeting_id, row.history_user)
        for row in carried.history.order_by("history_date", "history_id")
    ]
    assert changes == [
        (ActionStatus.OPEN, june.pk, world.chair),
        (ActionStatus.CARRIED_FORWARD, september.pk, world.chair),
        (ActionStatus.CARRIED_FORWARD, december.pk, world.chair),
        (ActionStatus.COMPLETED, march.pk, world.chair),
    ]
    unfinished.refresh_from_db()
    assert (unfinished.status, unfinished.status_meeting) == (ActionStatus.CLOSED, september)
    assert unfinished.history.first().history_user == world.analyst


def test_a_status_is_set_at_a_meeting_of_the_board_not_before_the_action(world):
    june, september = held(world, day(6, 30)), held(world, day(9, 29))
    other = services.meeting_create(board=world.other_board, user=world.analyst, date=day(9, 1))
    action = services.meeting_action_add(meeting=september, user=world.chair, text="Share")
    before = counts()
    for at, status in ((june, ActionStatus.COMPLETED), (other, ActionStatus.COMPLETED)):
        with pytest.raises(ValidationError):
            services.meeting_action_set_status(
                action=action, user=world.chair, status=status, at=at
            )
    with pytest.raises(ValidationError, match="not a status"):
        services.meeting_action_set_status(
            action=action, user=world.chair, status="done", at=september
        )
    assert counts() == before


def test_standing_items_are_added_to_each_new_meeting_once(world):
    for title in ("Violence performance", "Repeat knife carriers"):
        services.standing_item_add(board=world.board, user=world.chair, title=title)
    services.standing_item_add(
        board=world.board, user=world.chair, title="Community tensions", marking=SENSITIVE
    )
    # A forward-plan entry with an item of its own already carrying one standing item.
    entry = Meeting.objects.create(board=world.board, date=day(3, 30, 2022))
    AgendaItem.objects.create(meeting=entry, title="Women's safety", order=0)
    AgendaItem.objects.create(
        meeting=entry,
        title="Violence performance (renamed for this meeting)",
        standing_item=StandingItem.objects.get(title="Violence performance"),
        order=1,
    )
    meeting = services.meeting_create(
        board=world.board, user=world.chair, date=day(3, 30, 2022), planned=entry, venue="BLC"
    )
    assert meeting.pk == entry.pk and meeting.venue == "BLC"
    titles = list(meeting.items.values_list("title", "marking"))
    assert titles == [
        ("Women's safety", Marking.OFFICIAL),
        ("Violence performance (renamed for this meeting)", Marking.OFFICIAL),
        ("Repeat knife carriers", Marking.OFFICIAL),
        ("Community tensions", SENSITIVE),
    ]
    # Applying them again adds none.
    assert services.standing_items_apply(meeting=meeting, user=world.chair) == []
    assert meeting.items.count() == 4
    # A new meeting gets each once; another board's meeting none.
    june = services.meeting_create(board=world.board, user=world.chair, date=day(6, 29, 2022))
    assert june.items.count() == 3
    other = services.meeting_create(board=world.other_board, user=world.chair, date=day(6, 29))
    assert other.items.count() == 0
    # The item a new meeting was given is in its history, in the user's name.
    assert AgendaItem.history.filter(meeting_id=june.pk).first().history_user == world.chair


def test_a_meeting_on_a_day_the_board_already_meets_is_refused(world):
    services.meeting_create(board=world.board, user=world.chair, date=day(12, 8))
    before = counts()
    with pytest.raises(ValidationError, match="already has a meeting on 8 December 2021"):
        services.meeting_create(board=world.board, user=world.chair, date=day(12, 8))
    held_entry = held(world, day(9, 29))
    before = counts()
    with pytest.raises(ValidationError, match="no longer a forward-plan entry"):
        services.meeting_create(
            board=world.board, user=world.chair, date=day(9, 30), planned=held_entry
        )
    assert counts() == before


def test_the_status_moves_on_only(world):
    meeting = services.meeting_create(board=world.board, user=world.chair, date=days_ago(0))
    future = services.meeting_create(board=world.board, user=world.chair, date=days_ago(-7))
    before = counts()
    with pytest.raises(ValidationError, match="cannot have been held yet"):
        services.meeting_update(meeting=future, user=world.chair, status=Status.HELD)
    assert counts() == before
    for status in (Status.AGENDA_PUBLISHED, Status.HELD, Status.MINUTES_APPROVED):
        services.meeting_update(meeting=meeting, user=world.chair, status=status)
    before = counts()
    with pytest.raises(ValidationError, match="cannot go back to held"):
        services.meeting_update(meeting=meeting, user=world.chair, status=Status.HELD)
    assert counts() == before
    assert Meeting.history.filter(id=meeting.pk).count() == 4


def test_people_linked_are_of_the_boards_partnership(world):
    meeting = services.meeting_create(board=world.board, user=world.chair, date=day(12, 8))
    stranger = PersonFactory(name="Far Away")
    before = counts()
    with pytest.raises(ValidationError, match="Far Away is not of Test partnership here"):
        services.meeting_action_add(
            meeting=meeting, user=world.chair, text="Call", owners=[world.pat, stranger]
        )
    with pytest.raises(ValidationError):
        services.meeting_update(meeting=meeting, user=world.chair, chair=stranger)
    assert counts() == before


def test_an_action_under_a_marked_item_takes_its_marking(world):
    meeting = services.meeting_create(board=world.board, user=world.chair, date=day(12, 8))
    tensions = services.agenda_item_add(
        meeting=meeting, user=world.chair, title="Heathway Tensions", marking=SENSITIVE
    )
    plain = services.agenda_item_add(meeting=meeting, user=world.chair, title="Forward plan")
    marked = services.meeting_action_add(
        meeting=meeting, user=world.chair, text="Brief the ward panel", agenda_item=tensions
    )
    unmarked = services.meeting_action_add(
        meeting=meeting,
        user=world.chair,
        text="Update the forward plan",
        agenda_item=plain,
        owners=[world.pat],
        owners_as_written="Pat",
    )
    assert marked.marking == SENSITIVE
    assert unmarked.marking == Marking.OFFICIAL
    assert list(unmarked.owners.all()) == [world.pat]
    # An item marked later marks what was raised under it.
    services.agenda_item_update(item=plain, user=world.chair, marking=SENSITIVE)
    unmarked.refresh_from_db()
    assert unmarked.marking == SENSITIVE
    # An item of another meeting is refused.
    other = services.meeting_create(board=world.board, user=world.chair, date=day(9, 29))
    before = counts()
    with pytest.raises(ValidationError, match="not on this meeting's agenda"):
        services.meeting_action_add(
            meeting=other, user=world.chair, text="Wrong", agenda_item=tensions
        )
    assert counts() == before


def test_reordering_leaves_the_items_not_given_in_their_places(world):
    meeting = services.meeting_create(board=world.board, user=world.chair, date=day(12, 8))
    one, hidden, three, four = (
        services.agenda_item_add(
            meeting=meeting,
            user=world.chair,
            title=title,
            marking=SENSITIVE if title == "Hidden" else Marking.OFFICIAL,
        )
        for title in ("One", "Hidden", "Three", "Four")
    )
    # An analyst, who cannot see the marked item, moves Four to the top.
    services.agenda_item_reorder(meeting=meeting, user=world.analyst, items=[four, one, three])
    assert list(meeting.items.values_list("title", flat=True)) == ["Four", "Hidden", "One", "Three"]
    before = counts()
    with pytest.raises(ValidationError):
        services.agenda_item_reorder(meeting=meeting, user=world.chair, items=[four, four])
    other = services.meeting_create(board=world.board, user=world.chair, date=day(9, 29))
    before = counts()
    with pytest.raises(ValidationError):
        services.agenda_item_reorder(meeting=other, user=world.chair, items=[one])
    assert counts() == before
    hidden_pk = hidden.pk
    services.agenda_item_remove(item=hidden, user=world.chair)
    assert list(meeting.items.values_list("title", flat=True)) == ["Four", "One", "Three"]
    removed = AgendaItem.history.filter(id=hidden_pk).first()
    assert (removed.history_type, removed.history_user) == ("-", world.chair)


def test_attendance_is_recorded_in_full_and_names_are_kept_as_written(world):
    meeting = services.meeting_create(board=world.board, user=world.chair, date=day(9, 29))
    Kind, Role = Attendance.Kind, Attendance.Role
    services.attendance_record(
        meeting=meeting,
        user=world.chair,
        entries=[
            {"name_as_written": "Councillor Mullane", "kind": Kind.PRESENT, "role": Role.CHAIR},
            {"name_as_written": "Pat  Example", "person": world.pat, "kind": Kind.PRESENT},
            {"name_as_written": "Kevin MaKambe", "kind": Kind.APOLOGIES},
        ],
    )
    rows = list(meeting.attendance.values_list("name_as_written", "person", "kind", "role"))
    assert sorted(rows) == [
        ("Councillor Mullane", None, Kind.PRESENT, Role.CHAIR),
        ("Kevin MaKambe", None, Kind.APOLOGIES, ""),
        ("Pat Example", world.pat.pk, Kind.PRESENT, ""),
    ]
    # Recorded again: one changed, one gone, one new; the unchanged row is not rewritten.
    history_before = Attendance.history.count()
    services.attendance_record(
        meeting=meeting,
        user=world.chair,
        entries=[
            {"name_as_written": "Councillor Mullane", "kind": Kind.PRESENT, "role": Role.CHAIR},
            {"name_as_written": "Kevin MaKambe", "kind": Kind.PRESENT},
            {"name_as_written": "Jade Hodgson", "kind": Kind.PRESENT, "role": Role.NOTE_TAKER},
        ],
    )
    assert sorted(meeting.attendance.values_list("name_as_written", flat=True)) == [
        "Councillor Mullane",
        "Jade Hodgson",
        "Kevin MaKambe",
    ]
    assert Attendance.history.count() == history_before + 3  # changed, deleted, created
    before = counts()
    with pytest.raises(ValidationError, match="Jade Hodgson is listed more than once"):
        services.attendance_record(
            meeting=meeting,
            user=world.chair,
            entries=[
                {"name_as_written": "Jade Hodgson", "kind": Kind.PRESENT},
                {"name_as_written": "jade hodgson", "kind": Kind.APOLOGIES},
            ],
        )
    with pytest.raises(ValidationError):
        services.attendance_record(
            meeting=meeting,
            user=world.chair,
            entries=[{"name_as_written": "Someone", "kind": "asleep"}],
        )
    assert counts() == before


def test_minutes_are_recorded_per_item_with_history(world):
    meeting = held(world, day(9, 29))
    item = services.agenda_item_add(meeting=meeting, user=world.chair, title="Forward plan")
    services.minutes_record(item=item, user=world.analyst, minutes="  The board reviewed it. ")
    item.refresh_from_db()
    assert item.minutes == "The board reviewed it."
    latest = item.history.first()
    assert (latest.minutes, latest.history_user) == ("The board reviewed it.", world.analyst)


def test_the_admins_whole_record_writes_keep_the_pages_rules(world):
    """What the admin writes (a record's every field) meets the checks the pages' writes
    do: a record stays where it was made, a name is on the attendance once, an action
    under a marked item is marked with it, and a change of its status is set at a meeting
    of its board."""
    meeting = held(world, day(9, 29))
    later = held(world, day(12, 8))
    elsewhere = services.meeting_create(
        board=world.other_board, user=world.administrator, date=day(9, 29)
    )
    item = services.agenda_item_add(
        meeting=meeting, user=world.chair, title="Heathway Tensions", marking=SENSITIVE
    )
    services.attendance_add(
        meeting=meeting, user=world.chair, name_as_written="Chris Lyons", kind="present"
    )
    before = counts()
    for refused in (
        lambda: services.meeting_update(meeting=meeting, user=world.chair, board=world.other_board),
        lambda: services.agenda_item_update(item=item, user=world.chair, meeting=later),
        lambda: services.attendance_add(
            meeting=meeting, user=world.chair, name_as_written="chris  lyons", kind="present"
        ),
        lambda: services.meeting_action_add(
            meeting=later, user=world.chair, text="Report back", agenda_item=item
        ),
        lambda: services.meeting_action_add(
            meeting=later, user=world.chair, text="Report back", status_meeting=meeting
        ),
    ):
        with pytest.raises(ValidationError):
            refused()
    assert counts() == before

    action = services.meeting_action_add(meeting=meeting, user=world.chair, text="Report back")
    with pytest.raises(ValidationError, match="its own board"):
        services.meeting_action_update(
            action=action, user=world.chair, status=ActionStatus.CLOSED, status_meeting=elsewhere
        )
    changed = services.meeting_action_update(
        action=action,
        user=world.chair,
        agenda_item=item,
        marking=Marking.OFFICIAL,
        status=ActionStatus.COMPLETED,
        status_meeting=later,
    )
    assert (changed.marking, changed.status, changed.status_meeting) == (
        SENSITIVE,
        ActionStatus.COMPLETED,
        later,
    )
    assert changed.history.first().history_user == world.chair


# ---- the item that takes matters arising -----------------------------------------------------


def taking(meeting):
    return list(meeting.items.filter(takes_matters_arising=True).values_list("title", flat=True))


def test_one_item_of_a_meeting_takes_matters_arising_and_giving_it_moves_it(world):
    meeting = services.meeting_create(board=world.board, user=world.chair, date=day(12, 8))
    minutes = services.agenda_item_add(
        meeting=meeting, user=world.chair, title="Minutes", takes_matters_arising=True
    )
    log = services.agenda_item_add(meeting=meeting, user=world.chair, title="Action log")
    assert taking(meeting) == ["Minutes"]
    services.agenda_item_update(item=log, user=world.analyst, takes_matters_arising=True)
    assert taking(meeting) == ["Action log"]
    # Each change is in the history of the item it changed, in the name of who made it.
    newest = AgendaItem.history.filter(id=minutes.pk).first()
    assert (newest.takes_matters_arising, newest.history_user) == (False, world.analyst)
    assert AgendaItem.history.filter(id=log.pk).first().takes_matters_arising
    # Another meeting's item is not touched.
    other = services.meeting_create(board=world.board, user=world.chair, date=day(12, 9))
    services.agenda_item_add(
        meeting=other, user=world.chair, title="Minutes", takes_matters_arising=True
    )
    assert taking(meeting) == ["Action log"] and taking(other) == ["Minutes"]
    # Taking it off leaves the meeting with none: the matters arising go after the agenda.
    services.agenda_item_update(item=log, user=world.chair, takes_matters_arising=False)
    assert taking(meeting) == []


def test_the_database_holds_at_most_one_item_taking_matters_arising(world):
    meeting = services.meeting_create(board=world.board, user=world.chair, date=day(12, 8))
    first = services.agenda_item_add(
        meeting=meeting, user=world.chair, title="Minutes", takes_matters_arising=True
    )
    second = services.agenda_item_add(meeting=meeting, user=world.chair, title="AOB")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.filter(pk=second.pk).update(takes_matters_arising=True)
    standing = [
        services.standing_item_add(board=world.board, user=world.chair, title=title)
        for title in ("Minutes", "Violence performance")
    ]
    StandingItem.objects.filter(pk=standing[0].pk).update(takes_matters_arising=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        StandingItem.objects.filter(pk=standing[1].pk).update(takes_matters_arising=True)
    assert taking(meeting) == [first.title]


def test_a_standing_item_carries_matters_arising_to_each_new_meeting_without_a_second(world):
    services.standing_item_add(
        board=world.board, user=world.chair, title="Minutes", takes_matters_arising=True
    )
    services.standing_item_add(
        board=world.board, user=world.chair, title="Action log", takes_matters_arising=True
    )
    # Given to the second standing item, it is taken from the first, which says so.
    assert list(
        StandingItem.objects.filter(takes_matters_arising=True).values_list("title", flat=True)
    ) == ["Action log"]
    assert not StandingItem.history.filter(title="Minutes").first().takes_matters_arising
    services.standing_item_update(
        item=StandingItem.objects.get(title="Minutes"),
        user=world.chair,
        takes_matters_arising=True,
    )

    new = services.meeting_create(board=world.board, user=world.chair, date=day(12, 8))
    assert taking(new) == ["Minutes"]
    assert new.items.get(title="Minutes").standing_item.title == "Minutes"

    # A forward-plan entry whose own item takes them keeps it: the standing one does not.
    planned = services.meeting_create(board=world.board, user=world.chair, date=day(3, 30, 2022))
    AgendaItem.objects.filter(meeting=planned).delete()
    services.agenda_item_add(
        meeting=planned,
        user=world.chair,
        title="Minutes and Actions from previous meeting",
        takes_matters_arising=True,
    )
    services.standing_items_apply(meeting=planned, user=world.chair)
    assert taking(planned) == ["Minutes and Actions from previous meeting"]
    assert planned.items.filter(title="Minutes").exists()
