"""The CSP layout's performance measures sheet: the seed plan's indicators exported and
imported back without loss, edits shown field by field and applied, bad cells refused."""

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from actions.models import Action, Indicator, IndicatorValue, Plan
from actions.seeds import load_plan_file
from boards.seeds import load_partnership_file
from cspplan.records import Record
from tests.factories import UserFactory
from tests.helpers import reopened
from tests.libreoffice import resave_in_libreoffice
from tests.workbooks.workbooks import export as export_workbook
from workbooks.csp import MEASURES_SHEET
from workbooks.layouts import read_workbook
from workbooks.presenter import preview_lines
from workbooks.preview import preview_import
from workbooks.services import IMPORT_REASON, ImportRefused, plan_import

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SLUG = "havering-csp-2017-20"
HEADER_ROW = 3  # title, note, header
HATE_CRIME = "Encourage more victims of hate crime to come forward and report"
REPEAT_VICTIMS = "Reduce the number of repeat victims of domestic abuse"
INDICATOR_FIELDS = [
    "ref",
    "category",
    "description",
    "direction",
    "baseline_label",
    "baseline",
    "target_label",
    "target",
    "target_text",
    "link_to_corporate_vision",
    "order",
]


def _load(path: Path, load) -> None:
    with path.open(encoding="utf-8") as stream:
        load(Record(yaml.safe_load(stream), path.name))


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Havering's partnership and its CSP plan, loaded once for the module."""
    with django_db_blocker.unblock():
        _load(FIXTURES / "havering" / "partnership.yaml", load_partnership_file)
        _load(FIXTURES / "havering" / f"{SLUG}.yaml", load_plan_file)
        yield
        call_command("flush", interactive=False, verbosity=0)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


@pytest.fixture
def plan():
    return reopened(Plan.objects.get(slug=SLUG))


def export(plan) -> bytes:
    return export_workbook(plan, "csp")


def preview(data: bytes, plan):
    return preview_import(read_workbook(data, "csp"), plan)


def snapshot(plan) -> list[dict]:
    return list(plan.indicators.order_by("order", "pk").values("pk", *INDICATOR_FIELDS))


class Measures:
    """The measures sheet of an exported workbook, opened in openpyxl's normal mode to edit
    as a person would in Excel."""

    def __init__(self, data: bytes):
        self.book = openpyxl.load_workbook(io.BytesIO(data))
        self.sheet = self.book[MEASURES_SHEET]

    def column(self, header: str) -> int:
        for cell in self.sheet[HEADER_ROW]:
            if cell.value == header:
                return cell.column
        raise KeyError(header)

    def row_of(self, description: str) -> int:
        column = self.column("Description")
        for row in range(HEADER_ROW + 1, self.sheet.max_row + 1):
            if self.sheet.cell(row, column).value == description:
                return row
        raise KeyError(description)

    def set(self, row: int, header: str, value) -> None:
        self.sheet.cell(row, self.column(header)).value = value  # cell(..., None) sets nothing

    def get(self, row: int, header: str):
        return self.sheet.cell(row, self.column(header)).value

    def save(self) -> bytes:
        stream = io.BytesIO()
        self.book.save(stream)
        return stream.getvalue()


def changes_of(result) -> dict[str, list[tuple]]:
    """{description: [(field, old, new), ...]} for the measures the preview changes."""
    return {
        change.indicator.description if change.indicator else change.row.values["description"]: [
            (field.field, field.old, field.new) for field in change.changes
        ]
        for change in result.indicators
        if change.kind in ("create", "update")
    }


def test_the_seed_plan_exports_and_imports_back_with_no_change(plan):
    result = preview(export(plan), plan)

    assert result.problems == []
    assert result.summary == "Summary: created=0 updated=0 unchanged=20 conflicts=0 refused=0"
    assert [change.kind for change in result.indicators] == ["unchanged"] * 15
    assert [change.indicator.pk for change in result.indicators] == [
        row["pk"] for row in snapshot(plan)
    ]
    assert preview_lines(result) == []


def test_the_measures_sheet_is_the_plan_s_table_with_its_labels_and_categories(plan):
    sheet = Measures(export(plan)).sheet

    header = [cell.value for cell in sheet[HEADER_ROW]]
    assert header[:5] == [
        "Ref",
        "Description",
        "2016/17 Outturn (End-of-year)",
        "2017/18 Target",
        "Link to Corporate Vision",
    ]
    assert header[5:] == [
        "Direction",
        "Outturn label",
        "Target label",
        "Target as written",
        "cspplan ID (do not change)",
    ]
    hidden = [sheet.column_dimensions[letter].hidden for letter in "ABCDEFGHIJ"]
    assert hidden == [False] * 5 + [True] * 5
    assert sheet.freeze_panes == "A4"
    first = [cell.value for cell in sheet[HEADER_ROW + 1]]
    assert first[0] == "Key Local Outcomes" and first[1:] == [None] * 9
    assert f"A{HEADER_ROW + 1}:E{HEADER_ROW + 1}" in {str(r) for r in sheet.merged_cells.ranges}
    categories = [
        row[0]
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
        if row[0] and row[1] is None
    ]
    assert categories == ["Key Local Outcomes", "Local", "Regional"]
    measure = [cell.value for cell in sheet[HEADER_ROW + 2]]
    assert measure[1].startswith("Reduce alcohol related ambulance call-outs")
    assert measure[2:6] == [None, "Reduce", "Communities", "Reduce"]
    assert isinstance(measure[9], int)


def test_every_field_round_trips_numbers_mixed_labels_and_uncategorised_measures(plan):
    indicators = list(plan.indicators.order_by("order"))
    Indicator.objects.filter(pk=indicators[0].pk).update(
        ref="1a", baseline=Decimal("123.4567"), target=Decimal("110"), target_text="Reduce by 10%"
    )
    Indicator.objects.filter(pk=indicators[1].pk).update(
        baseline=Decimal("9999999999.9999"), target=Decimal("-0.05"), target_text=""
    )
    # Labels that differ, one the bare word, one blank: each row carries its own.
    Indicator.objects.filter(pk=indicators[2].pk).update(
        baseline_label="Outturn", target_label="", target_text=""
    )
    Indicator.objects.filter(pk=indicators[3].pk).update(baseline_label="2015/16 Outturn")
    # A measure with no category after categorised ones, then a category again.
    Indicator.objects.filter(pk=indicators[5].pk).update(category="")
    Indicator.objects.filter(pk=indicators[6].pk).update(direction="increase", target_text="")
    before = snapshot(plan)

    data = export(plan)
    result = preview(data, plan)

    assert result.problems == []
    assert changes_of(result) == {}
    assert preview_lines(result) == []
    assert snapshot(plan) == before
    sheet = Measures(data)
    assert "(No category)" in [row[0] for row in sheet.sheet.iter_rows(values_only=True)]
    assert sheet.column("Outturn") == 3  # the header is plain when labels differ
    row = sheet.row_of(indicators[0].description)
    assert (sheet.get(row, "Outturn"), sheet.get(row, "Target")) == (123.4567, 110)
    assert sheet.get(row, "Target as written") == "Reduce by 10%"


def test_a_target_and_a_description_edited_in_excel_are_exactly_the_changes(plan):
    before = snapshot(plan)
    sheet = Measures(export(plan))
    sheet.set(sheet.row_of(HATE_CRIME), "2017/18 Target", "Increase by 5%")
    sheet.set(sheet.row_of(REPEAT_VICTIMS), "Description", "Reduce repeat victims of abuse")
    user = UserFactory()

    result = preview(sheet.save(), plan)

    assert result.problems == []
    assert result.summary == "Summary: created=0 updated=0 unchanged=20 conflicts=0 refused=0"
    assert changes_of(result) == {
        HATE_CRIME: [("target_text", "Increase", "Increase by 5%")],
        REPEAT_VICTIMS: [("description", REPEAT_VICTIMS, "Reduce repeat victims of abuse")],
    }
    lines = preview_lines(result)
    assert "    Target as written: Increase → Increase by 5%" in lines
    assert snapshot(plan) == before  # nothing written by the preview

    plan_import(result, user=user)

    after = {row["pk"]: row for row in snapshot(plan)}
    hate_crime = next(row for row in before if row["description"] == HATE_CRIME)
    assert after[hate_crime["pk"]]["target_text"] == "Increase by 5%"
    assert after[hate_crime["pk"]]["direction"] == "increase"
    assert Indicator.objects.filter(description="Reduce repeat victims of abuse").exists()
    history = Indicator.history.filter(history_user=user)
    assert history.count() == 2
    assert set(history.values_list("history_change_reason", flat=True)) == {IMPORT_REASON}
    assert preview(export(plan), plan).indicators[0].kind == "unchanged"
    assert changes_of(preview(export(plan), plan)) == {}


def test_numbers_edited_are_numbers_and_only_they_change(plan):
    indicator = plan.indicators.get(description=HATE_CRIME)
    Indicator.objects.filter(pk=indicator.pk).update(baseline=Decimal("412"), target=450)
    sheet = Measures(export(plan))
    row = sheet.row_of(HATE_CRIME)
    assert sheet.get(row, "2017/18 Target") == 450
    sheet.set(row, "2017/18 Target", 475.5)
    sheet.set(row, "2016/17 Outturn (End-of-year)", "1,204")  # typed as text, with a comma

    result = preview(sheet.save(), plan)

    assert result.problems == []
    assert changes_of(result) == {
        HATE_CRIME: [
            ("baseline", Decimal("412"), Decimal("1204")),
            ("target", Decimal("450"), Decimal("475.5")),
        ]
    }
    plan_import(result)
    indicator.refresh_from_db()
    assert (indicator.baseline, indicator.target, indicator.target_text) == (
        Decimal("1204"),
        Decimal("475.5"),
        "Increase",
    )


def test_a_number_typed_over_the_target_words_sets_the_target_and_keeps_the_words(plan):
    # The plan's footnote: "Numerical targets to be inserted once the 2016/17 year end
    # outturn is known".
    sheet = Measures(export(plan))
    sheet.set(sheet.row_of(REPEAT_VICTIMS), "2017/18 Target", 240)
    sheet.set(sheet.row_of(HATE_CRIME), "2017/18 Target", None)

    result = preview(sheet.save(), plan)

    assert changes_of(result) == {
        REPEAT_VICTIMS: [("target", None, Decimal("240"))],
        HATE_CRIME: [("target_text", "Increase", "")],  # a cleared Target cell clears both
    }


def test_a_new_header_label_relabels_every_measure(plan):
    sheet = Measures(export(plan))
    sheet.sheet.cell(HEADER_ROW, 3, "2017/18 Outturn (End-of-year)")

    result = preview(sheet.save(), plan)

    changed = changes_of(result)
    assert len(changed) == 15
    assert {tuple(changes) for changes in changed.values()} == {
        (("baseline_label", "2016/17 Outturn (End-of-year)", "2017/18 Outturn (End-of-year)"),)
    }


def test_measures_moved_in_the_sheet_change_position_and_nothing_else(plan):
    sheet = Measures(export(plan))
    first, second = sheet.row_of(REPEAT_VICTIMS), sheet.row_of(HATE_CRIME)
    cells = [[cell.value for cell in sheet.sheet[row]] for row in (first, second)]
    for row, values in zip((second, first), cells, strict=True):
        for column, value in enumerate(values, start=1):
            sheet.sheet.cell(row, column).value = value

    result = preview(sheet.save(), plan)

    assert result.problems == []
    assert changes_of(result) == {
        REPEAT_VICTIMS: [("order", 1, 3)],
        HATE_CRIME: [("order", 3, 1)],
    }
    assert "    Position: 2 → 4" in preview_lines(result)


def test_a_bad_number_is_refused_where_it_is_and_nothing_is_written(plan):
    before = snapshot(plan)
    history = Indicator.history.count(), Action.history.count()
    sheet = Measures(export(plan))
    row = sheet.row_of(HATE_CRIME)
    sheet.set(row, "2016/17 Outturn (End-of-year)", "about 120")
    sheet.set(sheet.row_of(REPEAT_VICTIMS), "Description", "An edit that must not be written")

    result = preview(sheet.save(), plan)

    [problem] = result.problems
    assert (problem.sheet, problem.row, problem.column) == (
        MEASURES_SHEET,
        row,
        "2016/17 Outturn (End-of-year)",
    )
    assert "'about 120' is not a number" in problem.message
    assert "write the outturn as a number" in problem.message
    with pytest.raises(ImportRefused):
        plan_import(result)
    assert snapshot(plan) == before
    assert (Indicator.history.count(), Action.history.count()) == history


@pytest.mark.parametrize(
    "header, value, message",
    [
        ("Direction", "Sideways", "'Sideways' is not a direction: write Reduce"),
        ("Description", None, "This measure has no description"),
        ("2017/18 Target", 0.123456, "has more than 4 decimal places"),
        ("2016/17 Outturn (End-of-year)", 12345678901, "is too large"),
        ("cspplan ID (do not change)", 999999, "which is not a measure of this plan"),
    ],
)
def test_a_bad_measure_cell_is_refused_with_what_to_write(plan, header, value, message):
    sheet = Measures(export(plan))
    row = sheet.row_of(HATE_CRIME)
    sheet.set(row, header, value)

    result = preview(sheet.save(), plan)

    [problem] = result.problems
    assert message in problem.message
    assert (problem.sheet, problem.row) == (MEASURES_SHEET, row)
    if header != "cspplan ID (do not change)":
        assert problem.column == header


def test_without_a_measures_table_the_indicators_are_left_untouched(plan):
    before = snapshot(plan)
    values = IndicatorValue.objects.count()
    history = Indicator.history.count()
    sheet = Measures(export(plan))
    sheet.book.remove(sheet.sheet)

    parsed = read_workbook(sheet.save(), "csp")
    result = preview_import(parsed, plan)

    assert parsed.indicators is None
    assert {change.kind for change in result.indicators} == {"absent"}
    assert result.problems == []
    assert any("no performance measures table" in line for line in preview_lines(result))
    plan_import(result)
    assert snapshot(plan) == before
    assert IndicatorValue.objects.count() == values
    assert Indicator.history.count() == history


def test_a_measure_added_in_excel_is_created_in_its_category_at_the_end(plan):
    sheet = Measures(export(plan))
    row = sheet.sheet.max_row + 1
    sheet.set(row, "Description", "Reduce the number of moped-enabled robberies")
    sheet.set(row, "2017/18 Target", "Reduce")
    sheet.set(row, "Link to Corporate Vision", "Communities")
    user = UserFactory()

    result = preview(sheet.save(), plan)

    assert result.problems == []
    [new] = [change for change in result.indicators if change.kind == "create"]
    assert new.values["category"] == "Regional"
    assert new.values["direction"] == "reduce"  # from the target's words
    assert new.order == 15
    plan_import(result, user=user)
    created = plan.indicators.get(description="Reduce the number of moped-enabled robberies")
    assert (created.order, created.baseline_label, created.target_label) == (
        15,
        "2016/17 Outturn (End-of-year)",
        "2017/18 Target",
    )
    assert created.history.get().history_user == user


def test_a_new_measure_without_a_direction_is_refused(plan):
    sheet = Measures(export(plan))
    row = sheet.sheet.max_row + 1
    sheet.set(row, "Description", "Keep response times under ten minutes")
    sheet.set(row, "2017/18 Target", "Maintain")

    result = preview(sheet.save(), plan)

    [problem] = result.problems
    assert "no direction" in problem.message
    assert problem.row == row


def test_a_hand_made_table_reordered_with_extra_columns_blank_rows_and_repeated_headers(plan):
    book = openpyxl.Workbook()
    book.active.title = "Actions"
    sheet = book.create_sheet("KPIs")
    header = ["Target", "Notes", "description", "REF", "Outturn"]
    sheet.append(["Performance measures 2017/18"])
    sheet.append(header)
    sheet.append(["Key Local Outcomes"])
    sheet.append(["Increase", "check with police", HATE_CRIME, None, 57])
    sheet.append([])
    sheet.append(header)
    sheet.append(["Reduce", None, REPEAT_VICTIMS])
    stream = io.BytesIO()
    book.save(stream)

    parsed = read_workbook(stream.getvalue(), "csp")
    result = preview_import(parsed, plan)

    assert [row.row for row in parsed.indicators] == [4, 7]
    assert "'Notes' (sheet 'KPIs', column B)" in parsed.ignored_columns
    # Matched by description; fields without a column (labels, link, ID) are left alone. The
    # two swap places, among the positions they had (the other 13 keep theirs).
    assert changes_of(result) == {
        HATE_CRIME: [("baseline", None, Decimal("57")), ("order", 3, 1)],
        REPEAT_VICTIMS: [("order", 1, 3)],
    }
    assert [change.kind for change in result.indicators].count("absent") == 13


def test_the_workbook_partners_sent_changes_no_measure(plan):
    parsed = read_workbook((settings.BASE_DIR / "tests/data/csp_as_sent.xlsx").read_bytes(), "csp")
    result = preview_import(parsed, plan)

    assert len(parsed.indicators) == 8
    assert [change.kind for change in result.indicators] == ["unchanged"] * 8 + ["absent"] * 7


def test_a_workbook_resaved_in_libreoffice_imports_with_no_change(plan, tmp_path):
    Indicator.objects.filter(description=HATE_CRIME).update(
        baseline=Decimal("0.1234"), target=Decimal("12.5"), target_text="Increase by 5%"
    )
    data = resave_in_libreoffice(export(plan), tmp_path)

    result = preview(data, plan)

    assert result.problems == []
    assert result.summary == "Summary: created=0 updated=0 unchanged=20 conflicts=0 refused=0"
    assert changes_of(result) == {}
    assert [change.kind for change in result.indicators] == ["unchanged"] * 15


def test_target_words_against_the_hidden_direction_are_pointed_out_not_refused(plan):
    sheet = Measures(export(plan))
    sheet.set(sheet.row_of(REPEAT_VICTIMS), "2017/18 Target", "Increase")

    result = preview(sheet.save(), plan)

    assert result.problems == []
    assert changes_of(result) == {REPEAT_VICTIMS: [("target_text", "Reduce", "Increase")]}
    [note] = [line for line in preview_lines(result) if "note:" in line]
    assert "the measure's direction is Reduce" in note
