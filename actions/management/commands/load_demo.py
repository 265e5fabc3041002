"""Load every seed partnership, board and plan from fixtures/ (idempotent)."""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction

from actions.seeds import load_plan_file
from boards.seeds import load_partnership_file
from cspplan.origin import RecordedCommand
from cspplan.records import Record, RecordError

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(RecordedCommand):
    help = "Load the seed partnerships, boards, people and plans from fixtures/ (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", type=Path, default=FIXTURES, help="Fixture folder.")

    def handle(self, *args, fixtures: Path, verbosity: int, **options):
        # Partnerships first: plans refer to their boards, people and organisations.
        partnership_files = sorted(fixtures.glob("*/partnership.yaml"))
        plan_files = sorted(set(fixtures.glob("*/*.yaml")) - set(partnership_files))
        if not partnership_files:
            raise CommandError(f"No */partnership.yaml under {fixtures}")
        loads = [(path, load_partnership_file) for path in partnership_files]
        loads += [(path, load_plan_file) for path in plan_files]
        with transaction.atomic():
            for path, load in loads:
                name = str(path.relative_to(fixtures))
                try:
                    with path.open(encoding="utf-8") as stream:
                        changed = load(Record(yaml.safe_load(stream), name))
                except yaml.YAMLError as error:
                    raise CommandError(
                        f"Nothing was loaded: {name} is not valid YAML: {error}"
                    ) from None
                except RecordError as error:
                    raise CommandError(f"Nothing was loaded: {error}") from None
                # -v0 is for scripts (make run, CI): errors only, as Django's commands do.
                if verbosity:
                    self.stdout.write(f"{name}: {changed} created or changed")
