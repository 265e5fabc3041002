"""Saving that writes (and records history) only when something really changed."""

from django.db import models

from cspplan import history


def _differs(instance: models.Model, name: str, value) -> bool:
    field = instance._meta.get_field(name)
    if field.is_relation:
        return getattr(instance, field.attname) != (value.pk if value is not None else None)
    return getattr(instance, name) != value


def save_if_changed(
    instance: models.Model,
    values: dict,
    m2m: dict | None = None,
    *,
    user=None,
    reason: str | None = None,
) -> bool:
    """Set `values` (fields) and `m2m` (related lists) on `instance`; save if any differ.

    Validates with full_clean first, so a bad value is reported in words rather than as a
    database error. Writes one history row for the whole change, in `user`'s name, for
    `reason` (cspplan.history.record): django-simple-history would otherwise write one
    for the fields and another for each list that changed.
    Returns whether anything was written.
    """
    created = instance._state.adding
    changed = created
    for name, value in values.items():
        if _differs(instance, name, value):
            setattr(instance, name, value)
            changed = True
    if changed:
        instance.full_clean()
        instance.save_without_historical_record()
    for name, objects in (m2m or {}).items():
        changed |= _set_list(instance, name, objects)
    if changed:
        history.record(instance, user=user, reason=reason, created=created)
    return changed


def _set_list(instance: models.Model, name: str, objects) -> bool:
    """Make the list `name` of `instance` hold `objects`; whether it changed.

    Written to the list's own table rather than by the related manager's set(), whose
    m2m_changed signal would have django-simple-history write a history row of its own."""
    field = instance._meta.get_field(name)
    through = field.remote_field.through
    source = through._meta.get_field(field.m2m_field_name()).attname
    target = through._meta.get_field(field.m2m_reverse_field_name()).attname
    rows = through.objects.filter(**{source: instance.pk})
    current = set(rows.values_list(target, flat=True))
    wanted = {obj.pk for obj in objects}
    if current == wanted:
        return False
    if current - wanted:
        rows.filter(**{f"{target}__in": current - wanted}).delete()
    through.objects.bulk_create(
        through(**{source: instance.pk, target: pk}) for pk in sorted(wanted - current)
    )
    return True


def record_create(model: type[models.Model], *, user, reason: str | None = None, **values):
    """A new `model` record of `values` (its fields, and its lists by name), validated and
    saved with one history row in `user`'s name."""
    return create_from(model, values, user=user, reason=reason)


def create_from(model: type[models.Model], values: dict, *, user, reason: str | None = None):
    """`record_create` with the values as a dict: for a model with a field called `user`."""
    fields, lists = _fields_and_lists(model, values)
    instance = model(**fields)
    save_if_changed(instance, {}, lists, user=user, reason=reason)
    return instance


def record_edit(instance: models.Model, *, user, reason: str | None = None, **values):
    """The stored record of `instance` changed to `values` (fields, and lists by name), with
    one history row in `user`'s name if anything changed. The record is read again, and
    locked until the caller's transaction ends, rather than taken from `instance`: the
    caller's copy may hold the new values already (a ModelForm puts them there), and then
    nothing would seem to change. Returns the record as saved."""
    return edit_from(instance, values, user=user, reason=reason)


def edit_from(instance: models.Model, values: dict, *, user, reason: str | None = None):
    """`record_edit` with the values as a dict: for a model with a field called `user`."""
    fields, lists = _fields_and_lists(type(instance), values)
    stored = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    save_if_changed(stored, fields, lists, user=user, reason=reason)
    return stored


def _fields_and_lists(model: type[models.Model], values: dict) -> tuple[dict, dict]:
    lists = {name for name in values if model._meta.get_field(name).many_to_many}
    return (
        {name: value for name, value in values.items() if name not in lists},
        {name: values[name] for name in lists},
    )
