"""This year's actions are counted and listed once while next year's Draft, rolled over
from this year's plan, carries them again (`actions.selectors.not_this_years`): a board's
dashboard and pack (its scope), the boards' tree, My actions and the reminders before a
board leave the Draft out until it is activated, and last year's plan once it is; each has
its own plan pages."""

import pytest
from django.urls import reverse

from actions.models import Plan
from actions.selectors import my_actions
from meetings.models import Meeting
from meetings.reminders import actions_needing_update
from reporting.dashboards import board_tree
from reporting.scopes import board_scope, plan_scope
from rollover.services import rollover_activate
from tests.helpers import days_ago, get
from tests.rollover.helpers import roll_over

pytestmark = pytest.mark.django_db


def scope_ids(user, board) -> tuple[list, list]:
    scope = board_scope(user, board.pk)
    return (
        sorted(scope.actions.values_list("pk", flat=True)),
        sorted(scope.plans.values_list("pk", flat=True)),
    )


def tree_counts(user) -> dict:
    counts = {}

    def walk(nodes):
        for node in nodes:
            counts[node.board.pk] = node.total
            walk(node.children)

    for _, nodes in board_tree(user):
        walk(nodes)
    return counts


def test_a_boards_scope_and_the_tree_leave_the_draft_out_until_it_is_activated(client, world):
    before, tree = scope_ids(world.chair, world.board), tree_counts(world.chair)

    rollover = roll_over(world.plan, world.administrator)

    assert scope_ids(world.chair, world.board) == before
    assert tree_counts(world.chair) == tree
    # The Draft on its own pages.
    assert plan_scope(world.chair, rollover.new_plan.slug).actions.count() == 5
    get(client, world.chair, reverse("reporting:board-dashboard", args=[world.board.pk]))

    rollover_activate(rollover=rollover, user=world.administrator)
    carried = set(rollover.new_plan.themes.values_list("actions", flat=True)) - {None}
    assert carried <= set(scope_ids(world.chair, world.board)[0])
    assert Plan.objects.get(pk=world.plan.pk).status == Plan.Status.CLOSED
    # Activated, last year's plan is left out in turn (`replaced_plan`): each carried action
    # is counted once, in the plan being worked to.
    actions, plans = scope_ids(world.chair, world.board)
    assert world.plan.pk not in plans and rollover.new_plan.pk in plans
    assert not set(actions) & set(world.plan.themes.values_list("actions", flat=True))


def test_my_actions_lists_this_years_action_once(world):
    a1 = world.a1  # led by the police, the officer's organisation
    before = list(my_actions(world.officer).values_list("pk", flat=True))
    assert a1.pk in before

    rollover = roll_over(world.plan, world.administrator)

    assert list(my_actions(world.officer).values_list("pk", flat=True)) == before
    rollover_activate(rollover=rollover, user=world.administrator)
    after = set(my_actions(world.officer).values_list("pk", flat=True))
    assert a1.carried_to.get().pk in after
    assert a1.pk not in after  # last year's, replaced


def test_reminders_name_this_years_action_once(world):
    world.pat.email = "pat@example.org"
    world.pat.save()
    meeting = Meeting.objects.create(board=world.board, date=days_ago(-3))
    before = {
        person: [listed.action.pk for listed in items]
        for person, items in actions_needing_update(meeting, days_ago(0)).items()
    }
    assert world.a1.pk in before[world.pat]

    roll_over(world.plan, world.administrator)

    after = {
        person: [listed.action.pk for listed in items]
        for person, items in actions_needing_update(meeting, days_ago(0)).items()
    }
    assert after == before
