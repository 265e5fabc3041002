"""Several app servers behave as one (issue 15): a workbook previewed for import on one is
confirmed on another, because the upload is kept in the database (downloads.PendingUpload)
and the session that holds its token is in the database too. "Another server" here is a
client with nothing but the browser's cookies, after this process's cache is emptied."""

import re
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Action
from actions.rag import RAG
from boards.models import Role
from downloads.models import PendingUpload
from tests.clients import Client
from tests.factories import ActionFactory, PlanFactory, ThemeFactory, user_in_role
from tests.workbooks.workbooks import edit_row, export, kept_uploads
from workbooks.formats import WORKBOOK_FORMATS

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = PlanFactory(slug="knife-crime", layout="vru")
    theme = ThemeFactory(plan=plan, name="Reducing access to weapons")
    ActionFactory(theme=theme, ref="1", text="Weapon sweeps in parks", rag=RAG.AMBER)
    return plan


def changed(plan) -> bytes:
    return edit_row(export(plan), "Weapon sweeps", {"Risk RAG status": "Red"})


def rag_now() -> str:
    return Action.objects.get(text="Weapon sweeps in parks").rag


def another_server(client) -> Client:
    """The next request landing on another app server: only the browser's cookies."""
    cache.clear()
    other = Client()
    other.cookies = SimpleCookie(client.cookies.output(header="", sep=";"))
    return other


def test_sessions_are_kept_in_the_database(client, plan):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    client.force_login(user_in_role(Role.ANALYST, partnerships=[plan.partnership]))
    assert Session.objects.filter(session_key=client.session.session_key).exists()


def test_an_import_previewed_on_one_server_is_confirmed_on_another(client, plan):
    client.force_login(user_in_role(Role.ANALYST, partnerships=[plan.partnership]))
    data = changed(plan)
    preview = client.post(
        reverse("workbooks:plan-import", args=[plan.slug]),
        {"file": SimpleUploadedFile("plan.xlsx", data), "layout": "vru"},
    )
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode()).group(1)
    assert bytes(PendingUpload.objects.get(token=token).data) == data

    response = another_server(client).post(
        reverse("workbooks:plan-import-confirm", args=[plan.slug]), {"token": token}
    )

    assert response.status_code == 302
    assert rag_now() == RAG.RED
    assert kept_uploads() == []


def test_an_admin_import_previewed_on_one_server_is_confirmed_on_another(admin_client, plan):
    layouts = [fmt.layout for fmt in WORKBOOK_FORMATS]
    preview = admin_client.post(
        reverse("admin:actions_action_import"),
        {
            "plan": plan.pk,
            "format": layouts.index("vru"),
            "import_file": SimpleUploadedFile("plan.xlsx", changed(plan)),
        },
    )
    form = re.search(
        r'<form action="[^"]*process_import/" method="POST">(.*?)</form>',
        preview.content.decode(),
        re.S,
    )
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[1]))

    response = another_server(admin_client).post(
        reverse("admin:actions_action_process_import"), fields
    )

    assert response.status_code == 302
    assert rag_now() == RAG.RED
    assert kept_uploads() == []
