"""The constraints tested in Python (cspplan/constraints.py) give the database's answer.

For every such constraint of every model, and every kind of value its columns may be
given (each choice, empty, unknown, missing; dates in order, equal, reversed, partly
unknown), the Python test and Django's own (which asks the database the SQL condition)
agree, on SQLite and on PostgreSQL."""

import datetime
import itertools

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from cspplan.constraints import CheckedInPython

pytestmark = pytest.mark.django_db

DAY = datetime.date(2021, 12, 8)


def checked_in_python() -> list[tuple[type[models.Model], CheckedInPython]]:
    return [
        (model, constraint)
        for model in apps.get_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, CheckedInPython)
    ]


def candidates(field: models.Field) -> list:
    if isinstance(field, models.DateField):
        return [None, DAY, DAY + datetime.timedelta(days=1), DAY - datetime.timedelta(days=1)]
    values = [None, "", "not one of them", "x"]
    values += [value for value, _ in field.choices or ()]
    return values


def passes(check, model, instance) -> bool:
    try:
        check(model, instance)
    except ValidationError:
        return False
    return True


def test_the_constraints_are_tested_in_python_in_every_app():
    labels = {model._meta.app_label for model, _ in checked_in_python()}
    assert {"actions", "boards", "meetings", "rollover", "downloads"} <= labels


@pytest.mark.parametrize(
    "model, constraint",
    checked_in_python(),
    ids=lambda value: getattr(value, "name", None) or value.__name__,
)
def test_python_and_the_database_agree(model, constraint):
    fields = [model._meta.get_field(name) for name in constraint.fields]
    seen = {True: 0, False: 0}
    for values in itertools.product(*(candidates(field) for field in fields)):
        instance = model(
            **{field.attname: value for field, value in zip(fields, values, strict=True)}
        )
        in_python = passes(constraint.validate, model, instance)
        in_sql = passes(
            lambda model, instance: models.CheckConstraint.validate(constraint, model, instance),
            model,
            instance,
        )
        assert in_python == in_sql, (values, in_python, in_sql)
        seen[in_python] += 1
    # Each constraint both passed and refused something, so that neither answer is always
    # given.
    assert seen[True] and seen[False], seen


def test_a_field_left_out_leaves_its_constraint_untested():
    from actions.models import Action

    constraint = next(c for c in Action._meta.constraints if c.name == "action_rag_valid")
    action = Action(rag="purple")
    with pytest.raises(ValidationError):
        constraint.validate(Action, action)
    constraint.validate(Action, action, exclude={"rag"})


def test_migrations_describe_it_as_a_plain_check_constraint():
    from actions.models import Action

    constraint = next(c for c in Action._meta.constraints if c.name == "action_rag_valid")
    path, args, kwargs = constraint.deconstruct()
    assert path == "django.db.models.CheckConstraint"
    assert models.CheckConstraint(*args, **kwargs) == constraint
    copy = constraint.clone()
    assert (
        (copy.holds, copy.fields)
        == (constraint.holds, constraint.fields)
        == (
            constraint.holds,
            ("rag",),
        )
    )
