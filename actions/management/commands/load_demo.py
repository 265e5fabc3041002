"""Load every seed partnership, board and plan from fixtures/ (idempotent)."""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actions.seeds import load_plan_file
from boards.seeds import load_partnership_file
from cspplan.records import Record, RecordError

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = "Load the seed partnerships, boards, people and plans from fixtures/ (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", type=Path, default=FIXTURES, help="Fixture folder.")

    def handle(self, *args, fixtures: Path, **options):
        # Partnerships first: plans refer to their boards, people and organisations.
        partnership_files = sorted(fixtures.glob("*/partnership.yaml"))
        plan_files = sorted(set(fixtures.glob("*/*.yaml")) - set(partnership_files))
        if not partnership_files:
            raise CommandError(f"No */partnership.yaml under {fixtures}")
        try:
            with transaction.atomic():
                for path, load in [(p, load_partnership_file) for p in partnership_files] + [
                    (p, load_plan_file) for p in plan_files
                ]:
                    name = str(path.relative_to(fixtures))
                    with path.open(encoding="utf-8") as stream:
                        changed = load(Record(yaml.safe_load(stream), name))
                    self.stdout.write(f"{name}: {changed} created or changed")
        except (RecordError, yaml.YAMLError) as error:
            raise CommandError(f"Nothing was loaded: {error}") from None
