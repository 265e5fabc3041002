"""Reminders before each board meeting (meetings/reminders.py, `manage.py send_reminders`):
one email per action lead per meeting listing their overdue, stale or red actions in the
board's scope, one per subgroup chair whose subgroup has not reported, never twice."""

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from actions.models import Marking
from actions.rag import RAG
from boards.models import Board, Membership, Role
from meetings.models import Meeting, Reminder, SubgroupReport
from tests.factories import MembershipFactory, ProgressUpdateFactory, user_in_role
from tests.helpers import days_ago

SENSITIVE = Marking.OFFICIAL_SENSITIVE


@pytest.fixture
def setup(world, settings):
    settings.SITE_URL = "https://plans.example.org"
    settings.MEETING_REMINDER_DAYS = 10
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for person, email in ((world.pat, "pat@example.org"), (world.sam, "sam@example.org")):
        person.email = email
        person.save()
    # Pat leads a1 (red, overdue), the subgroup-monitored m1 (amber, never updated: stale),
    # c1 (updated yesterday, not red: needs nothing) and u1 (stale, but in a plan the board
    # neither owns nor monitors). Sam leads the marked bx2 (red, overdue).
    for action in (world.m1, world.c1, world.u1):
        action.lead_people.add(world.pat)
    meeting = Meeting.objects.create(board=world.board, date=days_ago(-5))
    Meeting.objects.create(board=world.board, date=days_ago(-20))  # too far ahead
    Meeting.objects.create(board=world.board, date=days_ago(3), status=Meeting.Status.HELD)
    sub_chair = user_in_role(Role.CHAIR, name="Suki Subgroup", email="suki@example.org")
    MembershipFactory(board=world.subgroup, person=sub_chair.person, role=Membership.Role.CHAIR)
    # A subgroup that has reported: its chair is not reminded.
    reported = Board.objects.create(
        partnership=world.here, parent=world.board, name="Test reported subgroup", slug="done"
    )
    done_chair = user_in_role(Role.CHAIR, name="Dana Done", email="dana@example.org")
    MembershipFactory(board=reported, person=done_chair.person, role=Membership.Role.CHAIR)
    SubgroupReport.objects.create(board=reported, meeting=meeting, brief_update="Done")
    return meeting


def run() -> str:
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


def by_recipient() -> dict[str, list]:
    sent = {}
    for message in mail.outbox:
        (to,) = message.to
        sent.setdefault(to, []).append(message)
    return sent


def test_each_lead_and_subgroup_chair_gets_one_email_with_the_right_actions(world, setup):
    meeting = setup
    assert run().startswith("Sent 3 reminder(s); 0 had been sent already.")
    sent = by_recipient()
    assert sorted(sent) == ["pat@example.org", "sam@example.org", "suki@example.org"]
    assert all(len(messages) == 1 for messages in sent.values())

    (pat,) = sent["pat@example.org"]
    assert pat.subject == f"Test CSP board on {meeting.date:%-d %B %Y}: 2 actions to update"
    assert "Daily violence meeting" in pat.body
    assert "Exploitation screening" in pat.body
    for not_listed in ("Safer routes to school", "Licensing checks", "Protectively marked"):
        assert not_listed not in pat.body
    assert "Why: overdue" in pat.body and "; red" in pat.body
    assert "no progress update yet" in pat.body  # m1, never updated
    update_url = "https://plans.example.org" + reverse("actions:action-update", args=[world.a1.pk])
    assert f"Update it: {update_url}" in pat.body

    # The marked action goes to its named lead, who may see it, and to nobody else.
    (sam,) = sent["sam@example.org"]
    assert "Protectively marked operation" in sam.body
    assert sam.subject.endswith("1 action to update")

    (suki,) = sent["suki@example.org"]
    assert "Test violence subgroup" in suki.subject
    report_url = "https://plans.example.org" + reverse(
        "meetingpack:report", args=[world.board.pk, meeting.date.isoformat(), world.subgroup.pk]
    )
    assert f"Write it here: {report_url}" in suki.body

    # What was sent is recorded, with the actions listed.
    pat_reminder = Reminder.objects.get(person=world.pat)
    assert (pat_reminder.meeting, pat_reminder.kind, pat_reminder.email) == (
        meeting,
        Reminder.Kind.ACTIONS,
        "pat@example.org",
    )
    assert set(pat_reminder.actions.all()) == {world.a1, world.m1}


def test_a_second_run_sends_nothing(world, setup):
    run()
    assert len(mail.outbox) == 3
    assert run().startswith("Sent 0 reminder(s); 3 had been sent already.")
    assert len(mail.outbox) == 3
    # Even when another action of Pat's turns red since: one email per lead per meeting.
    world.c1.rag = RAG.RED
    world.c1.save()
    run()
    assert len(mail.outbox) == 3
    assert Reminder.objects.count() == 3


def test_no_reminders_outside_the_days_before_a_meeting(world, setup, settings):
    settings.MEETING_REMINDER_DAYS = 4  # the meeting is in 5 days
    assert run().startswith("Sent 0 reminder(s)")
    assert mail.outbox == []


def test_leads_with_no_email_address_are_not_sent_one(world, setup):
    world.sam.email = ""
    world.sam.save()
    run()
    assert "sam@example.org" not in by_recipient()
    assert not Reminder.objects.filter(person=world.sam).exists()


def test_an_email_that_could_not_be_sent_is_not_recorded_and_goes_next_time(
    world, setup, monkeypatch
):
    from meetings import reminders

    real = reminders.send_mail

    def refuse_pat(subject, body, sender, to):
        if to == ["pat@example.org"]:
            raise OSError("mail server refused")
        return real(subject, body, sender, to)

    monkeypatch.setattr(reminders, "send_mail", refuse_pat)
    with pytest.raises(CommandError, match="pat@example.org: mail server refused"):
        run()
    assert sorted(by_recipient()) == ["sam@example.org", "suki@example.org"]
    assert not Reminder.objects.filter(person=world.pat).exists()

    monkeypatch.setattr(reminders, "send_mail", real)
    assert run().startswith("Sent 1 reminder(s); 2 had been sent already.")
    assert len(by_recipient()["pat@example.org"]) == 1


def test_the_database_refuses_a_second_record_of_the_same_reminder(world, setup):
    from django.db import IntegrityError, transaction

    meeting = setup
    Reminder.objects.create(
        meeting=meeting, kind=Reminder.Kind.ACTIONS, person=world.pat, email="pat@example.org"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            meeting=meeting, kind=Reminder.Kind.ACTIONS, person=world.pat, email="p@example.org"
        )
    # A report reminder must name its subgroup.
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            meeting=meeting, kind=Reminder.Kind.REPORT, person=world.pat, email="pat@example.org"
        )


def test_a_held_meeting_gets_no_reminders(world, setup):
    meeting = setup
    meeting.status = Meeting.Status.HELD
    meeting.save()
    assert run().startswith("Sent 0 reminder(s)")
    assert mail.outbox == []


def test_a_lead_is_reminded_as_their_own_updates_marked_or_not_say(world, setup, settings):
    # m1's only updates are marked on their own (Pat, its named lead, may see them): one of
    # 100 days ago leaves it stale, updated long ago rather than never; one of yesterday
    # would make it recent, so it is not listed at all.
    ProgressUpdateFactory(
        action=world.m1, date=days_ago(100), text="Informant says", marking=SENSITIVE
    )
    run()
    (pat,) = by_recipient()["pat@example.org"]
    assert "Exploitation screening" in pat.body
    assert f"no progress update for {settings.STALE_AFTER_WEEKS} weeks" in pat.body
    assert "no progress update yet" not in pat.body and "Informant says" not in pat.body

    mail.outbox.clear()
    Reminder.objects.all().delete()
    ProgressUpdateFactory(action=world.m1, date=days_ago(1), text="Seen", marking=SENSITIVE)
    run()
    (pat,) = by_recipient()["pat@example.org"]
    assert "Exploitation screening" not in pat.body and "Daily violence meeting" in pat.body
