"""Each theme's review feedback (a text on the theme) becomes a PanelFeedback record of
its own, word for word, so that the year, date and who gave it can sit beside it; the old
field (and its column in the themes' history) is removed in the next migration.

Nothing is lost and nothing guessed:
- the feedback's own history is made from the theme's: each change of the theme's review
  feedback, with its date, user and reason, becomes a history row of the record (added,
  changed, or deleted where the feedback was cleared), so that who wrote what and when stays
  on record after the theme's history column is gone; a last row, "Moved from the theme's
  review feedback", where the theme's history does not end with its current words;
- a theme whose feedback was cleared before this migration gets a record that is deleted
  again at once, so that its earlier feedback is kept in that record's history;
- the year, date and who gave it are left blank, since the old field never held them.
"""

from django.db import migrations
from django.utils import timezone

REASON = "Moved from the theme's review feedback"
FIELDS = ("year", "date", "given_by", "order")


def forwards(apps, schema_editor):
    Theme = apps.get_model("actions", "Theme")
    ThemeHistory = apps.get_model("actions", "HistoricalTheme")
    PanelFeedback = apps.get_model("actions", "PanelFeedback")
    History = apps.get_model("actions", "HistoricalPanelFeedback")
    now = timezone.now()
    with_history = ThemeHistory.objects.exclude(review_feedback="").values("id")
    themes = Theme.objects.exclude(review_feedback="") | Theme.objects.filter(pk__in=with_history)
    for theme in themes.distinct().order_by("pk"):
        feedback = PanelFeedback.objects.create(theme=theme, text=theme.review_feedback or REASON)

        def row(text, kind, *, date, user_id=None, reason=None, feedback=feedback):
            History.objects.create(
                id=feedback.pk,
                theme_id=feedback.theme_id,
                text=text,
                **{name: getattr(feedback, name) for name in FIELDS},
                history_date=date,
                history_type=kind,
                history_user_id=user_id,
                history_change_reason=reason,
            )

        before = ""
        for past in ThemeHistory.objects.filter(id=theme.pk).order_by("history_date", "history_id"):
            words = past.review_feedback if past.history_type != "-" else ""
            if words == before:
                continue
            kind = "+" if not before else ("-" if not words else "~")
            row(
                words or before,
                kind,
                date=past.history_date,
                user_id=past.history_user_id,
                reason=past.history_change_reason,
            )
            before = words
        if before != theme.review_feedback:
            kind = "+" if not before else ("-" if not theme.review_feedback else "~")
            row(theme.review_feedback or before, kind, date=now, reason=REASON)
        if not theme.review_feedback:
            # Cleared before the move: its words live on in the record's history alone.
            feedback.delete()


def backwards(apps, schema_editor):
    # Back into the theme's one text: several records of a theme, one after another. (The
    # themes' history column comes back empty; the records' history is kept, with the
    # words.)
    Theme = apps.get_model("actions", "Theme")
    PanelFeedback = apps.get_model("actions", "PanelFeedback")
    for theme in Theme.objects.filter(panel_feedback__isnull=False).distinct():
        texts = PanelFeedback.objects.filter(theme=theme).order_by("order", "date", "pk")
        theme.review_feedback = "\n\n".join(item.text for item in texts)
        theme.save(update_fields=["review_feedback"])
    PanelFeedback.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("actions", "0009_panel_feedback")]

    operations = [migrations.RunPython(forwards, backwards)]
