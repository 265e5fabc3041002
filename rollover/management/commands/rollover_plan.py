import datetime

from django.core.management.base import CommandError

from actions.models import Plan
from cspplan.history import history_user
from cspplan.origin import RecordedCommand
from rollover import services
from rollover.presenter import preview_lines


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"'{value}' is not a date: write it as YYYY-MM-DD.") from None


class Command(RecordedCommand):
    help = (
        "Roll a plan over into next year's: a Draft plan with its themes and every action not "
        "Complete carried forward (linked to the one it came from). Prints what is carried and "
        "what closes; writes nothing with --dry-run, or at all if anything is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="The slug of the plan to roll over.")
        parser.add_argument("--slug", required=True, help="The new plan's slug.")
        parser.add_argument("--start", required=True, help="Start of the new period, YYYY-MM-DD.")
        parser.add_argument("--end", required=True, help="End of the new period, YYYY-MM-DD.")
        parser.add_argument(
            "--title", help="The new plan's title (default: the old one's, a year on)."
        )
        parser.add_argument("--template", help="The VRU's new template workbook (.xlsx).")
        parser.add_argument("--dry-run", action="store_true", help="Show, but write nothing.")
        parser.add_argument(
            "--user",
            help="Record the changes in the history as this user (default: the system user "
            "of the account running the command).",
        )

    def handle(self, *args, plan, slug, start, end, title, template, dry_run, **options):
        found = Plan.objects.filter(slug=plan).first()
        if found is None:
            raise CommandError(f"No plan has the slug '{plan}'. Nothing was written.")
        arguments = {
            "title": title if title is not None else services.suggested_title(found),
            "slug": slug,
            "start": _date(start),
            "end": _date(end),
        }
        proposal = self._template(template, found) if template else None
        try:
            services.rollover_check(found, **arguments)
        except services.RolloverRefused as refused:
            raise CommandError(self._refusal(refused)) from None
        preview = services.rollover_preview(found, **arguments, template=proposal)
        for line in preview_lines(preview):
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            rollover = services.rollover_create(
                plan=found, user=history_user(None), **arguments, template=proposal
            )
        except services.RolloverRefused as refused:
            raise CommandError(self._refusal(refused)) from None
        self.stdout.write(
            f"Made {rollover.new_plan.title} ({rollover.new_plan.slug}) as a Draft; "
            f"{found.slug} stays {found.get_status_display()} until it is activated."
        )

    @staticmethod
    def _template(path: str, plan: Plan):
        if not services.template_available():
            raise CommandError(
                "--template: taking in the VRU's new template workbook is not available in "
                "this installation yet (rollover.template). Nothing was written: run again "
                "without --template."
            )
        try:
            with open(path, "rb") as stream:
                return services.read_template(stream, plan=plan)
        except OSError as error:
            raise CommandError(f"{error}. Nothing was written.") from error
        except services.RolloverRefused as refused:
            raise CommandError(" ".join(refused.messages)) from None

    @staticmethod
    def _refusal(refused) -> str:
        return " ".join(refused.messages) + " Nothing was written."
