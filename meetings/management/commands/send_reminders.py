from django.core.management.base import CommandError

from cspplan import clock
from cspplan.origin import RecordedCommand
from meetings.reminders import send_reminders


class Command(RecordedCommand):
    help = (
        "Email the reminders due before each board meeting within MEETING_REMINDER_DAYS: "
        "action leads about their overdue, stale or red actions, subgroup chairs about a "
        "missing update report. Each is sent once per meeting; run it daily (README)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", help="Record what it writes as made by this user.")

    def handle(self, *args, **options):
        outcome = send_reminders(clock.today())
        self.stdout.write(
            f"Sent {outcome.sent} reminder(s); {outcome.already} had been sent already."
        )
        if outcome.failed:
            raise CommandError(
                f"{len(outcome.failed)} could not be sent (they are tried again next run):\n"
                + "\n".join(outcome.failed)
            )
