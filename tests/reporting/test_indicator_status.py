"""The indicator RAG rule (reporting.indicator_status) and the trend line's points.

Indicators and values are built unsaved: the rule reads only what it is given.
"""

import datetime
from decimal import Decimal

import pytest

from actions.models import Indicator, IndicatorDirection, IndicatorValue
from actions.rag import RAG
from reporting.indicator_status import RULE_TEXT, indicator_status, trend_points

REDUCE, INCREASE = IndicatorDirection.REDUCE, IndicatorDirection.INCREASE
GREEN, AMBER, RED, NOT_RATED = RAG.GREEN, RAG.AMBER, RAG.RED, RAG.NOT_RATED


def indicator(direction=REDUCE, target="100", baseline=None, target_text=""):
    return Indicator(
        description="A measure",
        direction=direction,
        target=None if target is None else Decimal(target),
        baseline=None if baseline is None else Decimal(baseline),
        target_text=target_text,
    )


def values(*numbers, periods=None):
    """One value a year, the last for 2019/20, as a workbook gives them."""
    first_year = 2020 - len(numbers)
    return [
        IndicatorValue(
            date=datetime.date(first_year + i + 1, 3, 31),
            period=f"{first_year + i}/{(first_year + i + 1) % 100:02d}"
            if periods is None
            else periods[i],
            value=Decimal(number),
        )
        for i, number in enumerate(numbers)
    ]


@pytest.mark.parametrize(
    ("direction", "target", "numbers", "baseline", "rag"),
    [
        # Reduce to 100.
        (REDUCE, "100", ["120", "95"], None, GREEN),  # beats the target
        (REDUCE, "100", ["120", "100"], None, GREEN),  # exactly on it
        (REDUCE, "100", ["100", "109.99"], None, GREEN),  # within 10%, even if worse
        (REDUCE, "100", ["120", "110"], None, AMBER),  # exactly 10% off, improving
        (REDUCE, "100", ["105", "110"], None, RED),  # exactly 10% off, worse
        (REDUCE, "100", ["110", "110"], None, RED),  # exactly 10% off, no change
        (REDUCE, "100", ["140", "130"], None, AMBER),  # far off, improving
        (REDUCE, "100", ["120", "130"], None, RED),  # far off, worse
        (REDUCE, "100", ["130"], "150", AMBER),  # one value: better than the baseline
        (REDUCE, "100", ["130"], "120", RED),  # one value: worse than the baseline
        (REDUCE, "100", ["130"], "130", RED),  # one value: same as the baseline
        (REDUCE, "100", ["130"], None, RED),  # nothing shows it improving
        (REDUCE, "100", ["105"], None, GREEN),  # within 10% needs no comparison
        # Increase to 200.
        (INCREASE, "200", ["150", "210"], None, GREEN),
        (INCREASE, "200", ["150", "200"], None, GREEN),
        (INCREASE, "200", ["220", "185"], None, GREEN),  # 7.5% below: within
        (INCREASE, "200", ["170", "180"], None, AMBER),  # exactly 10% below, improving
        (INCREASE, "200", ["190", "180"], None, RED),  # exactly 10% below, worse
        (INCREASE, "200", ["140", "150"], None, AMBER),
        (INCREASE, "200", ["160", "150"], None, RED),
        (INCREASE, "200", ["150"], "140", AMBER),
        (INCREASE, "200", ["150"], "160", RED),
        # Negative values and targets: a change of -5% or more wanted, say.
        (REDUCE, "-5", ["-2", "-6"], None, GREEN),  # beyond the target
        (REDUCE, "-5", ["-2", "-4.6"], None, GREEN),  # 0.4 off: 8% of the target's size
        (REDUCE, "-5", ["-3", "-4"], None, AMBER),  # 1 off (20%), improving
        (REDUCE, "-5", ["-4.5", "-4"], None, RED),  # 1 off, worse
        (INCREASE, "-10", ["-15", "-12"], None, AMBER),  # 2 below (20%), improving
        (INCREASE, "-10", ["-11", "-12"], None, RED),
        (INCREASE, "-10", ["-15", "-10.5"], None, GREEN),  # 5% below
    ],
)
def test_the_rule(direction, target, numbers, baseline, rag):
    status = indicator_status(indicator(direction, target, baseline), values(*numbers))
    assert status.rag == rag, status.reason


def test_the_values_are_taken_in_date_order_whatever_order_they_come_in():
    older, newer = values("140", "130")
    status = indicator_status(indicator(), [newer, older])
    assert (status.rag, status.latest, status.previous) == (AMBER, newer, older)


def test_the_reasons_give_the_numbers_compared():
    def reason(*numbers, **fields):
        return indicator_status(indicator(**fields), values(*numbers)).reason

    assert reason("120", "95") == (
        "The latest value, 95 (2019/20), meets the target of 100 (at or below it)."
    )
    assert reason("150", "210", direction=INCREASE, target="200") == (
        "The latest value, 210 (2019/20), meets the target of 200 (at or above it)."
    )
    assert reason("100", "109.99") == (
        "The latest value, 109.99 (2019/20), is 9.9% above the target of 100: within 10%."
    )
    assert reason("140", "130") == (
        "The latest value, 130 (2019/20), is 30% above the target of 100, "
        "but better than the previous value, 140 (2018/19)."
    )
    assert reason("190", "180", direction=INCREASE, target="200") == (
        "The latest value, 180 (2019/20), is 10% below the target of 200, "
        "and no better than the previous value, 190 (2018/19)."
    )
    assert reason("130", baseline="120.5") == (
        "The latest value, 130 (2019/20), is 30% above the target of 100, "
        "and no better than the baseline, 120.5."
    )
    assert reason("130") == (
        "The latest value, 130 (2019/20), is 30% above the target of 100, "
        "and there is no earlier value or baseline to show it improving."
    )


def test_a_value_without_a_period_is_named_by_its_date():
    [value] = values("95", periods=[""])
    status = indicator_status(indicator(), [value])
    assert status.reason.startswith("The latest value, 95 (2020-03-31),")


@pytest.mark.parametrize(
    ("fields", "numbers", "reason"),
    [
        ({}, [], "Not rated: no values have been recorded."),
        (
            {"target": None, "target_text": "Reduce"},
            ["120", "95"],
            'Not rated: there is no numeric target (it is written as "Reduce").',
        ),
        ({"target": None}, ["95"], "Not rated: there is no numeric target."),
        (
            {"target": "0"},
            ["3"],
            "Not rated: the target is zero, so 10% of it cannot be measured.",
        ),
        (
            {"target": None, "target_text": "Increase", "direction": INCREASE},
            [],
            "Not rated: no values have been recorded, and there is no numeric target "
            '(it is written as "Increase").',
        ),
    ],
)
def test_missing_values_are_not_rated_with_what_is_missing(fields, numbers, reason):
    given = values(*numbers)
    status = indicator_status(indicator(**fields), given)
    assert (status.rag, status.reason) == (NOT_RATED, reason)
    assert status.latest == (given[-1] if given else None)


def test_values_set_in_code_as_numbers_are_rated_like_stored_decimals():
    measure = Indicator(direction=INCREASE, target=200, baseline=140)
    value = IndicatorValue(date=datetime.date(2020, 3, 31), period="2019/20", value=150)
    status = indicator_status(measure, [value])
    assert status.rag == AMBER
    assert status.reason.endswith("but better than the baseline, 140.")


def test_the_rule_is_stated_for_the_page():
    assert indicator_status(indicator(), values("95")).rule == RULE_TEXT
    for words in ("less than 10%", "10% or more", "baseline", "Not rated"):
        assert words in RULE_TEXT


# ---- the trend line ----------------------------------------------------------------------


def test_trend_points_span_the_box_oldest_left_highest_top():
    trend = trend_points(values("10", "20", "15"), 100, 40, margin=0)
    assert [(p.x, p.y) for p in trend.points] == [(0, 40), (50, 0), (100, 20)]
    assert trend.polyline == "0,40 50,0 100,20"


def test_trend_points_keep_a_margin_and_give_the_numbers_for_the_table():
    trend = trend_points(values("10", "20", "15"), 106, 46)
    assert trend.polyline == "3,43 53,3 103,23"
    assert [(p.period, p.value) for p in trend.points] == [
        ("2017/18", Decimal("10")),
        ("2018/19", Decimal("20")),
        ("2019/20", Decimal("15")),
    ]
    assert (trend.width, trend.height) == (106, 46)


def test_trend_points_are_in_date_order():
    first, second, third = values("1", "3", "2")
    trend = trend_points([third, first, second], 20, 10, margin=0)
    assert [p.value for p in trend.points] == [1, 3, 2]
    assert trend.polyline == "0,10 10,0 20,5"


def test_one_value_sits_in_the_middle():
    [point] = trend_points(values("7.5"), 60, 20).points
    assert (point.x, point.y) == (30, 10)


def test_equal_values_draw_a_level_line_across_the_middle():
    trend = trend_points(values("4", "4", "4"), 60, 20, margin=0)
    assert trend.polyline == "0,10 30,10 60,10"


def test_negative_values_and_fractions_of_a_pixel():
    trend = trend_points(values("-3", "0", "-1"), 10, 10, margin=0)
    assert [(round(p.x, 2), round(p.y, 2)) for p in trend.points] == [
        (0, 10),
        (5, 0),
        (10, 3.33),
    ]
    assert trend.polyline == "0,10 5,0 10,3.3"


def test_no_values_no_points():
    trend = trend_points([], 60, 20)
    assert trend.points == [] and trend.polyline == ""
