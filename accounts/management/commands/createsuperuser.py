"""Django's createsuperuser, with the account it makes recorded in the account history as
made by the system user the command ran as (cspplan.origin.RecordedCommand), not by nobody.
The accounts app is listed before django.contrib.auth in INSTALLED_APPS so that this
command is the one `manage.py createsuperuser` runs."""

from django.contrib.auth.management.commands import createsuperuser

from cspplan.origin import RecordedCommand


class Command(RecordedCommand, createsuperuser.Command):
    pass
