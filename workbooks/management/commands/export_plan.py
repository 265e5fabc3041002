from django.core.management.base import CommandError

from actions.models import Plan
from cspplan.origin import RecordedCommand
from workbooks import exports
from workbooks.layouts import LAYOUTS


class Command(RecordedCommand):
    help = "Write a plan to an Excel workbook in the VRU, SGV or CSP layout."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="The plan's slug.")
        parser.add_argument(
            "--layout", choices=sorted(LAYOUTS), help="Default: the plan's own layout."
        )
        parser.add_argument("-o", "--output", required=True, help="The .xlsx file to write.")
        parser.add_argument(
            "--leave-out-marked",
            action="store_true",
            help="Leave out the OFFICIAL-SENSITIVE items: a workbook at OFFICIAL, unmarked.",
        )

    def handle(self, *args, plan, layout, output, leave_out_marked, **options):
        found = Plan.objects.filter(slug=plan).first()
        if found is None:
            raise CommandError(f"No plan has the slug '{plan}'.")
        export = exports.plan_export(found, layout, leave_out_marked=leave_out_marked)
        with open(output, "wb") as stream:
            stream.write(export.content)
        self.stdout.write(
            f"Wrote {found} in the {export.layout.upper()} layout to {output}, marked "
            f"{export.marking.label}."
        )
