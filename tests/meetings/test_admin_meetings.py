"""The meetings' admin: what it writes goes through meetings.services, the pages' writes,
in the administrator's name and under their rules (a change they refuse is the admin's
usual error and writes nothing), and behind the door (should the admin let in other staff)
a marked agenda item is found only by those who may see it."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from actions.models import Marking
from boards.models import Role
from meetings.models import AgendaItem, Meeting, MeetingAction, MeetingStatus
from tests.actions.test_admin_write_path import form_data, post
from tests.factories import (
    BoardFactory,
    PartnershipFactory,
    PersonFactory,
    UserFactory,
    user_in_role,
)

pytestmark = pytest.mark.django_db


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def meeting():
    board = BoardFactory(partnership=PartnershipFactory(name="Here CSP"), name="Here board")
    meeting = Meeting.objects.create(board=board, date=datetime.date(2021, 9, 29))
    minutes = AgendaItem.objects.create(meeting=meeting, number="3", title="Minutes")
    AgendaItem.objects.create(
        meeting=meeting,
        number="11",
        order=1,
        title="Heathway Tensions",
        marking=Marking.OFFICIAL_SENSITIVE,
    )
    MeetingAction.objects.create(
        meeting=meeting, agenda_item=minutes, text="Jade Hodgson to update the forward plan"
    )
    return meeting


def test_a_meeting_and_its_inline_action_changed_in_the_admin_are_recorded_as_the_admins(
    client, meeting
):
    administrator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(administrator)
    address = url(Meeting, "change", meeting.pk)
    data = form_data(client, address, venue="MS Teams", online="on")
    data["actions_raised-0-status"] = MeetingAction.Status.COMPLETED

    post(client, address, data)

    meeting.refresh_from_db()
    assert (meeting.venue, meeting.online) == ("MS Teams", True)
    changed = meeting.history.first()
    assert (changed.venue, changed.history_user) == ("MS Teams", administrator)
    action = meeting.actions_raised.get()
    assert action.status == MeetingAction.Status.COMPLETED
    assert action.status_meeting == meeting  # where its status was set
    assert [row.history_user for row in action.history.all()][0] == administrator
    # The items were posted back unchanged: nothing written for them.
    assert all(item.history.count() == 1 for item in meeting.items.all())


def test_behind_the_door_a_marked_item_is_found_only_by_those_who_may_see_it(
    client, meeting, admin_open_to_staff
):
    marked = meeting.items.get(number="11")
    for sits_on_board, found in ((False, False), (True, True)):
        user = user_in_role(
            Role.OFFICER,
            partnerships=[meeting.board.partnership],
            boards=[meeting.board] if sits_on_board else [],
        )
        user.is_staff = True
        user.save()
        user.user_permissions.set(Permission.objects.filter(content_type__app_label="meetings"))
        client.force_login(user)
        listed = client.get(url(AgendaItem, "changelist"))
        assert listed.status_code == 200
        assert ("Heathway Tensions" in listed.content.decode()) is found
        unmarked = meeting.items.get(number="3")
        assert url(AgendaItem, "change", unmarked.pk) in listed.content.decode()
        page = client.get(url(AgendaItem, "change", marked.pk))
        assert (page.status_code == 200) is found
        if not found:  # as for a record that does not exist: to the index
            assert page.status_code == 302 and page["Location"] == reverse("admin:index")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def refused(response, reason: str) -> None:
    """The admin's usual error: the form again, with the reason, and no redirect."""
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please correct the error below." in page
    assert reason in page


def test_a_meetings_status_moved_back_in_the_admin_is_refused_with_all_else_posted(
    admin_client, meeting
):
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    rows = meeting.history.count()
    address = url(Meeting, "change", meeting.pk)
    data = form_data(admin_client, address, status=MeetingStatus.PLANNED, venue="MS Teams")
    data["actions_raised-0-status"] = MeetingAction.Status.COMPLETED

    refused(admin_client.post(address, data), "cannot go back to planned")

    meeting.refresh_from_db()
    assert (meeting.status, meeting.venue) == (MeetingStatus.HELD, "")
    assert meeting.history.count() == rows
    action = meeting.actions_raised.get()
    assert action.status == MeetingAction.Status.OPEN and action.history.count() == 1


def test_an_owner_of_another_partnership_is_refused_in_the_admin(admin_client, meeting):
    stranger = PersonFactory(name="Pat Elsewhere", partnerships=[PartnershipFactory()])
    action = meeting.actions_raised.get()
    address = url(MeetingAction, "change", action.pk)
    data = form_data(admin_client, address, owners=[stranger.pk], text="Changed")

    refused(admin_client.post(address, data), "Pat Elsewhere is not of Here CSP")

    action.refresh_from_db()
    assert list(action.owners.all()) == [] and action.text.startswith("Jade Hodgson")
    assert action.history.count() == 1


def test_an_action_added_in_the_admin_under_a_marked_item_takes_its_marking(admin_client, meeting):
    marked = meeting.items.get(number="11")
    address = url(MeetingAction, "add")
    data = form_data(
        admin_client,
        address,
        meeting=meeting.pk,
        agenda_item=marked.pk,
        text="Police to brief the board on Heathway",
        status=MeetingAction.Status.OPEN,
        marking=Marking.OFFICIAL,
        order=5,
        owners=[],
    )

    post(admin_client, address, data)

    added = MeetingAction.objects.get(text="Police to brief the board on Heathway")
    assert added.marking == Marking.OFFICIAL_SENSITIVE
    assert added.status_meeting == meeting


def test_a_second_meeting_of_the_board_on_the_same_day_is_refused_in_the_admin(
    admin_client, meeting
):
    address = url(Meeting, "add")
    data = form_data(
        admin_client,
        address,
        board=meeting.board.pk,
        date="2021-09-29",
        status=MeetingStatus.PLANNED,
    )

    response = admin_client.post(address, data)

    assert response.status_code == 200
    assert "Please correct the error" in response.content.decode()
    assert Meeting.objects.filter(board=meeting.board).count() == 1


def test_the_item_taking_matters_arising_is_moved_in_the_admin_through_the_services(
    admin_client, meeting
):
    """One item of a meeting takes them (a database constraint): given to another item, on
    its page or in the meeting's inline, the admin takes them from the one that had them,
    each change a history row in the administrator's name."""
    minutes, tensions = meeting.items.get(number="3"), meeting.items.get(number="11")
    AgendaItem.objects.filter(pk=minutes.pk).update(takes_matters_arising=True)
    address = url(AgendaItem, "change", tensions.pk)
    post(admin_client, address, form_data(admin_client, address, takes_matters_arising="on"))
    taking = meeting.items.filter(takes_matters_arising=True)
    assert list(taking.values_list("number", flat=True)) == ["11"]
    user = admin_client.session["_auth_user_id"]
    assert str(minutes.history.first().history_user_id) == user
    assert not minutes.history.first().takes_matters_arising

    # In the meeting's inline, moved back: the ticked one keeps them, whatever the order.
    address = url(Meeting, "change", meeting.pk)
    data = form_data(admin_client, address)
    numbers = {data[f"items-{i}-number"]: i for i in range(2)}
    data[f"items-{numbers['3']}-takes_matters_arising"] = "on"
    data.pop(f"items-{numbers['11']}-takes_matters_arising", None)
    post(admin_client, address, data)
    assert list(taking.values_list("number", flat=True)) == ["3"]


def test_two_items_ticked_at_once_in_the_inline_are_refused_and_nothing_is_written(
    admin_client, meeting
):
    """Ticked on two of the meeting's items in one save, the admin would otherwise leave
    matters arising on whichever it saved last: it says so and writes nothing."""
    minutes = meeting.items.get(number="3")
    AgendaItem.objects.filter(pk=minutes.pk).update(takes_matters_arising=True)
    address = url(Meeting, "change", meeting.pk)
    data = form_data(admin_client, address, venue="Changed venue")
    for i in range(2):
        data[f"items-{i}-takes_matters_arising"] = "on"
    before = AgendaItem.history.count()

    response = admin_client.post(address, data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Only one item takes matters arising" in page
    assert "untick all but one" in page
    assert list(meeting.items.filter(takes_matters_arising=True)) == [minutes]
    assert AgendaItem.history.count() == before
    meeting.refresh_from_db()
    assert meeting.venue != "Changed venue"
