"""Load every seed partnership, board, plan and meeting from fixtures/ (idempotent).

In the meetings app, the top of the layers it loads: meetings refer to boards, people and
plans, and only an app above all three may read every kind of fixture."""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction

from actions.seeds import load_plan_file
from boards.seeds import load_partnership_file
from cspplan.history import history_user
from cspplan.origin import RecordedCommand
from cspplan.records import Record, RecordError
from meetings.seeds import load_meetings_file
from rollover.seeds import load_demo_rollover

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(RecordedCommand):
    help = (
        "Load the seed partnerships, boards, people, plans and meetings from fixtures/ "
        "(idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", type=Path, default=FIXTURES, help="Fixture folder.")

    def handle(self, *args, fixtures: Path, verbosity: int, **options):
        # Partnerships first: plans refer to their boards, people and organisations; then
        # meetings, which refer to all of those and to plans.
        partnership_files = sorted(fixtures.glob("*/partnership.yaml"))
        meetings_files = sorted(fixtures.glob("*/meetings.yaml"))
        plan_files = sorted(
            set(fixtures.glob("*/*.yaml")) - set(partnership_files) - set(meetings_files)
        )
        if not partnership_files:
            raise CommandError(f"No */partnership.yaml under {fixtures}")
        loads = [(path, load_partnership_file) for path in partnership_files]
        loads += [(path, load_plan_file) for path in plan_files]
        loads += [(path, load_meetings_file) for path in meetings_files]
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
            # Next year's Barking & Dagenham plan is made by the roll-over itself, not by a
            # seed: the plan's own roll-over, once (rollover.seeds).
            rolled = load_demo_rollover(user=history_user(None))
            if rolled and verbosity:
                what, made = rolled
                self.stdout.write(f"{what}: {made} created or changed")
