"""Settings every test shares."""

import pytest


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    # Django's default hasher takes most of a second per password on purpose; the factories
    # give every user one. Sign-in and password reset work the same with a quick hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
