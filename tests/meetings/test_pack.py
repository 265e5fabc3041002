"""A board meeting's pack (page and .docx) and its agenda .docx (meetings/pack.py,
meetings/agenda_docx.py, meetings/views/pack.py): what they hold, the marking they state,
that marked items never reach those who may not see them, and a flat number of queries."""

import datetime
import io

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from actions.models import Marking
from boards.models import Board
from downloads.models import Download
from meetings.models import AgendaItem, Attendance, Meeting, MeetingAction, SubgroupReport
from meetings.pack import build_meeting_pack
from reporting.pack_docx import pack_docx
from tests.helpers import days_ago, get
from tests.libreoffice import print_to_pdf
from tests.reporting.test_marking_documents import (
    MARKING,
    SECRET,
    document_of,
    header_and_footer,
    words,
)

SENSITIVE = Marking.OFFICIAL_SENSITIVE
# What the meetings' marked records say: none may reach a reader who may not see them.
MARKED_WORDS = (
    "Update on LCPF and VRU Grant Funding",
    "Heathway Tensions",
    "Tensions discussed in closed session",
    "Marked follow-up",
    "Sensitive subgroup matter",
    SECRET,
)


@pytest.fixture
def meetings(world):
    """The board's previous held meeting (30 days ago) with attendance, minutes and actions,
    and its next (in 5 days) with its agenda, in the layout of seed 004's (names made up for
    the test, the shapes of the seed's: sub-items, RESTRICTED items, verbal papers)."""
    previous = Meeting.objects.create(
        board=world.board, date=days_ago(30), status=Meeting.Status.HELD, venue="Town Hall"
    )
    Attendance.objects.create(
        meeting=previous, name_as_written="Cath Chair", kind="present", role="chair"
    )
    Attendance.objects.create(meeting=previous, name_as_written="Pat Example", kind="apologies")
    minutes = AgendaItem.objects.create(
        meeting=previous, number="3", title="Minutes", minutes="Agreed as a true record.", order=0
    )
    AgendaItem.objects.create(
        meeting=previous,
        number="11",
        title="Heathway Tensions",
        minutes="Tensions discussed in closed session.",
        marking=SENSITIVE,
        order=1,
    )
    MeetingAction.objects.create(
        meeting=previous,
        agenda_item=minutes,
        owners_as_written="Pat Example",
        text="Share the women's safety survey",
        due_date=days_ago(-10),
    )
    MeetingAction.objects.create(meeting=previous, text="Marked follow-up", marking=SENSITIVE)
    MeetingAction.objects.create(
        meeting=previous, text="Circulate the slides", status=MeetingAction.Status.COMPLETED
    )
    meeting = Meeting.objects.create(
        board=world.board,
        date=days_ago(-5),
        status=Meeting.Status.AGENDA_PUBLISHED,
        time_as_written="10:00 am - 1:00 pm",
        start_time=datetime.time(10, 0),
        venue="Conference Centre, Barking Learning Centre",
    )
    agenda = [
        ("1.", "Introductions and Apologies for Absence", "Chair", 2, "", Marking.OFFICIAL),
        ("2.", "Declaration of Interests", "Chair", 2, "", Marking.OFFICIAL),
        ("3.", "Minutes", "Chair", 5, "1 - 4", Marking.OFFICIAL),
        ("10.", "Update on LCPF and VRU Grant Funding", "Chris Lyons", 5, "Verbal", SENSITIVE),
        ("14.", "Any Other Business", "Chair", 10, "", Marking.OFFICIAL),
        ("(b)", "Subgroup Update Reports", "Chair", 10, "", Marking.OFFICIAL),
    ]
    for order, (number, title, presenter, minutes_allowed, pages, marking) in enumerate(agenda):
        AgendaItem.objects.create(
            meeting=meeting,
            number=number,
            title=title,
            presenter_as_written=presenter,
            minutes_allowed=minutes_allowed,
            pages=pages,
            marking=marking,
            order=order,
            description="Members of the Board are asked to declare any interest."
            if number == "2."
            else "",
        )
    SubgroupReport.objects.create(
        board=world.subgroup,
        meeting=meeting,
        brief_update="Sensitive subgroup matter",
        marking=SENSITIVE,
    )
    second = Board.objects.create(
        partnership=world.here, parent=world.board, name="Test second subgroup", slug="second"
    )
    SubgroupReport.objects.create(
        board=second, meeting=previous, brief_update="An old report, for the last meeting"
    )
    return previous, meeting


def pack_url(meeting, name="pack"):
    return reverse(f"meetingpack:{name}", args=[meeting.board_id, meeting.date.isoformat()])


def test_the_chairs_pack_holds_the_agenda_minutes_actions_reports_and_plans(
    client, world, meetings
):
    previous, meeting = meetings
    page = get(client, world.chair, pack_url(meeting)).content.decode()
    for words_ in (
        "Introductions and Apologies for Absence",
        "RESTRICTED: Update on LCPF and VRU Grant Funding",
        "10:00",  # the running clock: 1. starts at 10:00, 2. at 10:02, 3. at 10:04
        "10:04",
        "Members of the Board are asked to declare any interest.",
        f"Minutes of the meeting on {previous.date:%-d %B %Y}",
        "Agreed as a true record.",
        "Tensions discussed in closed session.",
        "Cath Chair",
        "Apologies",
        "Share the women&#x27;s safety survey",
        "Marked follow-up",
        "Open actions of earlier meetings (2)",  # the completed one is not arising
        "Sensitive subgroup matter",
        "Test second subgroup",  # has not reported for this meeting
        "Not yet reported (1)",
        f"{previous.date:%-d %B %Y}, the previous meeting",
        f"Changes since {previous.date:%-d %B %Y}",  # the plans' part, since then
        SECRET,  # the plan's marked action, in the exceptions
        "OFFICIAL-SENSITIVE: this page contains sensitive information",
    ):
        assert words_ in page, words_
    assert "Circulate the slides" in page  # raised last time, listed with its status
    assert "Open actions of earlier meetings (3)" not in page


def test_marked_items_do_not_exist_for_a_non_member_in_the_pack_or_its_documents(
    client, world, meetings
):
    """The partnership's officer and analyst see the meeting, not its marked items: in no
    list, count, page or document; and their pack with and without the marked items left
    out is the same."""
    _, meeting = meetings
    today = timezone.localdate()
    for user in (world.officer, world.analyst):
        page = get(client, user, pack_url(meeting)).content.decode()
        for secret in MARKED_WORDS:
            assert secret not in page, (user, secret)
        assert "Open actions of earlier meetings (1)" in page
        assert "OFFICIAL-SENSITIVE" not in page.replace("Leave out OFFICIAL-SENSITIVE", "")

        built = build_meeting_pack(user, meeting, today=today)
        without = build_meeting_pack(user, meeting, today=today, leave_out_marked=True)
        assert built.pack.marking == Marking.OFFICIAL
        assert built.counts == without.counts
        # The same, but for the fact that says marked items were asked to be left out.
        marked_fact = ("Marked items", "Left out: this pack holds OFFICIAL items only")
        assert built.pack.parts == without.pack.parts
        assert built.pack.facts == [fact for fact in without.pack.facts if fact != marked_fact]
        said = f"{marked_fact[0]}: {marked_fact[1]} "
        assert words(document_of_bytes(pack_docx(built.pack))) == words(
            document_of_bytes(pack_docx(without.pack))
        ).replace(said, "")

        for name in ("pack-docx", "agenda-docx"):
            document = document_of(get(client, user, pack_url(meeting, name)))
            text = words(document)
            for secret in MARKED_WORDS:
                assert secret not in text, (user, name, secret)
            for header, footer in header_and_footer(document):
                assert MARKING not in header and MARKING not in footer


def document_of_bytes(content: bytes):
    return docx.Document(io.BytesIO(content))


def test_the_pack_document_states_its_marking_and_can_be_had_without_marked_items(
    client, world, meetings
):
    _, meeting = meetings
    document = document_of(get(client, world.chair, pack_url(meeting, "pack-docx")))
    text = words(document)
    for words_ in (
        "Agenda",
        "RESTRICTED: Update on LCPF and VRU Grant Funding",
        "Agreed as a true record.",
        "Marked follow-up",
        "Sensitive subgroup matter",
        "Brief update",
        "Support required from the board",
        SECRET,
    ):
        assert words_ in text, words_
    for header, footer in header_and_footer(document):
        assert header == MARKING
        assert footer.startswith(MARKING) and "Page" in footer

    document = document_of(
        get(client, world.chair, pack_url(meeting, "pack-docx"), {"leave_out_marked": "on"})
    )
    text = words(document)
    for secret in MARKED_WORDS:
        assert secret not in text, secret
    assert "Share the women's safety survey" in text
    for header, footer in header_and_footer(document):
        assert MARKING not in header and MARKING not in footer

    # Each taken is recorded with the marking it stated.
    recorded = list(
        Download.objects.filter(kind=Download.Kind.PACK_DOCUMENT).values_list("marking", "options")
    )
    assert sorted(recorded, key=str) == sorted(
        [
            ("OFFICIAL-SENSITIVE", {"meeting": meeting.date.isoformat()}),
            ("OFFICIAL", {"meeting": meeting.date.isoformat(), "leave_out_marked": "on"}),
        ],
        key=str,
    )


def test_the_agenda_document_is_laid_out_as_the_boards(client, world, meetings):
    _, meeting = meetings
    response = get(client, world.chair, pack_url(meeting, "agenda-docx"))
    assert response["Content-Disposition"] == (
        f'attachment; filename="csp-board-agenda-{meeting.date.isoformat()}.docx"'
    )
    document = document_of(response)
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[0] == "Test CSP board"
    assert paragraphs[1] == (
        f"Date and Time: {meeting.date:%A}, {meeting.date:%-d %B %Y}, 10:00 am - 1:00 pm"
    )
    assert paragraphs[2] == "Venue: Conference Centre, Barking Learning Centre"
    assert "AGENDA" in paragraphs
    (table,) = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["No.", "Item", "Presenter", "Time", "Starts", "Pages"]
    assert rows[1] == [
        "1.",
        "Introductions and Apologies for Absence",
        "Chair",
        "2 mins",
        "10:00",
        "",
    ]
    assert rows[2][1] == (
        "Declaration of Interests\nMembers of the Board are asked to declare any interest."
    )
    assert rows[4] == [
        "10.",
        "RESTRICTED: Update on LCPF and VRU Grant Funding",
        "Chris Lyons",
        "5 mins",
        "10:09",
        "Verbal",
    ]
    assert rows[6][0:2] == ["(b)", "Subgroup Update Reports"]
    for header, footer in header_and_footer(document):
        assert header == MARKING
        assert footer.startswith(MARKING)
    assert Download.objects.get().options == {
        "meeting": meeting.date.isoformat(),
        "document": "agenda",
    }

    # Without the marked items: the restricted item is gone, and so is the marking.
    document = document_of(
        get(client, world.chair, pack_url(meeting, "agenda-docx"), {"leave_out_marked": "on"})
    )
    assert "LCPF" not in words(document)
    for header, footer in header_and_footer(document):
        assert MARKING not in header and MARKING not in footer


def test_the_pack_says_which_item_takes_the_matters_arising(client, world, meetings):
    _, meeting = meetings
    taken = "They are taken under item 3, Minutes."
    assert taken not in get(client, world.chair, pack_url(meeting)).content.decode()
    meeting.items.filter(title="Minutes").update(takes_matters_arising=True)
    for user in (world.chair, world.officer):
        assert taken in get(client, user, pack_url(meeting)).content.decode()
        assert taken in words(document_of(get(client, user, pack_url(meeting, "pack-docx"))))
    # A marked item taking them is named to those who may see it alone.
    meeting.items.update(takes_matters_arising=False)
    meeting.items.filter(number="10.").update(takes_matters_arising=True)
    marked = "They are taken under item 10, Update on LCPF"
    assert marked in get(client, world.chair, pack_url(meeting)).content.decode()
    page = get(client, world.officer, pack_url(meeting)).content.decode()
    assert "They are taken under" not in page and "Open actions of earlier meetings (1)" in page


def _starts(table) -> dict[str, str]:
    """An agenda table's start times by item number."""
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    column = rows[0].index("Starts")
    return {row[0]: row[column] for row in rows[1:]}


def test_a_non_member_sees_the_same_start_times_as_a_member(client, world, meetings):
    """The running clock counts the marked item 10. (5 minutes) for everyone: item 14. starts
    at 10:14 in the officer's agenda and pack as in the chair's, not at 10:09; and nothing
    of item 10 but the time it takes is in theirs."""
    _, meeting = meetings
    chair = _starts(
        document_of(get(client, world.chair, pack_url(meeting, "agenda-docx"))).tables[0]
    )
    assert chair == {
        "1.": "10:00",
        "2.": "10:02",
        "3.": "10:04",
        "10.": "10:09",
        "14.": "10:14",
        "(b)": "10:24",
    }
    for user in (world.officer, world.analyst):
        agenda = document_of(get(client, user, pack_url(meeting, "agenda-docx")))
        assert _starts(agenda.tables[0]) == {n: t for n, t in chair.items() if n != "10."}
        pack = document_of(get(client, user, pack_url(meeting, "pack-docx")))
        assert _starts(pack.tables[0]) == {n: t for n, t in chair.items() if n != "10."}
        page = get(client, user, pack_url(meeting)).content.decode()
        assert "10:14" in page and "10:24" in page and "10:09" not in page
        for document in (agenda, pack):
            for secret in MARKED_WORDS:
                assert secret not in words(document), (user, secret)
    # The chair's pack without the marked items keeps the real times too.
    left_out = document_of(
        get(client, world.chair, pack_url(meeting, "agenda-docx"), {"leave_out_marked": "on"})
    )
    assert _starts(left_out.tables[0])["14."] == "10:14"


@pytest.mark.parametrize("name", ["pack", "pack-docx", "agenda-docx"])
def test_those_who_may_not_see_the_meeting_find_nothing(client, world, meetings, name):
    _, meeting = meetings
    for user in (world.other_chair, world.far_officer, world.no_person):
        get(client, user, pack_url(meeting, name), status=404)
    client.logout()
    assert client.get(pack_url(meeting, name)).status_code == 302
    wrong_day = reverse(f"meetingpack:{name}", args=[meeting.board_id, "2021-02-30"])
    get(client, world.chair, wrong_day, status=404)
    other_board = reverse(
        f"meetingpack:{name}", args=[world.other_board.pk, meeting.date.isoformat()]
    )
    get(client, world.administrator, other_board, status=404)


def test_the_pack_pages_queries_do_not_grow_with_the_meetings_records(client, world, meetings):
    previous, meeting = meetings
    url = pack_url(meeting)
    # The board's chair, who may write every subgroup's report; the partnership's officer,
    # who sees no marked item and may write none.
    readers = (world.chair, world.officer)

    def queries(user) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = {user: queries(user) for user in readers}
    for n in range(20):
        AgendaItem.objects.create(meeting=meeting, number=str(20 + n), title=f"Item {n}", order=9)
        AgendaItem.objects.create(meeting=previous, number=str(20 + n), title=f"Old {n}", order=9)
        action = MeetingAction.objects.create(meeting=previous, text=f"Action {n}")
        action.owners.add(world.pat)
        Attendance.objects.create(meeting=previous, name_as_written=f"Person {n}", kind="present")
        board = Board.objects.create(
            partnership=world.here, parent=world.board, name=f"Subgroup {n}", slug=f"sub-{n}"
        )
        SubgroupReport.objects.create(board=board, meeting=meeting, brief_update=f"Report {n}")
        Board.objects.create(
            partnership=world.here, parent=world.board, name=f"Silent {n}", slug=f"silent-{n}"
        )
    assert {user: queries(user) for user in readers} == before


def test_since_the_last_meeting_counts_from_the_boards_last_held_meeting(client, world, meetings):
    previous, _ = meetings
    for name in ("reporting:board-since", "reporting:board-pack"):
        response = get(client, world.chair, reverse(name, args=[world.board.pk]))
        assert response.context["since"] == previous.date
    # A plan's: its owning board's last meeting.
    response = get(client, world.chair, reverse("reporting:plan-since", args=[world.plan.slug]))
    assert response.context["since"] == previous.date
    assert "(the last meeting)" in response.content.decode()
    # A date given is the date used.
    response = get(
        client,
        world.chair,
        reverse("reporting:board-since", args=[world.board.pk]),
        {"since": days_ago(7).isoformat()},
    )
    assert response.context["since"] == days_ago(7)
    # A board with no meeting held still counts four weeks back.
    response = get(
        client, world.other_chair, reverse("reporting:board-since", args=[world.other_board.pk])
    )
    assert response.context["since"] == timezone.localdate() - datetime.timedelta(weeks=4)


def test_the_documents_print_in_libreoffice_with_the_marking_on_every_page(
    client, world, meetings, tmp_path
):
    """Word's and LibreOffice's readers are stricter than python-docx's: each document opens
    and prints, every page headed and footed with its marking and numbered."""
    _, meeting = meetings
    for name in ("agenda-docx", "pack-docx"):
        content = get(client, world.chair, pack_url(meeting, name)).content
        pdf = PdfReader(io.BytesIO(print_to_pdf(content, "docx", tmp_path)))
        pages = [page.extract_text() for page in pdf.pages]
        assert pages, name
        for number, text in enumerate(pages, start=1):
            assert text.count(MARKING) >= 2, (name, number)
            assert f"Page {number} of {len(pages)}" in text, (name, number)
        if name == "agenda-docx":
            assert "RESTRICTED: Update on LCPF" in pages[0]
