"""Today's date, for the rules that ask what day it is.

The seed plans date from 2021, so on the real date every demo action reads as overdue and
stale. With DEBUG on, the setting `CSPPLAN_TODAY` (an ISO date, e.g. 2021-12-08, from the
environment) makes the application treat that day as today, so the demo shows the board as
its chair saw it then. Only "today's date" rules use this clock (overdue, stale, the update
form's default date and its "not in the future" check, the pack's date, the default "since
the last meeting"); timestamps (when something was saved, sessions, the second factor) stay
on real time.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

SETTING = "CSPPLAN_TODAY"


def read_setting(value: str | None, *, debug: bool) -> datetime.date | None:
    """The date `CSPPLAN_TODAY` gives (None when unset or blank), for settings.py: refused
    unless DEBUG, so that no live installation can be made to misread its dates, and refused
    when it is not an ISO date."""
    value = (value or "").strip()
    if not value:
        return None
    if not debug:
        raise ImproperlyConfigured(
            f"{SETTING} is for demonstrations only: it is refused unless DEBUG is on. "
            f"Unset {SETTING}, or set DEBUG=1 for local use."
        )
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{SETTING} must be a date written as YYYY-MM-DD, for example 2021-12-08; "
            f"it is {value!r}."
        ) from None


def fixed_today() -> datetime.date | None:
    """The date the application is told to treat as today, or None on the real clock."""
    return getattr(settings, SETTING, None)


def today() -> datetime.date:
    """Today: the set date when there is one, else the local date."""
    return fixed_today() or timezone.localdate()


def context(request) -> dict:
    """For every page's template (the banner saying which day the application treats as
    today, templates/includes/clock_banner.html)."""
    return {"clock_today": fixed_today()}
