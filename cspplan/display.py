"""How dates, times, numbers and people are shown: the same on every page, in the pack, in
the history and in the import preview."""

import datetime
import functools
import html
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date
from django.utils.safestring import SafeData

DATE = "j F Y"  # 1 November 2021
SHORT_DATE = "j M Y"  # 1 Nov 2021, where a table has many dates (short_date)
DATE_TIME = "j M Y, H:i"
# Who made a change that no user is recorded for: rows written outside any request or
# command (a shell, say), or by a command before commands recorded the user they ran as
# (cspplan.origin: its system user is named "System (<OS account>)" by its full name).
NOT_RECORDED = "Not recorded"


def show_date(value: datetime.date | None, fmt: str = DATE) -> str:
    """A date in words ("1 November 2021"), or "" for none. In the usual format the month's
    name is looked up once per language (see `short_date`): an import preview of 10,000
    actions shows 40,000 dates."""
    if not value:
        return ""
    if fmt == DATE:
        month = _month_names(translation.get_language(), "F")[value.month]
        return f"{value.day} {month} {value.year}"
    return format_date(value, fmt)


@functools.cache
def _month_names(language: str, code: str) -> tuple[str, ...]:
    """Each month's name in `language` (from index 1), as the date format `code` ("F" or
    "M") writes it."""
    with translation.override(language):
        return ("", *(format_date(datetime.date(2000, month, 1), code) for month in range(1, 13)))


def short_date(value: datetime.date | None) -> str:
    """A date as lists and tables of actions show it: SHORT_DATE, "1 Mar 2022" (as
    `show_date(value, SHORT_DATE)`), with the month's abbreviation looked up once per
    language rather than translated for every date, which was a fifth of the time a page
    of a hundred actions took to render. "" for None."""
    if not value:
        return ""
    month = _month_names(translation.get_language(), "M")[value.month]
    return f"{value.day} {month} {value.year}"


def show_when(value: datetime.datetime | None) -> str:
    """A moment in the local time zone: "1 Nov 2021, 14:05"; "" for none."""
    return format_date(timezone.localtime(value), DATE_TIME) if value else ""


def show_number(value: Decimal | None) -> str:
    """A stored number without the zeros its decimal places add (120.5000: 120.5), or ""."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return "0" if text == "-0" else text


def name_of(*, person_name: str | None, full_name: str | None, username: str) -> str:
    """How a user is named: their person's name, else their full name, else their username."""
    return (person_name or "").strip() or (full_name or "").strip() or username


def user_name(user) -> str:
    """`name_of` a user object, or NOT_RECORDED for none."""
    if user is None:
        return NOT_RECORDED
    try:
        person_name = user.person.name
    except ObjectDoesNotExist:
        person_name = None
    return name_of(
        person_name=person_name, full_name=user.get_full_name(), username=user.get_username()
    )


def escaped(value) -> str:
    """`value` as HTML text, for what is drawn in Python many times a page: as Django's
    conditional_escape (what format_html does to its arguments), without its lazy-text
    wrapper and SafeString per call, which at thousands of cells was a fifth of the pack
    page's time. Escaped by the same html.escape, unless already safe."""
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))
