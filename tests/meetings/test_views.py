"""A board's meetings pages (meetings/views/meetings.py): who may open each, what marked
items each shows and to whom, the running clock, the managers' forms, and query counts."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Marking
from meetings.models import AgendaItem, Attendance, Meeting, MeetingAction, StandingItem
from tests.helpers import date_fields, days_ago, get

SENSITIVE = Marking.OFFICIAL_SENSITIVE
Status = Meeting.Status
ActionStatus = MeetingAction.Status
BANNER = "OFFICIAL-SENSITIVE: this page contains sensitive information"
TAG = "govuk-tag--orange app-marking-tag"
MARKED_WORDS = ("Heathway Tensions", "Marked follow-up", "Prevent update", "Covert standing")


def item(meeting, number, title, minutes=None, marking=Marking.OFFICIAL, order=0, **values):
    return AgendaItem.objects.create(
        meeting=meeting,
        number=number,
        title=title,
        minutes_allowed=minutes,
        marking=marking,
        order=order,
        presenter_as_written="Chair",
        **values,
    )


@pytest.fixture
def meetings(world):
    """The CSP board's September meeting (held: minutes, a marked item, an open action and
    a marked one) and its next meeting (planned, from 10:00, a marked item in its agenda);
    and a standing item, marked."""
    september = Meeting.objects.create(
        board=world.board, date=datetime.date(2021, 9, 29), status=Status.HELD
    )
    item(september, "3", "Minutes", 5, order=0, takes_matters_arising=True)
    plan_item = item(september, "10", "Forward plan", 5, order=1)
    tensions = item(september, "11", "Heathway Tensions", 10, SENSITIVE, order=2)
    MeetingAction.objects.create(
        meeting=september,
        agenda_item=plan_item,
        text="Share the women's safety survey",
        owners_as_written="Chris Lyons",
    )
    MeetingAction.objects.create(
        meeting=september, agenda_item=tensions, text="Marked follow-up", marking=SENSITIVE
    )
    Attendance.objects.create(
        meeting=september, name_as_written="Councillor Mullane", kind="present", role="chair"
    )
    upcoming = Meeting.objects.create(
        board=world.board, date=days_ago(-30), start_time=datetime.time(10, 0)
    )
    item(upcoming, "1", "Introductions", 2, order=0)
    item(upcoming, "3", "Minutes", 5, order=1, takes_matters_arising=True)
    item(upcoming, "12", "Prevent update", 10, SENSITIVE, order=2)
    item(upcoming, "13", "Forward plan", 5, order=3)
    StandingItem.objects.create(board=world.board, title="Covert standing", marking=SENSITIVE)
    return september, upcoming


def url(name, meeting=None, *args, board=None):
    if meeting is None:
        return reverse(f"meetings:{name}", args=[board.pk, *args])
    return reverse(f"meetings:{name}", args=[meeting.board_id, meeting.date, *args])


def reading_pages(world, meetings):
    september, upcoming = meetings
    return [
        url("board-meetings", board=world.board),
        url("action-log", board=world.board),
        url("meeting", september),
        url("meeting", upcoming),
        url("agenda-print", upcoming),
    ]


def test_each_page_for_managers_readers_and_those_who_may_not_see_the_board(
    client, world, meetings
):
    for page in reading_pages(world, meetings):
        for user in (world.chair, world.officer, world.analyst, world.administrator):
            get(client, user, page)
        for user in (world.other_chair, world.far_officer, world.no_person):
            get(client, user, page, status=404)
    # Another partnership's board: its meetings do not exist here.
    far = Meeting.objects.create(board=world.far_board, date=datetime.date(2021, 9, 29))
    get(client, world.officer, url("meeting", far), status=404)
    get(client, world.officer, url("board-meetings", board=world.far_board), status=404)
    # No meeting that day, or no such date.
    get(client, world.chair, f"/boards/{world.board.pk}/meetings/2021-09-30/", status=404)
    get(client, world.chair, f"/boards/{world.board.pk}/meetings/2021-02-30/", status=404)


def test_the_managers_forms_are_forbidden_to_readers_and_hidden_from_others(
    client, world, meetings
):
    september, upcoming = meetings
    forms = [
        url("meeting-add", board=world.board),
        url("standing-items", board=world.board),
        url("meeting-set-up", upcoming),
        url("meeting-edit", september),
        url("attendance", september),
        url("item-add", september),
        url("action-add", september),
        url("item-minutes", september, september.items.get(title="Minutes").pk),
    ]
    for page in forms:
        get(client, world.chair, page)
        get(client, world.analyst, page)
        get(client, world.officer, page, status=403)
        get(client, world.other_chair, page, status=404)
        get(client, world.far_officer, page, status=404)
        client.force_login(world.officer)
        assert client.post(page, {}).status_code == 403
    # A meeting that is no longer a forward-plan entry cannot be set up from one.
    get(client, world.chair, url("meeting-set-up", september), status=404)


def test_marked_items_and_actions_are_not_found_by_those_who_may_not_see_them(
    client, world, meetings
):
    september, _ = meetings
    tensions = september.items.get(title="Heathway Tensions")
    marked = MeetingAction.objects.get(text="Marked follow-up")
    standing = StandingItem.objects.get()
    for page in (
        url("item-edit", september, tensions.pk),
        url("item-minutes", september, tensions.pk),
        reverse("meetings:standing-item-edit", args=[world.board.pk, standing.pk]),
    ):
        get(client, world.chair, page)
        # The analyst manages the board's meetings but does not sit on the board.
        get(client, world.analyst, page, status=404)
    client.force_login(world.analyst)
    for page in (
        url("item-remove", september, tensions.pk),
        url("item-move", september, tensions.pk),
        url("action-status", september, marked.pk),
    ):
        assert client.post(page, {"status": "completed", "direction": "up"}).status_code == 404
    assert september.items.filter(pk=tensions.pk).exists()
    marked.refresh_from_db()
    assert marked.status == ActionStatus.OPEN


# What differs between two renderings of the same page: the CSP nonce and CSRF tokens.
_VOLATILE = re.compile(r'(nonce|value)="[A-Za-z0-9+/=_-]{16,}"')


def rendered(client, user, urls) -> dict[str, str]:
    client.force_login(user)
    texts = {}
    for page in urls:
        response = client.get(page)
        assert response.status_code == 200, page
        texts[page] = _VOLATILE.sub(r'\1="-"', response.content.decode())
    return texts


def test_pages_for_those_who_may_not_see_marked_items_are_as_if_they_did_not_exist(
    client, world, meetings
):
    urls = reading_pages(world, meetings)
    readers = (world.officer, world.analyst)
    with_marked = {user.pk: rendered(client, user, urls) for user in readers}
    for text in with_marked[world.officer.pk].values():
        for words in MARKED_WORDS:
            assert words not in text
        assert BANNER not in text and TAG not in text

    # Whatever a marked item says, their pages are the same: nothing of it is shown (its
    # time allowed alone counts, in the running clock of the items after it).
    AgendaItem.objects.filter(marking=SENSITIVE).update(
        number="99",
        title="Changed title",
        description="Changed description",
        presenter_as_written="Changed presenter",
        pages="1 - 999",
        minutes="Changed minutes",
        report="Changed report",
    )
    for user in readers:
        assert rendered(client, user, urls) == with_marked[user.pk], user

    # Without the marked records at all, the pages differ in the start times of the items
    # after the marked one alone (the clock counts every item, so the real times are
    # shown): no list, count or marking says a marked record existed.
    MeetingAction.objects.filter(marking=SENSITIVE).delete()
    AgendaItem.objects.filter(marking=SENSITIVE).delete()
    StandingItem.objects.filter(marking=SENSITIVE).delete()
    for user in readers:
        without = rendered(client, user, urls)
        for page, text in without.items():
            assert _times(text) == _times(with_marked[user.pk][page]), (user, page)
        upcoming = url("meeting", meetings[1])
        assert without[upcoming] != with_marked[user.pk][upcoming]  # 13. starts at 10:07


# A start time of the running clock in an agenda's cell.
_START = re.compile(r'(<td class="govuk-table__cell">)\d\d:\d\d(</td>)')


def _times(text: str) -> str:
    return _START.sub(r"\1HH:MM\2", text)


def test_those_who_may_see_marked_items_see_them_marked_with_a_banner(client, world, meetings):
    september, upcoming = meetings
    for page, words in (
        (url("meeting", september), ["Heathway Tensions", "Marked follow-up"]),
        (url("meeting", upcoming), ["Prevent update", "Marked follow-up"]),
        (url("agenda-print", upcoming), ["Prevent update"]),
        (url("action-log", board=world.board), ["Marked follow-up"]),
        (url("board-meetings", board=world.board), ["Prevent update", "Covert standing"]),
    ):
        text = get(client, world.chair, page).content.decode()
        assert BANNER in text and TAG in text, page
        for word in words:
            assert word in text, (page, word)


def test_the_running_clock_counts_every_item_so_every_reader_sees_the_real_times(
    client, world, meetings
):
    """The clock counts the marked item too (the lead's decision, issue 13): the officer,
    who may not see item 12, sees item 13 start at 10:17, as the chair does, and not at
    10:07; the marked item's title is still on neither of their pages."""
    _, upcoming = meetings
    t = datetime.time

    def starts(user, name):
        response = get(client, user, url(name, upcoming))
        return {item.number: start for item, start, *_ in response.context["clock"]}, response

    for name in ("agenda-print", "meeting"):
        chair, _ = starts(world.chair, name)
        officer, page = starts(world.officer, name)
        assert chair == {"1": t(10, 0), "3": t(10, 2), "12": t(10, 7), "13": t(10, 17)}
        assert officer == {number: chair[number] for number in ("1", "3", "13")}
        assert "17:" not in page.content.decode() and "10:17" in page.content.decode()
        assert "Prevent update" not in page.content.decode()
    upcoming.start_time = None
    upcoming.save()
    assert set(starts(world.chair, "agenda-print")[0].values()) == {None}


def test_matters_arising_sit_under_the_item_that_takes_them_not_by_its_title(
    client, world, meetings
):
    """The item the agenda says takes them, whatever its title; with none, after the
    agenda, even with an item called "Minutes"."""
    _, upcoming = meetings
    minutes = upcoming.items.get(title="Minutes")
    forward = upcoming.items.get(title="Forward plan")
    AgendaItem.objects.filter(pk=minutes.pk).update(takes_matters_arising=False)
    AgendaItem.objects.filter(pk=forward.pk).update(takes_matters_arising=True)
    text = get(client, world.officer, url("meeting", upcoming)).content.decode()
    arising = text.index('id="matters-arising"')
    assert text.index(">13. Forward plan") < arising < text.index('id="actions"')
    assert text.count('id="matters-arising"') == 1

    AgendaItem.objects.filter(pk=forward.pk).update(takes_matters_arising=False)
    response = get(client, world.officer, url("meeting", upcoming))
    assert response.context["arising_item"] is None
    text = response.content.decode()
    # After the last item's minutes, at the page's level, not inside item 3's section.
    assert text.index(">13. Forward plan") < text.index('id="matters-arising"')
    assert '<h3 class="govuk-heading-s" id="matters-arising">' in text


def test_a_marked_item_taking_matters_arising_is_not_named_to_those_who_may_not_see_it(
    client, world, meetings
):
    _, upcoming = meetings
    AgendaItem.objects.filter(meeting=upcoming).update(takes_matters_arising=False)
    AgendaItem.objects.filter(meeting=upcoming, title="Prevent update").update(
        takes_matters_arising=True
    )
    response = get(client, world.officer, url("meeting", upcoming))
    assert response.context["arising_item"] is None
    assert "Prevent update" not in response.content.decode()
    assert "Share the women" in response.content.decode()  # still listed, after the agenda
    response = get(client, world.chair, url("meeting", upcoming))
    assert response.context["arising_item"].title == "Prevent update"


def test_the_item_form_gives_matters_arising_to_an_item_and_takes_them_from_another(
    client, world, meetings
):
    _, upcoming = meetings
    forward = upcoming.items.get(title="Forward plan")
    client.force_login(world.chair)
    form = client.get(url("item-edit", upcoming, forward.pk)).context["form"]
    assert form.initial["takes_matters_arising"] is False
    data = {
        "number": "13",
        "title": "Forward plan",
        "presenter_as_written": "Chair",
        "minutes_allowed": "5",
        "marking": Marking.OFFICIAL,
        "takes_matters_arising": "on",
    }
    response = client.post(url("item-edit", upcoming, forward.pk), data)
    assert response.status_code == 302
    taking = upcoming.items.filter(takes_matters_arising=True)
    assert list(taking.values_list("title", flat=True)) == ["Forward plan"]
    minutes = upcoming.items.get(title="Minutes")
    assert AgendaItem.history.filter(id=minutes.pk).first().history_user == world.chair
    # A new item, ticked, takes them in turn; a standing item's form offers it too.
    response = client.post(url("item-add", upcoming), {**data, "title": "Action log"})
    assert list(taking.values_list("title", flat=True)) == ["Action log"]
    page = client.get(reverse("meetings:standing-items", args=[world.board.pk]))
    assert "takes_matters_arising" in page.context["form"].fields


def test_matters_arising_sit_under_the_minutes_item_with_where_they_came_from(
    client, world, meetings
):
    september, upcoming = meetings
    response = get(client, world.officer, url("meeting", upcoming))
    arising = response.context["arising"]
    assert [action.text for action in arising] == ["Share the women's safety survey"]
    text = response.content.decode()
    minutes = text.index('id="matters-arising"')
    assert text.index(">3. Minutes") < minutes < text.index(">13. Forward plan")
    assert "29 September 2021" in text[minutes:]
    # Readers get no buttons; managers do.
    assert "Carry forward" not in text
    assert "Carry forward" in get(client, world.chair, url("meeting", upcoming)).content.decode()


def test_a_chair_sets_up_the_next_meeting_and_minutes_it(client, world, meetings):
    september, upcoming = meetings
    StandingItem.objects.create(board=world.board, title="Violence performance", order=1)
    client.force_login(world.chair)
    data = {
        **date_fields("date", upcoming.date),
        "time_as_written": "10:00 am - 1:00 pm",
        "start_time": "10:00",
        "end_time": "13:00",
        "venue": "Barking Learning Centre",
        "chair": "",
    }
    response = client.post(url("meeting-set-up", upcoming), data)
    assert response.status_code == 302
    titles = list(upcoming.items.values_list("title", flat=True))
    assert titles[-2:] == ["Covert standing", "Violence performance"]
    assert Meeting.history.filter(id=upcoming.pk).first().history_user == world.chair

    # Attendance, with a name that is exactly a person of the partnership linked to them.
    response = client.post(
        url("attendance", september),
        {
            "present": "Councillor Mullane\r\nPat Example\r\nJade Hodgson",
            "apologies": "Kevin MaKambe",
            "additional": "",
            "chair": "Councillor Mullane",
            "note_taker": "Jade Hodgson",
        },
    )
    assert response.status_code == 302
    rows = {row.name_as_written: row for row in september.attendance.all()}
    assert rows["Pat Example"].person == world.pat
    assert (rows["Jade Hodgson"].role, rows["Kevin MaKambe"].kind) == ("note_taker", "apologies")

    # An apology cannot chair: refused, nothing written.
    before = Attendance.history.count()
    response = client.post(
        url("attendance", september),
        {"present": "A", "apologies": "B", "additional": "", "chair": "B", "note_taker": ""},
    )
    assert response.status_code == 200
    assert "B is not among those present" in response.content.decode()
    assert Attendance.history.count() == before

    minutes = september.items.get(title="Forward plan")
    response = client.post(
        url("item-minutes", september, minutes.pk), {"minutes": "The board reviewed it."}
    )
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.minutes == "The board reviewed it."

    tensions = september.items.get(title="Heathway Tensions")
    response = client.post(
        url("action-add", september),
        {
            "text": "Paul Trevers to brief the ward panel",
            "owners_as_written": "Paul Trevers",
            "agenda_item": tensions.pk,
            "marking": Marking.OFFICIAL,
        },
    )
    assert response.status_code == 302
    added = MeetingAction.objects.get(text="Paul Trevers to brief the ward panel")
    assert added.marking == SENSITIVE  # raised under a marked item

    # Completing September's open action at the next meeting.
    survey = MeetingAction.objects.get(text="Share the women's safety survey")
    response = client.post(
        url("action-status", upcoming, survey.pk), {"status": ActionStatus.COMPLETED}
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.status, survey.status_meeting) == (ActionStatus.COMPLETED, upcoming)
    log = get(client, world.chair, url("action-log", board=world.board)).content.decode()
    assert f"Completed at the meeting of {upcoming.date.day}" in log
    # A status that is not one is refused and changes nothing.
    client.post(url("action-status", upcoming, survey.pk), {"status": "done"})
    survey.refresh_from_db()
    assert survey.status == ActionStatus.COMPLETED


def test_an_analyst_cannot_mark_what_they_may_not_see_and_items_move_around_hidden_ones(
    client, world, meetings
):
    _, upcoming = meetings
    client.force_login(world.analyst)
    form = client.get(url("item-add", upcoming)).context["form"]
    assert "marking" not in form.fields
    forward = upcoming.items.get(title="Forward plan")
    response = client.post(url("item-move", upcoming, forward.pk), {"direction": "up"})
    assert response.status_code == 302
    assert list(upcoming.items.values_list("title", flat=True)) == [
        "Introductions",
        "Forward plan",
        "Prevent update",
        "Minutes",
    ]


def test_refused_forms_say_why_and_write_nothing(client, world, meetings):
    september, upcoming = meetings
    client.force_login(world.chair)
    before = Meeting.history.count()
    response = client.post(
        url("meeting-add", board=world.board),
        {**date_fields("date", september.date), "start_time": "10:00", "end_time": "09:00"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "The end time must be after the start time" in text
    response = client.post(
        url("meeting-add", board=world.board), date_fields("date", september.date)
    )
    assert "already has a meeting on 29 September 2021" in response.content.decode()
    response = client.post(
        url("meeting-edit", september),
        {**date_fields("date", september.date), "status": Status.PLANNED},
    )
    assert "cannot go back to planned" in response.content.decode()
    assert Meeting.history.count() == before


# The queries of a chair's request, counting the session, the user and their access (see
# actions.permissions.access_for). The meeting page: the meeting, its items and their
# presenters, the actions raised and their owners, the matters arising and their owners,
# those settled at it, attendance, whether the chair manages the board, the previous held
# meeting. The board's page: the board, its meetings, their items (for the forward plan),
# standing items, managing. The log: the board, the actions and their owners, their history
# and the meetings it names.
PINNED = {"meeting": 16, "board-meetings": 9, "action-log": 9}


@pytest.mark.parametrize("name", ["meeting", "board-meetings", "action-log"])
def test_query_counts_stay_flat(client, world, name):
    """The same number of queries for a meeting of 2 items, actions and attendees as for
    one of 20 (and for a board with 3 or 23 of each across its meetings)."""

    def build(size, when):
        meeting = Meeting.objects.create(board=world.board, date=when, status=Status.HELD)
        for n in range(size):
            it = item(meeting, str(n), f"Item {n}", 5, order=n)
            it.presenters.add(world.pat)
            action = MeetingAction.objects.create(meeting=meeting, agenda_item=it, text=f"A{n}")
            action.owners.add(world.pat)
            Attendance.objects.create(meeting=meeting, name_as_written=f"P{n}", kind="present")
        return meeting

    def count(meeting):
        client.force_login(world.chair)
        page = url(name, meeting) if name == "meeting" else url(name, board=world.board)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries)

    # An earlier meeting, so that each has matters arising (a prefetch runs only for some).
    build(1, datetime.date(2021, 3, 1))
    small = count(build(2, datetime.date(2021, 6, 30)))
    large = count(build(20, datetime.date(2021, 9, 29)))
    assert small == large == PINNED[name]


def test_the_forward_plan_lists_the_meetings_to_come_with_their_items_and_presenters(
    client, world, meetings
):
    september, upcoming = meetings
    response = get(client, world.officer, url("board-meetings", board=world.board))
    assert [meeting for meeting, _ in response.context["forward"]] == [upcoming]
    assert [meeting for meeting in response.context["past"]] == [september]
    _, items = response.context["forward"][0]
    assert [item.title for item in items] == ["Introductions", "Minutes", "Forward plan"]
    text = response.content.decode()
    assert url("meeting", upcoming) in text and url("meeting", september) in text
    # Readers are not offered the managers' links.
    assert url("meeting-set-up", upcoming) not in text
    assert url("meeting-add", board=world.board) not in text
    managing = get(client, world.chair, url("board-meetings", board=world.board))
    assert url("meeting-set-up", upcoming) in managing.content.decode()


def test_the_board_dashboard_and_the_boards_list_link_to_the_meetings(client, world):
    meetings_page = url("board-meetings", board=world.board)
    dashboard = get(
        client, world.officer, reverse("reporting:board-dashboard", args=[world.board.pk])
    )
    assert meetings_page in dashboard.content.decode()
    boards = get(client, world.officer, reverse("reporting:board-list"))
    assert meetings_page in boards.content.decode()


def test_items_are_removed_from_their_change_pages_in_the_managers_name(client, world, meetings):
    september, _ = meetings
    forward = september.items.get(title="Forward plan")
    standing = StandingItem.objects.get()
    client.force_login(world.chair)
    page = client.get(url("item-edit", september, forward.pk)).content.decode()
    assert url("item-remove", september, forward.pk) in page
    assert client.post(url("item-remove", september, forward.pk)).status_code == 302
    assert not september.items.filter(pk=forward.pk).exists()
    # The action raised under it stays in the log.
    assert MeetingAction.objects.filter(text="Share the women's safety survey").exists()
    removed = AgendaItem.history.filter(id=forward.pk).first()
    assert (removed.history_type, removed.history_user) == ("-", world.chair)
    remove = reverse("meetings:standing-item-remove", args=[world.board.pk, standing.pk])
    edit = reverse("meetings:standing-item-edit", args=[world.board.pk, standing.pk])
    assert remove in client.get(edit).content.decode()
    assert client.post(remove).status_code == 302
    assert not StandingItem.objects.exists()


def test_the_meeting_page_links_to_its_pack_and_documents(client, world, meetings):
    _, upcoming = meetings
    page = get(client, world.officer, url("meeting", upcoming)).content.decode()
    for name in ("pack", "pack-docx", "agenda-docx"):
        address = reverse(f"meetingpack:{name}", args=[upcoming.board_id, upcoming.date])
        assert address in page
        # ...and each answers the reader who followed it.
        assert client.get(address).status_code == 200


def test_a_minuted_action_is_corrected_from_the_meeting_page_keeping_its_status(
    client, world, meetings
):
    september, _ = meetings
    action = MeetingAction.objects.get(text="Share the women's safety survey")
    action.status = ActionStatus.CARRIED_FORWARD
    action.save()
    client.force_login(world.chair)
    page = client.get(url("meeting", september)).content.decode()
    edit = url("action-edit", september, action.pk)
    assert edit in page
    form = client.get(edit).content.decode()
    assert "Share the women&#x27;s safety survey" in form and "Chris Lyons" in form

    response = client.post(
        edit,
        {
            "text": "Share the women's safety survey with the ward panels",
            "owners_as_written": "Chris Lyons and Jade Hodgson",
            **date_fields("due_date", datetime.date(2022, 1, 31)),
            "agenda_item": action.agenda_item_id,
            "marking": Marking.OFFICIAL,
        },
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.text == "Share the women's safety survey with the ward panels"
    assert action.owners_as_written == "Chris Lyons and Jade Hodgson"
    assert action.due_date == datetime.date(2022, 1, 31)
    assert action.status == ActionStatus.CARRIED_FORWARD
    assert action.history.first().history_user == world.chair
    # Readers see no link to change it.
    assert edit not in get(client, world.officer, url("meeting", september)).content.decode()


def test_an_empty_action_is_refused_and_nothing_changes(client, world, meetings):
    september, _ = meetings
    action = MeetingAction.objects.get(text="Share the women's safety survey")
    client.force_login(world.chair)
    response = client.post(
        url("action-edit", september, action.pk), {"text": "  ", "marking": Marking.OFFICIAL}
    )
    assert response.status_code == 200
    assert "Enter the action" in response.content.decode()
    action.refresh_from_db()
    assert action.text == "Share the women's safety survey"


def test_a_marked_action_cannot_be_changed_or_removed_by_a_manager_who_may_not_see_it(
    client, world, meetings
):
    september, _ = meetings
    marked = MeetingAction.objects.get(text="Marked follow-up")
    get(client, world.analyst, url("action-edit", september, marked.pk), status=404)
    assert client.post(url("action-remove", september, marked.pk)).status_code == 404
    assert client.post(url("action-edit", september, marked.pk), {"text": "x"}).status_code == 404
    marked.refresh_from_db()
    assert marked.text == "Marked follow-up"


def test_an_action_minuted_by_mistake_is_removed_in_the_managers_name(client, world, meetings):
    september, _ = meetings
    action = MeetingAction.objects.get(text="Share the women's safety survey")
    client.force_login(world.officer)
    assert client.post(url("action-remove", september, action.pk)).status_code == 403
    client.force_login(world.chair)
    assert (
        url("action-remove", september, action.pk)
        in client.get(url("action-edit", september, action.pk)).content.decode()
    )

    assert client.post(url("action-remove", september, action.pk)).status_code == 302

    assert not MeetingAction.objects.filter(pk=action.pk).exists()
    removed = MeetingAction.history.filter(id=action.pk).first()
    assert (removed.history_type, removed.history_user) == ("-", world.chair)


def test_a_planned_meeting_is_removed_from_the_forward_plan_but_a_held_one_is_not(
    client, world, meetings
):
    september, upcoming = meetings
    client.force_login(world.chair)
    assert (
        url("meeting-remove", upcoming)
        in client.get(url("meeting-edit", upcoming)).content.decode()
    )
    assert (
        url("meeting-remove", september)
        not in client.get(url("meeting-edit", september)).content.decode()
    )

    response = client.post(url("meeting-remove", september), follow=True)
    assert "has been held, so it keeps its attendance, minutes and actions" in (
        response.content.decode()
    )
    assert Meeting.objects.filter(pk=september.pk).exists()

    assert client.post(url("meeting-remove", upcoming)).status_code == 302
    assert not Meeting.objects.filter(pk=upcoming.pk).exists()
    assert not AgendaItem.objects.filter(meeting_id=upcoming.pk).exists()
    removed = Meeting.history.filter(id=upcoming.pk).first()
    assert (removed.history_type, removed.history_user) == ("-", world.chair)


def test_a_name_written_otherwise_is_linked_by_hand_and_keeps_its_link(client, world, meetings):
    september, _ = meetings
    client.force_login(world.chair)
    attendance = {
        "present": "Councillor Mullane\r\nP. Example",
        "apologies": "",
        "additional": "",
        "chair": "Councillor Mullane",
        "note_taker": "",
    }
    assert client.post(url("attendance", september), attendance).status_code == 302
    written = september.attendance.get(name_as_written="P. Example")
    assert written.person is None  # not the partnership's name for anyone
    page = url("attendance-people", september)
    assert page in client.get(url("meeting", september)).content.decode()
    form = client.get(page).content.decode()
    assert "P. Example (present)" in form and "Sam Example" in form
    # Nobody of another partnership is offered.
    assert world.far_officer.person.name not in form

    assert client.post(page, {f"person_{written.pk}": world.pat.pk}).status_code == 302

    written.refresh_from_db()
    assert written.person == world.pat
    assert written.history.first().history_user == world.chair
    # Saving the names again keeps the link made by hand.
    assert client.post(url("attendance", september), attendance).status_code == 302
    assert september.attendance.get(name_as_written="P. Example").person == world.pat


def test_a_person_of_another_partnership_cannot_be_linked(client, world, meetings):
    september, _ = meetings
    row = Attendance.objects.get(meeting=september)
    client.force_login(world.chair)
    response = client.post(
        url("attendance-people", september), {f"person_{row.pk}": world.far_officer.person.pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    row.refresh_from_db()
    assert row.person is None
    get(client, world.officer, url("attendance-people", september), status=403)
