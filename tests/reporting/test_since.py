"""What moved since a date (reporting.since), against fixtures with known answers.

Changes are made the three ways the history is written: through the services the update
page calls (action_update, progress_update_create), through the Django admin's change form,
and by importing a workbook.
Whatever was recorded before the window is moved 60 days back (`backdate`) and the window
starts 30 days back, so which side of `since` each change falls is certain.
"""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from actions.models import Action
from actions.permissions import visible_actions
from actions.rag import RAG
from actions.services import BROWSER_REASON, progress_update_create
from boards.models import Role
from cspplan.display import short_date
from reporting.since import NOT_RECORDED, changes_since, default_since, rag_travel
from tests.factories import (
    ActionFactory,
    BoardFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    UserFactory,
    user_in_role,
)
from tests.helpers import admin_change, backdate, edit
from tests.workbooks.workbooks import Sheet, add_row, export
from workbooks.layouts import read_workbook
from workbooks.preview import preview_import
from workbooks.services import plan_import

pytestmark = pytest.mark.django_db

History = Action.history.model
DATA = Path(__file__).parent.parent / "data"


@pytest.fixture
def since():
    return timezone.now() - datetime.timedelta(days=30)


def summary(changes):
    return [(c.action.ref, c.from_rag, c.to_rag, c.who) for c in changes.rag_changes]


@pytest.fixture
def plan():
    plan = PlanFactory()
    theme = ThemeFactory(plan=plan, name="GOVERNANCE")
    ActionFactory(theme=theme, ref="1", text="Co-ordination arrangements", rag=RAG.GREEN)
    ActionFactory(theme=theme, ref="2", text="Daily violence meeting", rag=RAG.AMBER)
    ActionFactory(theme=theme, ref="3", text="Mentoring for young people")
    return plan


def plan_actions(plan):
    return Action.objects.filter(theme__plan=plan)


def test_default_since_is_four_weeks_before_today():
    assert default_since(datetime.date(2022, 3, 10)) == datetime.date(2022, 2, 10)


def test_changes_made_through_the_services_show_from_to_who_and_when(plan, since):
    officer = user_in_role(Role.OFFICER)
    one, two, three = plan_actions(plan).order_by("ref")
    edit(one, UserFactory(), rag=RAG.AMBER)  # before the window: must not show
    backdate()

    edit(one, officer, rag=RAG.RED)
    edit(two, officer, comment="Meets weekdays only")  # no RAG change
    update = progress_update_create(
        action=three, user=officer, date=datetime.date(2021, 11, 1), text="Started", rag="green"
    )
    edit(three, None, rag=RAG.AMBER)  # no user recorded (a script, say)

    changes = changes_since(plan_actions(plan), since)

    assert summary(changes) == [
        ("1", RAG.AMBER, RAG.RED, officer.person.name),
        ("3", RAG.NOT_RATED, RAG.GREEN, officer.person.name),  # set by the update
        ("3", RAG.GREEN, RAG.AMBER, NOT_RECORDED),
    ]
    assert changes.rag_changes[0].when == one.history.first().history_date
    assert {change.reason for change in changes.rag_changes} == {BROWSER_REASON}
    assert changes.updates == [update]
    assert changes.updates[0].author == officer.person
    assert [action.ref for action in changes.not_updated] == ["1", "2"]
    assert changes.new_actions == []
    assert changes.completed == []


def test_a_change_reverted_inside_the_window_shows_both_changes(plan, since):
    officer = user_in_role(Role.OFFICER)
    one = plan_actions(plan).get(ref="1")
    backdate()

    edit(one, officer, rag=RAG.COMPLETE)
    edit(one, officer, progress="Co-ordination arrangements agreed")
    edit(one, officer, rag=RAG.GREEN)

    changes = changes_since(plan_actions(plan), since)

    assert summary(changes) == [
        ("1", RAG.GREEN, RAG.COMPLETE, officer.person.name),
        ("1", RAG.COMPLETE, RAG.GREEN, officer.person.name),
    ]
    assert changes.rag_changes[0].when < changes.rag_changes[1].when
    # Reopened: it moved to Complete in the window, but is not a completed action now.
    assert changes.completed == []


def test_completed_lists_actions_complete_now_with_when_they_became_so(plan, since):
    officer = user_in_role(Role.OFFICER)
    one, two, three = plan_actions(plan).order_by("ref")
    edit(three, officer, rag=RAG.COMPLETE)  # completed before the window
    backdate()

    edit(one, officer, rag=RAG.COMPLETE)
    edit(two, officer, rag=RAG.COMPLETE)
    edit(two, officer, rag=RAG.AMBER)
    edit(two, officer, rag=RAG.COMPLETE)

    changes = changes_since(plan_actions(plan), since)

    last_move = two.history.first().history_date
    assert [(c.action.ref, c.when, c.who) for c in changes.completed] == [
        ("2", last_move, officer.person.name),  # the most recent first
        ("1", one.history.first().history_date, officer.person.name),
    ]


def test_changes_and_updates_made_in_the_admin_show(client, plan, since):
    administrator = UserFactory(
        is_staff=True, is_superuser=True, first_name="Test", last_name="Administrator"
    )
    client.force_login(administrator)
    one, two, _ = plan_actions(plan).order_by("ref")
    admin_change(client, one, rag=RAG.AMBER)  # before the window
    backdate()

    admin_change(client, one, rag=RAG.RED)
    admin_change(
        client,
        two,
        **{
            "updates-TOTAL_FORMS": "1",
            "updates-0-date": "2021-11-01",
            "updates-0-period": "November 2021",
            "updates-0-rag": RAG.AMBER,
            "updates-0-text": "Meets every morning at 9",
            "updates-0-marking": "official",
        },
    )

    changes = changes_since(plan_actions(plan), since)

    assert summary(changes) == [("1", RAG.AMBER, RAG.RED, "Test Administrator")]
    [update] = changes.updates
    assert (update.action, update.text) == (two, "Meets every morning at 9")
    assert update.history.get().history_user == administrator
    assert [action.ref for action in changes.not_updated] == ["1", "3"]


def test_changes_and_new_actions_from_an_import_show(plan, since):
    analyst = user_in_role(Role.ANALYST, partnerships=[plan.partnership])
    one = plan_actions(plan).get(ref="1")
    edit(one, analyst, rag=RAG.RED)  # before the window
    backdate()
    sheet = Sheet(export(plan))
    sheet.set(sheet.row_of("Co-ordination"), "Risk RAG status", "Complete")
    sheet.set(sheet.row_of("Daily violence"), "Risk RAG status", "Red")
    sheet.set(sheet.row_of("Mentoring"), "Progress", "Provider chosen")  # no RAG change
    add_row(sheet, "GOVERNANCE", 4, "Weapons sweeps in parks", "Complete")
    preview = preview_import(read_workbook(sheet.save(), "vru"), plan)
    assert preview.summary == "Summary: created=1 updated=3 unchanged=0 conflicts=0 refused=0"

    plan_import(preview, user=analyst)

    changes = changes_since(plan_actions(plan), since)
    name = analyst.person.name
    assert summary(changes) == [
        ("1", RAG.RED, RAG.COMPLETE, name),
        ("2", RAG.AMBER, RAG.RED, name),
    ]
    assert {c.reason for c in changes.rag_changes} == {"Imported from a workbook"}
    imported_at = plan_actions(plan).get(ref="4").created_at
    assert {c.when for c in changes.rag_changes} == {imported_at}
    assert [action.text for action in changes.new_actions] == ["Weapons sweeps in parks"]
    # A new row already marked Complete counts as completed, by whoever imported it.
    assert sorted((c.action.ref, c.when, c.who) for c in changes.completed) == [
        ("1", imported_at, name),
        ("4", imported_at, name),
    ]


def test_nothing_outside_the_queryset_shows(since):
    seen = PlanFactory()
    hidden = PlanFactory()  # another partnership and board
    chair = user_in_role(Role.CHAIR, boards=[seen.board])
    seen_action = ActionFactory(theme__plan=seen, ref="1", rag=RAG.GREEN)
    hidden_action = ActionFactory(theme__plan=hidden, ref="1", rag=RAG.GREEN)
    ProgressUpdateFactory(action=hidden_action)  # before the window
    backdate()
    officer = user_in_role(Role.OFFICER)
    for action in (seen_action, hidden_action):
        edit(action, officer, rag=RAG.RED)
        edit(action, officer, rag=RAG.COMPLETE)
        ProgressUpdateFactory(action=action)
    ActionFactory(theme__plan=seen, ref="2")
    ActionFactory(theme__plan=hidden, ref="2")

    changes = changes_since(visible_actions(chair), since)

    everything = [c.action for c in changes.rag_changes + changes.completed]
    everything += changes.new_actions + changes.not_updated
    everything += [update.action for update in changes.updates]
    assert {action.theme.plan for action in everything} == {seen}
    assert len(changes.rag_changes) == 2
    assert len(changes.completed) == len(changes.updates) == 1
    assert [action.ref for action in changes.new_actions] == ["2"]
    assert [action.ref for action in changes.not_updated] == ["2"]


def test_updates_count_from_when_they_were_received_not_the_date_they_are_for(plan, since):
    one, two, three = plan_actions(plan).order_by("ref")
    long_ago = datetime.date(2019, 4, 1)
    # Received before the window, though written for a date inside it.
    ProgressUpdateFactory(action=one, date=timezone.localdate(), text="Early")
    backdate()
    # Received in the window, though written for a period long before.
    late = ProgressUpdateFactory(action=two, date=long_ago, period="April 2019", text="Late")
    recent = ProgressUpdateFactory(action=three, date=timezone.localdate(), text="Recent")

    changes = changes_since(plan_actions(plan), since)

    assert changes.updates == [recent, late]  # newest first
    assert [action.ref for action in changes.not_updated] == ["1"]


def test_not_updated_lists_open_actions_with_no_update_received_since(plan, since):
    one, two, three = plan_actions(plan).order_by("ref")
    ActionFactory(theme=one.theme, ref="4")
    ActionFactory(theme=one.theme, ref="5", rag=RAG.COMPLETE)  # expected to be silent
    ProgressUpdateFactory(action=one, date=datetime.date(2021, 9, 1), text="September")
    ProgressUpdateFactory(action=one, date=datetime.date(2021, 10, 1), text="October")
    ProgressUpdateFactory(action=two, date=datetime.date(2021, 10, 1))
    backdate()
    ProgressUpdateFactory(action=two, date=datetime.date(2021, 11, 1))
    ProgressUpdateFactory(action=three, date=datetime.date(2021, 11, 1))

    changes = changes_since(plan_actions(plan), since)

    assert [action.ref for action in changes.not_updated] == ["1", "4"]
    first, fourth = changes.not_updated
    latest = one.updates.get(text="October")
    assert (first.last_update_at, first.last_update_date) == (latest.created_at, latest.date)
    assert (fourth.last_update_at, fourth.last_update_date) == (None, None)


def test_new_actions_are_those_created_since(plan, since):
    backdate()
    theme = plan.themes.get()
    added = ActionFactory(theme=theme, ref="4", rag=RAG.AMBER)

    changes = changes_since(plan_actions(plan), since)

    assert changes.new_actions == [added]
    # Its first status is where it starts, not a change.
    assert changes.rag_changes == []


def test_since_a_date_means_from_the_start_of_that_day(plan):
    one = plan_actions(plan).get(ref="1")
    edit(one, None, rag=RAG.RED)
    row = one.history.first()
    day = datetime.date(2021, 11, 9)
    start = timezone.make_aware(datetime.datetime(2021, 11, 9))
    History.objects.update(history_date=start - datetime.timedelta(days=1))
    History.objects.filter(pk=row.pk).update(history_date=start)

    assert summary(changes_since(plan_actions(plan), day)) == [
        ("1", RAG.GREEN, RAG.RED, NOT_RECORDED)
    ]
    assert (
        changes_since(plan_actions(plan), start + datetime.timedelta(microseconds=1)).rag_changes
        == []
    )


def test_the_first_row_kept_of_an_older_action_is_not_a_change(plan, since):
    """An action whose history began with a change (its "+" row lost or never written)."""
    one = plan_actions(plan).get(ref="1")
    backdate()
    edit(one, None, rag=RAG.COMPLETE)
    History.objects.filter(id=one.pk, history_type="+").delete()

    changes = changes_since(plan_actions(plan), since)

    assert changes.rag_changes == [] and changes.completed == []


def build(plan, count: int) -> None:
    """`count` actions, each with a RAG change and an update before and inside the window."""
    officer = user_in_role(Role.OFFICER)
    theme = ThemeFactory(plan=plan)
    actions = ActionFactory.create_batch(count, theme=theme, rag=RAG.GREEN)
    for action in actions:
        edit(action, officer, rag=RAG.AMBER)
        ProgressUpdateFactory(action=action)
    backdate()
    for action in actions:
        edit(action, officer, rag=RAG.RED)
        edit(action, officer, rag=RAG.COMPLETE)
        ProgressUpdateFactory(action=action)
    ActionFactory.create_batch(count, theme=theme)


@pytest.mark.parametrize("count", [3, 30])
def test_the_number_of_queries_does_not_grow_with_the_actions(
    count, since, django_assert_num_queries
):
    plan = PlanFactory()
    build(plan, count)
    actions = plan_actions(plan)

    with django_assert_num_queries(5):
        changes = changes_since(actions, since)
        # What a page reads from each entry is already loaded.
        for change in changes.rag_changes + changes.completed:
            str(change.action.theme.plan)
        for update in changes.updates:
            str(update.action.theme.plan)
            str(update.author)
        for action in changes.new_actions + changes.not_updated:
            str(action.theme.plan)

    assert len(changes.rag_changes) == 2 * count
    assert len(changes.completed) == len(changes.updates) == count
    assert len(changes.new_actions) == len(changes.not_updated) == count


# ---- actions that came with their plan -------------------------------------------------------


def test_actions_loaded_with_their_plan_are_not_new(since):
    """load_demo creates each plan and then its actions, one by one: none is new."""
    call_command("load_demo", stdout=io.StringIO())
    actions = Action.objects.filter(theme__plan__slug="bd-vru-2021-22")
    assert actions.count() == 67

    changes = changes_since(actions, since)

    assert changes.new_actions == []
    # Added later, by hand, it is new.
    backdate()
    added = ActionFactory(theme=actions.first().theme, ref="99")
    assert changes_since(actions, since).new_actions == [added]


def test_actions_imported_as_a_new_plan_are_not_new(since):
    board = BoardFactory()
    call_command(
        "import_plan",
        str(DATA / "vru_as_sent.xlsx"),
        "--layout",
        "vru",
        "--plan",
        "new-plan",
        "--create",
        "--board",
        board.slug,
        stdout=io.StringIO(),
    )
    actions = Action.objects.filter(theme__plan__slug="new-plan")
    assert actions.count() == 10

    assert changes_since(actions, since).new_actions == []


# ---- direction of travel ---------------------------------------------------------------------


def test_travel_gives_the_status_before_and_when_it_changed(plan):
    officer = user_in_role(Role.OFFICER)
    one, two, three = plan_actions(plan).order_by("ref")
    edit(one, officer, rag=RAG.AMBER)
    backdate(10)
    edit(one, officer, rag=RAG.RED)  # worse, ten days after
    edit(two, officer, comment="No change of status")
    edit(three, officer, rag=RAG.AMBER)  # from Not rated: no direction
    changed = History.objects.filter(id=one.pk).latest("history_date").history_date

    travel = rag_travel(list(plan_actions(plan).order_by("ref")))

    assert (travel[one.pk].previous, travel[one.pk].changed) == (RAG.AMBER, changed)
    assert travel[one.pk].direction == "worse"
    assert travel[one.pk].words == f"Worse: was Amber until {short_date(changed.date())}"
    created = History.objects.get(id=two.pk, history_type="+").history_date
    assert (travel[two.pk].previous, travel[two.pk].changed) == (None, created)
    assert travel[two.pk].words == f"No earlier status; Amber since {short_date(created.date())}"
    assert (travel[three.pk].previous, travel[three.pk].direction) == (RAG.NOT_RATED, "")
    assert travel[three.pk].words.startswith("was Not rated until")


def test_travel_better_and_without_history(plan):
    one, two, _ = plan_actions(plan).order_by("ref")
    edit(two, None, rag=RAG.GREEN)  # amber to green
    History.objects.filter(id=one.pk).delete()  # history kept from after its creation

    travel = rag_travel([one, Action.objects.get(pk=two.pk)])

    assert travel[two.pk].direction == "better"
    assert (travel[one.pk].previous, travel[one.pk].changed) == (None, None)
    assert travel[one.pk].words == "No history"
