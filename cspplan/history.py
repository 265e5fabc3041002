"""Writing the change history, one row per change, in the name of whoever made it.

django-simple-history writes history rows from its signal receivers: one when a model is
saved, another for each list (many-to-many field) that changes, and it reads who made the
change and why from attributes set on the instance beforehand. The services save without
those rows (`save_without_historical_record`, the library's own switch) and call `record`
once the fields and lists are final, with who and why as arguments, so that one change is
one row saying who made it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

CREATED, CHANGED = "+", "~"  # history_type, as django-simple-history writes it


def history_model(model: type[models.Model]) -> type[models.Model]:
    """The model that holds `model`'s history rows."""
    return getattr(model, model._meta.simple_history_manager_attribute).model


def history_user(user):
    """Who a history row names: `user` if signed in; with no user given, the signed-in user
    of the request being served, as django-simple-history names them (through its
    HistoryRequestMiddleware) in the rows it writes itself; else nobody."""
    if user is None:
        request = getattr(HistoricalRecords.context, "request", None)
        user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def record(instance: models.Model, *, user, reason: str | None, created: bool = False) -> None:
    """Write one history row of `instance` as it is saved now, with the lists it tracks:
    "created" or "changed", by `user` (see `history_user`), for `reason` (shown beside the
    change: "Imported from a workbook"; None for none).

    The row holds what django-simple-history's own would: every tracked field, and a copy
    of each tracked list's rows. (Its pre- and post-create signals are not sent: nothing
    here listens to them.)
    """
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = history_model(type(instance))
    row = history(
        history_date=timezone.now(),
        history_type=CREATED if created else CHANGED,
        history_user=history_user(user),
        history_change_reason=reason,
        **{field.attname: getattr(instance, field.attname) for field in history.tracked_fields},
    )
    row.save()
    for field in history._history_m2m_fields:
        snapshot = getattr(history, field.name).model
        through = field.remote_field.through
        columns = [f.attname for f in through._meta.concrete_fields]
        listed = through.objects.filter(**{field.m2m_field_name(): instance.pk})
        snapshot.objects.bulk_create(
            snapshot(history=row, **dict(zip(columns, values, strict=True)))
            for values in listed.values_list(*columns)
        )


def delete(instance: models.Model, *, user, reason: str | None = None) -> None:
    """Delete `instance`, with its "deleted" history row in `user`'s name, for `reason`.

    django-simple-history writes that row itself, from its post_delete receiver, which
    cannot be told to leave it to `record`; and it takes who and why only from these two
    attributes of the instance. This is the one place they are set."""
    instance._history_user = history_user(user)
    instance._change_reason = reason
    instance.delete()
