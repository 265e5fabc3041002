"""The one import presenter and fingerprint, and the one export path: the plan's pages, the
admin and the commands all show an import preview with `workbooks.presenter` and export
through `workbooks.exports.plan_export`, so they cannot drift apart."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from actions.rag import RAG
from boards.models import Role
from tests.factories import ActionFactory, PlanFactory, ThemeFactory, UserFactory, user_in_role
from workbooks import exports
from workbooks.formats import WORKBOOK_FORMATS
from workbooks.layouts import read_workbook
from workbooks.presenter import describe, fingerprint, text_lines
from workbooks.preview import preview_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = PlanFactory(title="Knife crime action plan", slug="knife-crime", layout="vru")
    weapons = ThemeFactory(plan=plan, name="Reducing access to weapons", order=0)
    ActionFactory(theme=weapons, ref="1", text="Weapon sweeps in parks", rag=RAG.AMBER)
    ActionFactory(theme=weapons, ref="2", text="Knife bins at stations", rag=RAG.GREEN, order=1)
    return plan


@pytest.fixture
def edited(plan) -> bytes:
    """The plan's workbook with its title and one action's RAG status changed."""
    workbook = load_workbook(io.BytesIO(exports.plan_export(plan, "vru").content))
    sheet = workbook.worksheets[0]
    sheet["A1"] = "Knife Crime and Violence Reduction Plan"
    rag = next(c for row in sheet.iter_rows() for c in row if c.value == "Amber")
    rag.value = "Red"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def described(plan, data: bytes) -> dict:
    return describe(preview_import(read_workbook(data, "vru"), plan))


def test_the_command_prints_the_presenters_lines(plan, edited, tmp_path):
    path = tmp_path / "edited.xlsx"
    path.write_bytes(edited)
    out = io.StringIO()

    call_command(
        "import_plan", str(path), "--layout", "vru", "--plan", plan.slug, "--dry-run", stdout=out
    )

    expected = text_lines(described(plan, edited))
    assert "Plan Title: Knife crime action plan → Knife Crime and Violence Reduction Plan" in (
        expected
    )
    assert "    RAG status: Amber → Red" in expected
    printed = out.getvalue().splitlines()
    assert printed[: len(expected)] == expected
    assert (
        printed[len(expected)] == "Summary: created=0 updated=1 unchanged=1 conflicts=0 refused=0"
    )


def test_the_plan_page_and_the_admin_take_the_same_fingerprint(client, plan, edited):
    wanted = fingerprint(described(plan, edited))

    client.force_login(user_in_role(Role.ANALYST, partnerships=[plan.partnership]))
    page = client.post(
        reverse("workbooks:plan-import", args=[plan.slug]),
        {"file": SimpleUploadedFile("edited.xlsx", edited), "layout": "vru"},
    )
    assert page.status_code == 200
    assert fingerprint(page.context["preview"]) == wanted
    assert page.context["kept"].fingerprint == wanted

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    layouts = [fmt.layout for fmt in WORKBOOK_FORMATS]
    admin_page = client.post(
        reverse("admin:actions_action_import"),
        {
            "plan": plan.pk,
            "format": layouts.index("vru"),
            "import_file": SimpleUploadedFile("edited.xlsx", edited),
        },
    )
    result = admin_page.context["result"]
    assert result.digest == wanted
    overview = [line for line, _detail in result.overview]
    assert overview == [line.strip() for line in text_lines(described(plan, edited), rows=False)]
    assert "Plan Title: Knife crime action plan → Knife Crime and Violence Reduction Plan" in (
        overview
    )


def test_a_different_preview_has_a_different_fingerprint(plan, edited):
    unchanged = exports.plan_export(plan, "vru").content
    assert fingerprint(described(plan, unchanged)) != fingerprint(described(plan, edited))
    assert fingerprint(described(plan, edited)) == fingerprint(described(plan, edited))


def test_every_export_goes_through_plan_export(client, plan, monkeypatch, tmp_path):
    made = []
    real = exports.plan_export

    def recording(plan, layout=None, **options):
        export = real(plan, layout, **options)
        made.append((plan.slug, export.layout, export.filename))
        return export

    monkeypatch.setattr(exports, "plan_export", recording)

    client.force_login(user_in_role(Role.ANALYST, partnerships=[plan.partnership]))
    page = client.get(reverse("workbooks:plan-export", args=[plan.slug]), {"layout": "sgv"})
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    admin = client.get(
        reverse("admin:actions_plan_export_workbook", args=[plan.pk]), {"layout": "csp"}
    )
    call_command(
        "export_plan", "--plan", plan.slug, "-o", str(tmp_path / "out.xlsx"), stdout=io.StringIO()
    )

    assert made == [
        ("knife-crime", "sgv", "knife-crime-sgv.xlsx"),
        ("knife-crime", "csp", "knife-crime-csp.xlsx"),
        ("knife-crime", "vru", "knife-crime-vru.xlsx"),
    ]
    for response, layout in ((page, "sgv"), (admin, "csp")):
        assert f'filename="knife-crime-{layout}.xlsx"' in response["Content-Disposition"]
        assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert read_workbook((tmp_path / "out.xlsx").read_bytes(), "vru").actions
