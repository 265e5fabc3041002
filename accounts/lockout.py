"""Locking sign-in after wrong passwords, with django-axes.

Axes counts failures for each set of AXES_LOCKOUT_PARAMETERS but compares them all with one
limit. We want a limit per set (SIGNIN_LOCKOUT_LIMITS, in the same order): a few for one
username at one address, more for one username from anywhere (a guesser moving between
addresses), and many more for one address alone, because a council office signs in from one
NAT address and one person's mistakes must not lock out their colleagues.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class SignInLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """Failures measured against the set nearest its own limit, in the units axes
        compares with AXES_FAILURE_LIMIT: at or over it exactly when some set is at or over
        its own limit."""
        counts = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        limits = settings.SIGNIN_LOCKOUT_LIMITS
        closest = max(count - limit for count, limit in zip(counts, limits, strict=True))
        return max(0, settings.AXES_FAILURE_LIMIT + closest)
