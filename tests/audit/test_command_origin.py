"""Commands record who made their changes: the user named with --user, else the system
account they ran as (cspplan.origin), never nobody."""

import getpass
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from actions.history import action_history
from actions.models import Action
from cspplan.display import user_name
from cspplan.origin import SYSTEM_PREFIX
from tests.factories import ActionFactory, PlanFactory, ThemeFactory, UserFactory
from tests.workbooks.workbooks import Sheet

pytestmark = pytest.mark.django_db


def history_models():
    return [
        model
        for model in apps.get_models()
        if hasattr(model, "instance_type")
        and any(field.name == "history_user" for field in model._meta.get_fields())
    ]


def newest_rows() -> dict:
    """The newest history row id of each history model (0 for none)."""
    return {
        model: max(model.objects.values_list("history_id", flat=True), default=0)
        for model in history_models()
    }


def unattributed_rows(after: dict | None = None) -> list[str]:
    """Every history row (newer than `after`, from `newest_rows`) that names no user, as
    "Model id"."""
    after = after or {}
    return [
        f"{model.__name__} {row_id}"
        for model in history_models()
        for row_id in model.objects.filter(
            history_user__isnull=True, history_id__gt=after.get(model, 0)
        ).values_list("history_id", flat=True)
    ]


def the_system_user():
    return get_user_model().objects.get(username=f"{SYSTEM_PREFIX}{getpass.getuser()}")


def test_load_demo_writes_every_history_row_in_the_system_users_name():
    call_command("load_demo", stdout=io.StringIO())

    assert unattributed_rows() == []
    system = the_system_user()
    assert Action.history.filter(history_user=system).exists()
    # The account only names the command's changes: it cannot sign in.
    assert not system.is_active and not system.has_usable_password()
    assert user_name(system) == f"System ({getpass.getuser()})"


def test_load_demo_run_twice_uses_one_system_user():
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())

    assert get_user_model().objects.filter(username__startswith=SYSTEM_PREFIX).count() == 1


@pytest.fixture
def workbook(tmp_path) -> Path:
    plan = PlanFactory(slug="vru-plan")
    theme = ThemeFactory(plan=plan, name="GOVERNANCE")
    ActionFactory(theme=theme, ref="1", text="Daily violence meeting")
    path = tmp_path / "plan.xlsx"
    call_command("export_plan", "--plan", "vru-plan", "-o", str(path), stdout=io.StringIO())
    sheet = Sheet(path.read_bytes())
    sheet.set(sheet.row_of("Daily"), "Risk RAG status", "A")
    sheet.set(sheet.row_of("Daily"), "Progress", "Met weekly since May")
    path.write_bytes(sheet.save())
    return path


def import_plan(path: Path, *args) -> None:
    call_command(
        "import_plan",
        str(path),
        "--layout",
        "vru",
        "--plan",
        "vru-plan",
        *args,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def test_import_plan_without_user_writes_in_the_system_users_name(workbook):
    before, rows = Action.history.count(), newest_rows()

    import_plan(workbook)

    assert Action.history.count() > before
    assert unattributed_rows(after=rows) == []
    assert Action.history.latest("history_date").history_user == the_system_user()


def test_import_plan_with_user_writes_in_that_users_name(workbook):
    analyst = UserFactory(username="analyst")
    rows = newest_rows()

    import_plan(workbook, "--user", "analyst")

    assert unattributed_rows(after=rows) == []
    assert Action.history.latest("history_date").history_user == analyst


def test_the_action_history_names_the_system_user_readably(workbook):
    import_plan(workbook)

    action = Action.objects.get(ref="1")
    assert action_history(action)[0].who == f"System ({getpass.getuser()})"
