"""The test client the suite signs in with.

Administrators, analysts and staff need a second factor (accounts/second_factor.py). Tests
about a page sign in with `force_login`, which skips the password; this client's
`force_login` also skips the code, as a user who has set up an authenticator app and
entered its code would be: it gives the user a confirmed app (once) and marks the session
as verified with it. The second factor's own tests (tests/accounts/) drive the real pages.
`login` checks a password as the sign-in page does, with a request, which the lock-out
(django-axes) needs.
"""

import django.test
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import needs_second_factor


def verified_device(user) -> TOTPDevice:
    """The user's authenticator app, set up if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)


class Client(django.test.Client):
    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if needs_second_factor(user):
            session = self.session
            assert session[SESSION_KEY] == str(user.pk)
            session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
            session.save()

    def login(self, **credentials):
        request = HttpRequest()
        request.META["REMOTE_ADDR"] = "127.0.0.1"
        return super().login(request=request, **credentials)
