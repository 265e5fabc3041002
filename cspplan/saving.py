"""Saving that writes (and records history) only when something really changed."""

from django.db import models
from django.db.models.signals import post_save


def _differs(instance: models.Model, name: str, value) -> bool:
    field = instance._meta.get_field(name)
    if field.is_relation:
        return getattr(instance, field.attname) != (value.pk if value is not None else None)
    return getattr(instance, name) != value


def save_if_changed(instance: models.Model, values: dict, m2m: dict | None = None) -> bool:
    """Set `values` (fields) and `m2m` (related lists) on `instance`; save if any differ.

    Validates with full_clean first, so a bad value is reported in words rather than as a
    database error. Writes one history row for the whole change: django-simple-history
    would otherwise write one for the fields and another for each list that changed.
    Returns whether anything was written.
    """
    created = instance._state.adding
    changed = created
    instance.skip_history_when_saving = True
    try:
        for name, value in values.items():
            if _differs(instance, name, value):
                setattr(instance, name, value)
                changed = True
        if changed:
            instance.full_clean()
            instance.save()
        for name, objects in (m2m or {}).items():
            manager = getattr(instance, name)
            wanted = {obj.pk for obj in objects}
            if set(manager.values_list("pk", flat=True)) != wanted:
                manager.set(objects)
                changed = True
    finally:
        del instance.skip_history_when_saving
    if changed:
        # django-simple-history offers no call to write a history row, so its signal is sent
        # once the row and lists are final. Other post_save receivers have already had the
        # real save's signal: `history_only` tells them to ignore this one.
        post_save.send(
            sender=type(instance),
            instance=instance,
            created=created,
            using=instance._state.db,
            history_only=True,
        )
    return changed


def save_by(instance, values: dict, user) -> bool:
    """`save_if_changed`, with the history row in `user`'s name."""
    instance._history_user = user
    try:
        return save_if_changed(instance, values)
    finally:
        del instance._history_user
