"""The roll-over's services: the Draft with every unfinished action carried forward once,
activation bringing later updates across and closing the old plan, and undo leaving exactly
what was there before.

The shared world's violence plan (tests/conftest.py) has six actions: a1 (red), a2
(green), b1 (amber), bx2 (red, OFFICIAL-SENSITIVE) and c1 (not rated) carry forward; bx1
(complete) closes with the plan.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action, Plan, ProgressUpdate, Theme
from actions.rag import RAG
from actions.services import progress_update_create
from rollover import services
from rollover.models import Rollover
from rollover.services import RolloverRefused
from tests.factories import ActionFactory, SeniorLeaderFactory, ThemeFactory
from tests.helpers import days_ago
from tests.rollover.helpers import NEXT_END, NEXT_START, roll_over, snapshot

pytestmark = pytest.mark.django_db


def unfinished(world):
    return [world.a1, world.a2, world.b1, world.bx2, world.c1]


def test_every_unfinished_action_is_carried_exactly_once_with_its_link_and_leads(world):
    SeniorLeaderFactory(plan=world.plan, name="Lee Leader", order=0)
    old_rows = snapshot()

    rollover = roll_over(world.plan, world.analyst)

    new_plan = rollover.new_plan
    assert new_plan.status == Plan.Status.DRAFT
    assert new_plan.predecessor == world.plan
    assert (new_plan.title, new_plan.slug) == (
        "Test violence plan 2022/23",
        "violence-plan-2022-23",
    )
    assert (new_plan.period_start, new_plan.period_end) == (NEXT_START, NEXT_END)
    assert (new_plan.partnership, new_plan.board, new_plan.layout) == (
        world.plan.partnership,
        world.plan.board,
        world.plan.layout,
    )
    assert list(new_plan.senior_leaders.values_list("name", flat=True)) == ["Lee Leader"]
    # The themes, sub-theme under its parent.
    themes = {theme.name: theme for theme in Theme.objects.filter(plan=new_plan)}
    assert set(themes) == {"Governance", "Diversion", "Schools"}
    assert themes["Schools"].parent == themes["Diversion"]

    carried = Action.objects.filter(theme__plan=new_plan)
    assert sorted(carried.values_list("carried_from", flat=True)) == sorted(
        action.pk for action in unfinished(world)
    )
    for old in unfinished(world):
        (new,) = Action.objects.filter(carried_from=old)
        assert new.theme.name == old.theme.name
        assert (new.ref, new.text, new.rag, new.origin, new.marking, new.end_date) == (
            old.ref,
            old.text,
            old.rag,
            old.origin,
            old.marking,
            old.end_date,
        )
        assert set(new.lead_people.all()) == set(old.lead_people.all())
        assert set(new.lead_organisations.all()) == set(old.lead_organisations.all())
        # Its latest update comes with it (a copy, received when the original was); the
        # others stay with the old action, which it links to.
        newest = old.updates.order_by("-date", "-created_at", "-pk").first()
        copies = list(new.updates.all())
        if newest is None:
            assert copies == []
        else:
            (copy,) = copies
            assert (copy.date, copy.text, copy.author, copy.marking, copy.created_at) == (
                newest.date,
                newest.text,
                newest.author,
                newest.marking,
                newest.created_at,
            )
        created = new.history.get()
        assert created.history_user == world.analyst
        assert created.history_change_reason == services.CREATED_REASON
    assert set(world.bx2.carried_to.get().lead_people.all()) == {world.sam}
    # The complete one closes with the old plan.
    assert not world.bx1.carried_to.exists()
    # The old plan is untouched and still Active.
    after = snapshot()
    for table, rows in old_rows.items():
        assert [row for row in after[table] if row in rows] == rows, table
    world.plan.refresh_from_db()
    assert world.plan.status == Plan.Status.ACTIVE
    assert rollover.state == Rollover.State.DRAFT
    assert rollover.created_by == world.analyst
    assert rollover.history.get().history_user == world.analyst


def test_monitoring_boards_carry_with_the_action(world):
    world.a1.monitoring_board = world.subgroup
    world.a1.save()
    world.governance.monitoring_board = world.other_board
    world.governance.save()

    rollover = roll_over(world.plan, world.analyst)

    new_a1 = world.a1.carried_to.get()
    assert new_a1.monitoring_board == world.subgroup
    assert new_a1.theme.monitoring_board == world.other_board
    assert new_a1.theme.plan == rollover.new_plan


def test_the_preview_lists_theme_by_theme_what_is_carried_and_what_closes(world):
    before = snapshot()

    preview = services.rollover_preview(
        world.plan, title="T", slug="t", start=NEXT_START, end=NEXT_END, user=world.analyst
    )

    assert snapshot() == before
    by_theme = {
        item.theme.name: ([a.text for a in item.carried], [a.text for a in item.closing])
        for item in preview.themes
    }
    assert by_theme == {
        "Governance": (["Daily violence meeting", "Problem profile"], []),
        "Diversion": (["Youth outreach"], []),
        "Schools": (
            ["Protectively marked operation", "Safer routes to school"],
            ["Assemblies in schools"],
        ),
    }
    assert [item.depth for item in preview.themes] == [0, 0, 1]
    assert (preview.carried_count, preview.closing_count) == (5, 1)
    a1 = preview.themes[0].carried[0]
    # The latest update, by actions.selectors' rule.
    assert (a1.last_update, a1.last_update_text) == (days_ago(2), "Meeting moved to weekly")
    assert a1.lead_people_names == ["Pat Example"]
    assert a1.lead_organisation_names == ["TPS"]
    assert a1.get_origin_display() == "VRU mandated action"


def test_the_latest_update_is_the_newest_by_date_then_by_when_written(world):
    progress_update_create(
        action=world.a1, user=world.analyst, date=days_ago(2), text="Written later, same day"
    )
    progress_update_create(action=world.a1, user=world.analyst, date=days_ago(30), text="Old")

    preview = services.rollover_preview(
        world.plan, title="T", slug="t", start=NEXT_START, end=NEXT_END, user=world.analyst
    )

    assert preview.themes[0].carried[0].last_update_text == "Written later, same day"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"slug": "other-plan"}, "slug"),
        ({"slug": "not a slug"}, "slug"),
        ({"title": " "}, "title"),
        ({"end": NEXT_START - datetime.timedelta(days=1)}, "end"),
        ({"start": datetime.date(2021, 4, 1)}, "start"),
    ],
)
def test_a_refused_rollover_writes_nothing(world, change, field):
    before = snapshot()

    with pytest.raises(RolloverRefused) as refused:
        roll_over(world.plan, world.analyst, **change)

    assert field in refused.value.message_dict
    assert snapshot() == before
    assert not Rollover.objects.exists()


def test_only_an_active_plan_is_rolled_over_and_only_once(world):
    roll_over(world.plan, world.analyst)
    with pytest.raises(RolloverRefused, match="already been rolled over"):
        roll_over(world.plan, world.analyst, slug="again")
    world.other_plan.status = Plan.Status.DRAFT
    world.other_plan.save()
    with pytest.raises(RolloverRefused, match="Only an active plan"):
        roll_over(world.other_plan, world.analyst, slug="other-again")


def test_a_failure_part_way_writes_nothing(world, monkeypatch):
    before = snapshot()

    def broken(**kwargs):
        raise RuntimeError("the template could not be applied")

    class Template:
        name = "vru-template-2022.xlsx"
        apply = staticmethod(broken)

    with pytest.raises(RuntimeError):
        roll_over(world.plan, world.analyst, template=Template())

    assert snapshot() == before
    assert not Rollover.objects.exists()


def test_a_template_is_applied_to_the_draft_and_its_name_kept(world):
    applied = []

    class Template:
        name = "vru-template-2022.xlsx"

        def apply(self, *, rollover, user):
            applied.append((rollover.new_plan.status, user))

    rollover = roll_over(world.plan, world.analyst, template=Template())

    assert applied == [(Plan.Status.DRAFT, world.analyst)]
    assert rollover.template_name == "vru-template-2022.xlsx"


# ---- undo --------------------------------------------------------------------------------


def test_undo_restores_exactly_the_state_before(world):
    SeniorLeaderFactory(plan=world.plan)
    before = snapshot()
    rollover = roll_over(world.plan, world.analyst)
    new_plan = rollover.new_plan
    # Work done on the draft before it was undone goes with it.
    new_a1 = world.a1.carried_to.get()
    progress_update_create(action=new_a1, user=world.analyst, date=days_ago(0), text="Draft")
    ActionFactory(theme=ThemeFactory(plan=new_plan, name="VAWG"), text="Added in the draft")
    assert snapshot() != before

    undone = services.rollover_undo(rollover=rollover, user=world.administrator)

    assert snapshot() == before
    assert undone.state == Rollover.State.UNDONE
    assert (undone.undone_by, undone.new_plan) == (world.administrator, None)
    assert undone.title == "Test violence plan 2022/23"  # what it had made is still said
    # Each removal is in the history, in the undoer's name.
    deleted = Plan.history.filter(id=new_plan.pk, history_type="-").get()
    assert deleted.history_user == world.administrator
    deleted_a1 = Action.history.filter(id=new_a1.pk, history_type="-").get()
    assert deleted_a1.history_user == world.administrator
    # And the plan can be rolled over again.
    again = roll_over(world.plan, world.analyst)
    assert again.new_plan.slug == "violence-plan-2022-23"


def test_undo_is_refused_once_activated(world):
    rollover = roll_over(world.plan, world.analyst)
    rollover = services.rollover_activate(rollover=rollover, user=world.analyst)
    before = snapshot()

    with pytest.raises(RolloverRefused, match="activated, not a draft"):
        services.rollover_undo(rollover=rollover, user=world.analyst)

    assert snapshot() == before


# ---- activation --------------------------------------------------------------------------


def test_activation_brings_later_updates_across_and_closes_the_old_plan(world):
    rollover = roll_over(world.plan, world.analyst)
    later = progress_update_create(
        action=world.a1,
        user=world.officer,
        date=days_ago(0),
        period="December 2021",
        text="Moved to the new tasking meeting",
        rag=RAG.AMBER,
        author=world.pat,
    )
    progress_update_create(action=world.b1, user=world.officer, date=days_ago(1), text="Started")

    listed = services.rollover_activation_preview(rollover)
    assert [(item.update.text, item.action.carried_from_id) for item in listed] == [
        ("Started", world.b1.pk),
        ("Moved to the new tasking meeting", world.a1.pk),
    ]

    rollover = services.rollover_activate(rollover=rollover, user=world.analyst)

    new_a1 = world.a1.carried_to.get()
    brought = new_a1.updates.get(text="Moved to the new tasking meeting")
    assert (brought.author, brought.date, brought.period, brought.text, brought.rag) == (
        world.pat,
        later.date,
        "December 2021",
        "Moved to the new tasking meeting",
        RAG.AMBER,
    )
    assert new_a1.rag == RAG.AMBER  # the RAG status the update set
    assert world.b1.carried_to.get().updates.count() == 1
    # The update made before the roll-over came with the action as its latest, once: not
    # again at activation.
    assert (
        ProgressUpdate.objects.filter(
            action__theme__plan=rollover.new_plan, text="Meeting moved to weekly"
        ).count()
        == 1
    )
    rollover.new_plan.refresh_from_db()
    world.plan.refresh_from_db()
    assert rollover.new_plan.status == Plan.Status.ACTIVE
    assert world.plan.status == Plan.Status.CLOSED
    assert world.plan.history.first().history_user == world.analyst
    assert (rollover.state, rollover.activated_by, rollover.updates_brought) == (
        Rollover.State.ACTIVATED,
        world.analyst,
        2,
    )
    # Nothing left to bring, and no second activation.
    assert services.rollover_activation_preview(rollover) == []
    with pytest.raises(RolloverRefused):
        services.rollover_activate(rollover=rollover, user=world.analyst)


def test_activation_brings_only_the_updates_chosen(world):
    rollover = roll_over(world.plan, world.analyst)
    keep = progress_update_create(action=world.a1, user=world.officer, date=days_ago(0), text="K")
    progress_update_create(action=world.b1, user=world.officer, date=days_ago(0), text="Leave")

    services.rollover_activate(rollover=rollover, user=world.analyst, bring_updates=[keep.pk])

    brought = ProgressUpdate.objects.filter(
        action__theme__plan=rollover.new_plan, created_at__gte=rollover.created_at
    )
    assert list(brought.values_list("text", flat=True)) == ["K"]


def test_activation_without_updates_brings_none(world):
    rollover = roll_over(world.plan, world.analyst)
    progress_update_create(action=world.a1, user=world.officer, date=days_ago(0), text="Later")

    rollover = services.rollover_activate(
        rollover=rollover, user=world.analyst, bring_updates=False
    )

    new_updates = ProgressUpdate.objects.filter(action__theme__plan=rollover.new_plan)
    assert not new_updates.filter(text="Later").exists()
    assert rollover.updates_brought == 0


def test_the_activation_preview_reads_a_fixed_number_of_queries(world):
    rollover = roll_over(world.plan, world.analyst)
    for n in range(3):
        progress_update_create(action=world.a1, user=world.officer, date=days_ago(0), text=f"{n}")
    with CaptureQueriesContext(connection) as queries:
        assert len(services.rollover_activation_preview(rollover)) == 3
    assert len(queries) == 3


# ---- the next cycle ----------------------------------------------------------------------


def test_the_next_cycle_follows_the_plans_own_period(world):
    world.plan.period_start = datetime.date(2021, 12, 11)
    world.plan.period_end = datetime.date(2022, 12, 10)
    world.plan.title = "Action Plan 2021/22"
    world.plan.slug = "bd-vru-2021-22"

    assert services.next_period(world.plan) == (
        datetime.date(2022, 12, 11),
        datetime.date(2023, 12, 10),
    )
    assert services.suggested_title(world.plan) == "Action Plan 2022/23"
    assert services.suggested_slug(world.plan) == "bd-vru-2022-23"


def test_a_draft_deleted_in_the_admin_leaves_a_rollover_to_undo(world):
    rollover = roll_over(world.plan, world.analyst)
    Plan.objects.filter(pk=rollover.new_plan_id).delete()
    rollover.refresh_from_db()

    with pytest.raises(RolloverRefused, match="has been deleted"):
        services.rollover_activate(rollover=rollover, user=world.analyst)
    undone = services.rollover_undo(rollover=rollover, user=world.analyst)

    assert undone.state == Rollover.State.UNDONE
    assert roll_over(world.plan, world.analyst).state == Rollover.State.DRAFT
