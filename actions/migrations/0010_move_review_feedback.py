"""Each theme's review feedback (a text on the theme) becomes a PanelFeedback record of
its own, word for word, so that the year, date and who gave it can sit beside it; the
old field is removed in the next migration. Nothing is guessed: the year, date and who
gave it are left blank, since the old field never held them. Each record gets a history
row saying where it came from."""

from django.db import migrations
from django.utils import timezone

REASON = "Moved from the theme's review feedback"


def forwards(apps, schema_editor):
    Theme = apps.get_model("actions", "Theme")
    PanelFeedback = apps.get_model("actions", "PanelFeedback")
    History = apps.get_model("actions", "HistoricalPanelFeedback")
    now = timezone.now()
    for theme in Theme.objects.exclude(review_feedback="").order_by("pk"):
        feedback = PanelFeedback.objects.create(theme=theme, text=theme.review_feedback)
        History.objects.create(
            id=feedback.pk,
            theme_id=theme.pk,
            year="",
            date=None,
            given_by="",
            text=feedback.text,
            order=0,
            history_date=now,
            history_type="+",
            history_change_reason=REASON,
        )


def backwards(apps, schema_editor):
    # Back into the theme's one text: several records of a theme, one after another.
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
