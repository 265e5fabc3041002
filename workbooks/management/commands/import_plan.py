import sys

from django.core.management.base import CommandError
from django.utils.text import slugify

from actions.models import Plan
from boards.models import Board, Partnership
from cspplan.history import history_user
from cspplan.origin import RecordedCommand
from workbooks.layouts import LAYOUTS, read_workbook
from workbooks.presenter import preview_lines
from workbooks.preview import preview_import
from workbooks.safety import WorkbookRefused
from workbooks.services import PlanBusy, plan_import, plan_locked
from workbooks.settling import take_workbook


class Command(RecordedCommand):
    help = (
        "Import a plan workbook: shows what is created, changed, unchanged and refused, "
        "and writes nothing at all if any row is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx workbook.")
        parser.add_argument("--layout", required=True, choices=sorted(LAYOUTS))
        parser.add_argument("--plan", required=True, help="The plan's slug.")
        parser.add_argument("--create", action="store_true", help="Make a new plan with this slug.")
        parser.add_argument(
            "--board",
            help="With --create: the owning board, as PARTNERSHIP_SLUG/BOARD_SLUG "
            "(or BOARD_SLUG alone where no other partnership has a board of that slug).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Show, but write nothing.")
        parser.add_argument(
            "--user",
            help="Record the changes in the history as this user (default: the system user "
            "of the account running the command).",
        )
        parser.add_argument(
            "--take-workbook",
            action="store_true",
            help="Where both the plan and the workbook changed a field since the export, take "
            "the workbook's value (without it, such conflicts stop the import).",
        )

    def handle(
        self, *args, file, layout, plan, create, board, dry_run, user, take_workbook, **options
    ):
        found = Plan.objects.filter(slug=plan).first()
        new_plan = None
        if create:
            if found is not None:
                raise CommandError(f"A plan with the slug '{plan}' exists: leave out --create.")
            new_plan = self._new_plan(plan, layout, board)
        elif found is None:
            raise CommandError(f"No plan has the slug '{plan}'. Add --create to make one.")
        # --user, else the system user (cspplan.origin.RecordedCommand checked it exists).
        importer = history_user(None)
        try:
            with open(file, "rb") as stream:
                parsed = read_workbook(stream.read(), layout)
        except (OSError, WorkbookRefused) as error:
            raise CommandError(str(error)) from error
        if dry_run:
            self._preview(parsed, found, new_plan, take_workbook)
            self.stdout.write("Dry run: nothing was written.")
            return
        if new_plan is not None:
            new_plan["title"] = parsed.plan.get("title") or new_plan["title"]
        try:
            # Previewed and written in one locked transaction: nothing saved meanwhile is
            # written over (workbooks.services.plan_locked).
            with plan_locked(found):
                preview = self._preview(parsed, found, new_plan, take_workbook)
                plan_import(preview, user=importer, new_plan=new_plan)
        except PlanBusy as busy:
            raise CommandError(f"{busy} Nothing was written: run the import again.") from busy

    def _preview(self, parsed, found, new_plan, take_workbook):
        """The import's preview, printed, its conflicts settled; exits if it has problems."""
        partnership = new_plan["partnership"] if new_plan else None
        preview = preview_import(parsed, found, partnership=partnership)
        for line in preview_lines(preview):
            self.stdout.write(line)
        self.stdout.write(preview.summary)
        if preview.problems:
            self.stderr.write(
                f"Nothing was written: {len(preview.problems)} problem(s) to correct first."
            )
            sys.exit(1)
        self._settle(preview, take_workbook)
        return preview

    def _settle(self, preview, take: bool) -> None:
        """Conflicts stop the import unless --take-workbook settles them all."""
        fields = len(preview.unsettled)
        if not fields:
            return
        in_conflict = f"{fields} field(s) of {preview.count('conflict')} action(s)"
        if not take:
            self.stderr.write(
                f"Nothing was written: {in_conflict} were changed both in the plan and in the "
                "workbook since the workbook was exported. Run again with --take-workbook to "
                "take the workbook's values, or import the workbook from the plan's Import "
                "page to choose for each."
            )
            sys.exit(1)
        wrong = take_workbook(preview)
        if wrong:
            for line in wrong:
                self.stderr.write(line)
            self.stderr.write("Nothing was written.")
            sys.exit(1)
        self.stdout.write(f"--take-workbook: the workbook's values are taken for {in_conflict}.")

    @staticmethod
    def _new_plan(slug: str, layout: str, board_slug: str | None) -> dict:
        if slug != slugify(slug):
            raise CommandError(f"'{slug}' is not a slug: try '{slugify(slug)}'.")
        plan = {"slug": slug, "title": slug, "layout": layout}
        if board_slug:
            board = owning_board(board_slug)
            return {**plan, "board": board, "partnership": board.partnership}
        partnerships = list(Partnership.objects.all()[:2])
        if len(partnerships) != 1:
            raise CommandError(
                "Say which board owns the new plan with --board PARTNERSHIP_SLUG/BOARD_SLUG "
                "(there is more than one partnership)."
                if partnerships
                else "There is no partnership to add the plan to: load or create one first."
            )
        return {**plan, "partnership": partnerships[0]}


def owning_board(given: str) -> Board:
    """The board `given` as PARTNERSHIP_SLUG/BOARD_SLUG, or as a board slug that only one
    partnership uses. Board slugs are unique within a partnership only: every borough's main
    board is "csp-board"."""
    partnership_slug, _, board_slug = given.rpartition("/")
    boards = Board.objects.filter(slug=board_slug).select_related("partnership")
    if partnership_slug:
        if not Partnership.objects.filter(slug=partnership_slug).exists():
            known = ", ".join(Partnership.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                f"No partnership has the slug '{partnership_slug}' (there are: {known or 'none'})."
            )
        boards = boards.filter(partnership__slug=partnership_slug)
    found = list(boards.order_by("partnership__slug"))
    if not found:
        where = f"Partnership '{partnership_slug}' has" if partnership_slug else "There is"
        raise CommandError(f"{where} no board with the slug '{board_slug}'.")
    if len(found) > 1:
        paths = " or ".join(f"{board.partnership.slug}/{board.slug}" for board in found)
        raise CommandError(
            f"More than one partnership has a board with the slug '{board_slug}': "
            f"say which with --board {paths}."
        )
    return found[0]
