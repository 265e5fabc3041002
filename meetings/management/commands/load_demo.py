"""Load every seed partnership, board, plan and meeting from fixtures/ (idempotent), the
fixtures being the truth for what they list: memberships of their boards and people's
organisations that they no longer state are removed (boards.seeds.make_agree), so that a
database loaded from an older transcription ends as the fixtures say.

In the meetings app, the top of the layers it loads: meetings refer to boards, people and
plans, and only an app above all three may read every kind of fixture."""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction

from actions.seeds import load_plan_file
from boards.seeds import Stated, load_partnership_file, make_agree
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
        stated = Stated()
        loads = [
            (path, lambda record: load_partnership_file(record, stated))
            for path in partnership_files
        ]
        loads += [(path, lambda record: load_plan_file(record, stated)) for path in plan_files]
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
            # What the fixtures no longer say: memberships they do not list, organisations
            # they leave empty, of the boards and people they list (and nothing else).
            removed = make_agree(stated, user=history_user(None))
            if verbosity:
                self.stdout.write(f"as the fixtures say: {removed} removed or emptied")
            # Next year's Barking & Dagenham plan is made by the roll-over itself, not by a
            # seed: the plan's own roll-over, once (rollover.seeds).
            rolled = load_demo_rollover(user=history_user(None))
            if rolled and verbosity:
                what, made = rolled
                self.stdout.write(f"{what}: {made} created or changed")
