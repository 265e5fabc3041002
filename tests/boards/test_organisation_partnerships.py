"""Organisations linked to the partnerships they work with (issue 12, finding 4): the
migration that links the existing ones, the selectors imports use, and the admin page on
which administrators change the links."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from boards.models import Organisation
from boards.selectors import organisations_of, people_of
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
)
from tests.helpers import migrate_to

BEFORE = [
    ("boards", "0002_person_role_and_partnerships"),
    ("actions", "0005_progressupdate_newest"),
]
AFTER = [("actions", "0006_link_organisations_to_partnerships")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_links_each_organisation_to_the_partnerships_that_use_it():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate_to(BEFORE)
        Partnership = old.get_model("boards", "Partnership")
        Organisation = old.get_model("boards", "Organisation")
        Person = old.get_model("boards", "Person")
        Board = old.get_model("boards", "Board")
        Membership = old.get_model("boards", "Membership")
        Plan = old.get_model("actions", "Plan")
        Theme = old.get_model("actions", "Theme")
        Action = old.get_model("actions", "Action")
        here = Partnership.objects.create(name="Here", slug="here")
        there = Partnership.objects.create(name="There", slug="there")
        police = Organisation.objects.create(name="Police", short_name="POL")
        council = Organisation.objects.create(name="Council", short_name="CNL")
        charity = Organisation.objects.create(name="Charity", short_name="CHY")
        Organisation.objects.create(name="Unused", short_name="UNU")
        # The police: a lead in a plan here, and a person in there.
        plan = Plan.objects.create(partnership=here, title="Plan", slug="plan", layout="vru")
        action = Action.objects.create(theme=Theme.objects.create(plan=plan, name="T"), text="A")
        action.lead_organisations.add(police)
        Person.objects.create(name="Officer", organisation=police).partnerships.add(there)
        # The council: a member of a board there. The charity: a supporting body here.
        board = Board.objects.create(partnership=there, name="Board", slug="board")
        member = Person.objects.create(name="Member", organisation=council)
        Membership.objects.create(board=board, person=member)
        action.supporting_organisations.add(charity)

        new = migrate_to(AFTER)

        linked = {
            organisation.short_name: sorted(p.slug for p in organisation.partnerships.all())
            for organisation in new.get_model("boards", "Organisation").objects.all()
        }
        assert linked == {
            "POL": ["here", "there"],
            "CNL": ["there"],
            "CHY": ["here"],
            "UNU": [],
        }
        # Nothing else was changed: the records are as they were.
        assert new.get_model("actions", "Action").objects.get().lead_organisations.count() == 1
        assert new.get_model("boards", "Person").objects.count() == 2
    finally:
        migrate_to(latest)


@pytest.mark.django_db
def test_a_partnerships_people_work_on_its_plans_or_sit_on_its_boards():
    here, there = PartnershipFactory(), PartnershipFactory()
    worker = PersonFactory(partnerships=[here])
    member = PersonFactory()
    MembershipFactory(board__partnership=here, person=member)
    elsewhere = PersonFactory(partnerships=[there])
    PersonFactory()  # of no partnership
    shared = OrganisationFactory(partnerships=[here, there])
    OrganisationFactory(partnerships=[there])

    assert set(people_of(here)) == {worker, member}
    assert set(people_of(there)) == {elsewhere}
    assert list(organisations_of(here)) == [shared]
    assert list(organisations_of(here.pk)) == [shared]


@pytest.mark.django_db
def test_administrators_link_an_organisation_to_partnerships_in_the_admin(client, world):
    client.force_login(world.superuser)
    url = reverse("admin:boards_organisation_change", args=[world.charity.pk])
    form = client.get(url).context["adminform"].form
    assert "partnerships" in form.fields
    data = {name: form[name].value() or "" for name in form.fields}
    data["aliases"] = "[]"
    data["partnerships"] = [world.here.pk, world.elsewhere.pk]

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:1500]
    charity = Organisation.objects.get(pk=world.charity.pk)
    assert set(charity.partnerships.all()) == {world.here, world.elsewhere}
    assert charity.history.first().history_user == world.superuser
    listed = client.get(
        reverse("admin:boards_organisation_changelist"), {"partnerships__id__exact": world.here.pk}
    )
    assert set(listed.context["cl"].result_list) == {world.police, world.council, world.charity}
