"""The RAG status of a performance indicator, worked out from its values and target, and the
points of the small trend line drawn beside it.

The rule is the one Havering's partnership reports by, made exact:

- the gap is how far the latest value is on the wrong side of the target: above it for a
  measure to reduce, below it for one to increase. No gap (on the target or the right side
  of it) is "meets the target";
- "within 10% of target" means a gap of less than 10% of the target (of its size, for a
  negative target). A gap of exactly 10% is more than "within", so it is off target;
- "improving" means the latest value moved the wanted way from the value before it, or
  from the baseline when there is only one value. No move is not improving. With nothing
  to compare with, nothing shows it improving, so an off-target value is Red.

It needs at least one value and a non-zero numeric target (10% of zero is nothing, so every
miss would be "more than 10% off"); without them the indicator is Not rated, and the reason
says what is missing. The page shows RULE_TEXT beside the statuses.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from actions.models import Indicator, IndicatorDirection, IndicatorValue
from actions.rag import RAG
from cspplan.display import show_number

RULE_TEXT = (
    "Green: the latest value meets the target, or misses it by less than 10% of the target. "
    "Amber: it misses by 10% or more, but is better than the value before (or, when there "
    "is only one value, than the baseline). Red: it misses by 10% or more and is no better, "
    "or there is nothing earlier to compare it with. Not rated: no values yet, or no "
    "numeric target other than zero."
)

# The gap, as a share of the target, at which a value stops counting as near the target.
TOLERANCE = Decimal("0.1")


@dataclass(frozen=True)
class IndicatorStatus:
    rag: RAG
    latest: IndicatorValue | None
    # The value before the latest; None when there is one value (the baseline, if any, is
    # then what "improving" was judged against) or none.
    previous: IndicatorValue | None
    reason: str  # one sentence, shown beside the status

    @property
    def rule(self) -> str:
        return RULE_TEXT


def indicator_status(indicator: Indicator, values: Iterable[IndicatorValue]) -> IndicatorStatus:
    """The indicator's status by RULE_TEXT, from `values` (its IndicatorValues, any order;
    pass prefetched ones to save a query per indicator)."""
    in_order = sorted(values, key=lambda value: value.date)
    latest = in_order[-1] if in_order else None
    previous = in_order[-2] if len(in_order) > 1 else None

    missing = _missing(indicator, latest)
    if missing:
        return IndicatorStatus(RAG.NOT_RATED, latest, previous, f"Not rated: {missing}.")

    target, value = _decimal(indicator.target), _decimal(latest.value)
    reduce = indicator.direction == IndicatorDirection.REDUCE
    side = "above" if reduce else "below"
    gap = (value - target) if reduce else (target - value)
    now = f"The latest value, {show_number(value)} ({_when(latest)}),"
    if gap <= 0:
        wanted = "at or below" if reduce else "at or above"
        return IndicatorStatus(
            RAG.GREEN,
            latest,
            previous,
            f"{now} meets the target of {show_number(target)} ({wanted} it).",
        )
    share = gap / abs(target)
    off = f"{now} is {_percent(share)} {side} the target of {show_number(target)}"
    if share < TOLERANCE:
        return IndicatorStatus(RAG.GREEN, latest, previous, f"{off}: within 10%.")

    if previous is not None:
        compared = _decimal(previous.value)
        label = f"the previous value, {show_number(compared)} ({_when(previous)})"
    else:
        compared = _decimal(indicator.baseline)
        label = f"the baseline, {show_number(compared)}" if compared is not None else ""
    if compared is None:
        return IndicatorStatus(
            RAG.RED,
            latest,
            previous,
            f"{off}, and there is no earlier value or baseline to show it improving.",
        )
    improving = value < compared if reduce else value > compared
    if improving:
        return IndicatorStatus(RAG.AMBER, latest, previous, f"{off}, but better than {label}.")
    return IndicatorStatus(RAG.RED, latest, previous, f"{off}, and no better than {label}.")


def _missing(indicator: Indicator, latest: IndicatorValue | None) -> str:
    """What the rule lacks to rate the indicator, in words; '' when it has all it needs."""
    lacking = []
    if latest is None:
        lacking.append("no values have been recorded")
    if indicator.target is None:
        written = f' (it is written as "{indicator.target_text}")' if indicator.target_text else ""
        lacking.append(f"there is no numeric target{written}")
    elif indicator.target == 0:
        lacking.append("the target is zero, so 10% of it cannot be measured")
    return ", and ".join(lacking)


# ---- the trend line ------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    date: datetime.date
    period: str  # as written, e.g. "2016/17"; the date when none was written
    value: Decimal
    x: float
    y: float


@dataclass(frozen=True)
class Trend:
    points: list[TrendPoint]  # in date order: also the rows of the table of numbers
    width: int
    height: int

    @property
    def polyline(self) -> str:
        """The `points` attribute of an SVG <polyline>."""
        return " ".join(f"{_coordinate(p.x)},{_coordinate(p.y)}" for p in self.points)


def trend_points(
    values: Iterable[IndicatorValue], width: int, height: int, *, margin: int = 3
) -> Trend:
    """Where each value sits in a `width` x `height` SVG, oldest on the left, highest at the
    top, `margin` pixels in from each edge so that the line and its dots are not clipped.

    The values are spaced evenly by order, not by date: periods are reported at uneven
    intervals and a chart this small is read for direction. One value sits in the middle;
    equal values draw a level line across the middle.
    """
    in_order = sorted(values, key=lambda value: value.date)
    if not in_order:
        return Trend([], width, height)
    numbers = [_decimal(value.value) for value in in_order]
    low, high = min(numbers), max(numbers)
    inner_width, inner_height = width - 2 * margin, height - 2 * margin
    steps = len(in_order) - 1
    points = []
    for index, (value, number) in enumerate(zip(in_order, numbers, strict=True)):
        x = margin + (inner_width * index / steps if steps else inner_width / 2)
        # SVG's y grows downwards, so the highest value has the smallest y.
        share = float((high - number) / (high - low)) if high != low else 0.5
        points.append(
            TrendPoint(
                date=value.date,
                period=_when(value),
                value=number,
                x=x,
                y=margin + inner_height * share,
            )
        )
    return Trend(points, width, height)


def _decimal(number) -> Decimal | None:
    """Values as stored are Decimals; ones set in code may be ints or floats until saved."""
    if number is None or isinstance(number, Decimal):
        return number
    return Decimal(str(number))


def _percent(share: Decimal) -> str:
    # Cut, not rounded, so that a gap just under 10% never reads "10%" beside "within 10%".
    return f"{show_number((share * 100).quantize(Decimal('0.1'), rounding=ROUND_DOWN))}%"


def _when(value: IndicatorValue) -> str:
    return value.period or value.date.isoformat()


def _coordinate(number: float) -> str:
    return f"{number:.1f}".removesuffix(".0")
