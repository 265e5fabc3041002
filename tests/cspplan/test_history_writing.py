"""How a change's history row is written (cspplan.history, cspplan.saving): once, with who
and why given as arguments, and, for an import, for the actions it wrote and no others."""

import datetime

import pytest
from django.db.models.signals import post_save
from django.utils import timezone

from actions.models import Action, SeniorLeader
from actions.services import action_upsert
from cspplan import history
from cspplan.saving import save_if_changed
from tests.factories import (
    ActionFactory,
    OrganisationFactory,
    PersonFactory,
    SeniorLeaderFactory,
    ThemeFactory,
    UserFactory,
)
from tests.workbooks.workbooks import Sheet, export
from workbooks.layouts import read_workbook
from workbooks.preview import preview_import
from workbooks.services import plan_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def saves():
    """The post_save signals sent for actions while the test runs."""
    sent = []

    def receiver(sender, instance, **kwargs):
        sent.append((instance.pk, kwargs))

    post_save.connect(receiver, sender=Action)
    yield sent
    post_save.disconnect(receiver, sender=Action)


def test_a_change_to_fields_and_lists_is_saved_once_with_one_history_row(saves):
    theme = ThemeFactory()
    lead, police = PersonFactory(name="DCI Smith"), OrganisationFactory(name="Police")

    action, changed = action_upsert(
        theme=theme, ref="1", order=0, text="Patrols", lead_people=[lead], lead_organisations=[]
    )
    action, changed_again = action_upsert(
        theme=theme,
        ref="1",
        order=0,
        text="Patrols at night",
        lead_people=[lead],
        supporting_organisations=[police],
    )

    assert changed and changed_again
    # One signal per save: none sent again for the history's sake.
    assert [pk for pk, _ in saves] == [action.pk, action.pk]
    assert not any("history_only" in kwargs for _, kwargs in saves)
    created, edited = action.history.order_by("history_id")
    assert (created.history_type, edited.history_type) == ("+", "~")
    assert (created.text, edited.text) == ("Patrols", "Patrols at night")
    assert [row.person for row in created.lead_people.all()] == [lead]
    assert [row.organisation for row in edited.supporting_organisations.all()] == [police]


def test_a_list_changed_on_its_own_writes_one_row_and_sends_no_save(saves):
    action = ActionFactory()
    lead = PersonFactory()
    rows = action.history.count()
    saves.clear()  # the factory's

    assert save_if_changed(action, {}, {"lead_people": [lead]}, user=None)

    assert saves == []  # the action's own row was not written again
    assert action.history.count() == rows + 1
    assert [row.person for row in action.history.first().lead_people.all()] == [lead]
    assert not save_if_changed(action, {}, {"lead_people": [lead]}, user=None)
    assert action.history.count() == rows + 1


def test_who_and_why_are_arguments_and_nothing_is_left_on_the_instance():
    action = ActionFactory(comment="")
    user = UserFactory()

    save_if_changed(action, {"comment": "Checked"}, user=user, reason="Checked by hand")

    latest = action.history.first()
    assert (latest.history_user, latest.history_change_reason) == (user, "Checked by hand")
    assert not hasattr(action, "_history_user") and not hasattr(action, "_change_reason")


def test_a_deletion_is_recorded_in_the_name_and_for_the_reason_given():
    leader = SeniorLeaderFactory()
    pk, user = leader.pk, UserFactory()

    history.delete(leader, user=user, reason="Left the partnership")

    assert not SeniorLeader.objects.filter(pk=pk).exists()
    deleted = SeniorLeader.history.filter(id=pk).first()
    assert deleted.history_type == "-"
    assert (deleted.history_user, deleted.history_change_reason) == (
        user,
        "Left the partnership",
    )


def test_an_import_writes_history_for_the_actions_it_wrote_and_no_others(monkeypatch):
    theme = ThemeFactory(name="GOVERNANCE")
    changed = ActionFactory(theme=theme, ref="1", text="Co-ordination", rag="green")
    untouched = ActionFactory(theme=theme, ref="2", text="Daily meeting", rag="amber")
    untouched.lead_people.add(PersonFactory())
    sheet = Sheet(export(theme.plan))
    sheet.set(sheet.row_of("Co-ordination"), "Risk RAG status", "Red")
    preview = preview_import(read_workbook(sheet.save(), "vru"), theme.plan)
    assert preview.summary == "Summary: created=0 updated=1 unchanged=1 conflicts=0 refused=0"
    # The untouched action was last saved at the very moment the import runs: the import
    # must not take it for one of its own.
    moment = timezone.now() + datetime.timedelta(minutes=1)
    Action.objects.filter(pk=untouched.pk).update(updated_at=moment)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    rows = {pk: Action.history.filter(id=pk).count() for pk in (changed.pk, untouched.pk)}

    plan_import(preview, user=UserFactory())

    assert Action.history.filter(id=changed.pk).count() == rows[changed.pk] + 1
    assert Action.history.filter(id=untouched.pk).count() == rows[untouched.pk]
    latest = Action.history.filter(id=changed.pk).first()
    assert (latest.rag, latest.history_type, latest.history_date) == ("red", "~", moment)
