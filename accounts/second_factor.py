"""Who needs a second factor, and what they have set up (the writes are in services.py).

The second factor is a TOTP authenticator app (django-otp's TOTPDevice) with single-use
recovery codes (a StaticDevice) for when the phone is lost. Administrators (and
superusers), analysts and staff need one, because they can see and change every action of
their partnerships, restricted ones included; with REQUIRE_2FA_FOR_EVERYONE everyone does.
An administrator who deletes someone's devices in the admin makes them set up anew at their
next sign-in.
"""

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions.permissions import role_of
from boards.models import Role

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def needs_second_factor(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if settings.REQUIRE_2FA_FOR_EVERYONE or user.is_staff:
        return True
    return role_of(user) in {Role.ADMINISTRATOR, Role.ANALYST}


def app_device(user) -> TOTPDevice | None:
    """The user's set-up authenticator app, if they have one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def normalise(code: str) -> str:
    """Codes as people type them: spaces and hyphens ignored, any case."""
    return "".join(code.split()).replace("-", "").lower()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


class Verified:
    APP = "app"
    RECOVERY_CODE = "recovery code"


def must_wait(user) -> bool:
    """True while a run of wrong codes means no code is checked yet (django-otp doubles the
    wait after each wrong one)."""
    devices = [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user),
    ]
    return any(not device.verify_is_allowed()[0] for device in devices)
