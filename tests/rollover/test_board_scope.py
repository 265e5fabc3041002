"""A board's dashboard and pack count this year's actions once while next year's Draft,
rolled over from it, carries them again (reporting.scopes.board_scope leaves Drafts out);
the Draft has its own plan pages."""

import pytest
from django.urls import reverse

from actions.models import Plan
from reporting.scopes import board_scope, plan_scope
from tests.helpers import get
from tests.rollover.helpers import roll_over

pytestmark = pytest.mark.django_db


def test_a_boards_scope_leaves_the_draft_out_until_it_is_activated(world):
    before = board_scope(world.chair, world.board.pk)
    counted = sorted(before.actions.values_list("pk", flat=True))
    plans = sorted(before.plans.values_list("pk", flat=True))

    rollover = roll_over(world.plan, world.administrator)

    during = board_scope(world.chair, world.board.pk)
    assert sorted(during.actions.values_list("pk", flat=True)) == counted
    assert sorted(during.plans.values_list("pk", flat=True)) == plans
    # The draft on its own pages.
    draft = plan_scope(world.chair, rollover.new_plan.slug)
    assert draft.actions.count() == 5

    from rollover.services import rollover_activate

    rollover_activate(rollover=rollover, user=world.administrator)
    after = board_scope(world.chair, world.board.pk)
    new_ids = set(rollover.new_plan.themes.values_list("actions", flat=True).exclude(actions=None))
    assert new_ids <= set(after.actions.values_list("pk", flat=True))
    assert Plan.objects.get(pk=world.plan.pk).status == Plan.Status.CLOSED


def test_the_boards_dashboard_still_answers(client, world):
    roll_over(world.plan, world.administrator)
    get(client, world.chair, reverse("reporting:board-dashboard", args=[world.board.pk]))
