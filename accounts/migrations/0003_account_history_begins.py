"""Each account that exists when its history starts gets a first history row, holding its
state then, so that its first recorded change can show what it was before. No user made
it; the row's reason says where it came from."""

from django.db import migrations
from django.utils import timezone

REASON = "Account as it stood when its history began"


def first_rows(apps, schema_editor):
    user_model = apps.get_model("auth", "User")
    history = apps.get_model("accounts", "HistoricalUser")
    groups = apps.get_model("accounts", "HistoricalUser_groups")
    permissions = apps.get_model("accounts", "HistoricalUser_user_permissions")
    kept = [
        field.attname
        for field in history._meta.concrete_fields
        if not field.name.startswith("history_") and field.name != "id"
    ]
    now = timezone.now()
    begun = set(history.objects.values_list("id", flat=True).distinct())
    lists = [
        (snapshot, user_model._meta.get_field(name).remote_field.through, target)
        for snapshot, name, target in (
            (groups, "groups", "group_id"),
            (permissions, "user_permissions", "permission_id"),
        )
    ]
    for user in user_model.objects.exclude(pk__in=begun):
        row = history.objects.create(
            id=user.pk,
            history_date=now,
            history_type="~",
            history_change_reason=REASON,
            **{name: getattr(user, name) for name in kept},
        )
        for snapshot, through, target in lists:
            listed = through.objects.filter(user_id=user.pk).values_list("id", target)
            snapshot.objects.bulk_create(
                snapshot(id=pk, history=row, user_id=user.pk, **{target: value})
                for pk, value in listed
            )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_account_history")]

    operations = [migrations.RunPython(first_rows, migrations.RunPython.noop)]
