"""What changed about people's second factor, and who changed it: an append-only record for
the audit (the devices themselves are django-otp's models, which keep no history)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SecondFactorEvent(models.Model):
    class What(models.TextChoices):
        APP_SET_UP = "app-set-up", "Authenticator app set up"
        APP_REMOVED = "app-removed", "Authenticator app removed"
        CODES_MADE = "codes-made", "New recovery codes made"
        CODE_USED = "code-used", "Signed in with a recovery code"

    # Ids without a foreign key constraint, and the username beside them: the record
    # outlives the account (deleting a user deletes their devices, which is recorded here).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(max_length=150)
    what = models.CharField(max_length=20, choices=What.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who made the change: the person themselves, an administrator, or nobody "
        "signed in (a command).",
    )
    by_username = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_what_display()}: {self.username}"
