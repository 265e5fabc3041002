"""Who a management command's changes are recorded as made by.

A command run with `--user USERNAME` acts as that user. Otherwise it acts as the *system
user* of the operating-system account it ran as: a User named "system:<account>" (say
"system:root"), made on first use, inactive and with no usable password, so that it can
never sign in, and named "System (root)" wherever history shows who made a change.

Why a user rather than a blank user with the origin written into the change reason: every
history row, second-factor record and download record already names its maker by a user,
and the audit page filters by that user; the change reason already says why ("Imported from
a workbook"). A user row keeps both, names the OS account honestly, and needs nothing new on
any page. ":" cannot be typed into a username through any form (Django's username
validator refuses it), so no person's account can pass for the system user.
"""

import contextlib
import getpass
import types

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from simple_history.models import HistoricalRecords

SYSTEM_PREFIX = "system:"


def os_account() -> str:
    """The operating-system account this process runs as, or "unknown" where it has none
    (a container with no entry for its user id)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def system_user():
    """The system user of the OS account running this process, made on first use."""
    account = os_account()
    username = f"{SYSTEM_PREFIX}{account}"[:150]
    model = get_user_model()
    user = model.objects.filter(username=username).first()
    if user is None:
        user = model(username=username, is_active=False, first_name="System")
        user.last_name = f"({account})"
        user.set_unusable_password()
        user._history_user = user  # its own history row says it made itself
        user.save()
    return user


def is_system_user(user) -> bool:
    return user is not None and user.get_username().startswith(SYSTEM_PREFIX)


@contextlib.contextmanager
def acting_as(user):
    """Changes made inside this block are recorded as made by `user`, as if in a request
    that `user` made: django-simple-history names the user of the request it is serving
    (HistoricalRecords.context.request, which its middleware sets) in the history rows it
    writes itself, and cspplan.history.history_user reads the same, for the rows, second
    factor and download records the services write. A command has no request, so this
    stands one in holding only the user; the one that was there before comes back after."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = types.SimpleNamespace(user=user)
    try:
        yield user
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous


def command_user(username: str | None = None):
    """The user a command acts as: the one called `username` (None if there is none, for
    the command to say so), else the system user."""
    if username:
        return get_user_model().objects.filter(username=username).first()
    return system_user()


class RecordedCommand(BaseCommand):
    """A command that writes: everything it changes is recorded as made by the user its
    `--user` option names, if it has one and it is given, else by the system user."""

    def execute(self, *args, **options):
        username = options.get("user")
        user = command_user(username)
        if user is None:
            raise CommandError(f"No user is called '{username}'.")
        with acting_as(user):
            return super().execute(*args, **options)
