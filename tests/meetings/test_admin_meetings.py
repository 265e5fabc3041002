"""The meetings' admin: what it writes goes through meetings.record_services in the
administrator's name, and behind the door (should the admin let in other staff) a marked
agenda item is found only by those who may see it."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from actions.models import Marking
from boards.models import Role
from meetings.models import AgendaItem, Meeting, MeetingAction
from tests.actions.test_admin_write_path import form_data, post
from tests.factories import BoardFactory, PartnershipFactory, UserFactory, user_in_role

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
