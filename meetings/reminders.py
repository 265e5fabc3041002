"""Reminders before each board meeting (`manage.py send_reminders`, run daily from cron or a
systemd timer: README).

For each meeting not yet held whose date is within `settings.MEETING_REMINDER_DAYS` from
today:
- each action lead (a named lead with an email address) of actions that need an update, in
  the plans the board (or a subgroup of it) owns or monitors, gets one email listing them
  with a link to update each. "Need an update" is what My actions calls needing attention:
  overdue, not updated recently (stale) or red, in a plan that is not closed; overdue and
  stale are actions.selectors' rules, and "owns or monitors" the board scope's
  (actions.permissions). A lead is sent only actions they are a named lead of, which they
  may see whatever their marking (actions.permissions: a named lead sees their own).
- each subgroup of the board with no update report for the meeting gets one, to its
  chairs with an email address.

Each email is recorded (meetings.models.Reminder) in the same transaction as it is sent, so
that none goes twice for the same meeting: a second run sends nothing new, and an email the
backend refused is not recorded and is tried again next run.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from actions import selectors
from actions.models import Action, Plan, ProgressUpdate
from actions.rag import RAG
from boards.models import Board, Membership, Person
from boards.selectors import with_subgroups
from cspplan.display import show_date
from meetings import selectors as meeting_selectors
from meetings.models import HELD_STATUSES, Meeting, Reminder
from reporting.pack import action_name


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def due_meetings(today: datetime.date) -> list[Meeting]:
    """Meetings not yet held from today to `MEETING_REMINDER_DAYS` days ahead."""
    last = today + datetime.timedelta(days=settings.MEETING_REMINDER_DAYS)
    return list(
        Meeting.objects.filter(date__gte=today, date__lte=last)
        .exclude(status__in=HELD_STATUSES)
        .select_related("board")
        .order_by("date", "board__name")
    )


@dataclass
class Listed:
    """An action in a reminder, with why it is there."""

    action: Action
    reasons: list[str] = field(default_factory=list)
    name: str = ""
    url: str = ""


def actions_needing_update(meeting: Meeting, today: datetime.date) -> dict[Person, list[Listed]]:
    """By named lead with an email address: the actions in the board's scope that are
    overdue, stale or red, in reading order."""
    boards = with_subgroups([meeting.board_id])
    # Each action goes to its named leads alone, and a named lead may see the action's
    # progress updates marked on their own (`permissions.may_see_marked`): its staleness and last
    # update count all of them, as the lead's own pages do.
    updates = ProgressUpdate.objects.all()
    attention = (
        selectors.overdue_condition(today)
        | selectors.stale_condition(today, updates)
        | Q(rag=RAG.RED)
    )
    actions = selectors.with_progress(
        Action.objects.filter(selectors.owned_or_monitored(boards))
        .filter(attention)
        .exclude(theme__plan__status=Plan.Status.CLOSED)
        .exclude(selectors.not_this_years()),
        today,
        updates,
    ).select_related("theme__parent", "theme__plan")
    actions = {action.pk: action for action in actions.order_by(*selectors.reading_order())}
    leads = (
        Action.lead_people.through.objects.filter(action_id__in=actions, person__email__gt="")
        .select_related("person")
        .order_by("person__name", "person_id")
    )
    by_person: dict[Person, list[Listed]] = defaultdict(list)
    order = {pk: index for index, pk in enumerate(actions)}
    for row in sorted(
        leads, key=lambda row: (row.person.name, row.person_id, order[row.action_id])
    ):
        action = actions[row.action_id]
        reasons = []
        if action.is_overdue:
            reasons.append(f"overdue (its end date was {show_date(action.end_date)})")
        if action.rag == RAG.RED:
            reasons.append("red")
        if action.is_stale:
            reasons.append(
                f"no progress update for {settings.STALE_AFTER_WEEKS} weeks"
                if action.last_update
                else "no progress update yet"
            )
        by_person[row.person].append(
            Listed(
                action,
                reasons,
                f"{action.theme.plan.title}: {action_name(action.theme, action.ref)}",
                absolute(reverse("actions:action-update", args=[action.pk])),
            )
        )
    return by_person


def report_chairs(meeting: Meeting) -> list[tuple[Board, Person]]:
    """(subgroup, chair) for each chair with an email address of each subgroup of the board
    with no update report for the meeting."""
    subgroups = meeting_selectors.subgroups_not_reported(meeting, Board.objects.all())
    seats = (
        Membership.objects.filter(
            board__in=subgroups, role=Membership.Role.CHAIR, person__email__gt=""
        )
        .select_related("board", "person")
        .order_by("board__name", "person__name")
    )
    return [(seat.board, seat.person) for seat in seats]


@dataclass
class Outcome:
    sent: int = 0
    already: int = 0
    failed: list[str] = field(default_factory=list)


def _send_once(reminder: Reminder, subject: str, body: str, actions=(), outcome=None) -> None:
    """Record the reminder and send it, together: if it was recorded before (the database's
    unique constraints say so), nothing is sent; if sending fails, nothing is recorded."""
    try:
        with transaction.atomic():
            reminder.save()
            reminder.actions.set(actions)
            send_mail(subject, body, None, [reminder.email])
    except IntegrityError:
        outcome.already += 1
    except Exception as error:  # one refused address must not stop the rest
        outcome.failed.append(f"{reminder.email}: {error}")
    else:
        outcome.sent += 1


def _already(meeting: Meeting) -> set[tuple]:
    return set(
        Reminder.objects.filter(meeting=meeting).values_list("kind", "person_id", "subgroup_id")
    )


def send_reminders(today: datetime.date) -> Outcome:
    """Send the reminders due today that have not been sent (see the module's docstring)."""
    outcome = Outcome()
    for meeting in due_meetings(today):
        sent = _already(meeting)
        when = show_date(meeting.date)
        pack = absolute(
            reverse("meetingpack:pack", args=[meeting.board_id, meeting.date.isoformat()])
        )
        for person, listed in actions_needing_update(meeting, today).items():
            if (Reminder.Kind.ACTIONS, person.pk, None) in sent:
                outcome.already += 1
                continue
            body = render_to_string(
                "meetings/email/actions_reminder.txt",
                {"person": person, "meeting": meeting, "when": when, "listed": listed},
            )
            count = len(listed)
            subject = (
                f"{meeting.board.name} on {when}: "
                f"{count} action{'s' if count != 1 else ''} to update"
            )
            reminder = Reminder(
                meeting=meeting, kind=Reminder.Kind.ACTIONS, person=person, email=person.email
            )
            _send_once(reminder, subject, body, [item.action for item in listed], outcome)
        for subgroup, chair in report_chairs(meeting):
            if (Reminder.Kind.REPORT, chair.pk, subgroup.pk) in sent:
                outcome.already += 1
                continue
            url = absolute(
                reverse(
                    "meetingpack:report",
                    args=[meeting.board_id, meeting.date.isoformat(), subgroup.pk],
                )
            )
            body = render_to_string(
                "meetings/email/report_reminder.txt",
                {
                    "person": chair,
                    "meeting": meeting,
                    "when": when,
                    "subgroup": subgroup,
                    "url": url,
                    "pack": pack,
                },
            )
            subject = f"{meeting.board.name} on {when}: the {subgroup.name} update report"
            reminder = Reminder(
                meeting=meeting,
                kind=Reminder.Kind.REPORT,
                person=chair,
                subgroup=subgroup,
                email=chair.email,
            )
            _send_once(reminder, subject, body, outcome=outcome)
    return outcome
