"""An old workbook never silently reverts newer work: the three-way import.

Each exported row records the version of its action (its newest history row). On import a
field the workbook leaves as exported is unchanged whatever the plan did since; one only the
workbook changed is a change; one both changed is a conflict, and nothing is written until a
side is chosen for it. A workbook without version columns is compared with the plan as now.
"""

import datetime

import pytest
from openpyxl.cell.cell import MergedCell

from actions.models import Action
from actions.rag import RAG
from actions.services import action_edit
from boards.models import Role
from tests.factories import ActionFactory, PersonFactory, PlanFactory, ThemeFactory, user_in_role
from tests.helpers import edit
from tests.workbooks.workbooks import Sheet, edit_row, export, move_row
from workbooks.layouts import read_workbook
from workbooks.presenter import describe, preview_lines
from workbooks.preview import preview_import, theme_paths
from workbooks.services import ConflictsUnsettled, plan_import
from workbooks.settling import settle, take_workbook
from workbooks.versions import KEEP_PLAN, TAKE_WORKBOOK, VERSION_HEADER, choice_name, set_aside

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = PlanFactory(slug="vru-plan", layout="vru")
    theme = ThemeFactory(plan=plan, name="GOVERNANCE")
    ActionFactory(theme=theme, ref="1", text="Set out the co-ordination arrangements")
    ActionFactory(
        theme=theme,
        ref="2",
        text="Daily violence meeting",
        comment="Chaired by the police",
        start_date=datetime.date(2021, 4, 1),
        end_date=datetime.date(2022, 3, 31),
    )
    return plan


@pytest.fixture
def officer(plan):
    return user_in_role(Role.OFFICER, partnerships=[plan.partnership], name="Angie Fuller")


def daily() -> Action:
    return Action.objects.get(text="Daily violence meeting")


def preview_of(plan, data: bytes):
    return preview_import(read_workbook(data, "vru"), plan)


def test_the_export_records_the_version_of_each_action_beside_its_id(plan):
    sheet = Sheet(export(plan))
    row = sheet.row_of("Daily")

    assert sheet.get(row, VERSION_HEADER) == daily().history.latest("history_id").history_id
    assert sheet.sheet.column_dimensions["P"].hidden  # beside the hidden ID in column O
    assert sheet.columns[VERSION_HEADER] == sheet.columns["cspplan ID (do not change)"] + 1


def test_an_old_workbook_leaves_a_field_changed_in_the_plan_since(plan, officer):
    old = export(plan)
    edit(daily(), officer, rag=RAG.GREEN, comment="Now chaired by the council")

    preview = preview_of(plan, old)

    assert preview.summary == "Summary: created=0 updated=0 unchanged=2 conflicts=0 refused=0"
    assert not preview.changes_anything
    plan_import(preview)
    assert (daily().rag, daily().comment) == (RAG.GREEN, "Now chaired by the council")


def test_a_field_changed_in_the_workbook_only_is_a_change(plan, officer):
    old = export(plan)
    edit(daily(), officer, rag=RAG.GREEN)  # another field, changed in the plan

    preview = preview_of(plan, edit_row(old, "Daily", {"Comment": "Chaired by the council"}))

    assert preview.summary == "Summary: created=0 updated=1 unchanged=1 conflicts=0 refused=0"
    [change] = [change for change in preview.actions if change.kind == "update"]
    assert [str(field) for field in change.changes] == [
        "Comment: Chaired by the police → Chaired by the council"
    ]
    plan_import(preview)
    assert (daily().rag, daily().comment) == (RAG.GREEN, "Chaired by the council")


def test_a_field_changed_in_both_is_a_conflict_and_nothing_is_written(plan, officer):
    old = export(plan)
    edit(daily(), officer, rag=RAG.GREEN)
    data = edit_row(old, "Daily", {"Risk RAG status": "Amber", "Comment": "Weekly now"})

    preview = preview_of(plan, data)

    assert preview.summary == "Summary: created=0 updated=0 unchanged=1 conflicts=1 refused=0"
    [change] = [change for change in preview.actions if change.kind == "conflict"]
    [conflict] = change.conflicts
    assert (conflict.exported, conflict.current, conflict.workbook) == (
        (RAG.NOT_RATED,),
        (RAG.GREEN,),
        (RAG.AMBER,),
    )
    assert conflict.changed_by == officer
    [shown] = describe(preview)["conflicted"]
    assert shown["conflicts"][0] | {"changed_at": ""} == {
        "name": f"conflict-{daily().pk}-rag",
        "label": "RAG status",
        "exported": "Not rated",
        "current": "Green",
        "workbook": "Amber",
        "changed_by": "Angie Fuller",
        "changed_at": "",
    }
    # The workbook's other change, with no conflict, is listed with it.
    assert shown["changes"] == [
        {"label": "Comment", "old": "Chaired by the police", "new": "Weekly now"}
    ]
    assert (
        "    CONFLICT RAG status: exported Not rated; now Green (changed by Angie Fuller on "
        in ("\n".join(preview_lines(preview)))
    )
    before = daily().history.count()
    with pytest.raises(ConflictsUnsettled):
        plan_import(preview)
    assert (daily().rag, daily().comment) == (RAG.GREEN, "Chaired by the police")
    assert daily().history.count() == before


def test_both_changing_a_field_to_the_same_value_is_no_conflict(plan, officer):
    old = export(plan)
    edit(daily(), officer, rag=RAG.AMBER)

    preview = preview_of(plan, edit_row(old, "Daily", {"Risk RAG status": "Amber"}))

    assert preview.summary == "Summary: created=0 updated=0 unchanged=2 conflicts=0 refused=0"


@pytest.mark.parametrize(
    ("choice", "rag", "comment"),
    [(KEEP_PLAN, RAG.GREEN, "Weekly now"), (TAKE_WORKBOOK, RAG.AMBER, "Weekly now")],
)
def test_a_chosen_side_is_written_with_the_workbooks_other_changes(
    plan, officer, choice, rag, comment
):
    old = export(plan)
    edit(daily(), officer, rag=RAG.GREEN)
    preview = preview_of(
        plan, edit_row(old, "Daily", {"Risk RAG status": "Amber", "Comment": "Weekly now"})
    )
    [change] = [change for change in preview.actions if change.conflicts]

    assert settle(preview, {choice_name(daily().pk, change.conflicts[0]): choice}) == []
    plan_import(preview)

    assert (daily().rag, daily().comment) == (rag, comment)
    assert daily().history.latest("history_id").history_change_reason == "Imported from a workbook"


def test_a_conflict_settled_for_the_plan_alone_writes_nothing(plan, officer):
    old = export(plan)
    edit(daily(), officer, rag=RAG.GREEN)
    preview = preview_of(plan, edit_row(old, "Daily", {"Risk RAG status": "Amber"}))
    [change] = [change for change in preview.actions if change.conflicts]
    before = daily().history.count()

    settle(preview, {choice_name(daily().pk, change.conflicts[0]): KEEP_PLAN})
    plan_import(preview)

    assert daily().rag == RAG.GREEN
    assert daily().history.count() == before


def test_a_date_and_its_words_are_one_conflict(plan, officer):
    old = export(plan)
    edit(daily(), officer, end_date=datetime.date(2022, 6, 30))

    preview = preview_of(plan, edit_row(old, "Daily", {"End date": "Ongoing"}))

    [change] = [change for change in preview.actions if change.conflicts]
    [conflict] = change.conflicts
    assert conflict.fields == ("end_date", "end_text")
    [shown] = describe(preview)["conflicted"]
    assert [
        (c["label"], c["exported"], c["current"], c["workbook"]) for c in shown["conflicts"]
    ] == [("End date", "31 March 2022", "30 June 2022", "Ongoing")]
    take_workbook(preview)
    plan_import(preview)
    assert (daily().end_date, daily().end_text) == (None, "Ongoing")


def test_choices_that_put_the_end_before_the_start_are_refused(plan, officer):
    old = export(plan)
    edit(daily(), officer, start_date=datetime.date(2021, 9, 1), end_date=datetime.date(2022, 9, 1))
    data = edit_row(
        old,
        "Daily",
        {"Start date": datetime.date(2021, 5, 1), "End date": datetime.date(2021, 6, 30)},
    )
    preview = preview_of(plan, data)
    [change] = [change for change in preview.actions if change.conflicts]
    start, end = change.conflicts

    wrong = settle(
        preview,
        {
            choice_name(daily().pk, start): KEEP_PLAN,
            choice_name(daily().pk, end): TAKE_WORKBOOK,
        },
    )

    row = Sheet(data).row_of("Daily")
    assert wrong == [
        f"Row {row} (action 2): with the values chosen the end date (30 June 2021) would be before "
        "the start date (1 September 2021). Choose again so that it is not, or correct the "
        "dates in the workbook and upload it again."
    ]


def test_taking_the_workbooks_leads_names_them(plan, officer):
    lead = PersonFactory(name="Jade Hodgson", partnerships=[plan.partnership])
    old = export(plan)
    edit(daily(), officer, comment="x")  # a version after the export, of another field
    Action.objects.filter(pk=daily().pk).update(leads="Someone else")  # no history row
    preview = preview_of(plan, edit_row(old, "Daily", {"Named CSP Lead": "Jade Hodgson"}))

    [change] = [change for change in preview.actions if change.conflicts]
    assert change.conflicts[0].fields == ("leads",)
    assert describe(preview)["conflicted"][0]["conflicts"][0]["changed_by"] == "Not recorded"
    take_workbook(preview)
    plan_import(preview)

    assert daily().leads == "Jade Hodgson"
    assert list(daily().lead_people.all()) == [lead]


def test_a_workbook_without_version_columns_is_read_as_today(plan, officer):
    """A partner's own workbook: what it holds is compared with the plan as it is now."""
    sheet = Sheet(export(plan))
    sheet.sheet.delete_cols(sheet.columns[VERSION_HEADER])
    edit(daily(), officer, rag=RAG.GREEN)

    preview = preview_of(plan, sheet.save())

    assert preview.summary == "Summary: created=0 updated=1 unchanged=1 conflicts=0 refused=0"
    [change] = [change for change in preview.actions if change.kind == "update"]
    assert [str(field) for field in change.changes] == ["RAG status: Green → Not rated"]


def test_a_row_with_a_cleared_version_is_read_as_today(plan, officer):
    data = edit_row(export(plan), "Daily", {VERSION_HEADER: None})
    edit(daily(), officer, rag=RAG.GREEN)

    preview = preview_of(plan, data)

    assert preview.summary == "Summary: created=0 updated=1 unchanged=1 conflicts=0 refused=0"


@pytest.mark.parametrize("version", ["abc", "another action's"])
def test_a_version_that_is_not_the_actions_is_refused(plan, version):
    sheet = Sheet(export(plan))
    if version == "another action's":
        version = sheet.get(sheet.row_of("Set out"), VERSION_HEADER)
    data = edit_row(sheet.save(), "Daily", {VERSION_HEADER: version})

    preview = preview_of(plan, data)

    [problem] = preview.problems
    assert (problem.row, problem.column) == (Sheet(data).row_of("Daily"), VERSION_HEADER)
    assert "as exported, or clear it to compare the row with the plan as it is now" in str(problem)


def test_text_stored_with_spaces_around_it_is_as_exported_when_the_cell_is_untouched(plan, officer):
    Action.objects.filter(pk=daily().pk).update(comment="Chaired by the police ")
    edit(daily(), officer, rag=RAG.AMBER)  # the version exported holds the spaces
    old = export(plan)
    edit(daily(), officer, comment="Chaired by the council")

    preview = preview_of(plan, old)

    assert preview.summary == "Summary: created=0 updated=0 unchanged=2 conflicts=0 refused=0"


def test_a_workbook_imported_as_a_new_plan_ignores_the_versions(plan):
    preview = preview_import(read_workbook(export(plan), "vru"), None, partnership=plan.partnership)

    assert preview.summary == "Summary: created=2 updated=0 unchanged=0 conflicts=0 refused=0"
    assert all(change.row.version is None for change in preview.actions)


def test_what_a_row_carries_besides_the_actions_fields_is_left_to_the_preview(plan, officer):
    """Only the action's own fields are compared three ways: anything else a row carries
    (dated progress updates read from the Progress cell, say) is not set aside here."""
    parsed = read_workbook(export(plan), "vru")
    row = next(row for row in parsed.actions if row.values["text"] == "Daily violence meeting")
    row.values["not_a_field"] = ["November 2021: met weekly"]
    edit(daily(), officer, rag=RAG.GREEN)

    set_aside([(row, daily())], theme_paths(list(plan.themes.all())))

    assert row.values["not_a_field"] == ["November 2021: met weekly"]
    assert "rag" not in row.values  # as exported: left to the plan


@pytest.fixture
def administrator(plan):
    return user_in_role(Role.ADMINISTRATOR, name="Ada Moore")


def set_out() -> Action:
    return Action.objects.get(text="Set out the co-ordination arrangements")


def test_an_old_workbook_leaves_an_action_moved_in_the_plan_since(plan, administrator):
    prevention = ThemeFactory(plan=plan, name="PREVENTION")
    old = export(plan)
    action_edit(action=daily(), user=administrator, theme=prevention)
    order = daily().order

    preview = preview_of(plan, old)

    assert preview.summary == "Summary: created=0 updated=0 unchanged=2 conflicts=0 refused=0"
    plan_import(preview)
    assert (daily().theme, daily().order) == (prevention, order)


def test_an_action_moved_in_the_workbook_only_is_moved(plan, officer):
    prevention = ThemeFactory(plan=plan, name="PREVENTION")
    old = export(plan)
    edit(daily(), officer, rag=RAG.GREEN)  # a version after the export, of another field

    preview = preview_of(plan, move_row(old, "Daily", "PREVENTION"))

    assert preview.summary == "Summary: created=0 updated=1 unchanged=1 conflicts=0 refused=0"
    [change] = [change for change in preview.actions if change.kind == "update"]
    assert "Theme: GOVERNANCE → PREVENTION" in [str(field) for field in change.changes]
    plan_import(preview)
    assert (daily().theme, daily().rag) == (prevention, RAG.GREEN)


@pytest.mark.parametrize("choice", [KEEP_PLAN, TAKE_WORKBOOK])
def test_an_action_moved_to_different_themes_in_both_is_a_conflict(plan, administrator, choice):
    prevention = ThemeFactory(plan=plan, name="PREVENTION")
    training = ThemeFactory(plan=plan, name="TRAINING")
    trained = ActionFactory(theme=training, ref="1", text="Train the call handlers")
    old = export(plan)
    action_edit(action=daily(), user=administrator, theme=prevention)
    order = daily().order
    preview = preview_of(plan, move_row(old, "Daily", "TRAINING"))

    assert preview.summary == "Summary: created=0 updated=0 unchanged=2 conflicts=1 refused=0"
    [shown] = describe(preview)["conflicted"]
    assert [
        (c["label"], c["exported"], c["current"], c["workbook"], c["changed_by"])
        for c in shown["conflicts"]
    ] == [("Theme", "GOVERNANCE", "PREVENTION", "TRAINING", "Ada Moore")]
    with pytest.raises(ConflictsUnsettled):
        plan_import(preview)
    assert daily().theme == prevention

    if choice == TAKE_WORKBOOK:
        assert take_workbook(preview) == []  # as import_plan --take-workbook settles
    else:
        [change] = [change for change in preview.actions if change.conflicts]
        assert settle(preview, {choice_name(daily().pk, change.conflicts[0]): choice}) == []
    plan_import(preview)

    if choice == KEEP_PLAN:
        assert (daily().theme, daily().order) == (prevention, order)
    else:  # after the actions of the workbook's theme
        assert daily().theme == training
        assert list(training.actions.order_by("order")) == [trained, daily()]


def swap_rows(data: bytes, first: str, second: str) -> bytes:
    """The workbook with two action rows of a theme swapped, as a partner reordering them
    would (the theme's merged cell is shared by both)."""
    sheet = Sheet(data)
    one, other = sheet.row_of(first), sheet.row_of(second)
    for column in sheet.columns.values():
        a, b = sheet.sheet.cell(one, column), sheet.sheet.cell(other, column)
        if not isinstance(b, MergedCell):
            a.value, b.value = b.value, a.value
    return sheet.save()


def test_an_old_workbook_leaves_the_order_the_plan_has_now(plan, administrator):
    old = export(plan)
    first, second = set_out().order, daily().order
    action_edit(action=daily(), user=administrator, order=first)
    action_edit(action=set_out(), user=administrator, order=second)

    preview = preview_of(plan, old)

    assert preview.summary == "Summary: created=0 updated=0 unchanged=2 conflicts=0 refused=0"
    plan_import(preview)
    assert list(Action.objects.order_by("order", "pk")) == [daily(), set_out()]


def test_actions_reordered_in_the_workbook_only_are_reordered(plan, officer):
    old = export(plan)
    edit(daily(), officer, rag=RAG.GREEN)  # a version after the export, of another field

    preview = preview_of(plan, swap_rows(old, "Set out", "Daily"))

    assert preview.summary == "Summary: created=0 updated=2 unchanged=0 conflicts=0 refused=0"
    plan_import(preview)
    assert list(Action.objects.order_by("order", "pk")) == [daily(), set_out()]
    assert daily().rag == RAG.GREEN
