"""The move of the themes' review feedback into PanelFeedback records keeps every word of
Havering's seed feedback (issue 14, item 4), and can be undone without losing it."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from actions.models import PanelFeedback as CurrentPanelFeedback
from tests.helpers import migrate_to

BEFORE = [("actions", "0009_panel_feedback")]
AFTER = [("actions", "0011_remove_theme_review_feedback")]
HAVERING = "havering-vru-knife-crime"


@pytest.mark.django_db(transaction=True)
def test_havering_feedback_survives_the_move_both_ways():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        # The seed as load_demo loads it now, into PanelFeedback.
        call_command("load_demo", stdout=io.StringIO())
        seeded = dict(
            CurrentPanelFeedback.objects.filter(theme__plan__slug=HAVERING).values_list(
                "theme__name", "text"
            )
        )
        assert len(seeded) == 7
        assert (
            "Good use of BCRPs* to reduce crime in Town Centre"
            in seeded["Reducing Access to Weapons"]
        )

        # Undone: back into each theme's review_feedback, word for word.
        apps = migrate_to(BEFORE)
        Theme = apps.get_model("actions", "Theme")
        PanelFeedback = apps.get_model("actions", "PanelFeedback")
        havering = Theme.objects.filter(plan__slug=HAVERING)
        assert (
            dict(havering.exclude(review_feedback="").values_list("name", "review_feedback"))
            == seeded
        )
        assert not PanelFeedback.objects.exists()

        # And forward again, as a database loaded before the move would be moved.
        apps = migrate_to(AFTER)
        PanelFeedback = apps.get_model("actions", "PanelFeedback")
        History = apps.get_model("actions", "HistoricalPanelFeedback")
        moved = PanelFeedback.objects.filter(theme__plan__slug=HAVERING)
        assert dict(moved.values_list("theme__name", "text")) == seeded
        # Nothing is guessed: the old field held the words alone.
        assert set(moved.values_list("year", "given_by", "date")) == {("", "", None)}
        assert (
            History.objects.filter(
                history_change_reason="Moved from the theme's review feedback"
            ).count()
            == PanelFeedback.objects.count()
        )
    finally:
        migrate_to(latest)
        call_command("flush", interactive=False, verbosity=0)
