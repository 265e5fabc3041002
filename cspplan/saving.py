"""Saving that writes (and records history) only when something really changed."""

from django.db import models


def _differs(instance: models.Model, name: str, value) -> bool:
    field = instance._meta.get_field(name)
    if field.is_relation:
        return getattr(instance, field.attname) != (value.pk if value is not None else None)
    return getattr(instance, name) != value


def save_if_changed(instance: models.Model, values: dict, m2m: dict | None = None) -> bool:
    """Set `values` (fields) and `m2m` (related lists) on `instance`; save if any differ.

    Validates with full_clean first, so a bad value is reported in words rather than as a
    database error. Returns whether anything was written.
    """
    changed = instance._state.adding
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
    return changed
