"""The move of the themes' review feedback into PanelFeedback records keeps every word of
Havering's seed feedback (issue 14, item 4), and can be undone without losing it."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from actions.models import PanelFeedback as CurrentPanelFeedback
from tests.helpers import migrate_to

BEFORE = [("actions", "0009_panel_feedback")]
AFTER = [("actions", "0011_remove_theme_review_feedback")]
HAVERING = "havering-vru-knife-crime"
REASON = "Moved from the theme's review feedback"


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


@pytest.mark.django_db(transaction=True)
def test_the_themes_history_of_its_feedback_becomes_the_records_history():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        apps = migrate_to(BEFORE)
        User = apps.get_model("auth", "User")
        Partnership = apps.get_model("boards", "Partnership")
        Plan, Theme = apps.get_model("actions", "Plan"), apps.get_model("actions", "Theme")
        ThemeHistory = apps.get_model("actions", "HistoricalTheme")
        writer = User.objects.create(username="writer")
        here = Partnership.objects.create(name="Here", slug="here")
        plan = Plan.objects.create(partnership=here, title="Plan", slug="plan", layout="vru")
        kept = Theme.objects.create(plan=plan, name="Kept", review_feedback="Second words")
        cleared = Theme.objects.create(plan=plan, name="Cleared", review_feedback="")
        day = timezone.now() - datetime.timedelta(days=30)
        for theme, steps in [
            (kept, [("+", "First words", writer.pk), ("~", "Second words", None)]),
            (cleared, [("+", "Once said", writer.pk), ("~", "", writer.pk)]),
        ]:
            for index, (kind, words, user_id) in enumerate(steps):
                ThemeHistory.objects.create(
                    id=theme.pk,
                    plan_id=plan.pk,
                    name=theme.name,
                    review_feedback=words,
                    order=0,
                    marking="official",
                    history_date=day + datetime.timedelta(days=index),
                    history_type=kind,
                    history_user_id=user_id,
                    history_change_reason="Imported",
                )

        apps = migrate_to(AFTER)
        PanelFeedback = apps.get_model("actions", "PanelFeedback")
        History = apps.get_model("actions", "HistoricalPanelFeedback")
        (feedback,) = PanelFeedback.objects.all()
        assert (feedback.theme_id, feedback.text) == (kept.pk, "Second words")

        def timeline(pk):
            rows = History.objects.filter(id=pk).order_by("history_date", "history_id")
            return [
                (row.history_type, row.text, row.history_user_id, row.history_date.date())
                for row in rows
            ]

        assert timeline(feedback.pk) == [
            ("+", "First words", writer.pk, day.date()),
            ("~", "Second words", None, (day + datetime.timedelta(days=1)).date()),
        ]
        # The cleared theme's words: in the history of a record added and deleted.
        gone = History.objects.exclude(id=feedback.pk).order_by().values_list("id", flat=True)
        (gone,) = set(gone)
        assert timeline(gone) == [
            ("+", "Once said", writer.pk, day.date()),
            ("-", "Once said", writer.pk, (day + datetime.timedelta(days=1)).date()),
        ]
        assert not PanelFeedback.objects.filter(pk=gone).exists()
    finally:
        migrate_to(latest)
        call_command("flush", interactive=False, verbosity=0)
