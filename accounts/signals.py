"""Removing an authenticator app or recovery codes by any path (the admin, deleting the
user) is recorded."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecondFactorEvent
from accounts.services import second_factor_event_record


@receiver(post_delete, sender=TOTPDevice)
def app_removed(sender, instance, **kwargs):
    if instance.confirmed:
        second_factor_event_record(
            user_id=instance.user_id, what=SecondFactorEvent.What.APP_REMOVED
        )


@receiver(post_delete, sender=StaticDevice)
def codes_removed(sender, instance, **kwargs):
    second_factor_event_record(user_id=instance.user_id, what=SecondFactorEvent.What.CODES_REMOVED)
