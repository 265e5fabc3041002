"""Exported workbooks state the highest protective marking of what they hold (a first row,
and every sheet's page header and footer), read back unchanged, can be produced without the
marked items, and an import never changes an item's marking (issue 12, finding 6)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Action, Marking, ProgressUpdate, Theme
from boards.models import Role
from tests.factories import ProgressUpdateFactory, user_in_role
from tests.helpers import get
from tests.workbooks.test_round_trip import assert_unchanged, one_theme_plan
from tests.workbooks.workbooks import Sheet, add_row, edit_row, export
from workbooks import exports
from workbooks.layouts import read_workbook
from workbooks.presenter import describe, preview_lines
from workbooks.preview import preview_import
from workbooks.services import plan_import

SENSITIVE = Marking.OFFICIAL_SENSITIVE
LABEL = "OFFICIAL-SENSITIVE"
LAYOUTS = ["vru", "sgv", "csp"]
TAG = "govuk-tag--orange app-marking-tag"


def marked_plan(layout: str):
    """A plan of two actions, the second marked OFFICIAL-SENSITIVE."""
    plan = one_theme_plan(
        layout,
        "Theme",
        [{"ref": "1", "text": "Open work"}, {"ref": "2", "text": "Covert work"}],
    )
    Action.objects.filter(theme__plan=plan, ref="2").update(marking=SENSITIVE)
    return plan


def sheets_of(data: bytes):
    return load_workbook(io.BytesIO(data)).worksheets


def all_text(data: bytes) -> str:
    return " ".join(
        str(cell.value)
        for sheet in sheets_of(data)
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


@pytest.mark.django_db
@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_workbook_holding_a_marked_action_states_it_and_reads_back_unchanged(layout):
    plan = marked_plan(layout)
    data = export(plan, layout)

    sheets = sheets_of(data)
    assert sheets[0]["A1"].value == LABEL
    for sheet in sheets:  # the CSP layout's measures sheet too
        assert LABEL in sheet.oddHeader.center.text
        assert LABEL in sheet.oddFooter.center.text
        assert plan.title in sheet.oddHeader.left.text
        assert "&P" in sheet.oddFooter.right.text
    # Read back as it was: the marking row is not the plan's title nor a theme.
    parsed = read_workbook(data, layout)
    assert LABEL not in str(parsed.plan.get("title", ""))
    assert_unchanged(preview_import(parsed, plan), plan)


@pytest.mark.django_db
@pytest.mark.parametrize("layout", LAYOUTS)
def test_an_unmarked_workbook_says_nothing_of_marking(layout):
    plan = one_theme_plan(layout, "Theme", [{"ref": "1", "text": "Open work"}])
    data = export(plan, layout)
    assert LABEL not in all_text(data)
    sheet = sheets_of(data)[0]
    assert sheet.oddHeader.center.text == plan.title
    assert LABEL not in (sheet.oddFooter.center.text or "")


@pytest.mark.django_db
@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_workbook_can_be_produced_without_the_marked_items(layout):
    plan = marked_plan(layout)
    exported = exports.plan_export(plan, layout, leave_out_marked=True)
    assert exported.marking == Marking.OFFICIAL
    assert "Open work" in all_text(exported.content)
    assert "Covert work" not in all_text(exported.content) and LABEL not in all_text(
        exported.content
    )
    assert exports.plan_export(plan, layout).marking == SENSITIVE


@pytest.mark.django_db
def test_a_marked_theme_and_update_mark_the_workbook_and_are_left_out_when_asked():
    plan = one_theme_plan("vru", "Theme", [{"ref": "1", "text": "Open work"}])
    action = Action.objects.get(theme__plan=plan)
    ProgressUpdateFactory(action=action, text="Informant says", marking=SENSITIVE)
    assert exports.plan_export(plan).marking == SENSITIVE
    left_out = exports.plan_export(plan, leave_out_marked=True)
    assert "Informant says" not in all_text(left_out.content)
    assert left_out.marking == Marking.OFFICIAL

    ProgressUpdate.objects.all().delete()
    Theme.objects.create(plan=plan, name="Covert", order=5, marking=SENSITIVE)
    assert exports.plan_export(plan).marking == SENSITIVE
    assert "Covert" not in all_text(exports.plan_export(plan, leave_out_marked=True).content)


@pytest.mark.django_db
def test_an_import_never_changes_a_marking():
    plan = marked_plan("vru")
    data = edit_row(export(plan, "vru"), "Covert work", {"Actions": "Covert work, rescheduled"})
    data = edit_row(data, "Open work", {"Actions": "Open work, widened"})
    preview = preview_import(read_workbook(data, "vru"), plan)
    assert preview.count("update") == 2
    plan_import(preview)
    markings = dict(Action.objects.filter(theme__plan=plan).values_list("ref", "marking"))
    assert markings == {"1": Marking.OFFICIAL, "2": SENSITIVE}


def test_the_export_page_offers_to_leave_marked_items_out(client, world):
    page = reverse("workbooks:plan-export", args=[world.plan.slug])
    # The world's plan holds the marked bx2, which an administrator may export.
    text = get(client, world.superuser, page).content.decode()
    assert "Leave out OFFICIAL-SENSITIVE items" in text
    marked = get(client, world.superuser, page, {"layout": "vru"})
    assert load_workbook(io.BytesIO(marked.content)).worksheets[0]["A1"].value == LABEL
    plain = get(client, world.superuser, page, {"layout": "vru", "leave_out_marked": "on"})
    assert load_workbook(io.BytesIO(plain.content)).worksheets[0]["A1"].value != LABEL
    assert "Protectively marked operation" not in all_text(plain.content)
    # A plan with nothing marked offers nothing.
    other = reverse("workbooks:plan-export", args=[world.other_plan.slug])
    assert "Leave out" not in get(client, world.superuser, other).content.decode()


@pytest.mark.django_db
def test_export_plan_leaves_out_marked_items_when_asked(tmp_path):
    plan = marked_plan("vru")
    marked, unmarked = tmp_path / "marked.xlsx", tmp_path / "unmarked.xlsx"
    out = io.StringIO()

    call_command("export_plan", "--plan", plan.slug, "-o", str(marked), stdout=out)
    call_command(
        "export_plan", "--plan", plan.slug, "-o", str(unmarked), "--leave-out-marked", stdout=out
    )

    assert "Covert work" in all_text(marked.read_bytes())
    assert sheets_of(marked.read_bytes())[0]["A1"].value == LABEL
    assert "Covert work" not in all_text(unmarked.read_bytes())
    assert LABEL not in all_text(unmarked.read_bytes())
    assert out.getvalue().splitlines()[0].endswith(f"marked {LABEL}.")
    assert out.getvalue().splitlines()[1].endswith("marked OFFICIAL.")


def with_new_row(data: bytes) -> bytes:
    sheet = Sheet(data)
    add_row(sheet, "Theme", 3, "New covert work", "Amber")
    return sheet.save()


@pytest.mark.django_db
def test_a_new_action_takes_the_marking_the_workbook_states():
    # The plan, its theme and its first action are OFFICIAL; the workbook states
    # OFFICIAL-SENSITIVE in its first row, as it holds the marked action 2.
    plan = marked_plan("vru")
    data = with_new_row(export(plan, "vru"))
    assert Sheet(data).sheet["A1"].value == LABEL

    parsed = read_workbook(data, "vru")
    assert parsed.marking == SENSITIVE
    preview = preview_import(parsed, plan)
    assert preview.count("create") == 1
    # The preview says so.
    (created,) = describe(preview)["created"]
    assert {"label": "Protective marking", "value": LABEL} in created["fields"]
    assert f"Protective marking: {LABEL}" in "\n".join(preview_lines(preview))
    plan_import(preview)
    markings = dict(Action.objects.filter(theme__plan=plan).values_list("ref", "marking"))
    # The new one marked; the existing ones as they were (an import changes no marking).
    assert markings == {"1": Marking.OFFICIAL, "2": SENSITIVE, "3": SENSITIVE}
    record = Action.history.get(ref="3")
    assert record.marking == SENSITIVE


@pytest.mark.django_db
def test_a_new_action_of_an_unmarked_workbook_is_official():
    plan = one_theme_plan("vru", "Theme", [{"ref": "1", "text": "Open work"}])
    data = with_new_row(export(plan, "vru"))
    parsed = read_workbook(data, "vru")
    assert parsed.marking == Marking.OFFICIAL
    preview = preview_import(parsed, plan)
    (created,) = describe(preview)["created"]
    assert not [field for field in created["fields"] if field["label"] == "Protective marking"]
    plan_import(preview)
    assert Action.objects.get(theme__plan=plan, ref="3").marking == Marking.OFFICIAL


@pytest.mark.django_db
def test_the_preview_page_shows_a_new_actions_marking(client):
    plan = marked_plan("vru")
    data = with_new_row(export(plan, "vru"))
    client.force_login(user_in_role(Role.ADMINISTRATOR, partnerships=[plan.partnership]))
    response = client.post(
        reverse("workbooks:plan-import", args=[plan.slug]),
        {"file": SimpleUploadedFile("plan.xlsx", data), "layout": "vru"},
    )
    html = response.content.decode()
    new_rows = html[html.index('id="created"') :]
    new_rows = new_rows[: new_rows.index("</table>")]
    assert "New covert work" in new_rows and TAG in new_rows
