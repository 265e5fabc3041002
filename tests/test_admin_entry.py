"""Who enters the admin (issue 12, finding 5): administrators only. A signed-out visitor is
sent to the sign-in page; anyone signed in who is not an administrator finds no admin at
all (404), whatever Django's staff flag and model permissions say, so that a staff user
with "view action" cannot read every partnership's actions there."""

import json
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from actions.models import Action, Plan
from boards.models import Role
from tests.factories import UserFactory, user_in_role

pytestmark = pytest.mark.django_db


def _view_action_only(user):
    user.is_staff = True
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(codename="view_action", content_type__app_label="actions")
    )
    return user


def _admin_pages(world):
    """The admin pages that showed a restricted action and other partnerships' actions."""
    secret, far = world.bx2, world.far_action
    return [
        reverse("admin:index"),
        reverse("admin:app_list", args=["actions"]),
        reverse("admin:actions_action_changelist"),
        reverse("admin:actions_action_changelist") + "?q=marked",
        reverse("admin:actions_action_change", args=[secret.pk]),
        reverse("admin:actions_action_change", args=[far.pk]),
        reverse("admin:actions_action_history", args=[secret.pk]),
        reverse(
            "admin:actions_action_simple_history",
            args=[secret.pk, secret.history.first().history_id],
        ),
        reverse("admin:autocomplete")
        + "?app_label=actions&model_name=progressupdate&field_name=action&term=marked",
        reverse("admin:jsi18n"),
        reverse("admin:login"),
        "/admin/no-such-page/",
    ]


@pytest.mark.parametrize(
    "who",
    ["officer", "analyst", "chair", "far_officer", "no_person"],
)
def test_staff_who_are_not_administrators_find_no_admin(client, world, who):
    client.force_login(_view_action_only(getattr(world, who)))

    for url in _admin_pages(world):
        response = client.get(url)
        assert response.status_code == 404, (who, url, response.status_code)
        assert world.bx2.text not in response.content.decode()
    # Nor may they write there, nor sign out through it.
    added = client.post(
        reverse("admin:actions_progressupdate_add"),
        {"action": world.far_action.pk, "date": "2021-11-01", "text": "Sneaked in"},
    )
    assert added.status_code == 404
    assert client.post(reverse("admin:logout")).status_code == 404
    assert not world.far_action.updates.filter(text="Sneaked in").exists()


def test_a_signed_out_visitor_is_sent_to_the_sign_in_page(client, world):
    for url in _admin_pages(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_the_sign_in_page_brings_an_administrator_back_to_the_admin(client, world):
    url = reverse("admin:actions_action_changelist")
    signing_in = client.get(url)
    user = UserFactory(is_superuser=True, is_staff=True)

    response = client.post(
        signing_in["Location"],
        {"username": user.username, "password": "test-password"},
    )

    assert response.status_code == 302 and response["Location"] == url
    # An administrator then sets up (or enters) their second factor, and comes back here.
    second_factor = client.get(url)
    assert second_factor.status_code == 302
    assert second_factor["Location"].startswith(reverse("accounts:second-factor-setup"))
    assert second_factor["Location"].endswith("?next=" + quote(url, safe=""))


@pytest.mark.parametrize("who", ["administrator", "superuser"])
def test_administrators_enter_and_see_everything(client, world, who):
    """An administrator (a person in that role, staff flag or not, model permissions or
    not; or a superuser) sees what actions.permissions lets them: everything of their
    partnership (here), marked or not, and a superuser everything (issue 15)."""
    client.force_login(getattr(world, who))

    listed = client.get(reverse("admin:actions_action_changelist"))
    assert listed.status_code == 200
    theirs = Action.objects.all()
    if who == "administrator":
        theirs = theirs.filter(theme__plan__partnership=world.here)
    assert listed.context["cl"].result_count == theirs.count()
    assert world.bx2.text in listed.content.decode()
    change = client.get(reverse("admin:actions_action_change", args=[world.far_action.pk]))
    if who == "administrator":
        # Not theirs: the admin's answer for a record it does not have.
        assert change.status_code == 302 and change["Location"] == reverse("admin:index")
        change = client.get(reverse("admin:actions_action_change", args=[world.a1.pk]))
    assert change.status_code == 200 and change.context["has_change_permission"]
    found = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "actions",
            "model_name": "progressupdate",
            "field_name": "action",
            "term": "marked",
        },
    )
    assert [result["text"] for result in json.loads(found.content)["results"]] == [str(world.bx2)]
    assert client.get(reverse("admin:actions_plan_add")).status_code == 200
    assert Plan.objects.count() == 3


def test_the_admin_link_is_shown_only_to_those_who_may_enter(client, world):
    staff_officer = _view_action_only(world.officer)
    for user, shown in ((staff_officer, False), (world.administrator, True)):
        client.force_login(user)
        page = client.get(reverse("actions:my-actions")).content.decode()
        assert (f'href="{reverse("admin:index")}"' in page) is shown, user


def test_a_staff_user_in_the_administrator_role_who_is_inactive_is_not_let_in(client):
    user = user_in_role(Role.ADMINISTRATOR)
    user.is_staff, user.is_active = True, False
    user.save()
    client.force_login(user)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302  # an inactive user is signed out, as by Django
