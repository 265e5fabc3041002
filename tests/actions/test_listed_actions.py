"""`selectors.listed_actions` gives each listed action its theme, with the theme's parent and
plan: read with the actions, or taken from the caller's (the dashboards' groups), any the
caller lacks read at once."""

import pytest

from actions import selectors
from actions.models import Action, Theme

pytestmark = pytest.mark.django_db


def shown(actions) -> list[tuple]:
    return [
        (a.pk, a.theme.name, a.theme.parent.name if a.theme.parent_id else "", a.theme.plan.title)
        for a in actions
    ]


def test_the_themes_are_the_same_read_given_or_made_up(world, django_assert_num_queries):
    ids = [world.bx2.pk, world.a1.pk, world.m1.pk, world.c1.pk]
    read = selectors.listed_actions(Action.objects.all(), ids)
    assert [a.pk for a in read] == ids
    some = {
        theme.pk: theme
        for theme in Theme.objects.select_related("parent", "plan").filter(plan=world.plan)
    }
    # The details, the two of leads' names, and one for the other plan's theme.
    with django_assert_num_queries(4):
        given = selectors.listed_actions(Action.objects.all(), ids, themes=some)
        assert shown(given) == shown(read)
    assert given[0].theme is some[world.schools.pk]
