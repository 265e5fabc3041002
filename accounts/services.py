"""Writes of the accounts app."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecondFactorEvent
from accounts.second_factor import APP_DEVICE_NAME, RECOVERY_DEVICE_NAME, Verified, normalise
from cspplan.history import history_user

What = SecondFactorEvent.What


def second_factor_event_record(*, user_id: int, what: str, by=None) -> SecondFactorEvent:
    """Record a change to a person's second factor, by `by` or else whoever is signed in
    to the request being served (none for a command)."""
    by = history_user(by)
    username = (
        get_user_model().objects.filter(pk=user_id).values_list("username", flat=True).first()
    )
    return SecondFactorEvent.objects.create(
        user_id=user_id,
        username=username or "",
        what=what,
        by=by,
        by_username=by.get_username() if by else "",
    )


def app_device_to_set_up(*, user) -> TOTPDevice:
    """The authenticator app the user is setting up: the same secret until they confirm it,
    so that reloading the page does not invalidate what they have scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def second_factor_confirm(*, request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app being set up with a code from it. On success the session counts as
    verified with it, any earlier app is removed, and the new recovery codes are returned
    (to be shown once); None if the code is wrong."""
    device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, confirmed=False).first()
    if device is None or not device.verify_token(normalise(code)):
        return None  # wrong, or confirmed meanwhile from another tab
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    second_factor_event_record(user_id=device.user_id, what=What.APP_SET_UP, by=device.user)
    codes = recovery_codes_replace(user=device.user)
    otp_login(request, device)
    return codes


@transaction.atomic
def recovery_codes_replace(*, user) -> list[str]:
    """A new set of recovery codes for the user; the old ones stop working."""
    # The same device with new tokens: deleting it would be recorded as the codes removed.
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticToken.objects.filter(device=device).delete()
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    second_factor_event_record(user_id=user.pk, what=What.CODES_MADE)
    return codes


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
            second_factor_event_record(user_id=user.pk, what=What.CODE_USED, by=user)
            return Verified.RECOVERY_CODE
    return None
