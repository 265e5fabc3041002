"""The demo sign-ins: one per role, each seeing what its role promises in the demo data."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from actions import permissions
from actions.models import Plan
from boards.models import Role

pytestmark = pytest.mark.django_db


def test_demo_users_sign_in_in_their_roles_and_see_the_demo_plans(client, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_users", stdout=out)
    call_command("demo_users", stdout=io.StringIO())  # again: resets, duplicates nothing

    printed = out.getvalue()
    # The commands' own changes are the system user's (cspplan.origin), who cannot sign in.
    users = {user.username: user for user in get_user_model().objects.filter(is_active=True)}
    assert sorted(users) == ["admin", "analyst", "chair", "officer", "vru"]
    vru = Plan.objects.get(slug="bd-vru-2021-22")
    for name, role in [
        ("admin", Role.ADMINISTRATOR),
        ("officer", Role.OFFICER),
        ("chair", Role.CHAIR),
        ("analyst", Role.ANALYST),
        ("vru", Role.VRU),
    ]:
        password = f"cspplan-demo-{name}"
        assert f"username: {name}" in printed and password in printed
        assert client.login(username=name, password=password)
        assert permissions.role_of(users[name]) == role
        assert vru in permissions.visible_plans(users[name])
    assert users["admin"].is_superuser and not users["analyst"].is_staff
    assert permissions.actions_led_by(users["officer"]).filter(theme__plan=vru).exists()
    assert permissions.can_export_plan(users["analyst"], vru)
    # The chair edits only what they lead themselves.
    chair_edits = set(permissions.editable_actions(users["chair"]))
    assert chair_edits == set(permissions.actions_led_by(users["chair"]))
    assert len(chair_edits) < permissions.visible_actions(users["chair"]).count()
    havering = Plan.objects.get(slug="havering-sgv-2019-22")
    assert havering not in permissions.visible_plans(users["analyst"])
    # The VRU's account is named for the role, of the London VRU the seeds name: it reads
    # every partnership's VRU plans (Havering's too), no other layout, and changes nothing.
    vru_person = users["vru"].person
    assert vru_person.name == "VRU demo account"
    assert vru_person.organisation.name == "London Violence Reduction Unit"
    assert "VRU demo account" in printed
    assert set(permissions.visible_plans(users["vru"])) == set(
        Plan.objects.filter(layout=Plan.Layout.VRU)
    )
    assert Plan.objects.get(slug="havering-vru-knife-crime") in permissions.visible_plans(
        users["vru"]
    )
    assert havering not in permissions.visible_plans(users["vru"])
    assert not permissions.editable_actions(users["vru"]).exists()


def test_demo_users_are_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("demo_users", stdout=io.StringIO())


def test_demo_users_need_the_demo_data(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="load_demo"):
        call_command("demo_users", stdout=io.StringIO())
