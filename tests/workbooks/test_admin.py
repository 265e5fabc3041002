"""Importing and exporting plan workbooks in the admin: django-import-export's upload, preview
and confirm pages on our reader, preview and import; the export on the plan's page."""

import datetime
import io
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Action
from boards.models import Role
from tests.factories import ActionFactory, PlanFactory, ThemeFactory, user_in_role
from tests.workbooks.workbooks import Sheet, edit_row, export, kept_uploads
from workbooks.exports import XLSX_CONTENT_TYPE
from workbooks.formats import WORKBOOK_FORMATS
from workbooks.layouts import LAYOUTS, read_workbook
from workbooks.safety import MB

pytestmark = pytest.mark.django_db


IMPORT_URL = reverse("admin:actions_action_import")
CONFIRM_URL = reverse("admin:actions_action_process_import")


@pytest.fixture
def plan():
    plan = PlanFactory(title="Knife crime action plan", slug="knife-crime", layout="vru")
    weapons = ThemeFactory(plan=plan, name="Reducing access to weapons", order=0)
    ActionFactory(
        theme=weapons, ref="1", text="Weapon sweeps in parks", rag="amber", progress="", order=0
    )
    ActionFactory(theme=weapons, ref="2", text="Knife bins at stations", rag="green", order=1)
    schools = ThemeFactory(plan=plan, name="Schools", order=1)
    ActionFactory(theme=schools, ref="1", text="Assemblies on knife crime", order=0)
    return plan


def upload(client, plan, data: bytes, layout="vru", name="plan.xlsx"):
    layouts = [fmt.layout for fmt in WORKBOOK_FORMATS]
    return client.post(
        IMPORT_URL,
        {
            "plan": plan.pk,
            "format": layouts.index(layout),
            "import_file": SimpleUploadedFile(name, data),
        },
    )


def confirm(client, preview_page):
    """Press 'Confirm import': post the hidden fields the preview page holds."""
    html = preview_page.content.decode()
    form = re.search(f'<form action="{CONFIRM_URL}" method="POST">(.*?)</form>', html, re.S)
    assert form, "the preview offers no confirm button"
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(1)))
    assert {"plan", "format", "import_file_name", "preview_digest"} <= set(fields)
    return client.post(CONFIRM_URL, fields)


def snapshot(plan):
    return list(
        Action.objects.filter(theme__plan=plan)
        .order_by("pk")
        .values_list("theme__name", "ref", "text", "rag", "progress", "order")
    )


def test_every_layout_has_an_import_format():
    assert sorted(fmt.layout for fmt in WORKBOOK_FORMATS) == sorted(LAYOUTS)


def test_the_import_page_asks_for_the_plan_and_offers_the_three_layouts(admin_client, plan):
    response = admin_client.get(IMPORT_URL)
    assert response.status_code == 200
    content = response.content.decode()
    for title in (
        "VRU action plan workbook (.xlsx)",
        "SGV action plan workbook (.xlsx)",
        "CSP action plan workbook (.xlsx)",
    ):
        assert title in content
    assert 'name="plan"' in content and "Knife crime action plan" in content
    # Every layout is .xlsx: the script that guesses the format from the extension is off.
    assert "guess_format" not in str(response.context["form"]["format"])


def test_the_action_list_links_to_the_import(admin_client):
    response = admin_client.get(reverse("admin:actions_action_changelist"))
    assert IMPORT_URL in response.content.decode()


def test_coming_from_a_plan_chooses_it_and_its_layout(admin_client, plan):
    plan.layout = "sgv"
    plan.save()
    form = admin_client.get(IMPORT_URL, {"plan": plan.pk}).context["form"]
    assert form.initial["plan"] == plan.pk
    assert WORKBOOK_FORMATS[int(form.initial["format"])].layout == "sgv"


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_an_unchanged_export_in_each_layout_previews_as_no_change(admin_client, plan, layout):
    response = upload(admin_client, plan, export(plan, layout), layout=layout)
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["skip", "skip", "skip"]
    assert "0 new, 0 changed, 3 unchanged and 0 refused actions" in response.content.decode()


def test_an_edited_workbook_is_previewed_field_by_field_and_nothing_is_written(admin_client, plan):
    before = snapshot(plan)
    data = edit_row(
        export(plan),
        "Weapon sweeps",
        {"Progress": "Sweeps done in 4 parks", "Risk RAG status": "Red"},
    )
    response = upload(admin_client, plan, data)

    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["update", "skip", "skip"]
    content = response.content.decode()
    assert "Progress: <del>(blank)</del> → <ins>Sweeps done in 4 parks</ins>" in content
    assert "RAG status: <del>Amber</del> → <ins>Red</ins>" in content
    assert "0 new, 1 changed, 2 unchanged and 0 refused actions" in content
    assert "Confirm import" in content
    assert snapshot(plan) == before


def test_a_dated_paragraph_is_previewed_as_a_new_update_and_written(admin_client, admin_user, plan):
    data = edit_row(export(plan), "Weapon sweeps", {"Progress": "12 March 2022: Two parks done"})

    response = upload(admin_client, plan, data)

    content = response.content.decode()
    assert "New progress update: <del>(none)</del> → <ins>12 March 2022: Two parks done</ins>" in (
        content
    )
    confirm(admin_client, response)
    action = Action.objects.get(text="Weapon sweeps in parks")
    update = action.updates.get()
    assert (update.date, update.text, update.rag) == (
        datetime.date(2022, 3, 12),
        "Two parks done",
        "amber",
    )
    assert update.history.get().history_user == admin_user


def test_a_new_row_is_previewed_as_new(admin_client, plan):
    data = edit_row(
        export(plan), "Knife bins", {"Action No": "3", "cspplan ID (do not change)": None}
    )
    response = upload(admin_client, plan, data)
    content = response.content.decode()
    assert [row.import_type for row in response.context["result"].rows] == [
        "skip",
        "new",
        "skip",
    ]
    assert "3 Knife bins at stations" in content
    assert Action.objects.filter(theme__plan=plan).count() == 3


def test_changes_to_the_plan_and_its_themes_are_shown_and_then_written(
    admin_client, admin_user, plan
):
    workbook = load_workbook(io.BytesIO(export(plan)))
    sheet = workbook.worksheets[0]
    sheet["A1"] = "Knife Crime and Violence Reduction Plan 2021-22"
    theme_cell = next(cell for row in sheet.iter_rows() for cell in row if cell.value == "Schools")
    theme_cell.value = "Schools\n\nWorking with every secondary school"
    stream = io.BytesIO()
    workbook.save(stream)

    preview = upload(admin_client, plan, stream.getvalue())

    content = preview.content.decode()
    assert (
        "Plan Title: Knife crime action plan → Knife Crime and Violence Reduction Plan 2021-22"
        in content
    )
    assert (
        "Theme &#x27;Schools&#x27;: Description: (blank) → Working with every secondary school"
        in content
    )
    plan.refresh_from_db()
    assert plan.title == "Knife crime action plan"

    assert confirm(admin_client, preview).status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Knife Crime and Violence Reduction Plan 2021-22"
    assert plan.history.first().history_user == admin_user
    theme = plan.themes.get(name="Schools")
    assert theme.description == "Working with every secondary school"
    assert theme.history.first().history_user == admin_user


def test_confirming_writes_the_import_in_the_admins_name(admin_client, admin_user, plan):
    data = edit_row(export(plan), "Weapon sweeps", {"Progress": "Sweeps done in 4 parks"})
    response = confirm(admin_client, upload(admin_client, plan, data))

    assert response.status_code == 302
    assert response["Location"].endswith(
        f"{reverse('admin:actions_action_changelist')}?theme__plan__id__exact={plan.pk}"
    )
    action = Action.objects.get(theme__plan=plan, text="Weapon sweeps in parks")
    assert action.progress == "Sweeps done in 4 parks"
    latest, before = action.history.all()[:2]
    assert latest.history_user == admin_user
    assert (before.progress, latest.progress) == ("", "Sweeps done in 4 parks")
    entry = LogEntry.objects.get(object_id=str(plan.pk))
    assert entry.user == admin_user
    assert "1 changed" in entry.get_change_message()
    page = admin_client.get(response["Location"]).content.decode()
    assert "Imported into Knife crime action plan: 0 new, 1 changed" in page


def test_a_plan_changed_since_the_preview_is_not_overwritten(admin_client, plan):
    data = edit_row(export(plan), "Weapon sweeps", {"Progress": "From the workbook"})
    preview = upload(admin_client, plan, data)
    # Someone adds an action meanwhile: the preview no longer says what the import would do
    # (it leaves out the new action). A field edited meanwhile that the workbook leaves as
    # exported would not count: the import leaves it as it is (workbooks.versions).
    ActionFactory(theme=Action.objects.get(text="Knife bins at stations").theme, ref="9")

    response = confirm(admin_client, preview)

    assert response.status_code == 302
    assert response["Location"].startswith(IMPORT_URL)
    progress = dict(Action.objects.filter(theme__plan=plan).values_list("text", "progress"))
    assert progress["Weapon sweeps in parks"] == ""
    page = admin_client.get(response["Location"]).content.decode()
    assert "the plan has changed since the preview was made" in page


def test_a_conflict_is_not_imported_here_but_sent_to_the_plans_import_page(admin_client, plan):
    data = edit_row(export(plan), "Weapon sweeps", {"Progress": "From the workbook"})
    Action.objects.filter(text="Weapon sweeps in parks").update(progress="Edited meanwhile")
    before = snapshot(plan)

    page = upload(admin_client, plan, data).content.decode()

    assert (
        "Both the plan and the workbook changed this action&#x27;s progress since the workbook "
        "was exported. Import the workbook from the plan&#x27;s Import page"
    ) in page
    assert "Confirm import" not in page
    assert snapshot(plan) == before


def test_a_bad_rag_word_is_shown_with_its_row_and_cannot_be_confirmed(admin_client, plan):
    before = snapshot(plan)
    data = edit_row(export(plan), "Knife bins", {"Risk RAG status": "Purple"})
    row = Sheet(data).row_of("Knife bins")

    response = upload(admin_client, plan, data)

    result = response.context["result"]
    assert result.has_validation_errors()
    assert "confirm_form" not in response.context
    content = response.content.decode()
    assert "Confirm import" not in content
    assert "Purple" in content and f"row {row}" in content
    assert "Risk RAG status" in content  # the column
    [invalid] = result.invalid_rows
    assert invalid.number == row
    assert "Purple" in invalid.field_specific_errors["Risk RAG status"][0]
    assert "Nothing can be imported until 1 problem in the workbook is corrected" in content
    assert snapshot(plan) == before


def test_a_workbook_in_another_layout_says_so(admin_client, plan):
    response = upload(admin_client, plan, export(plan, "vru"), layout="csp")
    content = response.content.decode()
    assert response.context["result"].has_validation_errors()
    assert "No sheet has the CSP layout&#x27;s header row" in content
    assert "Confirm import" not in content


@pytest.mark.parametrize(
    "data, message",
    [
        (b"Name,Action\nA,B\n", "This file is not an Excel workbook (.xlsx)"),
        (b"PK" + b"\0" * (25 * MB + 200_000), "the largest workbook accepted is 25 MB"),
    ],
    ids=["not-a-workbook", "too-big"],
)
def test_a_file_we_will_not_open_is_refused_with_our_reason(admin_client, plan, data, message):
    response = upload(admin_client, plan, data)
    assert response.status_code == 200
    assert "result" not in response.context
    errors = response.context["form"].errors["import_file"]
    assert any(message in error for error in errors), errors
    assert message in response.content.decode()


def test_an_upload_is_kept_only_for_the_confirm_step(admin_client, plan):
    def stored(response):
        return response.wsgi_request.FILES["import_file"].tmp_storage_name in kept_uploads()

    refused = upload(admin_client, plan, b"not a workbook")
    with_problems = upload(
        admin_client, plan, edit_row(export(plan), "Knife bins", {"Risk RAG status": "Purple"})
    )
    assert not stored(refused)
    assert not stored(with_problems)

    preview = upload(admin_client, plan, export(plan))
    assert stored(preview)
    confirm(admin_client, preview)
    assert not stored(preview)


def test_the_plan_page_offers_export_and_import(admin_client, plan):
    content = admin_client.get(reverse("admin:actions_plan_change", args=[plan.pk])).content
    content = content.decode()
    assert reverse("admin:actions_plan_export_workbook", args=[plan.pk]) in content
    assert f"{IMPORT_URL}?plan={plan.pk}" in content


def test_the_export_page_starts_at_the_plans_own_layout(admin_client, plan):
    plan.layout = "csp"
    plan.save()
    response = admin_client.get(reverse("admin:actions_plan_export_workbook", args=[plan.pk]))
    assert response.status_code == 200
    assert re.search(r'value="csp"[^>]*checked', response.content.decode())


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_export_downloads_a_workbook_that_reads_back_to_the_plan(admin_client, plan, layout):
    url = reverse("admin:actions_plan_export_workbook", args=[plan.pk])
    response = admin_client.get(url, {"layout": layout})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert f'filename="knife-crime-{layout}.xlsx"' in response["Content-Disposition"]
    parsed = read_workbook(response.content, layout)
    assert parsed.all_problems == []
    assert [
        (row.id, row.theme[-1], row.values["ref"], row.values["text"]) for row in parsed.actions
    ] == list(
        Action.objects.filter(theme__plan=plan)
        .order_by("theme__order", "order")
        .values_list("pk", "theme__name", "ref", "text")
    )


def test_a_layout_that_does_not_exist_is_not_exported(admin_client, plan):
    url = reverse("admin:actions_plan_export_workbook", args=[plan.pk])
    response = admin_client.get(url, {"layout": "xls"})
    assert response.status_code == 200
    assert response.context["form"].errors["layout"]


def _staff(client, role, plan, *permissions):
    """A staff user with Django model permissions, in a role in the plan's partnership."""
    user = user_in_role(role, partnerships=[plan.partnership])
    user.is_staff = True
    user.save()
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ANALYST])
def test_staff_who_are_not_administrators_find_no_import_or_export_in_the_admin(client, plan, role):
    """Analysts import and export from the plan's own pages; the admin is for
    administrators only (tests/test_admin_entry.py)."""
    _staff(client, role, plan, "view_action", "change_action", "view_plan")
    assert client.get(IMPORT_URL).status_code == 404
    assert upload(client, plan, export(plan)).status_code == 404
    assert client.post(CONFIRM_URL, {}).status_code == 404
    url = reverse("admin:actions_plan_export_workbook", args=[plan.pk])
    assert client.get(url, {"layout": "vru"}).status_code == 404


# Behind the door: were the admin to let staff in (as Django's own would), its workbook
# pages would still follow actions.permissions.
@pytest.mark.usefixtures("admin_open_to_staff")
def test_staff_who_are_not_analysts_can_neither_import_nor_export(client, plan):
    _staff(client, Role.OFFICER, plan, "view_action", "change_action", "view_plan")
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, plan, export(plan)).status_code == 403
    assert client.post(CONFIRM_URL, {}).status_code == 403
    url = reverse("admin:actions_plan_export_workbook", args=[plan.pk])
    assert client.get(url, {"layout": "vru"}).status_code == 403
    changelist = client.get(reverse("admin:actions_action_changelist")).content.decode()
    assert IMPORT_URL not in changelist


@pytest.mark.usefixtures("admin_open_to_staff")
def test_staff_analysts_can_import_and_export(client, plan):
    _staff(client, Role.ANALYST, plan, "view_action", "change_action", "view_plan")
    assert client.get(IMPORT_URL).status_code == 200
    data = edit_row(export(plan), "Weapon sweeps", {"Progress": "Done"})
    assert upload(client, plan, data).context["result"].rows[0].import_type == "update"
    url = reverse("admin:actions_plan_export_workbook", args=[plan.pk])
    assert client.get(url, {"layout": "vru"}).status_code == 200


def test_signed_out_users_are_sent_to_sign_in(client, plan):
    for url in (IMPORT_URL, reverse("admin:actions_plan_export_workbook", args=[plan.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"
