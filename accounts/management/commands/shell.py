"""Django's shell, with every change made in it (typed in, or given with `-c`) recorded as
made by the system user the shell ran as (cspplan.origin.RecordedCommand), not by nobody.

Code in the shell can still name another user for a change (`instance._history_user`, or
`cspplan.origin.acting_as`), as any code can; the shell is for administrators of the
server, who can equally edit the database directly, so this records honestly what they do
by default rather than preventing anything."""

from django.core.management.commands import shell

from cspplan.origin import RecordedCommand


class Command(RecordedCommand, shell.Command):
    pass
