"""What the roll-over tests share: a roll-over of the shared world's violence plan, and a
snapshot of every table a roll-over touches."""

import datetime

from actions.models import (
    Action,
    Indicator,
    IndicatorValue,
    Plan,
    ProgressUpdate,
    SeniorLeader,
    Theme,
)
from rollover import services
from rollover.models import Rollover

NEXT_START = datetime.date(2022, 4, 1)
NEXT_END = datetime.date(2023, 3, 31)

# Every table a roll-over writes to (besides history): its create, activation and undo.
TOUCHED = (
    Plan,
    SeniorLeader,
    Theme,
    Action,
    Action.lead_people.through,
    Action.lead_organisations.through,
    Action.supporting_organisations.through,
    ProgressUpdate,
    Indicator,
    IndicatorValue,
)


def snapshot() -> dict:
    """Every row of every table the roll-over touches, by table, in id order."""
    return {model._meta.db_table: list(model.objects.order_by("pk").values()) for model in TOUCHED}


def roll_over(plan: Plan, user, **overrides) -> Rollover:
    values = {
        "title": "Test violence plan 2022/23",
        "slug": "violence-plan-2022-23",
        "start": NEXT_START,
        "end": NEXT_END,
    } | overrides
    return services.rollover_create(plan=plan, user=user, **values)
