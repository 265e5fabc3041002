"""Who needs a second factor, and setting one up, checking it and replacing recovery codes.

The second factor is a TOTP authenticator app (django-otp's TOTPDevice) with single-use
recovery codes (a StaticDevice) for when the phone is lost. Administrators (and
superusers), analysts and staff need one, because they can see and change every action of
their partnerships, restricted ones included; with REQUIRE_2FA_FOR_EVERYONE everyone does.
An administrator who deletes someone's devices in the admin makes them set up anew at their
next sign-in.
"""

from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
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


def app_device_to_set_up(user) -> TOTPDevice:
    """The authenticator app the user is setting up: the same secret until they confirm it,
    so that reloading the page does not invalidate what they have scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def normalise(code: str) -> str:
    """Codes as people type them: spaces and hyphens ignored, any case."""
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def second_factor_confirm(*, request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app being set up with a code from it. On success the session counts as
    verified with it, any earlier app is removed, and the new recovery codes are returned
    (to be shown once); None if the code is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, confirmed=False)
    if not device.verify_token(normalise(code)):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_replace(user=device.user)
    otp_login(request, device)
    return codes


@transaction.atomic
def recovery_codes_replace(*, user) -> list[str]:
    """A new set of recovery codes for the user; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


class Verified:
    APP = "app"
    RECOVERY_CODE = "recovery code"


def second_factor_verify(*, request, code: str) -> str | None:
    """Check a code from the user's app, or one of their recovery codes (used up by this).
    On success the session counts as verified and what was used is returned
    (`Verified.APP` or `Verified.RECOVERY_CODE`); None if neither accepted the code, or if
    too many wrong codes mean the user must wait (django-otp's throttling)."""
    user = request.user
    code = normalise(code)
    if not code:
        return None
    with transaction.atomic():
        app = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if app is not None and code.isdigit() and app.verify_token(code):
            otp_login(request, app)
            return Verified.APP
        recovery = StaticDevice.objects.select_for_update().filter(user=user).first()
        if recovery is not None and recovery.verify_token(code):
            otp_login(request, recovery)
            return Verified.RECOVERY_CODE
    return None


def must_wait(user) -> bool:
    """True while a run of wrong codes means no code is checked yet (django-otp doubles the
    wait after each wrong one)."""
    devices = [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user),
    ]
    return any(not device.verify_is_allowed()[0] for device in devices)
