"""Issue 12, finding 9: a tampered confirm form is a 400 with a message, not a 500; kept
uploads are removed when their import is confirmed or cancelled, and after a set age."""

import datetime
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from actions.rag import RAG
from downloads.models import PendingUpload
from downloads.services import pending_upload_create
from tests.clients import Client
from tests.factories import ActionFactory, PlanFactory, ThemeFactory
from tests.workbooks.workbooks import edit_row, export, kept_uploads
from workbooks.formats import WORKBOOK_FORMATS

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:actions_action_import")
CONFIRM_URL = reverse("admin:actions_action_process_import")
NOT_CONFIRMABLE = "This import cannot be confirmed"


@pytest.fixture
def plan():
    plan = PlanFactory(title="Knife crime action plan", slug="knife-crime", layout="vru")
    theme = ThemeFactory(plan=plan, name="Reducing access to weapons")
    ActionFactory(theme=theme, ref="1", text="Weapon sweeps in parks", rag=RAG.AMBER)
    return plan


def changed(plan) -> bytes:
    return edit_row(export(plan), "Weapon sweeps", {"Risk RAG status": "Red"})


def admin_preview(client, plan):
    layouts = [fmt.layout for fmt in WORKBOOK_FORMATS]
    return client.post(
        IMPORT_URL,
        {
            "plan": plan.pk,
            "format": layouts.index("vru"),
            "import_file": SimpleUploadedFile("plan.xlsx", changed(plan)),
        },
    )


def confirm_fields(preview) -> dict:
    form = re.search(
        r'<form action="[^"]*process_import/" method="POST">(.*?)</form>',
        preview.content.decode(),
        re.S,
    )
    assert form, "the preview offers no confirm button"
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(1)))


def rag_now() -> str:
    return Action.objects.get(text="Weapon sweeps in parks").rag


# ---- the admin's import ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value",
    [
        ("import_file_name", "../../etc/passwd"),
        ("import_file_name", "tmpk2j4h5g6"),  # django-import-export's own kind of name
        ("import_file_name", "A" * 43),  # one of ours in form, but never given out
        ("format", "7"),
        ("format", "vru"),
        ("plan", "999999"),
    ],
)
def test_a_tampered_admin_confirm_form_is_a_400_with_a_message(admin_client, plan, field, value):
    fields = confirm_fields(admin_preview(admin_client, plan))

    response = admin_client.post(CONFIRM_URL, {**fields, field: value})

    assert response.status_code == 400
    assert NOT_CONFIRMABLE in response.content.decode()
    assert rag_now() == RAG.AMBER


def test_another_sessions_admin_upload_cannot_be_confirmed(admin_client, admin_user, plan):
    fields = confirm_fields(admin_preview(admin_client, plan))
    other = Client()
    other.force_login(admin_user)  # the same person, signed in elsewhere

    assert other.post(CONFIRM_URL, fields).status_code == 400
    assert rag_now() == RAG.AMBER


def test_the_admin_keeps_uploads_with_ours_and_removes_them_when_confirmed(admin_client, plan):
    fields = confirm_fields(admin_preview(admin_client, plan))
    assert kept_uploads() == [fields["import_file_name"]]

    response = admin_client.post(CONFIRM_URL, fields)

    assert response.status_code == 302
    assert rag_now() == RAG.RED
    assert kept_uploads() == []
    # Confirming again finds nothing to import.
    assert admin_client.post(CONFIRM_URL, fields).status_code == 400


def test_cancelling_in_the_admin_removes_the_upload(admin_client, plan):
    preview = admin_preview(admin_client, plan)
    assert "Cancel import" in preview.content.decode()
    fields = confirm_fields(preview)

    response = admin_client.post(reverse("admin:actions_action_cancel_import"), fields)

    assert response.status_code == 302
    assert kept_uploads() == []
    assert admin_client.post(CONFIRM_URL, fields).status_code == 400
    assert rag_now() == RAG.AMBER


# ---- the plan's import page ------------------------------------------------------------------


@pytest.fixture
def importing(client, plan):
    from boards.models import Role
    from tests.factories import user_in_role

    client.force_login(user_in_role(Role.ANALYST, partnerships=[plan.partnership]))
    return client


def web_preview(client, plan):
    url = reverse("workbooks:plan-import", args=[plan.slug])
    return client.post(
        url, {"file": SimpleUploadedFile("plan.xlsx", changed(plan)), "layout": "vru"}
    )


def test_cancelling_on_the_import_page_removes_the_upload(importing, plan):
    preview = web_preview(importing, plan)
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode()).group(1)
    assert "Cancel import" in preview.content.decode()
    assert kept_uploads() == [token]

    response = importing.post(
        reverse("workbooks:plan-import-cancel", args=[plan.slug]), {"token": token}
    )

    assert response.status_code == 302
    assert kept_uploads() == []
    confirm = importing.post(
        reverse("workbooks:plan-import-confirm", args=[plan.slug]), {"token": token}
    )
    assert confirm.status_code == 302  # "That import was not found"
    assert rag_now() == RAG.AMBER


def test_a_tampered_cancel_is_a_400(importing, plan):
    response = importing.post(
        reverse("workbooks:plan-import-cancel", args=[plan.slug]), {"token": "../x"}
    )
    assert response.status_code == 400


# ---- after a set age -------------------------------------------------------------------------


def aged(minutes: float) -> str:
    """A kept upload left behind `minutes` ago (its session long gone)."""
    token = "B" * 43
    pending_upload_create(token=token, data=b"left behind")
    then = timezone.now() - datetime.timedelta(minutes=minutes)
    PendingUpload.objects.filter(token=token).update(kept_at=then)
    return token


def test_old_uploads_are_removed_when_someone_uploads_on_the_import_page(settings, importing, plan):
    settings.IMPORT_UPLOAD_MAX_AGE_MINUTES = 60
    old = aged(61)
    web_preview(importing, plan)
    assert old not in kept_uploads()
    assert len(kept_uploads()) == 1


def test_old_uploads_are_removed_when_someone_uploads_in_the_admin(settings, admin_client, plan):
    settings.IMPORT_UPLOAD_MAX_AGE_MINUTES = 60
    old = aged(61)
    admin_preview(admin_client, plan)
    assert old not in kept_uploads()
    assert len(kept_uploads()) == 1


def test_the_command_removes_old_uploads_and_keeps_fresh_ones(settings, capsys):
    settings.IMPORT_UPLOAD_MAX_AGE_MINUTES = 60
    aged(61)
    fresh = "C" * 43
    pending_upload_create(token=fresh, data=b"being previewed")

    call_command("clear_import_uploads")

    assert kept_uploads() == [fresh]
    assert "Removed 1 upload(s)" in capsys.readouterr().out


def test_an_upload_older_than_the_age_cannot_be_confirmed(settings, importing, plan):
    preview = web_preview(importing, plan)
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode()).group(1)
    settings.IMPORT_UPLOAD_MAX_AGE_MINUTES = 0

    time.sleep(0.01)
    response = importing.post(
        reverse("workbooks:plan-import-confirm", args=[plan.slug]), {"token": token}
    )

    assert response.status_code == 302
    assert rag_now() == RAG.AMBER
