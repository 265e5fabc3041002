"""Database constraints shared by the apps, so that bad data cannot get in by any path."""

from django.db import models
from django.db.models import F, Q


def in_choices(field: str, choices: type[models.TextChoices], name: str, *, blank_ok=False):
    """The column holds one of the choices' values (or is empty, where allowed)."""
    condition = Q(**{f"{field}__in": choices.values})
    if blank_ok:
        condition |= Q(**{field: ""})
    return models.CheckConstraint(condition=condition, name=name)


def dates_in_order(start: str, end: str, name: str):
    """The end date is not before the start date, where both are known."""
    return models.CheckConstraint(
        condition=Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        name=name,
        violation_error_message="The end date cannot be before the start date.",
    )


def not_blank(field: str, name: str):
    return models.CheckConstraint(condition=~Q(**{field: ""}), name=name)
