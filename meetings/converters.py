"""The address of a meeting: its board and its date."""

import datetime

from django.urls import register_converter


class DayConverter:
    """A meeting's date in its address, as 2021-12-08: a board meets once a day."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        return datetime.date.fromisoformat(value)  # ValueError: no such page

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, datetime.date) else value


register_converter(DayConverter, "day")
