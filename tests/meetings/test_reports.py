"""Subgroups' update reports for a board meeting: the form, the service and who may see or
write what (meetings/reports.py, meetings/views/reports.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions.models import Marking
from boards.models import Membership, Role
from meetings import services
from meetings.models import Meeting, SubgroupReport
from tests.factories import MembershipFactory, user_in_role

DAY = datetime.date(2021, 12, 8)
TEXT = {
    "brief_update": "The panel met twice.",
    "key_challenges": "Referrals are slow.",
    "emerging_trends": "More knife possession among under-18s.",
    "support_required": "A data-sharing agreement with health.",
}


@pytest.fixture
def meeting(world):
    return Meeting.objects.create(board=world.board, date=DAY)


@pytest.fixture
def sub_chair(world):
    user = user_in_role(Role.CHAIR, name="Suki Subgroup")
    MembershipFactory(board=world.subgroup, person=user.person, role=Membership.Role.CHAIR)
    return user


def url(meeting, subgroup, day=None):
    return reverse(
        "meetingpack:report", args=[meeting.board_id, day or meeting.date.isoformat(), subgroup.pk]
    )


def post(client, user, address, **changes):
    client.force_login(user)
    return client.post(address, {**TEXT, "marking": Marking.OFFICIAL, **changes})


def test_the_subgroup_chair_writes_the_report_and_history_names_them(
    client, world, meeting, sub_chair
):
    response = post(client, sub_chair, url(meeting, world.subgroup))
    assert response.status_code == 302
    # The subgroup's chair does not sit on the board, so does not see its meetings' packs:
    # sent back to the report, which they may read and change.
    assert response["Location"] == url(meeting, world.subgroup)
    assert "The panel met twice." in client.get(url(meeting, world.subgroup)).content.decode()
    report = SubgroupReport.objects.get()
    assert (report.board, report.meeting, report.author) == (
        world.subgroup,
        meeting,
        sub_chair.person,
    )
    assert {name: getattr(report, name) for name in TEXT} == TEXT
    assert report.history.get().history_user == sub_chair

    # Written again, the same report changes: one report, a second history row.
    post(client, sub_chair, url(meeting, world.subgroup), key_challenges="Fewer now.")
    report.refresh_from_db()
    assert SubgroupReport.objects.count() == 1
    assert report.key_challenges == "Fewer now."
    assert report.history.count() == 2


def test_the_board_chair_is_sent_to_the_pack(client, world, meeting):
    response = post(client, world.chair, url(meeting, world.subgroup))
    assert response["Location"] == reverse(
        "meetingpack:pack", args=[world.board.pk, DAY.isoformat()]
    )
    assert SubgroupReport.objects.get().author == world.chair.person


def test_the_form_shows_the_four_headings(client, world, meeting, sub_chair):
    client.force_login(sub_chair)
    page = client.get(url(meeting, world.subgroup)).content.decode()
    for label in (
        "Brief update",
        "Key challenges",
        "Emerging trends",
        "Support required from the board",
    ):
        assert label in page


@pytest.mark.parametrize(
    "changes, error",
    [
        (dict.fromkeys(TEXT, "  "), "Write the report under at least one of its headings"),
        ({"marking": "secret"}, "Choose one of the markings listed"),
        ({"marking": ""}, "Choose the report&#x27;s protective marking"),
        ({"brief_update": "x" * 20001}, "Ensure this value has at most 20000 characters"),
    ],
)
def test_a_report_in_error_writes_nothing(client, world, meeting, sub_chair, changes, error):
    response = post(client, sub_chair, url(meeting, world.subgroup), **changes)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert error in page
    assert not SubgroupReport.objects.exists()


def test_the_service_refuses_a_board_that_does_not_report_to_the_meetings(world, meeting):
    with pytest.raises(ValidationError):
        services.subgroup_report_save(
            meeting=meeting,
            subgroup=world.other_board,
            user=world.chair,
            marking=Marking.OFFICIAL,
            **TEXT,
        )
    with pytest.raises(ValidationError):
        services.subgroup_report_save(
            meeting=meeting,
            subgroup=world.subgroup,
            user=world.chair,
            marking=Marking.OFFICIAL,
            **dict.fromkeys(TEXT, ""),
        )
    assert not SubgroupReport.objects.exists()


def test_who_may_read_write_or_not_know_of_a_report(client, world, meeting, sub_chair):
    address = url(meeting, world.subgroup)
    # No report yet: those who may write it get the form; to anyone else it does not exist.
    for user in (world.chair, world.analyst, world.administrator, sub_chair):
        client.force_login(user)
        assert client.get(address).status_code == 200
    for user in (world.officer, world.other_chair, world.far_officer, world.no_person):
        client.force_login(user)
        assert client.get(address).status_code == 404
    client.logout()
    assert client.get(address).status_code == 302  # to sign in

    services.subgroup_report_save(
        meeting=meeting, subgroup=world.subgroup, user=sub_chair, marking=Marking.OFFICIAL, **TEXT
    )
    # Written, it is read by the partnership's officers, who may not change it.
    client.force_login(world.officer)
    page = client.get(address)
    assert page.status_code == 200
    assert "The panel met twice." in page.content.decode()
    assert "Save the report" not in page.content.decode()
    assert post(client, world.officer, address, brief_update="Changed").status_code == 403
    for user in (world.other_chair, world.far_officer):
        client.force_login(user)
        assert client.get(address).status_code == 404
        assert post(client, user, address).status_code == 404
    assert SubgroupReport.objects.get().brief_update == TEXT["brief_update"]


def test_a_marked_report_does_not_exist_for_those_who_may_not_see_it(
    client, world, meeting, sub_chair
):
    services.subgroup_report_save(
        meeting=meeting,
        subgroup=world.subgroup,
        user=world.chair,
        marking=Marking.OFFICIAL_SENSITIVE,
        **TEXT,
    )
    address = url(meeting, world.subgroup)
    client.force_login(world.chair)
    page = client.get(address).content.decode()
    assert "The panel met twice." in page
    assert "OFFICIAL-SENSITIVE" in page
    # The partnership's officer and analyst do not sit on the board: not found, and the
    # analyst, who could write a report, cannot overwrite one they may not read.
    for user in (world.officer, world.analyst):
        client.force_login(user)
        assert client.get(address).status_code == 404
        assert post(client, user, address, brief_update="Overwritten").status_code == 404
    assert SubgroupReport.objects.get().brief_update == TEXT["brief_update"]


@pytest.mark.parametrize("day", ["2021-12-09", "2021-13-01", "8-12-2021", "20211208"])
def test_a_meeting_that_is_not_there_is_not_found(client, world, meeting, day):
    client.force_login(world.chair)
    # Written out: the address's converter will not make one of a day that is not a date.
    address = f"/boards/{meeting.board_id}/meetings/{day}/reports/{world.subgroup.pk}/"
    assert client.get(address).status_code == 404


def test_a_board_that_is_not_a_subgroup_of_the_meetings_is_not_found(client, world, meeting):
    client.force_login(world.administrator)
    assert client.get(url(meeting, world.other_board)).status_code == 404
    assert client.get(url(meeting, world.board)).status_code == 404
