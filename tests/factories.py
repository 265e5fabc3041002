"""factory_boy factories, one per model. Values are placeholders for tests, not seed data."""

import datetime

import factory
from django.contrib.auth import get_user_model

from actions.models import (
    Action,
    Indicator,
    IndicatorValue,
    PanelFeedback,
    Plan,
    ProgressUpdate,
    SeniorLeader,
    Theme,
)
from boards.models import Board, Membership, Organisation, Partnership, Person


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("test-password")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Test Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True  # the hook saves the links itself

    name = factory.Sequence(lambda n: f"Organisation {n}")
    short_name = factory.Sequence(lambda n: f"ORG{n}")

    @factory.post_generation
    def partnerships(self, create, extracted, **kwargs):
        """The partnerships it works with, if given (`partnerships=[...]`)."""
        if create and extracted:
            self.partnerships.set(extracted)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True  # the hook saves the links itself

    name = factory.Sequence(lambda n: f"Person {n}")
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def partnerships(self, create, extracted, **kwargs):
        """The partnerships they work in, if given (`partnerships=[...]`): an import into a
        plan names only its partnership's people."""
        if create and extracted:
            self.partnerships.set(extracted)


def user_in_role(role, *, partnerships=(), organisation=None, boards=(), **person_fields):
    """A signed-in user with a person in `role` (a `boards.models.Role`), working in
    `partnerships`, sitting on `boards` (as a member), of `organisation` (a new one if not
    given)."""
    user = UserFactory()
    if organisation is not None:
        person_fields["organisation"] = organisation
    person = PersonFactory(user=user, role=role, **person_fields)
    person.partnerships.set(partnerships)
    for board in boards:
        MembershipFactory(board=board, person=person)
    return user


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Board {n}")
    slug = factory.Sequence(lambda n: f"board-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    board = factory.SubFactory(BoardFactory)
    person = factory.SubFactory(PersonFactory)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    partnership = factory.SubFactory(PartnershipFactory)
    board = factory.SubFactory(BoardFactory, partnership=factory.SelfAttribute("..partnership"))
    title = factory.Sequence(lambda n: f"Plan {n}")
    slug = factory.Sequence(lambda n: f"plan-{n}")
    layout = Plan.Layout.VRU


class SeniorLeaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeniorLeader

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Leader {n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")
    order = factory.Sequence(int)


class PanelFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelFeedback

    theme = factory.SubFactory(ThemeFactory)
    text = factory.Sequence(lambda n: f"Panel feedback {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    theme = factory.SubFactory(ThemeFactory)
    ref = factory.Sequence(str)
    text = factory.Sequence(lambda n: f"Action text {n}")
    order = factory.Sequence(int)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    date = datetime.date(2021, 11, 1)
    text = factory.Sequence(lambda n: f"Update {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    plan = factory.SubFactory(PlanFactory)
    description = factory.Sequence(lambda n: f"Indicator {n}")
    direction = Indicator.Direction.REDUCE
    order = factory.Sequence(int)


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    date = factory.Sequence(lambda n: datetime.date(2017, 3, 31) + datetime.timedelta(days=n))
    value = 10
