"""What changed about people's accounts, and who changed it: the change history of user
accounts (django-simple-history), and an append-only record of changes to their second
factor (the devices themselves are django-otp's models, which keep no history)."""

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone
from simple_history import register
from simple_history.models import HistoricalRecords


class SecondFactorEvent(models.Model):
    class What(models.TextChoices):
        APP_SET_UP = "app-set-up", "Authenticator app set up"
        APP_REMOVED = "app-removed", "Authenticator app removed"
        CODES_MADE = "codes-made", "New recovery codes made"
        CODE_USED = "code-used", "Signed in with a recovery code"
        CODES_REMOVED = "codes-removed", "Recovery codes removed"

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


class AccountHistory(HistoricalRecords):
    """The change history of user accounts (django-simple-history, registered below).

    Two differences from the library's own: a save of nothing but the sign-in time (Django
    saves it at every sign-in) writes no row, since it changes nothing the history keeps; and
    a user added to or removed from a group from the group's side (`group.user_set.add`)
    writes a row for each user it changes, where the library would try to write the group
    into the users' history."""

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields and set(update_fields) <= NOT_KEPT:
            return
        super().post_save(instance, created, using=using, **kwargs)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if action in ("post_add", "post_remove") and pk_set:
            for user in User.objects.filter(pk__in=pk_set):
                super().m2m_changed(user, action, attr, {instance.pk}, False, **kwargs)
        return None


# Not kept: the password hash (an old hash is worth attacking, and a change of password
# shows as a saved row with no field changed) and the time of the last sign-in.
NOT_KEPT = {"password", "last_login"}

register(
    User,
    app="accounts",
    records_class=AccountHistory,
    excluded_fields=sorted(NOT_KEPT),
    m2m_fields=["groups", "user_permissions"],
)
