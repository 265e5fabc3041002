"""Django's changepassword, with the change recorded in the account history as made by the
system user the command ran as (cspplan.origin.RecordedCommand), not by nobody. (The
accounts app is listed before django.contrib.auth, so that this is the command run.)"""

from django.contrib.auth.management.commands import changepassword

from cspplan.origin import RecordedCommand


class Command(RecordedCommand, changepassword.Command):
    pass
