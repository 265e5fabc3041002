"""Changing an action in the browser: actions.services.action_update and
progress_update_create, and the history the action page reads (actions.history)."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.forms.models import model_to_dict

from actions.history import action_history, since_version
from actions.models import Action, ProgressUpdate
from actions.rag import RAG
from actions.services import (
    BROWSER_REASON,
    ActionChanged,
    action_edit,
    action_update,
    action_version,
    progress_update_create,
)
from boards.models import Role
from tests.factories import (
    ActionFactory,
    OrganisationFactory,
    PersonFactory,
    ProgressUpdateFactory,
    UserFactory,
    user_in_role,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2021, 11, 1)


@pytest.fixture
def officer():
    return user_in_role(Role.OFFICER)


@pytest.fixture
def action():
    return ActionFactory(
        rag=RAG.AMBER,
        start_date=datetime.date(2021, 4, 1),
        start_text="April 2021",
        end_date=datetime.date(2022, 3, 31),
        end_text="March 2022",
        progress="Drafted",
    )


def counts():
    return (
        Action.objects.count(),
        ProgressUpdate.objects.count(),
        Action.history.count(),
        ProgressUpdate.history.count(),
    )


def test_a_change_is_saved_with_one_history_row_in_the_users_name(action, officer):
    saved = action_update(
        action=action,
        user=officer,
        expected_version=action_version(action),
        progress="Agreed",
        comment="At the March board",
    )

    action.refresh_from_db()
    assert (action.progress, action.comment) == ("Agreed", "At the March board")
    assert saved.pk == action.pk
    latest, before = action.history.all()[:2]
    assert latest.history_user == officer
    assert latest.history_change_reason == BROWSER_REASON
    assert (before.progress, latest.progress) == ("Drafted", "Agreed")
    assert action.history.count() == 2


def test_an_update_with_another_rag_sets_the_actions_rag(action, officer):
    action_update(
        action=action,
        user=officer,
        expected_version=action_version(action),
        update={"date": DAY, "text": "Funding withdrawn", "rag": RAG.RED},
    )

    action.refresh_from_db()
    assert action.rag == RAG.RED
    update = action.updates.get()
    assert (update.date, update.text, update.rag) == (DAY, "Funding withdrawn", RAG.RED)
    assert update.author == officer.person and update.created_by == officer
    assert update.history.get().history_user == officer
    assert action.history.first().rag == RAG.RED
    assert action.history.first().history_user == officer


def test_an_update_with_the_same_rag_leaves_the_action_alone(action, officer):
    before = action.history.count()

    progress_update_create(
        action=action, user=officer, date=DAY, text="Still on course", rag=RAG.AMBER
    )

    assert action.history.count() == before
    assert action.updates.get().rag == RAG.AMBER


def test_an_update_read_from_a_stale_action_still_sets_the_rag_as_saved(action, officer):
    stale = Action.objects.get(pk=action.pk)
    Action.objects.filter(pk=action.pk).update(rag=RAG.RED)

    progress_update_create(action=stale, user=officer, date=DAY, text="Green now", rag=RAG.GREEN)

    action.refresh_from_db()
    assert action.rag == RAG.GREEN


def test_a_changed_date_clears_its_words_and_an_unchanged_one_keeps_them(action, officer):
    action_update(
        action=action,
        user=officer,
        expected_version=action_version(action),
        start_date=datetime.date(2021, 4, 1),  # as it was
        end_date=datetime.date(2022, 9, 30),
    )

    action.refresh_from_db()
    assert (action.start_date, action.start_text) == (datetime.date(2021, 4, 1), "April 2021")
    assert (action.end_date, action.end_text) == (datetime.date(2022, 9, 30), "")
    assert action.history.all()[1].end_text == "March 2022"


def test_a_stale_version_writes_nothing(action, officer):
    version = action_version(action)
    action_update(action=action, user=UserFactory(), expected_version=version, comment="First")
    action.refresh_from_db()
    before, values = counts(), model_to_dict(action)

    with pytest.raises(ActionChanged) as refused:
        action_update(
            action=action,
            user=officer,
            expected_version=version,
            update={"date": DAY, "text": "Second", "rag": RAG.RED},
            comment="Second",
        )

    assert refused.value.action.comment == "First"
    action.refresh_from_db()
    assert counts() == before and model_to_dict(action) == values


def test_a_change_to_a_field_the_form_does_not_edit_does_not_stop_it(action, officer):
    version = action_version(action)
    action.outcomes = "Reworded by an import"
    action.save()

    action_update(action=action, user=officer, expected_version=version, comment="Fine")

    action.refresh_from_db()
    assert (action.outcomes, action.comment) == ("Reworded by an import", "Fine")


def test_a_refused_update_takes_the_field_changes_back_with_it(action, officer):
    before, values = counts(), model_to_dict(action)

    with pytest.raises(ValidationError):
        action_update(
            action=action,
            user=officer,
            expected_version=action_version(action),
            update={"date": DAY, "text": "", "rag": RAG.RED},  # an update must have words
            comment="Would be lost with the update",
        )

    action.refresh_from_db()
    assert counts() == before and model_to_dict(action) == values


def test_an_end_before_the_start_is_refused_and_writes_nothing(action, officer):
    before = counts()

    with pytest.raises(ValidationError):
        action_update(
            action=action,
            user=officer,
            expected_version=action_version(action),
            end_date=datetime.date(2020, 1, 1),
        )

    assert counts() == before


def test_only_the_forms_fields_can_be_changed(action, officer):
    with pytest.raises(TypeError, match="text"):
        action_update(
            action=action, user=officer, expected_version=action_version(action), text="New"
        )


def test_the_version_of_an_action_and_of_its_history_record_agree(action):
    assert action_version(action) == action_version(action.history.first())
    action.comment = "Changed"
    assert action_version(action) != action_version(action.history.first())


@pytest.mark.django_db(transaction=True)
def test_the_row_is_locked_so_a_second_writer_waits_and_then_is_refused():
    """On PostgreSQL: while one save holds the action's row, another from the same version
    waits for it, then finds the action changed and writes nothing."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot lock a row; its whole-database write lock is used instead")
    action = ActionFactory(rag=RAG.AMBER)
    first, second = UserFactory(), UserFactory()
    version = action_version(action)
    holding = threading.Event()
    outcome = {}

    def second_writer():
        try:
            holding.wait(10)
            action_update(
                action=Action.objects.get(pk=action.pk),
                user=second,
                expected_version=version,
                comment="Second",
            )
            outcome["second"] = "saved"
        except ActionChanged:
            outcome["second"] = "refused"
        finally:
            connection.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    with transaction.atomic():
        action_update(action=action, user=first, expected_version=version, comment="First")
        holding.set()
        thread.join(1)
        outcome["waited"] = thread.is_alive()  # blocked on the row lock
    thread.join(10)

    assert outcome == {"waited": True, "second": "refused"}
    action.refresh_from_db()
    assert action.comment == "First"


# ---- the history the action page shows -----------------------------------------------------


def test_history_rows_say_who_changed_what_from_what_newest_first(action, officer):
    action_update(
        action=action, user=officer, expected_version=action_version(action), progress="Agreed"
    )
    action.refresh_from_db()
    action_update(
        action=action,
        user=officer,
        expected_version=action_version(action),
        rag=RAG.GREEN,
        end_date=datetime.date(2022, 6, 30),
    )

    rows = [(c.who, c.how, c.what, c.before, c.after) for c in action_history(action)]

    name = officer.person.name
    assert rows[:4] == [
        (name, BROWSER_REASON, "End date", "31 March 2022", "30 June 2022"),
        (name, BROWSER_REASON, "End date as written", "March 2022", ""),
        (name, BROWSER_REASON, "RAG status", "Amber", "Green"),
        (name, BROWSER_REASON, "Progress", "Drafted", "Agreed"),
    ]
    assert rows[-1][2] == "Action created"


def test_history_names_the_lists_people_and_organisations_and_who_removed_them(action):
    lead, police = PersonFactory(name="DCI Smith"), OrganisationFactory(name="Police")
    action.lead_people.add(lead)
    action.supporting_organisations.add(police)
    admin = UserFactory(first_name="Ada", last_name="Admin")
    action_edit(action=action, user=admin, supporting_organisations=[])

    rows = [(c.who, c.what, c.before, c.after) for c in action_history(action)]

    assert ("Ada Admin", "Supporting organisations", "Police", "") in rows
    assert ("Not recorded", "Lead people", "", "DCI Smith") in rows


def test_history_of_progress_updates_added_changed_and_removed(action):
    update = ProgressUpdateFactory(action=action, date=DAY, text="Frist", rag=RAG.RED)
    update.text = "First"
    update.save()
    update.delete()

    rows = [(c.what, c.before, c.after) for c in action_history(action)]

    assert rows[:3] == [
        ("Progress update removed", "1 November 2021: First (RAG status set: Red)", ""),
        ("Progress update of 1 November 2021: Text", "Frist", "First"),
        ("Progress update added", "", "1 November 2021: Frist (RAG status set: Red)"),
    ]


def test_since_version_finds_what_changed_after_it_and_the_updates_added(action, officer):
    version = action_version(action)
    progress_update_create(action=action, user=officer, date=DAY, text="Seen before", rag="")
    action.refresh_from_db()
    action_update(
        action=action,
        user=officer,
        expected_version=version,
        update={"date": DAY, "text": "Funding withdrawn", "rag": RAG.RED},
    )

    since = since_version(action, version)

    assert action_version(since.base) == version
    assert [(c.who, c.what, c.before, c.after) for c in since.changes] == [
        (officer.person.name, "RAG status", "Amber", "Red")
    ]
    assert [update.text for update in since.updates] == ["Funding withdrawn"]


def test_since_an_unknown_version_there_is_nothing_to_compare(action):
    since = since_version(action, "not a version")

    assert (since.base, since.changes, since.updates) == (None, [], [])
