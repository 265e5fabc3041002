"""Signing in and out, and resetting or changing a password, through Django's views and our
templates (templates/registration/)."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.clients import Client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "test-password"  # what tests/factories.py gives every user
NEW_PASSWORD = "a-new-and-long-passphrase-42"


def signed_in_user_id(client) -> str | None:
    return client.session.get(SESSION_KEY)


def error_summary_links(page: str) -> list[tuple[str, str]]:
    """The (target id, text) of each link in the page's error summary."""
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S)
    assert summary, "the page has no error summary"
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(0))


def assert_error_links_reach_their_fields(page: str) -> None:
    links = error_summary_links(page)
    assert links
    for target, _text in links:
        assert f'id="{target}"' in page, f"the error summary links to #{target}, not on the page"


# Signing in


def test_the_right_username_and_password_sign_in_and_go_to_my_actions(client):
    user = UserFactory()

    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("actions:my-actions")
    assert signed_in_user_id(client) == str(user.pk)


def test_signing_in_goes_back_to_the_page_asked_for(client):
    user = UserFactory()
    plans = reverse("actions:plan-list")
    login_page = client.get(plans, follow=True)
    assert login_page.redirect_chain[-1][0].startswith(reverse("login"))
    # The form carries where to go next.
    assert f'name="next" value="{plans}"' in login_page.content.decode()

    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD, "next": plans}
    )

    assert response["Location"] == plans


def test_a_wrong_password_is_refused_with_an_error_summary(client):
    user = UserFactory()

    response = client.post(reverse("login"), {"username": user.username, "password": "wrong"})

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    page = response.content.decode()
    assert "<title>Error: Sign in" in page
    [(target, text)] = error_summary_links(page)
    assert text.startswith("Please enter a correct username and password.")
    assert target == "id_username"
    assert_error_links_reach_their_fields(page)


def test_missing_fields_are_each_named_in_the_error_summary(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})

    page = response.content.decode()
    assert [target for target, _ in error_summary_links(page)] == ["id_username", "id_password"]
    assert_error_links_reach_their_fields(page)


def test_the_sign_in_page_says_what_to_do_without_an_account_or_password(client):
    page = client.get(reverse("login")).content.decode()

    assert f'href="{reverse("password_reset")}">Forgotten your password?</a>' in page
    assert "Ask your partnership's administrator to set one up" in page


# Signing out


def test_signing_out_is_a_post_that_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)

    assert client.get(reverse("logout")).status_code == 405  # a link cannot sign anyone out
    assert signed_in_user_id(client) == str(user.pk)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert signed_in_user_id(client) is None


def test_the_sign_out_button_in_the_header_works_with_csrf_checks_on():
    client = Client(enforce_csrf_checks=True)
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("password_change")).content.decode()
    form = re.search(
        r'<form method="post" action="([^"]+)" class="app-account__form">(.*?)</form>', page, re.S
    )
    assert form, "no sign-out form in the header"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(2)).group(1)

    assert client.post(form.group(1)).status_code == 403  # without the token
    response = client.post(form.group(1), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert signed_in_user_id(client) is None


# Resetting a forgotten password


def reset_link(email) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", email.body)
    assert match, f"no reset link in:\n{email.body}"
    return match.group(1)


def test_a_password_reset_email_lets_the_user_choose_a_password_that_signs_in(client, mailoutbox):
    user = UserFactory(email="lead@example.org", first_name="Sam", last_name="Lead")

    response = client.post(reverse("password_reset"), {"email": "Lead@Example.org"})

    assert response["Location"] == reverse("password_reset_done")
    [email] = mailoutbox
    assert email.to == ["lead@example.org"]
    assert email.subject == "Reset your CSP action plans password"
    assert user.username in email.body
    # Django swaps the token for a fixed "set-password" URL, keeping the token in the session.
    form_page = client.get(reset_link(email), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]

    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response["Location"] == reverse("password_reset_complete")
    fresh = Client()
    assert fresh.login(username=user.username, password=NEW_PASSWORD)
    assert not fresh.login(username=user.username, password=PASSWORD)
    # The link works once.
    again = client.get(reset_link(email), follow=True).content.decode()
    assert "The link has expired" in again


def test_an_unknown_email_address_sends_nothing_and_says_the_same(client, mailoutbox):
    UserFactory(email="lead@example.org")

    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)

    assert mailoutbox == []
    assert "If an account has the email address you entered" in response.content.decode()


def test_a_new_password_that_does_not_match_is_refused_on_the_form(client, mailoutbox):
    user = UserFactory(email="lead@example.org")
    client.post(reverse("password_reset"), {"email": user.email})
    set_password_url = client.get(reset_link(mailoutbox[0]), follow=True).redirect_chain[-1][0]

    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Choose a new password" in page
    assert [target for target, _ in error_summary_links(page)] == ["id_new_password2"]
    assert_error_links_reach_their_fields(page)
    assert Client().login(username=user.username, password=PASSWORD)


# Changing a password


def test_a_signed_in_user_can_change_their_password(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response["Location"] == reverse("password_change_done")
    assert Client().login(username=user.username, password=NEW_PASSWORD)


def test_changing_a_password_needs_the_old_one(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    page = response.content.decode()
    assert [target for target, _ in error_summary_links(page)] == ["id_old_password"]
    assert_error_links_reach_their_fields(page)
    assert Client().login(username=user.username, password=PASSWORD)


def test_the_password_pages_need_a_signed_in_user(client):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_admins_password_change_keeps_the_admins_look(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    ours = client.get(reverse("password_change"))
    admins = client.get(reverse("admin:password_change"))
    assert "accounts/password_change_form.html" in [t.name for t in ours.templates]
    assert "admin/base_site.html" in [t.name for t in admins.templates]
    assert "base.html" not in [t.name for t in admins.templates]
