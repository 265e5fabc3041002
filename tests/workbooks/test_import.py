"""Importing a plan workbook: matching rows to actions, the preview, the all-or-nothing apply."""

import datetime

import pytest

from actions.models import Action, ActionOrigin
from actions.rag import RAG
from tests.factories import (
    ActionFactory,
    OrganisationFactory,
    PersonFactory,
    PlanFactory,
    ThemeFactory,
    UserFactory,
)
from tests.workbooks.workbooks import Sheet, export
from workbooks.layouts import read_workbook
from workbooks.preview import preview_import
from workbooks.services import ImportRefused, plan_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = PlanFactory(title="Violence reduction plan")
    governance = ThemeFactory(plan=plan, name="GOVERNANCE", description="Who oversees what")
    diversion = ThemeFactory(plan=plan, name="POSITIVE DIVERSION")
    ActionFactory(
        theme=governance,
        ref="1",
        text="Set out the co-ordination arrangements",
        origin=ActionOrigin.VRU_MANDATED,
        start_date=datetime.date(2021, 12, 11),
        end_date=datetime.date(2022, 12, 10),
        rag=RAG.GREEN,
        comment="November 2021: agreed",
    )
    ActionFactory(theme=governance, ref="2", text="Daily violence meeting", origin="local")
    ActionFactory(
        theme=diversion,
        ref="1",
        text="Mentoring for young people",
        start_text="TBC",
        end_text="March 2022",
        end_date=datetime.date(2022, 3, 31),
        progress="Provider chosen",
    )
    return plan


def preview(data: bytes, plan, layout="vru"):
    return preview_import(read_workbook(data, layout), plan)


def test_an_unchanged_export_imports_as_no_change(plan):
    result = preview(export(plan), plan)

    assert result.problems == []
    assert result.summary == "Summary: created=0 updated=0 unchanged=3 conflicts=0 refused=0"
    assert not result.changes_anything


def test_edits_are_shown_field_by_field_and_written_only_when_applied(plan):
    sheet = Sheet(export(plan))
    row = sheet.row_of("Daily violence meeting")
    sheet.set(row, "Risk RAG status", "red")
    sheet.set(row, "Progress", "Meets every morning at 9")
    user = UserFactory()

    result = preview(sheet.save(), plan)

    [change] = [change for change in result.actions if change.kind == "update"]
    assert sorted(str(field) for field in change.changes) == [
        "Progress: (blank) → Meets every morning at 9",
        "RAG status: Not rated → Red",
    ]
    action = Action.objects.get(text="Daily violence meeting")
    assert action.rag == RAG.NOT_RATED  # the preview wrote nothing
    history_before = action.history.count()

    plan_import(result, user=user)

    action.refresh_from_db()
    assert (action.rag, action.progress) == (RAG.RED, "Meets every morning at 9")
    assert action.history.count() == history_before + 1
    latest = action.history.first()
    assert latest.history_user == user
    assert latest.history_change_reason == "Imported from a workbook"
    # Actions that did not change get no history row.
    other = Action.objects.get(text="Mentoring for young people")
    assert other.history.count() == 1


def test_a_new_row_is_created_with_the_people_and_organisations_it_names(plan):
    lead = PersonFactory(name="Chris Lyons", partnerships=[plan.partnership])
    organisation = OrganisationFactory(
        name="Metropolitan Police Service", short_name="MPS", partnerships=[plan.partnership]
    )
    sheet = Sheet(export(plan))
    # A partner adds a row at the bottom of the table, without an ID.
    key_row = next(
        r for r in range(1, sheet.sheet.max_row + 1) if sheet.sheet.cell(r, 1).value == "Key"
    )
    sheet.sheet.delete_rows(key_row - 1, sheet.sheet.max_row)
    row = key_row - 1
    sheet.set(row, "Ref Theme", "POSITIVE DIVERSION")
    sheet.set(row, "Action No", 2)
    sheet.set(row, "Actions", "Summer programme")
    sheet.set(row, "Named CSP Lead", "Chris Lyons and Jade Hodgson")
    sheet.set(row, "Lead organisation", "MPS")
    sheet.set(row, "Start date", "April 2022")
    data = sheet.save()

    result = preview(data, plan)
    assert result.summary == "Summary: created=1 updated=0 unchanged=3 conflicts=0 refused=0"
    plan_import(result)

    action = Action.objects.get(text="Summer programme")
    assert action.theme.name == "POSITIVE DIVERSION"
    assert action.ref == "2"
    assert [a.text for a in action.theme.actions.all()] == [
        "Mentoring for young people",
        "Summer programme",
    ]
    assert list(action.lead_people.all()) == [lead]
    assert list(action.lead_organisations.all()) == [organisation]
    assert action.leads == "Chris Lyons and Jade Hodgson"  # the words as written are kept
    assert (action.start_date, action.start_text) == (datetime.date(2022, 4, 1), "April 2022")
    # The history row holds the lists as they were when it was written.
    assert [p.person for p in action.history.first().lead_people.all()] == [lead]

    # Importing the same workbook again changes nothing and duplicates nothing.
    again = preview(data, plan)
    assert again.summary == "Summary: created=0 updated=0 unchanged=4 conflicts=0 refused=0"


def test_rows_without_ids_match_by_theme_and_number(plan):
    sheet = Sheet(export(plan))
    for row in range(sheet.header_row + 1, sheet.sheet.max_row + 1):
        sheet.sheet.cell(row, sheet.columns["cspplan ID (do not change)"]).value = None

    result = preview(sheet.save(), plan)

    assert result.summary == "Summary: created=0 updated=0 unchanged=3 conflicts=0 refused=0"


def test_unnumbered_actions_match_by_position_in_their_theme(plan):
    Action.objects.update(ref="")
    sheet = Sheet(export(plan))
    for row in range(sheet.header_row + 1, sheet.sheet.max_row + 1):
        sheet.sheet.cell(row, sheet.columns["cspplan ID (do not change)"]).value = None
    sheet.set(sheet.row_of("Daily violence meeting"), "Comment", "Now weekly")

    result = preview(sheet.save(), plan)

    assert result.summary == "Summary: created=0 updated=1 unchanged=2 conflicts=0 refused=0"
    [change] = [change for change in result.actions if change.kind == "update"]
    assert change.action.text == "Daily violence meeting"


def test_a_deleted_column_leaves_its_field_alone_and_missing_rows_are_listed(plan):
    sheet = Sheet(export(plan))
    sheet.sheet.delete_rows(sheet.row_of("Mentoring for young people"))
    sheet.sheet.delete_cols(sheet.columns["Comment"])

    result = preview(sheet.save(), plan)

    assert result.summary == "Summary: created=0 updated=0 unchanged=2 conflicts=0 refused=0"
    assert [action.text for action in result.not_in_workbook] == ["Mentoring for young people"]
    plan_import(result)
    assert Action.objects.get(ref="1", theme__name="GOVERNANCE").comment == "November 2021: agreed"
    assert Action.objects.filter(text="Mentoring for young people").exists()


def test_moving_a_row_to_another_theme_moves_the_action(plan):
    sheet = Sheet(export(plan))
    for merged in list(sheet.sheet.merged_cells.ranges):
        sheet.sheet.unmerge_cells(str(merged))
    row = sheet.row_of("Daily violence meeting")
    sheet.set(row, "Ref Theme", "POSITIVE DIVERSION")
    sheet.set(row, "Action No", "2")

    result = preview(sheet.save(), plan)
    [change] = [change for change in result.actions if change.row.row == row]
    assert "Theme: GOVERNANCE → POSITIVE DIVERSION" in [str(field) for field in change.changes]
    plan_import(result)

    moved = Action.objects.get(text="Daily violence meeting")
    assert moved.theme.name == "POSITIVE DIVERSION"
    # It goes where the row was: above the theme's own action.
    assert [a.text for a in moved.theme.actions.all()] == [
        "Daily violence meeting",
        "Mentoring for young people",
    ]


@pytest.mark.parametrize(
    "edit, message",
    [
        (
            lambda sheet: sheet.set(sheet.row_of("Daily"), "Action No", "1"),
            "Action number 1 is used twice in theme 'GOVERNANCE'",
        ),
        (
            lambda sheet: sheet.set(sheet.row_of("Daily"), "cspplan ID (do not change)", 999999),
            "record number 999999, which is not an action of this plan",
        ),
        (
            lambda sheet: sheet.set(
                sheet.row_of("Daily"),
                "cspplan ID (do not change)",
                sheet.get(sheet.row_of("Set out"), "cspplan ID (do not change)"),
            ),
            "carry the same record number",
        ),
        (
            lambda sheet: sheet.set(sheet.row_of("Daily"), "Risk RAG status", "Purple"),
            "'Purple' is not a RAG status",
        ),
        (
            lambda sheet: (
                sheet.set(sheet.row_of("Daily"), "End date", "1 January 2020")
                or sheet.set(sheet.row_of("Daily"), "Start date", "1 February 2020")
            ),
            "The end date (1 January 2020) is before the start date (1 February 2020)",
        ),
        (
            lambda sheet: sheet.set(sheet.row_of("Daily"), "Actions", None),
            "This row has no action text",
        ),
        (
            lambda sheet: sheet.set(sheet.row_of("Daily"), "Named CSP Lead", "x" * 501),
            "Named lead(s) is 501 characters long; it can hold at most 500",
        ),
    ],
    ids=[
        "duplicate-number",
        "foreign-id",
        "copied-row",
        "unknown-rag",
        "end-before-start",
        "no-text",
        "too-long",
    ],
)
def test_a_bad_row_refuses_the_whole_import_and_writes_nothing(plan, edit, message):
    sheet = Sheet(export(plan))
    # A good change alongside the bad one: it must not be written either.
    sheet.set(sheet.row_of("Mentoring"), "Progress", "Started")
    bad_row = sheet.row_of("Daily") if message != "This row has no action text" else None
    edit(sheet)
    before = list(Action.objects.order_by("pk").values())

    result = preview(sheet.save(), plan)

    assert result.refused == 1
    assert any(message in str(problem) for problem in result.problems), result.problems
    located = [problem for problem in result.problems if message in str(problem)]
    assert located[0].sheet == "Action plan" and located[0].row
    if bad_row:
        assert located[0].row == bad_row
    with pytest.raises(ImportRefused):
        plan_import(result)
    assert list(Action.objects.order_by("pk").values()) == before


def test_plan_title_theme_description_and_origin_changes_read_in_words(plan):
    sheet = Sheet(export(plan))
    sheet.sheet["A1"] = "Knife Crime and Violence Reduction Plan 2021-22"
    governance = sheet.row_of("Set out")
    sheet.set(governance, "Ref Theme", "GOVERNANCE\n\nWho oversees what, and when")
    sheet.set(sheet.row_of("Daily"), "Origin", "VRU mandated action")

    result = preview(sheet.save(), plan)

    assert [str(change) for change in result.plan_changes] == [
        "Title: Violence reduction plan → Knife Crime and Violence Reduction Plan 2021-22"
    ]
    [(theme, [description])] = result.theme_changes
    assert str(description) == ("Description: Who oversees what → Who oversees what, and when")
    [daily] = [change for change in result.actions if change.kind == "update"]
    assert [str(change) for change in daily.changes] == [
        "Origin: Local action → VRU mandated action"
    ]
    plan_import(result)
    plan.refresh_from_db()
    assert plan.title == "Knife Crime and Violence Reduction Plan 2021-22"
    assert plan.themes.get(name="GOVERNANCE").description == "Who oversees what, and when"


def test_names_that_match_no_one_are_noted_and_kept_as_written(plan):
    PersonFactory(name="Chris Lyons", partnerships=[plan.partnership])
    sheet = Sheet(export(plan))
    sheet.set(sheet.row_of("Daily"), "Named CSP Lead", "Chris Lyons / Board Managers")

    result = preview(sheet.save(), plan)

    [change] = [change for change in result.actions if change.kind == "update"]
    assert "Lead people: (none) → Chris Lyons" in [str(field) for field in change.changes]
    assert result.notes == [
        f"Row {change.row.row}: 'Board Managers' in 'Named lead(s)' matched no known person; "
        "the words are kept as written."
    ]
