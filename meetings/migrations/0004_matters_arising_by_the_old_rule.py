"""Once, for the meetings and standing items already recorded: the item that takes matters
arising is the one the pages chose before the field existed, the first (in the agenda's
order) whose title starts "Minutes"; so no existing meeting lists them elsewhere. A board's
standing item is chosen by the same rule, so that meetings made from now on place them as
before. Each record set gets its newest history row set too, so that its history reads as
the record does; the older rows are left as they were."""

from django.db import migrations


def _first_minutes(items):
    """The first of `items` (in order) whose title starts "Minutes", as the old rule read
    it (meetings.views.meetings._minutes_item before this migration)."""
    return next((item for item in items if item.title.strip().lower().startswith("minutes")), None)


def _set(model, history, chosen):
    ids = [item.pk for item in chosen]
    model.objects.filter(pk__in=ids).update(takes_matters_arising=True)
    for pk in ids:
        newest = history.objects.filter(id=pk).order_by("-history_date", "-history_id").first()
        if newest is not None:
            history.objects.filter(pk=newest.pk).update(takes_matters_arising=True)


def by_the_old_rule(apps, schema_editor):
    for model_name, group in (("AgendaItem", "meeting_id"), ("StandingItem", "board_id")):
        model = apps.get_model("meetings", model_name)
        history = apps.get_model("meetings", f"Historical{model_name}")
        groups = {}
        for item in model.objects.order_by(group, "order", "pk"):
            groups.setdefault(getattr(item, group), []).append(item)
        chosen = [item for items in groups.values() if (item := _first_minutes(items))]
        _set(model, history, chosen)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_matters_arising_item")]

    # Backwards: the field goes with 0003, so nothing to undo here.
    operations = [migrations.RunPython(by_the_old_rule, migrations.RunPython.noop)]
