import datetime
from pathlib import Path

from django.core.management.base import CommandError
from django.db import transaction

from actions.models import Plan
from cspplan.history import history_user
from cspplan.origin import RecordedCommand
from rollover import services
from rollover.presenter import preview_lines, taking_lines
from rollover.template_services import AnsweredTemplate, TemplateRefused
from workbooks.safety import WorkbookRefused


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
        parser.add_argument(
            "--template",
            help="The VRU's new template workbook (.xlsx), taken into the new Draft: its new "
            "themes and its mandated and new actions added, each action matching a carried one "
            "(same theme and number, or much the same words) merged into it.",
        )
        parser.add_argument(
            "--adopt",
            type=int,
            action="append",
            default=[],
            metavar="ROW",
            help="With --template: adopt the optional action on this row of the template "
            "(repeat for each; the others are left out). --dry-run lists them with their rows.",
        )
        parser.add_argument(
            "--refuse-match",
            type=int,
            action="append",
            default=[],
            metavar="ROW",
            help="With --template: the action on this row of the template is not the carried "
            "action it seems to match (repeat for each); it is added as a new one.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Show, but write nothing.")
        parser.add_argument(
            "--user",
            help="Record the changes in the history as this user (default: the system user "
            "of the account running the command).",
        )

    def handle(
        self, *args, plan, slug, start, end, title, template, adopt, refuse_match, dry_run, **opts
    ):
        found = Plan.objects.filter(slug=plan).first()
        if found is None:
            raise CommandError(f"No plan has the slug '{plan}'. Nothing was written.")
        if (adopt or refuse_match) and not template:
            raise CommandError("--adopt and --refuse-match answer a --template's questions.")
        arguments = {
            "title": title if title is not None else services.suggested_title(found),
            "slug": slug,
            "start": _date(start),
            "end": _date(end),
        }
        taken = self._template(template, adopt, refuse_match) if template else None
        try:
            services.rollover_check(found, **arguments)
        except services.RolloverRefused as refused:
            raise CommandError(self._refusal(refused)) from None
        preview = services.rollover_preview(found, **arguments)
        for line in preview_lines(preview):
            self.stdout.write(line)
        try:
            # A dry run makes it all, template included, and undoes it: what it prints is
            # what the roll-over would do.
            with transaction.atomic():
                rollover = services.rollover_create(
                    plan=found, user=history_user(None), **arguments, template=taken
                )
                if taken is not None:
                    for line in taking_lines(taken.taking):
                        self.stdout.write(line)
                if dry_run:
                    transaction.set_rollback(True)
        except services.RolloverRefused as refused:
            raise CommandError(self._refusal(refused)) from None
        except WorkbookRefused as refused:
            raise CommandError(f"{refused} Nothing was written.") from None
        except TemplateRefused as refused:
            raise CommandError(
                "The template was not taken in: "
                + " ".join(refused.problems)
                + ". Nothing was written."
            ) from None
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        self.stdout.write(
            f"Made {rollover.new_plan.title} ({rollover.new_plan.slug}) as a Draft; "
            f"{found.slug} stays {found.get_status_display()} until it is activated."
        )

    @staticmethod
    def _template(path: str, adopt, refuse) -> AnsweredTemplate:
        try:
            with open(path, "rb") as stream:
                data = stream.read()
        except OSError as error:
            raise CommandError(f"{error}. Nothing was written.") from error
        return AnsweredTemplate(Path(path).name, data, adopt=adopt, refuse=refuse)

    @staticmethod
    def _refusal(refused) -> str:
        return " ".join(refused.messages) + " Nothing was written."
