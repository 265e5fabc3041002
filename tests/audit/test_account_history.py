"""Every change to an account is recorded with who made it: a user's staff, superuser and
active flags, groups and permissions, names and email (django-simple-history on User); a
person's role, partnerships and user (Person's history); second factor devices
(SecondFactorEvent); by the admin, by demo_users and through the services."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.models import SecondFactorEvent
from accounts.services import recovery_codes_replace
from boards import services
from boards.models import Organisation, Person, Role
from cspplan.origin import SYSTEM_PREFIX
from tests.factories import PartnershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    return UserFactory(is_staff=True, is_superuser=True, username="ada")


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def user_form(user, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "groups": [group.pk for group in user.groups.all()],
        "user_permissions": [],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2021-11-01",
        "date_joined_1": "09:00:00",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_the_admin_making_someone_staff_is_recorded_in_the_admins_name(admin_client, administrator):
    user = UserFactory(username="officer")
    group = Group.objects.create(name="Editors")
    address = reverse("admin:auth_user_change", args=[user.pk])

    response = admin_client.post(
        address, user_form(user, is_staff="on", email="o@example.org", groups=[group.pk])
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    rows = list(User.history.filter(id=user.pk).order_by("history_date", "history_id"))
    assert rows[-1].history_user == administrator
    assert rows[-1].is_staff and rows[-1].email == "o@example.org"
    assert [g.group_id for g in rows[-1].groups.all()] == [group.pk]
    delta = rows[-1].diff_against(rows[0])
    assert {"is_staff", "email", "groups"} <= set(delta.changed_fields)


def test_user_history_keeps_no_password_and_signing_in_writes_no_row(client):
    user = UserFactory(username="officer", password="a-long-password-1")
    before = User.history.filter(id=user.pk).count()

    assert client.login(username="officer", password="a-long-password-1")

    assert User.history.filter(id=user.pk).count() == before
    tracked = {field.name for field in User.history.model.tracked_fields}
    assert "password" not in tracked and "last_login" not in tracked


def test_a_persons_role_partnerships_and_user_changed_by_a_service_are_one_row(administrator):
    person = PersonFactory(role=Role.OFFICER)
    partnership = PartnershipFactory()
    account = UserFactory()

    services.person_edit(
        person=person,
        user=administrator,
        role=Role.ANALYST,
        partnerships=[partnership],
        account=account,
    )

    row = person.history.latest("history_date")
    assert row.history_user == administrator
    assert row.role == Role.ANALYST and row.user_id == account.pk
    assert [p.partnership_id for p in row.partnerships.all()] == [partnership.pk]
    assert person.history.count() == 2  # created, then this one change


def test_the_admin_linking_a_person_to_a_user_is_recorded(admin_client, administrator):
    person = PersonFactory(name="Angie Fuller", role=Role.OFFICER)
    account = UserFactory(username="angie")
    partnership = PartnershipFactory()
    address = reverse("admin:boards_person_change", args=[person.pk])

    response = admin_client.post(
        address,
        {
            "name": person.name,
            "organisation": person.organisation_id,
            "role": Role.ANALYST,
            "user": account.pk,
            "partnerships": [partnership.pk],
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.user == account and person.role == Role.ANALYST
    row = person.history.latest("history_date")
    assert row.history_user == administrator and row.user_id == account.pk
    assert [p.partnership_id for p in row.partnerships.all()] == [partnership.pk]


def test_demo_users_records_every_account_change_in_the_system_users_name(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    # Someone else was signed in as "officer" before: demo_users moves the account.
    officer = UserFactory(username="officer")
    earlier = PersonFactory(name="Someone Earlier", user=officer)

    call_command("demo_users", stdout=io.StringIO())

    system = User.objects.get(username__startswith=SYSTEM_PREFIX)
    unlinked = earlier.history.latest("history_date")
    assert unlinked.user_id is None and unlinked.history_user == system
    angie = Person.objects.get(name="Angie Fuller")
    row = angie.history.latest("history_date")
    assert row.user_id == officer.pk and row.history_user == system
    assert [p.partnership.slug for p in row.partnerships.all()] == ["barking-dagenham"]
    admin_row = User.history.filter(username="admin").latest("history_date")
    assert admin_row.is_superuser and admin_row.history_user == system


def test_recovery_codes_removed_in_the_admin_are_recorded(admin_client, administrator):
    user = UserFactory(username="officer")
    recovery_codes_replace(user=user)
    device = StaticDevice.objects.get(user=user)
    address = reverse("admin:otp_static_staticdevice_delete", args=[device.pk])

    response = admin_client.post(address, {"post": "yes"})

    assert response.status_code == 302
    event = SecondFactorEvent.objects.filter(user_id=user.pk).first()
    assert event.what == SecondFactorEvent.What.CODES_REMOVED
    assert event.by == administrator


def test_demo_second_factor_records_the_system_user(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    call_command("demo_users", stdout=io.StringIO())

    call_command("demo_second_factor", stdout=io.StringIO())

    events = SecondFactorEvent.objects.all()
    assert events and all(event.by_username.startswith(SYSTEM_PREFIX) for event in events)


def test_accounts_made_before_their_history_get_a_first_row():
    from importlib import import_module

    from django.apps import apps

    begins = import_module("accounts.migrations.0003_account_history_begins")
    group = Group.objects.create(name="Editors")
    user = UserFactory(username="earlier", is_staff=True)
    user.groups.add(group)
    User.history.filter(id=user.pk).delete()  # as if made before the history began

    begins.first_rows(apps, None)
    begins.first_rows(apps, None)  # once only

    rows = list(User.history.filter(id=user.pk))
    assert len(rows) == 1 and rows[0].history_change_reason == begins.REASON
    assert rows[0].is_staff and [g.group_id for g in rows[0].groups.all()] == [group.pk]


def test_load_demo_links_people_and_organisations_to_partnerships_with_history():
    call_command("load_demo", stdout=io.StringIO())

    system = User.objects.get(username__startswith=SYSTEM_PREFIX)
    angie = Person.objects.get(name="Angie Fuller")
    row = angie.history.latest("history_date")
    assert row.history_user == system
    assert [p.partnership.slug for p in row.partnerships.all()] == ["barking-dagenham"]
    police = Organisation.objects.get(short_name="MPS")
    row = police.history.latest("history_date")
    assert {p.partnership_id for p in row.partnerships.all()} == set(
        police.partnerships.values_list("pk", flat=True)
    )
    assert row.partnerships.exists() and row.history_user == system
