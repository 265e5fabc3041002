"""An import confirmed while someone else saves the plan: nothing either of them saved is
silently written over.

Each test makes the other save happen at the worst moment: from another thread (with its own
database connection), while the confirmation is between its fresh preview and its writing.
Without the plan's lock (workbooks.services.plan_locked) the other save lands there and the
import then writes its older copy over it; with it, the other save waits for the import (on
PostgreSQL, and on SQLite in production) or is refused at once (SQLite's in-memory test
database does not wait), and then finds the action changed.
"""

import io
import re
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError, connection
from django.urls import reverse

from actions.models import Action
from actions.rag import RAG
from actions.services import ActionChanged, action_update, action_version
from boards.models import Role
from tests.clients import Client
from tests.factories import ActionFactory, PlanFactory, ThemeFactory, user_in_role
from tests.workbooks.workbooks import Sheet, export
from workbooks import resources, views
from workbooks.formats import WORKBOOK_FORMATS
from workbooks.management.commands import import_plan
from workbooks.services import plan_locked

pytestmark = pytest.mark.django_db(transaction=True)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OFFICERS_WORDS = "Venue booked for the January meeting"


@pytest.fixture
def plan():
    plan = PlanFactory(slug="locking", layout="vru")
    theme = ThemeFactory(plan=plan, name="GOVERNANCE")
    for ref, text in (("1", "Daily violence meeting"), ("2", "Mentoring for young people")):
        action = ActionFactory(theme=theme, ref=ref, text=text, progress="Started")
        Action.history.bulk_history_create([action])  # a version for the export to record
    return plan


def analyst(plan, name: str) -> Client:
    client = Client()
    client.force_login(user_in_role(Role.ANALYST, partnerships=[plan.partnership], name=name))
    return client


def workbook(plan, changes: dict[str, dict]) -> bytes:
    """The plan exported, with cells of the rows named by their action text changed."""
    sheet = Sheet(export(plan))
    for text, cells in changes.items():
        for header, value in cells.items():
            sheet.set(sheet.row_of(text), header, value)
    return sheet.save()


def previewed(client: Client, plan, data: bytes) -> str:
    """Upload `data` and return the preview's confirmation token."""
    response = client.post(
        reverse("workbooks:plan-import", args=[plan.slug]),
        {"file": SimpleUploadedFile("plan.xlsx", data, XLSX), "layout": "vru"},
    )
    match = re.search(rb'name="token" value="([^"]+)"', response.content)
    assert match, "the preview has no confirm form"
    return match.group(1).decode()


def confirm(client: Client, plan, token: str):
    return client.post(reverse("workbooks:plan-import-confirm", args=[plan.slug]), {"token": token})


def at_the_worst_moment(monkeypatch, other, module=views) -> dict:
    """Run `other` in a thread of its own once the confirmation (in `module`) has previewed
    the workbook afresh, and give it a second to finish before the import writes. What it
    returned (or raised) is in the dict, once `finish` has been called."""
    outcome: dict = {}
    preview_import = module.preview_import

    def run():
        try:
            outcome["result"] = other()
        except Exception as error:  # what the other save was told
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)

    def preview_then_other(*args, **kwargs):
        preview = preview_import(*args, **kwargs)
        if not thread.is_alive() and "started" not in outcome:
            outcome["started"] = True
            thread.start()
            thread.join(1)  # a lock makes it wait for the import: go on without it
        return preview

    monkeypatch.setattr(module, "preview_import", preview_then_other)
    outcome["finish"] = lambda: thread.join(30)
    return outcome


def changes_rag_and_progress(plan) -> bytes:
    """A workbook that changes one action's RAG and another's progress (so that an import
    writes both fields)."""
    return workbook(
        plan,
        {
            "Daily violence meeting": {"Risk RAG status": "Red"},
            "Mentoring for young people": {"Progress": "Twelve mentors trained"},
        },
    )


def officer_saving(plan):
    """An officer saving new progress on the daily meeting, from the update form."""
    daily = Action.objects.get(text="Daily violence meeting")
    officer = user_in_role(Role.OFFICER, partnerships=[plan.partnership], name="Angie Fuller")
    return lambda: action_update(
        action=daily, user=officer, expected_version=action_version(daily), progress=OFFICERS_WORDS
    )


def test_an_officers_save_during_the_confirmation_is_not_written_over(plan, monkeypatch):
    """Meanwhile an officer saves new progress on the action whose RAG the workbook changes.
    The import must not put the old progress back."""
    importer = analyst(plan, "Jade Hodgson")
    token = previewed(importer, plan, changes_rag_and_progress(plan))
    outcome = at_the_worst_moment(monkeypatch, officer_saving(plan))

    response = confirm(importer, plan, token)
    outcome["finish"]()

    assert response.status_code == 302  # the import went through
    assert_nothing_of_the_officers_lost(outcome)


def test_the_admins_import_takes_the_same_lock(plan, monkeypatch, admin_client):
    page = admin_client.post(
        reverse("admin:actions_action_import"),
        {
            "plan": plan.pk,
            "format": [fmt.layout for fmt in WORKBOOK_FORMATS].index("vru"),
            "import_file": SimpleUploadedFile("plan.xlsx", changes_rag_and_progress(plan)),
        },
    )
    outcome = at_the_worst_moment(monkeypatch, officer_saving(plan), module=resources)

    admin_confirm(admin_client, page)
    outcome["finish"]()

    assert_nothing_of_the_officers_lost(outcome)


def test_the_import_command_takes_the_same_lock(plan, monkeypatch, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(changes_rag_and_progress(plan))
    outcome = at_the_worst_moment(monkeypatch, officer_saving(plan), module=import_plan)

    call_command(
        "import_plan",
        str(path),
        "--layout",
        "vru",
        "--plan",
        plan.slug,
        stdout=io.StringIO(),
    )
    outcome["finish"]()

    assert_nothing_of_the_officers_lost(outcome)


def admin_confirm(client, preview_page):
    """Press the admin's 'Confirm import': post the hidden fields its preview holds."""
    url = reverse("admin:actions_action_process_import")
    html = preview_page.content.decode()
    form = re.search(f'<form action="{url}" method="POST">(.*?)</form>', html, re.S)
    assert form, "the preview offers no confirm button"
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(1)))
    return client.post(url, fields)


def assert_nothing_of_the_officers_lost(outcome: dict) -> None:
    daily = Action.objects.get(text="Daily violence meeting")
    assert daily.rag == RAG.RED  # the import was written
    assert Action.objects.get(text="Mentoring for young people").progress == (
        "Twelve mentors trained"
    )
    if "result" in outcome:
        # The officer's save landed: it must still be there.
        assert daily.progress == OFFICERS_WORDS
    else:
        # It waited for the import and found the action changed (the update form then shows
        # both versions), or SQLite's test database refused it at once: either way the
        # officer is told, and nothing of theirs is lost silently.
        error = outcome["error"]
        assert isinstance(error, ActionChanged | OperationalError), error
        assert daily.progress == "Started"


def test_two_imports_confirmed_together_do_not_replace_each_other(plan, monkeypatch):
    """Two analysts change the same action's RAG from the same export and confirm together:
    one is imported, the other is shown that the plan changed since its preview (a
    conflict to settle), or told to try again; neither is silently replaced."""
    first, second = analyst(plan, "Jade Hodgson"), analyst(plan, "Daniel Lewis")
    first_token = previewed(
        first, plan, workbook(plan, {"Daily violence meeting": {"Risk RAG status": "Red"}})
    )
    second_token = previewed(
        second, plan, workbook(plan, {"Daily violence meeting": {"Risk RAG status": "Amber"}})
    )
    outcome = at_the_worst_moment(monkeypatch, lambda: confirm(second, plan, second_token))

    response = confirm(first, plan, first_token)
    outcome["finish"]()

    assert response.status_code == 302
    assert Action.objects.get(text="Daily violence meeting").rag == RAG.RED
    other = outcome["result"]  # the second confirmation answered with a page
    assert other.status_code == 200, "the second import was written as well"
    page = other.content.decode()
    assert "has changed since" in page or "Someone else is importing" in page


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_an_import_waits_no_longer_than_the_setting_then_says_try_again(plan, settings):
    """PostgreSQL: the plan's row held by another transaction (another import) for longer
    than IMPORT_LOCK_WAIT_SECONDS: plan_locked gives up with PlanBusy."""
    from workbooks.services import PlanBusy

    settings.IMPORT_LOCK_WAIT_SECONDS = 1
    held, release = threading.Event(), threading.Event()

    def hold():
        try:
            with plan_locked(plan):
                held.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(10)
    try:
        with pytest.raises(PlanBusy), plan_locked(plan):
            pass
    finally:
        release.set()
        holder.join(10)
