import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.styles import PatternFill

from actions.rag import RAG
from workbooks.cells import (
    action_ref,
    cell_text,
    header_key,
    parse_date,
    parse_rag,
    rag_from_fill,
)


def test_headers_match_ignoring_case_spacing_and_line_breaks():
    assert header_key("Named CSP Lead") == header_key(" named csp\nLEAD ")
    assert header_key("Supporting organisation(s)") == header_key("Supporting\r\norganisation(s)")
    assert header_key("Lead organisation") != header_key("Supporting organisation(s)")


@pytest.mark.parametrize(
    "value, expected",
    [(1, "1"), (1.0, "1"), ("1", "1"), ("1a)", "1a"), (" 7b. ", "7b"), ("12", "12"), (None, "")],
)
def test_action_numbers_as_numbers_or_text(value, expected):
    assert action_ref(value) == expected


def test_cell_text_keeps_inner_line_breaks_and_trims_the_ends():
    assert cell_text("  First line\r\nsecond line \n") == "First line\nsecond line"
    assert cell_text(2.5) == "2.5"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Red", RAG.RED),
        (" red ", RAG.RED),
        ("R", RAG.RED),
        ("AMBER", RAG.AMBER),
        ("a", RAG.AMBER),
        ("Green", RAG.GREEN),
        ("g ", RAG.GREEN),
        ("Complete", RAG.COMPLETE),
        ("B", RAG.COMPLETE),
        ("Blue", RAG.COMPLETE),
        ("Not rated", RAG.NOT_RATED),
        ("", RAG.NOT_RATED),
        (None, RAG.NOT_RATED),
    ],
)
def test_rag_words_people_write(value, expected):
    assert parse_rag(value) == expected


@pytest.mark.parametrize("value", ["Purple", "Redish", "On track", "5"])
def test_unknown_rag_words_are_refused_with_what_to_write(value):
    with pytest.raises(ValueError, match="write Red, Amber, Green or Complete"):
        parse_rag(value)


@pytest.mark.parametrize(
    "colour, expected",
    [
        ("FFFF0000", RAG.RED),
        ("FFFFC7CE", RAG.RED),  # Excel's pale "bad" red
        ("FFD4351C", RAG.RED),
        ("FFFFC000", RAG.AMBER),
        ("FFFFEB9C", RAG.AMBER),  # Excel's pale "neutral" yellow
        ("FFFFFF00", RAG.AMBER),
        ("FF00B050", RAG.GREEN),
        ("FF92D050", RAG.GREEN),
        ("FFC6EFCE", RAG.GREEN),  # Excel's pale "good" green
        ("FF0070C0", RAG.COMPLETE),
        ("FF5B9BD5", RAG.COMPLETE),
        ("FFFFFFFF", None),
        ("FFD9D9D9", None),
        ("FF000000", None),
    ],
)
def test_rag_from_fill_colour(colour, expected):
    assert rag_from_fill(PatternFill("solid", fgColor=colour)) == expected


def test_no_fill_or_a_pattern_fill_shows_no_rag():
    assert rag_from_fill(PatternFill()) is None
    assert rag_from_fill(PatternFill("gray125", fgColor="FFFF0000")) is None


@pytest.mark.parametrize(
    "value, end, expected",
    [
        (datetime.datetime(2021, 12, 11), False, datetime.date(2021, 12, 11)),
        (datetime.date(2022, 12, 10), True, datetime.date(2022, 12, 10)),
        ("11 December 2021", False, datetime.date(2021, 12, 11)),
        ("11th December 2021", False, datetime.date(2021, 12, 11)),
        ("11 Dec 2021", False, datetime.date(2021, 12, 11)),
        ("11/12/2021", False, datetime.date(2021, 12, 11)),
        ("2021-12-11", False, datetime.date(2021, 12, 11)),
        ("April 2019", False, datetime.date(2019, 4, 1)),
        ("April 2019", True, datetime.date(2019, 4, 30)),
        ("Feb 2024", True, datetime.date(2024, 2, 29)),
        ("Sept 2021", False, datetime.date(2021, 9, 1)),
        (44541, False, datetime.date(2021, 12, 11)),
        ("TBC", False, None),
        ("Ongoing", True, None),
        (" n/a ", False, None),
        (None, False, None),
    ],
)
def test_dates_as_excel_dates_or_as_text(value, end, expected):
    assert parse_date(value, end=end) == expected


@pytest.mark.parametrize("value", ["Started April 2019 - 2022", "31/02/2021", "soon"])
def test_text_that_is_not_a_date_is_refused_with_what_to_write(value):
    with pytest.raises(ValueError, match="is not a date"):
        parse_date(value)


@given(st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(2999, 12, 31)))
def test_any_date_written_the_usual_ways_reads_back(day):
    for text in [day.strftime("%d %B %Y"), day.strftime("%d/%m/%Y"), day.isoformat()]:
        assert parse_date(text) == day
