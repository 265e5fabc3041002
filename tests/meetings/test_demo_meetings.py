"""The B&D CSP Board's meetings, loaded by load_demo from fixtures/barking-dagenham/
meetings.yaml, against what seed 004 says (the seed line of each check is beside it), and
how the meetings fixture is read: strictly, all or nothing, and idempotently."""

import datetime
import io
import textwrap

import pytest
from django.core.management import CommandError, call_command

from actions.models import Marking
from boards.models import Partnership
from cspplan.origin import is_system_user
from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingAction,
    SubgroupReport,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]

Status = Meeting.Status
OS = Marking.OFFICIAL_SENSITIVE


def bd_meeting(day: datetime.date) -> Meeting:
    return Meeting.objects.get(
        board__partnership__slug="barking-dagenham", board__slug="csp-board", date=day
    )


SEPTEMBER = datetime.date(2021, 9, 29)
DECEMBER = datetime.date(2021, 12, 8)


def test_the_boards_meetings_named_in_the_pack_and_nothing_more():
    meetings = Meeting.objects.filter(board__partnership__slug="barking-dagenham")
    assert {(m.board.slug, m.date, m.status) for m in meetings} == {
        ("csp-board", SEPTEMBER, Status.HELD),  # 004:90, its minutes
        ("csp-board", DECEMBER, Status.AGENDA_PUBLISHED),  # 004:5, this agenda
        ("csp-board", datetime.date(2022, 3, 30), Status.PLANNED),  # 004:44, 1398-1400
        ("csp-board", datetime.date(2022, 6, 30), Status.PLANNED),  # 004:1419-1420
        ("csp-board", datetime.date(2022, 9, 28), Status.PLANNED),  # 004:1445-1446
    }
    # The June 2021 board has no day in the pack (004:108): no meeting is made up for it.
    assert not meetings.filter(date__month=6, date__year=2021).exists()


def test_times_venues_and_chairs_as_the_pack_gives_them():
    september = bd_meeting(SEPTEMBER)  # 004:90, 92
    assert (september.time_as_written, september.venue, september.online) == (
        "10.00-13.00pm",
        "MS Teams",
        True,
    )
    assert (september.start_time, september.end_time) == (datetime.time(10), datetime.time(13))
    assert september.chair.name == "Paul Trevers"
    december = bd_meeting(DECEMBER)  # 004:5, 199
    assert december.time_as_written == "10:00 am - 1:00 pm"
    assert december.venue == "Conference Centre, Barking Learning Centre, Town Square, Barking"
    assert not december.online
    assert december.chair.name == "Councillor Mullane"
    march = bd_meeting(datetime.date(2022, 3, 30))  # 004:44
    assert (march.venue, march.chair.name, march.time_as_written) == (
        "BLC Conference Room",
        "Paul Trevers",
        "10.00-13.00pm",
    )
    june = bd_meeting(datetime.date(2022, 6, 30))  # the forward plan gives nothing more
    assert (june.time_as_written, june.venue, june.chair, june.start_time) == ("", "", None, None)


def test_the_december_agenda_every_item_and_sub_item():
    items = list(bd_meeting(DECEMBER).items.all())
    assert [item.number for item in items] == [
        *"12345678",
        "",  # the BREAK row, 004:19
        "9",
        "10",
        "11",
        "12",
        "13",
        "14",
        "14(a)",
        "14(b)",
        "14(c)",
        "14(d)",
        "15",
    ]
    by_number = {item.number: item for item in items}
    heathway = by_number["11"]  # 004:22 "RESTRICTED: Heathway Tensions  Paul Trevers  10 mins"
    assert (heathway.title, heathway.presenter_as_written) == ("Heathway Tensions", "Paul Trevers")
    assert (heathway.minutes_allowed, heathway.pages, heathway.marking) == (10, "Verbal", OS)
    assert [p.name for p in heathway.presenters.all()] == ["Paul Trevers"]
    # The restricted items, marked, their titles without the prefix (004:21, 22, 24, 27).
    marked = {item.number: item.title for item in items if item.marking == OS}
    assert marked == {
        "10": "Update on LCPF and VRU Grant Funding",
        "11": "Heathway Tensions",
        "12": "Prevent Update",
        "14(a)": "Performance Report",
    }
    assert not any("RESTRICTED" in item.title for item in items)
    nine = by_number["9"]  # 004:20
    assert nine.presenter_as_written == "Chris Lyons and Jade Hodgson"
    assert {p.name for p in nine.presenters.all()} == {"Chris Lyons", "Jade Hodgson"}
    assert (nine.pages, nine.plan.slug) == ("67 - 71", "bd-vru-2021-22")
    performance = by_number["14(a)"]  # 004:27: no time given
    assert (performance.presenter_as_written, performance.minutes_allowed) == ("Daniel James", None)
    assert performance.pages == "75 - 128"
    safeguarding = by_number["14(d)"]  # 004:41: not a person in the fixtures
    assert (safeguarding.presenter_as_written, list(safeguarding.presenters.all())) == (
        "Brian Parrott",
        [],
    )
    assert by_number["3"].pages == "1 - 4"  # 004:13
    # The matters arising are taken under item 3 "Minutes" (004:13; the board's item 3 is
    # "Minutes and Actions from previous meeting", 004:1389), and under no other.
    assert [item.number for item in items if item.takes_matters_arising] == ["3"]
    assert by_number["14(b)"].description.splitlines()[0] == "Children and Young People"  # 004:30
    assert by_number["4"].report == "GPS Tagging for domestic abuse on licence"  # 004:205


def test_the_forward_plans_meetings_and_items():
    march = list(bd_meeting(datetime.date(2022, 3, 30)).items.all())  # 004:1387-1410
    assert [item.number for item in march] == [str(n) for n in range(1, 16)] + ["", ""]
    # Item 3 "Minutes and Actions from previous meeting" (004:1389, 1414, 1440).
    for day in (datetime.date(2022, 3, 30), datetime.date(2022, 6, 30), datetime.date(2022, 9, 28)):
        taking = bd_meeting(day).items.filter(takes_matters_arising=True)
        assert list(taking.values_list("number", "title")) == [
            ("3", "Minutes and Actions from previous meeting")
        ]
    eleven = march[10]  # 004:1398
    assert (eleven.title, eleven.presenter_as_written) == (
        "MPS Update (Focus to be confirmed)",
        "Stephen Clayman/ Mark Long",
    )
    assert [p.name for p in eleven.presenters.all()] == ["Stephen Clayman"]
    assert march[4].presenter_as_written == ""  # 004:1391, an empty presenter cell
    assert march[7].title == "Family Drug and Alchol Court Update"  # 004:1395, as written
    assert [(i.number, i.title) for i in march if i.marking == OS] == [("13", "Prevent Update")]
    for day in (datetime.date(2022, 6, 30), datetime.date(2022, 9, 28)):  # 004:1412-1452
        items = list(bd_meeting(day).items.all())
        assert [i.title for i in items][:7] == [
            "Introductions and Apologies",
            "Declaration of Interest",
            "Minutes and Actions from previous meeting",
            "Partnership delivery to VRU Serious Violence Plan",
            "Prevent Update",
            "Forward Plan",
            "AOB",
        ]
        assert items[4].presenter_as_written == "Thomas Lewlyn-Jones"
        assert items[4].marking == OS
    # The subgroup updates' presenters (004:1432) cannot be paired with the subgroups.
    updates = AgendaItem.objects.filter(
        meeting__board__partnership__slug="barking-dagenham", title="Subgroup Updates"
    )
    assert updates.count() == 3
    assert not updates.exclude(presenter_as_written="").exists()


def test_the_september_attendance_as_the_minutes_give_it():
    rows = {row.name_as_written: row for row in bd_meeting(SEPTEMBER).attendance.all()}
    kinds = {kind: sorted(n for n, r in rows.items() if r.kind == kind) for kind in Attendance.Kind}
    assert len(kinds[Attendance.Kind.PRESENT]) == 21  # 004:92
    assert kinds[Attendance.Kind.ADDITIONAL] == [  # 004:94
        "Councillor Bright",
        "Councillor Paddle",
        "Councillor Perry",
        "James Rush",
    ]
    assert len(kinds[Attendance.Kind.APOLOGIES]) == 8  # 004:96, "Mel Baker Melody Williams" two
    assert (rows["Jade Hodgson"].role, rows["Jade Hodgson"].person.name) == (
        Attendance.Role.NOTE_TAKER,
        "Jade Hodgson",
    )
    assert rows["Paul Trevers"].role == Attendance.Role.CHAIR
    assert {r.name_as_written for r in rows.values() if r.role} == {"Jade Hodgson", "Paul Trevers"}
    # Spelled as the minutes spell them, linked to the member the table spells otherwise.
    assert rows["Kevin McKambe"].person.name == "Kevin MaKambe"  # 004:92, 59
    assert rows["Jennie Coombes"].person.name == "Jenni Coombes"  # 004:96, 58
    assert rows["Helen Davie"].person is None  # not a person in the fixtures


def test_the_september_minutes_per_item():
    items = {item.number: item for item in bd_meeting(SEPTEMBER).items.all()}
    assert list(items) == [str(n) for n in range(1, 14)]  # 004:98-197
    assert items["2"].minutes == "No declarations of interest to note."  # 004:104
    assert items["5"].minutes == "Carry item forward to December 2021 CSP Board."  # 004:138
    assert items["4"].minutes.startswith("James Rush update the board on the Knife Crime")
    assert "apply an order." in items["4"].minutes  # 004:119-121, rejoined
    assert "ACTION" not in "".join(item.minutes for item in items.values())
    assert {n for n, item in items.items() if item.marking == OS} == {"7", "8", "9"}
    assert items["9"].title == "STEPHEN PORT INQUEST"  # 004:167, without "RESTRICTED: "
    # The June actions outstanding were taken under item 3 "MINUTES" (004:106-112).
    assert [n for n, item in items.items() if item.takes_matters_arising] == ["3"]


def test_every_action_line_with_its_owners_item_and_stated_status():
    actions = list(MeetingAction.objects.filter(meeting=bd_meeting(SEPTEMBER)))
    assert len(actions) == 12  # 004:110-195, every "ACTION:"
    completed = sorted(a.text[:40] for a in actions if a.status == MeetingAction.Status.COMPLETED)
    assert completed == [  # 004:110, 132, 155, 175 "(COMPLETED)"
        "Jade Hodgson to follow up with Mike Cull",
        "Jade Hodgson to link in with Sharon Whit",
        "Jade Hodgson to update CSP Board forward",
        "James Rush to find out whether KCPOs wil",
    ]
    assert {a.status for a in actions} == {
        MeetingAction.Status.OPEN,
        MeetingAction.Status.COMPLETED,
    }
    assert not any("COMPLETED" in a.text for a in actions)
    by_item = {}
    for action in actions:
        by_item.setdefault(action.agenda_item.number, []).append(action)
    assert {n: len(a) for n, a in by_item.items()} == {"3": 4, "4": 2, "6": 3, "10": 1, "12": 2}
    # The June board's actions, outstanding at item 3 (004:110-112).
    chairs, _, comms, trends = by_item["3"]
    assert (chairs.owners_as_written, list(chairs.owners.all())) == ("CSP Board Chairs", [])
    assert chairs.status == MeetingAction.Status.OPEN
    assert comms.text == "Chris Lyons to link in with MPS to share comms for Safe Haven rollout."
    assert trends.owners_as_written == "Andy Opie and Dan James"
    assert {p.name for p in trends.owners.all()} == {"Andy Opie", "Daniel James"}
    rush = by_item["4"][0]  # 004:132: no person in the fixtures
    assert (rush.owners_as_written, rush.owners.count()) == ("James Rush", 0)
    assert all(a.due_date is None for a in actions)  # the pack gives none
    assert all(a.status_meeting == a.meeting for a in actions)


def test_the_subgroup_update_reports_for_december():
    reports = {r.board.slug: r for r in SubgroupReport.objects.filter(meeting=bd_meeting(DECEMBER))}
    assert set(reports) == {
        "contextual-safeguarding-exploitation",  # 004:1464
        "yos-board",  # 004:1501
        "hate-crime-extremism-tension-monitoring",  # 004:1556
    }
    assert all(r.board.parent.slug == "csp-board" for r in reports.values())
    contextual = reports["contextual-safeguarding-exploitation"]
    assert contextual.author_as_written == (
        "April Bald – Director of Operations Children's Care & Support"  # 004:1466
    )
    assert contextual.author.name == "April Bald"
    assert contextual.emerging_trends == "3.1 See above"  # 004:1487
    assert contextual.marking == Marking.OFFICIAL  # 004:1468 "[UNPROTECTED]"
    yos = reports["yos-board"]
    assert yos.title == "YOS Board Subgroup Update"
    assert yos.brief_update.startswith("1.1 The YOS board has met twice this quarter")  # 004:1509
    assert "[Unprotected/Protected/RESTRICTED]" not in yos.brief_update  # 004:1520, template
    # "Security:" left empty (004:1505): unmarked, as its agenda item 14(b) (004:28) is.
    assert yos.marking == Marking.OFFICIAL
    hate = reports["hate-crime-extremism-tension-monitoring"]
    assert hate.author.name == "Andy Opie"
    assert hate.brief_update.startswith("3.1 At the time of writing")  # "3. Update", 004:1573
    assert hate.key_challenges.startswith("4.1 The subgroup has identified")  # 004:1600
    assert hate.support_required.startswith("5.1 The Board to note")  # 004:1604
    assert hate.emerging_trends == ""  # the report has no such heading


def test_loading_again_changes_nothing_and_every_row_was_written_by_the_system_user():
    models = [Meeting, AgendaItem, Attendance, MeetingAction, SubgroupReport]
    before = [model.history.count() for model in models]
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert [model.history.count() for model in models] == before
    assert "barking-dagenham/meetings.yaml: 0 created or changed" in out.getvalue().splitlines()
    for model in models:
        users = {row.history_user for row in model.history.all()}
        assert users and all(is_system_user(user) for user in users), model


# A meetings file of its own, beside a partnership file: how the loader reads one.

PARTNERSHIP = """
partnership: {slug: testshire, name: Testshire Community Safety Partnership}
people:
  - {name: Ann Chair}
boards:
  - slug: board
    name: Testshire CSP Board
    kind: board
    children:
      - {slug: ivolt, name: IVOLT, kind: subgroup}
"""

MEETINGS = """
partnership: testshire
meetings:
  - board: board
    date: 2021-09-29
    status: held
    time: 10.00-13.00pm
    start_time: "10:00"
    end_time: "13:00"
    chair: Ann Chair
    items:
      - number: "3"
        title: Minutes
        minutes_allowed: 5
        actions:
          - {owners: Ann Chair, owner_people: [Ann Chair], text: Ann to write., status: open}
      - {number: "7", title: Strategic assessment, marking: official-sensitive}
    attendance:
      - {name: Ann Chair, person: Ann Chair, kind: present, role: chair}
    subgroup_reports:
      - {board: ivolt, title: IVOLT update, brief_update: Met twice.}
"""


def write(tmp_path, meetings=MEETINGS):
    (tmp_path / "testshire").mkdir()
    (tmp_path / "testshire" / "partnership.yaml").write_text(textwrap.dedent(PARTNERSHIP))
    (tmp_path / "testshire" / "meetings.yaml").write_text(textwrap.dedent(meetings))
    return tmp_path


def test_a_meetings_file_loads_after_its_partnership(tmp_path):
    call_command("load_demo", fixtures=write(tmp_path), stdout=io.StringIO())
    meeting = Meeting.objects.get(board__partnership__slug="testshire")
    assert (meeting.start_time, meeting.chair.name) == (datetime.time(10), "Ann Chair")
    (action,) = meeting.actions_raised.all()
    assert (action.agenda_item.number, action.status) == ("3", MeetingAction.Status.OPEN)
    assert meeting.subgroup_reports.get().board.slug == "ivolt"


@pytest.mark.parametrize(
    "broken, message",
    [
        (
            MEETINGS.replace("minutes_allowed: 5", "minutes: 5\n        mins: 5"),
            "unknown key(s) mins",
        ),
        (MEETINGS.replace("status: held", "status: done"), "'done' is not one of"),
        (MEETINGS.replace('start_time: "10:00"', "start_time: 10:00"), '"HH:MM" (quoted)'),
        (MEETINGS.replace('end_time: "13:00"', 'end_time: "09:00"'), "cannot end before"),
        (MEETINGS.replace("date: 2021-09-29", "date: 29/09/2021"), "YYYY-MM-DD"),
        (MEETINGS.replace("chair: Ann Chair", "chair: Ann Chiar"), "no person is called"),
        (MEETINGS.replace("board: ivolt", "board: yos"), "no board with the slug 'yos'"),
        (MEETINGS.replace("minutes_allowed: 5", "minutes_allowed: five"), "whole number"),
        (MEETINGS.replace("text: Ann to write., ", ""), "'text' is required"),
        (MEETINGS.replace("status: open}", "status: open, marking: secret}"), "'secret'"),
        (MEETINGS.replace("kind: present", "kind: there"), "'there' is not one of"),
        (MEETINGS.replace("status: held", "status: held\n    online: often"), "true or false"),
        (MEETINGS.replace("partnership: testshire", "partnership: nowhere"), "'nowhere'"),
    ],
)
def test_a_bad_meetings_file_is_refused_with_where_and_writes_nothing(tmp_path, broken, message):
    meetings_before = Meeting.objects.count()
    with pytest.raises(CommandError) as error:
        call_command("load_demo", fixtures=write(tmp_path, broken), stdout=io.StringIO())
    assert message in str(error.value)
    assert "meetings.yaml" in str(error.value)
    # The partnership file was fine, but one transaction means nothing at all was written.
    assert not Partnership.objects.filter(slug="testshire").exists()
    assert Meeting.objects.count() == meetings_before


def test_an_action_under_a_marked_item_is_marked_with_it(tmp_path):
    marked = MEETINGS.replace(
        '      - {number: "7", title: Strategic assessment, marking: official-sensitive}\n', ""
    ).replace("title: Minutes", "title: Minutes\n        marking: official-sensitive")
    call_command("load_demo", fixtures=write(tmp_path, marked), stdout=io.StringIO())
    action = MeetingAction.objects.get(meeting__board__partnership__slug="testshire")
    assert action.marking == OS
