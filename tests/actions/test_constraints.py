"""What must always hold is enforced by the database itself, whatever path writes to it.

`objects.create` and `update` skip model validation, so these reach the database's own
constraints, on SQLite and on PostgreSQL alike.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actions.models import Action, Indicator, Plan, ProgressUpdate, Theme
from tests.factories import (
    ActionFactory,
    BoardFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PlanFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def refused(**fields):
    """Assert that creating an action with `fields` is refused by the database."""
    theme = ThemeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(theme=theme, **{"text": "Do something", **fields})
    assert not Action.objects.exists()


def test_unknown_rag_value_is_refused():
    refused(rag="purple")


def test_end_date_before_start_date_is_refused():
    refused(start_date=datetime.date(2022, 12, 10), end_date=datetime.date(2021, 12, 11))


def test_action_without_text_is_refused():
    refused(text="")


def test_unknown_origin_is_refused():
    refused(origin="invented")


def test_dates_in_order_or_partly_unknown_are_accepted():
    theme = ThemeFactory()
    for start, end in [
        (datetime.date(2021, 12, 11), datetime.date(2022, 12, 10)),
        (datetime.date(2021, 12, 11), datetime.date(2021, 12, 11)),
        (None, datetime.date(2022, 12, 10)),
        (datetime.date(2021, 12, 11), None),
    ]:
        Action.objects.create(theme=theme, text="Do it", start_date=start, end_date=end)
    assert theme.actions.count() == 4


def test_updating_an_existing_action_to_a_bad_rag_is_refused():
    action = ActionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(rag="blue")
    action.refresh_from_db()
    assert action.rag == "not_rated"


def test_two_actions_with_one_number_in_a_theme_are_refused():
    action = ActionFactory(ref="1a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(theme=action.theme, ref="1a", text="Another")


def test_the_same_number_in_another_theme_and_unnumbered_actions_are_accepted():
    action = ActionFactory(ref="1")
    ActionFactory(ref="1")  # another theme
    Action.objects.create(theme=action.theme, ref="", text="Unnumbered one")
    Action.objects.create(theme=action.theme, ref="", text="Unnumbered two")
    assert Action.objects.count() == 4


def test_model_validation_reports_the_same_rules_in_words():
    action = ActionFactory.build(
        theme=ThemeFactory(),
        rag="purple",
        start_date=datetime.date(2022, 1, 2),
        end_date=datetime.date(2022, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    messages = str(error.value)
    assert "purple" in messages
    assert "The end date cannot be before the start date." in messages


def test_plan_period_and_choices_are_enforced():
    plan = PlanFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(
            period_start=datetime.date(2022, 1, 1), period_end=datetime.date(2021, 1, 1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(layout="word")
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=plan.pk).update(status="lost")


def test_plan_slug_is_unique():
    plan = PlanFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(slug=plan.slug)


def test_plan_board_must_be_in_the_plans_partnership():
    plan = PlanFactory.build(partnership=BoardFactory().partnership, board=BoardFactory())
    with pytest.raises(ValidationError, match="partnership"):
        plan.clean()


def test_theme_names_are_unique_among_siblings_only():
    theme = ThemeFactory(name="Governance")
    with pytest.raises(IntegrityError), transaction.atomic():
        Theme.objects.create(plan=theme.plan, name="Governance")
    section = ThemeFactory(plan=theme.plan, name="Knife Crime")
    Theme.objects.create(plan=theme.plan, parent=section, name="Governance")
    with pytest.raises(IntegrityError), transaction.atomic():
        Theme.objects.create(plan=theme.plan, parent=section, name="Governance")


def test_progress_update_rag_may_be_blank_but_not_unknown():
    action = ActionFactory()
    ProgressUpdate.objects.create(action=action, date=datetime.date(2021, 11, 1), text="On it")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.create(
            action=action, date=datetime.date(2021, 11, 1), text="x", rag="pink"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.create(action=action, date=datetime.date(2021, 11, 1), text="")


def test_indicator_direction_and_one_value_per_date():
    indicator = IndicatorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.filter(pk=indicator.pk).update(direction="sideways")
    value = IndicatorValueFactory(indicator=indicator)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValueFactory(indicator=indicator, date=value.date)
