"""Strict reading of hand-written YAML records (the seed fixtures).

A mistyped key must not be silently ignored: a fixture that says `lead:` instead of `leads:`
would otherwise load with the lead missing. Every key a reader does not take is an error,
reported with the file and the path to the record.
"""

import datetime
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError


class RecordError(ValueError):
    pass


class Record:
    def __init__(self, data, where: str):
        if not isinstance(data, dict):
            raise RecordError(f"{where}: expected a mapping of keys to values")
        self.data, self.where, self.taken = data, where, set()

    def _get(self, key, required):
        self.taken.add(key)
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                raise RecordError(f"{self.where}: '{key}' is required")
            return None
        return value

    def text(self, key, *, required=False) -> str:
        value = self._get(key, required)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise RecordError(f"{self.where}.{key}: expected text, got {value!r}")
        # Block scalars end in a newline that is YAML's, not the author's.
        return str(value).strip()

    def date(self, key, *, required=False) -> datetime.date | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
            raise RecordError(f"{self.where}.{key}: expected a date as YYYY-MM-DD, got {value!r}")
        return value

    def time(self, key, *, required=False) -> datetime.time | None:
        """A time of day, written "HH:MM" and quoted (YAML reads 10:00 unquoted as 600)."""
        value = self._get(key, required)
        if value is None:
            return None
        try:
            if not isinstance(value, str):
                raise ValueError
            return datetime.datetime.strptime(value, "%H:%M").time()
        except ValueError:
            raise RecordError(
                f'{self.where}.{key}: expected a time as "HH:MM" (quoted), got {value!r}'
            ) from None

    def integer(self, key, *, required=False) -> int | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise RecordError(f"{self.where}.{key}: expected a whole number, got {value!r}")
        return value

    def decimal(self, key, *, required=False) -> Decimal | None:
        value = self._get(key, required)
        if value is None:
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise RecordError(f"{self.where}.{key}: expected a number, got {value!r}") from None

    def choice(self, key, choices, *, default=None, optional=False) -> str:
        """One of `choices`; absent gives `default`, or "" if `optional`, else an error."""
        value = self.text(key, required=default is None and not optional) or default
        if value is None:
            return ""
        if value not in choices.values:
            allowed = ", ".join(v for v in choices.values if v)
            raise RecordError(f"{self.where}.{key}: '{value}' is not one of {allowed}")
        return value

    def flag(self, key) -> bool:
        """true or false; absent is false."""
        value = self._get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise RecordError(f"{self.where}.{key}: expected true or false, got {value!r}")
        return value

    def texts(self, key) -> list[str]:
        value = self._get(key, False) or []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise RecordError(f"{self.where}.{key}: expected a list of names")
        return [item.strip() for item in value]

    def records(self, key, *, required=False) -> list["Record"]:
        value = self._get(key, required) or []
        if not isinstance(value, list):
            raise RecordError(f"{self.where}.{key}: expected a list")
        return [Record(item, f"{self.where}.{key}[{index}]") for index, item in enumerate(value)]

    def record(self, key) -> "Record":
        return Record(self._get(key, True), f"{self.where}.{key}")

    @contextmanager
    def located(self):
        """Report a failed lookup or model validation inside this block as this record's."""
        try:
            yield
        except RecordError:
            raise
        except ValidationError as error:
            messages = "; ".join(
                f"{field}: {' '.join(errors)}" if field != "__all__" else " ".join(errors)
                for field, errors in error.message_dict.items()
            )
            raise RecordError(f"{self.where}: {messages}") from None
        except ValueError as error:
            raise RecordError(f"{self.where}: {error}") from None

    def finish(self):
        unknown = sorted(set(self.data) - self.taken)
        if unknown:
            raise RecordError(f"{self.where}: unknown key(s) {', '.join(map(str, unknown))}")
