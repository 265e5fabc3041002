"""The item that takes matters arising is said by the agenda now (issue 13): the migration
that brought the field set it once, on the meetings already recorded, where the old title
rule placed them (the first item whose title starts "Minutes"), so that none of them lists
its matters arising anywhere else."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.helpers import migrate_to

BEFORE = [("meetings", "0003_matters_arising_item")]
AFTER = [("meetings", "0004_matters_arising_by_the_old_rule")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_sets_the_item_the_title_rule_chose_and_no_other():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        apps = migrate_to(BEFORE)
        Partnership = apps.get_model("boards", "Partnership")
        Board = apps.get_model("boards", "Board")
        Meeting = apps.get_model("meetings", "Meeting")
        AgendaItem = apps.get_model("meetings", "AgendaItem")
        StandingItem = apps.get_model("meetings", "StandingItem")
        History = apps.get_model("meetings", "HistoricalAgendaItem")
        here = Partnership.objects.create(name="Here", slug="here")
        board = Board.objects.create(partnership=here, name="CSP Board", slug="csp")
        other = Board.objects.create(partnership=here, name="Other Board", slug="other")

        def meeting(day, titles):
            made = Meeting.objects.create(board=board, date=datetime.date(2021, 12, day))
            return [
                AgendaItem.objects.create(meeting=made, title=title, order=order)
                for order, title in enumerate(titles)
            ]

        # The rule read the agenda's order, titles trimmed and in any case.
        first = meeting(8, ["Introductions", "  MINUTES", "Minutes of the VRU", "AOB"])
        # The order field, not the pk, decides.
        later = meeting(9, ["Forward plan", "Minutes and Actions from previous meeting"])
        AgendaItem.objects.filter(pk=later[0].pk).update(order=5)
        none = meeting(10, ["Introductions", "Any Other Business: minutes"])
        History.objects.create(
            id=first[1].pk,
            meeting_id=first[1].meeting_id,
            title=first[1].title,
            order=1,
            marking="official",
            history_date=datetime.datetime(2021, 12, 1, tzinfo=datetime.UTC),
            history_type="+",
        )
        standing = [
            StandingItem.objects.create(board=board, title=title, order=order)
            for order, title in enumerate(["Violence performance", "Minutes", "Minutes again"])
        ]
        StandingItem.objects.create(board=other, title="Stop and search", order=0)

        apps = migrate_to(AFTER)
        AgendaItem = apps.get_model("meetings", "AgendaItem")
        StandingItem = apps.get_model("meetings", "StandingItem")
        History = apps.get_model("meetings", "HistoricalAgendaItem")
        taking = set(AgendaItem.objects.filter(takes_matters_arising=True).values_list("pk"))
        assert taking == {(first[1].pk,), (later[1].pk,)}
        assert not AgendaItem.objects.filter(
            pk__in=[item.pk for item in none], takes_matters_arising=True
        ).exists()
        assert list(
            StandingItem.objects.filter(takes_matters_arising=True).values_list("pk", flat=True)
        ) == [standing[1].pk]
        # The record's newest history row reads as the record does.
        assert History.objects.get(id=first[1].pk).takes_matters_arising
    finally:
        migrate_to(latest)
