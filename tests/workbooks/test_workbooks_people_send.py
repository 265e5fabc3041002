"""The workbooks in tests/data, made the way people make them (see tests/data/README.md for
what each holds and what it should import as)."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from actions.models import Action, Plan, Theme
from actions.rag import RAG
from tests.factories import BoardFactory, PartnershipFactory
from workbooks.layouts import read_workbook
from workbooks.preview import preview_import
from workbooks.safety import WorkbookRefused
from workbooks.services import plan_import

DATA = Path(__file__).resolve().parents[1] / "data"

pytestmark = pytest.mark.django_db


def read(name: str, layout: str = "vru"):
    return read_workbook((DATA / name).read_bytes(), layout)


def by_row(parsed):
    return {row.row: row for row in parsed.actions}


@pytest.mark.parametrize(
    "name, layout, themes, actions",
    [
        ("vru_as_sent.xlsx", "vru", 3, 10),
        ("vru_colour_only_rag.xlsx", "vru", 2, 8),
        ("vru_text_dates.xlsx", "vru", 1, 9),
        ("vru_repeated_headers.xlsx", "vru", 3, 9),
        ("vru_reordered_extra_columns.xlsx", "vru", 3, 9),
        ("sgv_as_sent.xlsx", "sgv", 2 + 3, 11),
        ("csp_as_sent.xlsx", "csp", 3 + 7, 10),
    ],
)
def test_a_workbook_as_sent_imports_as_a_new_plan_and_again_without_change(
    name, layout, themes, actions
):
    parsed = read(name, layout)
    assert parsed.all_problems == []
    assert (len(parsed.themes), len(parsed.actions)) == (themes, actions)

    board = BoardFactory()
    plan_import(
        preview_import(parsed, None, partnership=board.partnership),
        new_plan={
            "slug": "imported",
            "title": parsed.plan.get("title") or "Imported",
            "layout": layout,
            "board": board,
            "partnership": board.partnership,
        },
    )
    plan = Plan.objects.get(slug="imported")
    assert Theme.objects.filter(plan=plan).count() == themes
    assert Action.objects.filter(theme__plan=plan).count() == actions

    # A workbook without our ID column matches by theme and number (or position) again.
    again = preview_import(read(name, layout), plan)
    assert (
        again.summary == f"Summary: created=0 updated=0 unchanged={actions} conflicts=0 refused=0"
    )
    assert not again.changes_anything


def test_vru_as_sent_reads_rag_words_themes_and_the_header_block():
    parsed = read("vru_as_sent.xlsx")
    rows = by_row(parsed)

    rags = {number: rows[number].values["rag"] for number in (12, 13, 14, 16, 18, 20)}
    assert rags == {
        12: RAG.RED,
        13: RAG.NOT_RATED,
        14: RAG.AMBER,
        16: RAG.GREEN,
        18: RAG.COMPLETE,
        20: RAG.COMPLETE,
    }
    assert rows[12].theme == ("GOVERNANCE",)
    assert rows[15].theme == ("GOVERNANCE",)  # under the merged theme cell
    assert rows[12].values["origin"] == "vru_mandated"
    assert not rows[12].values["text"].startswith("VRU Mandated")
    assert "origin" not in rows[16].values  # unprefixed, and the sheet has no Origin column
    assert rows[16].values["text"].count("\n- ") == 3  # line breaks kept
    assert rows[12].values["start_date"] == datetime.date(2021, 12, 11)
    assert rows[12].values["start_text"] == ""
    victims = next(t for t in parsed.themes if t.path[0].startswith("SUPPORTING VICTIMS"))
    assert victims.description.startswith("Ensuring co-ordinated referral")
    assert parsed.plan["title"].startswith("London Borough of Barking and Dagenham")
    assert len(parsed.senior_leaders) == 5
    assert parsed.senior_leaders[0] == {
        "name": "Councillor Margaret Mullane and Interim BCU Commander Paul Trevers",
        "organisation": "",
        "role": "CSP Chair",
    }


def test_rag_given_only_by_fill_colour():
    rows = by_row(read("vru_colour_only_rag.xlsx"))

    assert [rows[number].values["rag"] for number in range(12, 20)] == [
        RAG.RED,
        RAG.RED,
        RAG.AMBER,
        RAG.GREEN,
        RAG.GREEN,
        RAG.COMPLETE,
        RAG.NOT_RATED,
        RAG.NOT_RATED,
    ]


def test_dates_typed_as_words_keep_the_words():
    rows = by_row(read("vru_text_dates.xlsx"))

    def dates(number):
        values = rows[number].values
        return values["start_date"], values["start_text"], values["end_date"], values["end_text"]

    day = datetime.date
    assert dates(13) == (day(2021, 12, 11), "11/12/2021", day(2022, 12, 10), "10/12/2022")
    assert dates(14)[2:] == (day(2022, 12, 31), "December 2022")
    assert dates(16)[:2] == (None, "TBC")
    assert dates(18)[:2] == (None, "")
    assert dates(19) == (None, "Ongoing", None, "Ongoing")


def test_repeated_headers_and_blank_rows_are_not_actions():
    parsed = read("vru_repeated_headers.xlsx")

    assert sorted(by_row(parsed)) == [12, 13, 14, 17, 18, 19, 22, 23, 24]
    assert by_row(parsed)[14].theme == ("ANALYSIS & ENFORCEMENT",)
    assert by_row(parsed)[19].theme == ("SAFEGUARDING AND EDUCATING CHILDREN AND YOUNG PEOPLE",)


def test_reordered_and_extra_columns():
    parsed = read("vru_reordered_extra_columns.xlsx")
    rows = by_row(parsed)

    assert [rows[number].values["ref"] for number in (12, 13, 14, 15)] == ["1", "2", "3", "4"]
    assert rows[13].values["rag"] == RAG.GREEN
    assert parsed.ignored_columns == ["'Notes' (column K)", "'Owner email' (column O)"]
    assert "November 2021" not in rows[20].values["comment"]
    notes = preview_import(parsed, None, partnership=PartnershipFactory()).notes
    assert notes[0] == "Column 'Notes' (column K) is not part of the VRU layout and was ignored."


def test_sgv_sections_objectives_merged_cells_and_numbers_in_the_text():
    parsed = read("sgv_as_sent.xlsx", "sgv")
    rows = by_row(parsed)

    assert [theme.path for theme in parsed.themes][:2] == [
        ("Serious Group Violence",),
        ("Serious Group Violence", "Improve Intelligence and information sharing"),
    ]
    assert [rows[number].values["ref"] for number in (3, 6, 9, 16)] == ["1", "1a", "1d", "4"]
    assert rows[16].values["text"].startswith("EWMS (Emerald Warrant Management System)")
    assert rows[13].theme[0] == "Knife Crime"
    # Merged outcomes and resources belong to every action under them.
    assert rows[5].values["outcomes"] == rows[3].values["outcomes"] != ""
    assert rows[9].values["resources"] == rows[6].values["resources"] != ""
    assert rows[4].values["timescale"] == "Annual Review December 2019 – 2021"


def test_csp_focus_areas_and_an_objective_named_again():
    parsed = read("csp_as_sent.xlsx", "csp")
    rows = by_row(parsed)

    objective = (
        "Violence with Injury",
        "Protecting vulnerable individuals / victims; creating safer locations",
    )
    assert [rows[number].theme for number in (7, 8, 11)] == [objective] * 3
    assert "ref" not in rows[2].values  # the steps "1) ..." inside the text are not numbers
    assert rows[2].values["text"].startswith("Refresh the violence against women")


@pytest.mark.parametrize(
    "name, row, column, message",
    [
        ("bad_unknown_rag.xlsx", 14, "Risk RAG status", "'Purple' is not a RAG status"),
        ("bad_end_before_start.xlsx", 17, "End date", "is before the start date"),
        ("bad_no_action_text.xlsx", 15, "Actions", "This row has no action text"),
        ("bad_duplicate_number.xlsx", 15, "", "Action number 3 is used twice"),
        ("bad_no_header.xlsx", None, "", "No sheet has the VRU layout's header row"),
    ],
)
def test_a_bad_workbook_is_refused_with_where_and_what_to_do(name, row, column, message):
    plan_count = Plan.objects.count()

    result = preview_import(read(name), None, partnership=PartnershipFactory())

    [problem] = [problem for problem in result.problems if message in problem.message]
    assert (problem.row, problem.column) == (row, column)
    if row:
        assert problem.sheet == "Action Plan"
    assert Plan.objects.count() == plan_count


@pytest.mark.parametrize(
    "name, message",
    [
        ("bad_not_a_workbook.xlsx", "not an Excel workbook"),
        ("bad_macro_enabled.xlsm", "macro"),
        ("bad_zip_bomb.xlsx", "expand"),
    ],
)
def test_a_file_we_will_not_open_is_refused_before_reading(name, message):
    with pytest.raises(WorkbookRefused, match=message):
        read(name)


def test_a_file_over_the_size_limit_is_refused():
    with pytest.raises(WorkbookRefused, match="the largest workbook accepted is 25 MB"):
        read_workbook(b"PK\x03\x04" + bytes(26 * 1024 * 1024), "vru")


def test_a_sheet_without_numbers_matches_the_plans_actions_by_their_words():
    call_command("load_demo", stdout=io.StringIO())
    plan = Plan.objects.get(slug="havering-csp-2017-20")

    result = preview_import(read("csp_as_sent.xlsx", "csp"), plan)

    assert result.summary == "Summary: created=0 updated=0 unchanged=10 conflicts=0 refused=0"
    assert len(result.not_in_workbook) == 10
