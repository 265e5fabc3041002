"""The board tree walk the permissions and dashboards share."""

import pytest

from boards.selectors import with_subgroups
from tests.factories import BoardFactory

pytestmark = pytest.mark.django_db


def test_with_subgroups_finds_every_depth_and_nothing_beside(django_assert_max_num_queries):
    board = BoardFactory()
    group = BoardFactory(partnership=board.partnership, parent=board)
    subgroup = BoardFactory(partnership=board.partnership, parent=group)
    beside = BoardFactory(partnership=board.partnership)
    BoardFactory()  # another partnership
    with django_assert_max_num_queries(1):
        assert with_subgroups([board.pk]) == {board.pk, group.pk, subgroup.pk}
    assert with_subgroups([group.pk, beside.pk]) == {group.pk, subgroup.pk, beside.pk}
    assert with_subgroups([]) == set()
