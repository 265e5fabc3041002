"""Marking a new progress update OFFICIAL-SENSITIVE on the update form (actions/update_form.py,
through actions.services.action_update): who chooses it, what is saved and recorded, and
who sees the update afterwards (actions.permissions.marked_updates_ok)."""

from django.urls import reverse

from actions.models import Marking, ProgressUpdate
from actions.rag import RAG
from tests.helpers import get, update_form

SENSITIVE = Marking.OFFICIAL_SENSITIVE


def update_url(action) -> str:
    return reverse("actions:action-update", args=[action.pk])


def test_the_form_offers_the_marking_with_who_will_see_it(client, world):
    page = get(client, world.officer, update_url(world.a1)).content.decode()
    assert 'name="update_marking"' in page and 'value="official-sensitive"' in page
    assert "OFFICIAL-SENSITIVE" in page
    assert "named leads" in page and "board" in page
    # The officer leads a1 through their organisation, not by name, and sits on no board:
    # they are told they will not see a marked update themselves.
    assert "You will not see it yourself" in page
    # A named lead (via the chair of the owning board) is not told that.
    chair_page = get(client, world.administrator, update_url(world.a1)).content.decode()
    assert "You will not see it yourself" not in chair_page


def test_an_update_marked_on_the_form_is_saved_marked_and_recorded(client, world):
    client.force_login(world.officer)
    data = update_form(
        world.a1, update_text="Named suspect arrested", rag=RAG.AMBER, update_marking=SENSITIVE
    )
    response = client.post(update_url(world.a1), data)
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(text="Named suspect arrested")
    assert update.marking == SENSITIVE
    record = ProgressUpdate.history.filter(id=update.pk).get()
    assert record.marking == SENSITIVE and record.history_user == world.officer
    # The chair of the owning board sees it on the action page, marked; the officer does not.
    chair_page = get(client, world.chair, reverse("actions:action-detail", args=[world.a1.pk]))
    assert "Named suspect arrested" in chair_page.content.decode()
    officer_page = get(client, world.officer, reverse("actions:action-detail", args=[world.a1.pk]))
    assert "Named suspect arrested" not in officer_page.content.decode()


def test_an_update_is_official_unless_marked(client, world):
    client.force_login(world.officer)
    client.post(update_url(world.a1), update_form(world.a1, update_text="Meeting held"))
    assert ProgressUpdate.objects.get(text="Meeting held").marking == Marking.OFFICIAL


def test_a_marking_outside_the_choices_is_refused_and_nothing_saved(client, world):
    client.force_login(world.officer)
    before = ProgressUpdate.objects.count()
    data = update_form(world.a1, update_text="Meeting held", update_marking="secret")
    response = client.post(update_url(world.a1), data)
    assert response.status_code == 200
    assert "Choose who may see the update" in response.content.decode()
    assert ProgressUpdate.objects.count() == before
