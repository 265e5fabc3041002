"""Give the demo users who need a second factor an authenticator app, and print its key and
recovery codes, so that someone trying the app can sign in as them. For demonstrations only.

Run after `demo_users` (`make run` does). Run again, it keeps each demo user's key, so an
app already set up with it goes on working, and prints their unused recovery codes (new ones
when none are left).
"""

from base64 import b32encode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecondFactorEvent
from accounts.second_factor import APP_DEVICE_NAME, app_device, needs_second_factor
from accounts.services import recovery_codes_replace, second_factor_event_record
from cspplan.origin import RecordedCommand

DEMO_USERNAMES = ["admin", "officer", "chair", "analyst"]


class Command(RecordedCommand):
    help = "Set up (or show) the demo users' second factor and print it. DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "The demo second factor is printed for anyone to use: only with DEBUG=1."
            )
        users = get_user_model().objects.filter(username__in=DEMO_USERNAMES).order_by("pk")
        needing = [user for user in users if needs_second_factor(user)]
        if not needing:
            raise CommandError("No demo user needs a second factor: run demo_users first.")
        with transaction.atomic():
            blocks = [self._show(user) for user in needing]
        self.stdout.write(
            "\nDemo second factor (demo data only). After the password these users are asked "
            "for a code:\nadd the key to an authenticator app (or scan the otpauth URL as a QR "
            "code), or enter a recovery code.\n" + "\n".join(blocks) + "\n"
        )

    def _show(self, user) -> str:
        device = app_device(user)
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)
            second_factor_event_record(user_id=user.pk, what=SecondFactorEvent.What.APP_SET_UP)
        codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
        if not codes:
            codes = recovery_codes_replace(user=user)
        key = b32encode(device.bin_key).decode()
        return (
            f"  {user.username}\n"
            f"    key:            {' '.join(key[i : i + 4] for i in range(0, len(key), 4))}\n"
            f"    otpauth URL:    {device.config_url}\n"
            f"    recovery codes: {' '.join(codes)}"
        )
