"""Sign-in lock-out (django-axes, accounts/lockout.py): wrong passwords are counted per
username at one address, per username from any address, and per address for any username,
each with its own limit, so that guessing stops while one shared office address (a council
behind one NAT) is not locked out by one person's mistakes."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "test-password"  # what tests/factories.py gives every user


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.SIGNIN_LOCKOUT_LIMITS = [5, 8, 20]  # username here, username anywhere, address
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_fifty_wrong_passwords_are_not_all_answered_and_the_right_one_then_fails(client):
    user = UserFactory()

    answers = [sign_in(client, user.username, f"guess-{n}").status_code for n in range(50)]
    response = sign_in(client, user.username, PASSWORD)

    # The first four are the form again; from the fifth every answer is the lock-out page.
    assert answers[:4] == [200] * 4
    assert set(answers[4:]) == {429}
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_lock_out_page_says_what_happened_and_when_to_try_again(client):
    user = UserFactory()
    for n in range(5):
        response = sign_in(client, user.username, f"guess-{n}")

    assert response.status_code == 429
    page = response.content.decode()
    assert "<title>Sign-in locked – CSP action plans" in page
    assert "too many times" in page
    assert "Try again in 15 minutes" in page
    assert "partnership's administrator" in page
    assert 'class="govuk-heading-l"' in page  # the site's own page, not a bare message


def test_the_lock_ends_after_the_cool_off(client, settings):
    user = UserFactory()
    for n in range(5):
        sign_in(client, user.username, f"guess-{n}")
    assert sign_in(client, user.username, PASSWORD).status_code == 429

    settings.AXES_COOLOFF_TIME = datetime.timedelta(seconds=0)

    assert sign_in(client, user.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_colleague_at_the_same_address_still_signs_in(client):
    """One person's mistakes behind the office's one address lock their username there,
    not the office."""
    careless, colleague = UserFactory(), UserFactory()
    for n in range(6):
        sign_in(client, careless.username, f"guess-{n}")

    assert sign_in(client, colleague.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_guessing_one_username_from_many_addresses_locks_that_username(client):
    user = UserFactory()
    for n in range(8):
        sign_in(client, user.username, f"guess-{n}", address=f"10.0.1.{n}")

    # A ninth address, never seen before, with the right password.
    assert sign_in(client, user.username, PASSWORD, address="10.0.2.1").status_code == 429
    assert not signed_in(client)


def test_one_address_trying_many_usernames_is_locked_at_its_higher_limit(client):
    users = UserFactory.create_batch(10)
    answers = [sign_in(client, users[n % 10].username, f"guess-{n}").status_code for n in range(20)]

    assert set(answers[:19]) == {200}  # no username has reached 5 failures here
    assert answers[19] == 429
    # Locked for every username from that address now, and no one else's.
    assert sign_in(client, users[0].username, PASSWORD).status_code == 429
    assert sign_in(client, users[0].username, PASSWORD, address="10.9.9.9").status_code == 302


def test_the_admin_has_no_sign_in_form_to_get_round_the_lock_with(client):
    """The admin's sign-in address sends everyone to the site's one sign-in page (the lock's),
    and a password posted to it signs nobody in."""
    user = UserFactory(is_staff=True, is_superuser=True)
    for n in range(5):
        sign_in(client, user.username, f"guess-{n}")

    posted = client.post(
        reverse("admin:login"),
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
    )

    assert posted.status_code == 302 and posted["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert sign_in(client, user.username, PASSWORD).status_code == 429


def test_forwarded_addresses_are_not_trusted_by_default(client):
    """A client that makes up X-Forwarded-For cannot pose as a new address each time."""
    user = UserFactory()
    for n in range(5):
        client.post(
            reverse("login"),
            {"username": user.username, "password": f"guess-{n}"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )

    assert sign_in(client, user.username, PASSWORD, address="127.0.0.1").status_code == 429


def test_behind_a_proxy_the_address_it_saw_is_used(client, settings):
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    for n in range(5):
        # The client made up the first address; the proxy appended the one it saw.
        client.post(
            reverse("login"),
            {"username": user.username, "password": f"guess-{n}"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7",
            REMOTE_ADDR="10.0.0.254",
        )

    locked = client.post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
        REMOTE_ADDR="10.0.0.254",
    )
    elsewhere = client.post(
        reverse("login"),
        {"username": UserFactory().username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.8",
        REMOTE_ADDR="10.0.0.254",
    )

    assert locked.status_code == 429
    assert elsewhere.status_code == 302
