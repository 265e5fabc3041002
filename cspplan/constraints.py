"""Database constraints shared by the apps, so that bad data cannot get in by any path.

Each is also tested in Python when a record is validated (`full_clean`, which every service
runs before it saves): Django would ask the database, one query per constraint per save,
which was a quarter of the time of loading the demo data. The SQL condition and its Python
test stand side by side in each function below, and a test holds them to the same answer
for every kind of value (tests/cspplan/test_constraints.py)."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import F, Q


class CheckedInPython(models.CheckConstraint):
    """A check constraint whose condition `holds(*values)` of `fields` also gives in Python.

    As in SQL, a NULL (None) that makes the condition unknown passes; the callers' tests
    say so themselves."""

    def __init__(self, *args, holds: Callable[..., bool], fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.holds = holds
        self.fields = tuple(fields)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        # A field left out (one that failed its own validation) leaves the constraint
        # untested, as Django does.
        if exclude and any(field in exclude for field in self.fields):
            return
        if not self.holds(*(getattr(instance, field) for field in self.fields)):
            raise ValidationError(
                self.get_violation_error_message(), code=self.violation_error_code
            )

    def deconstruct(self):
        # Described to migrations as a plain check constraint: the same constraint in the
        # database, so the migrations made before this class need no change, and no
        # migration has to write the Python test.
        _, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs

    def clone(self):
        # Django copies each model's constraints as it builds the model (to fill in names)
        # from their description, which leaves out the Python test.
        _, args, kwargs = self.deconstruct()
        return type(self)(*args, holds=self.holds, fields=self.fields, **kwargs)


def in_choices(field: str, choices: type[models.TextChoices], name: str, *, blank_ok=False):
    """The column holds one of the choices' values (or is empty, where allowed)."""
    condition = Q(**{f"{field}__in": choices.values})
    allowed = set(choices.values)
    if blank_ok:
        condition |= Q(**{field: ""})
        allowed.add("")
    return CheckedInPython(
        condition=condition,
        name=name,
        fields=[field],
        holds=lambda value: value is None or value in allowed,
    )


def dates_in_order(start: str, end: str, name: str):
    """The end date is not before the start date, where both are known."""
    return CheckedInPython(
        condition=Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        name=name,
        violation_error_message="The end date cannot be before the start date.",
        fields=[start, end],
        holds=lambda first, last: first is None or last is None or last >= first,
    )


def not_blank(field: str, name: str):
    return CheckedInPython(
        condition=~Q(**{field: ""}),
        name=name,
        fields=[field],
        holds=lambda value: value != "",
    )
