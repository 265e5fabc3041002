"""Password reset is rate-limited per email address and per client address, and the page
says the same whether an email was sent, held back, or no account has the address."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DONE = "If an account has the email address you entered"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 3
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 10


def ask(client, email, address="10.0.0.1"):
    return client.post(
        reverse("password_reset"), {"email": email}, REMOTE_ADDR=address, follow=True
    )


def test_twenty_reset_requests_send_three_emails(client, mailoutbox):
    UserFactory(email="lead@example.org")

    pages = [ask(client, "lead@example.org") for _ in range(20)]

    assert len(mailoutbox) == 3
    # Every answer is the same page: it must not tell that sending was held back.
    assert {page.status_code for page in pages} == {200}
    assert all(DONE in page.content.decode() for page in pages)


def test_the_email_limit_holds_across_addresses_and_spelling(client, mailoutbox):
    UserFactory(email="lead@example.org")

    for n, spelling in enumerate(["lead@example.org", "Lead@Example.org", "LEAD@example.org "]):
        ask(client, spelling, address=f"10.0.0.{n}")
    ask(client, "lead@example.org", address="10.0.9.9")

    assert len(mailoutbox) == 3


def test_one_address_asking_for_many_accounts_is_limited(client, mailoutbox):
    for n in range(15):
        UserFactory(email=f"person{n}@example.org")

    for n in range(15):
        ask(client, f"person{n}@example.org")
    ask(client, "person14@example.org", address="10.0.0.2")

    assert len(mailoutbox) == 10 + 1


def test_an_unknown_address_counts_the_same(client, mailoutbox):
    UserFactory(email="lead@example.org")
    for _ in range(3):
        ask(client, "nobody@example.org")
    for _ in range(7):
        ask(client, "lead@example.org", address="10.0.0.5")

    assert len(mailoutbox) == 3  # lead's own three; nobody@ used none of them
    # The first address has asked three times; seven more reach its limit of ten.
    for n in range(7):
        UserFactory(email=f"other{n}@example.org")
        ask(client, f"other{n}@example.org")
    assert len(mailoutbox) == 10
    UserFactory(email="late@example.org")
    ask(client, "late@example.org")
    assert len(mailoutbox) == 10
