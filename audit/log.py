"""The audit log: every history row of every tracked model, every second factor change and
every download, newest first, read from where each is recorded (no copy).

One page is found with one query: a UNION ALL of a few columns (when, which source, which
record, which row, by whom) from each table, filtered, ordered by date and cut to the page
by the database. The page's rows are then loaded, with what they need to be shown, by a
few queries per kind of record on the page (`entries`), however many rows there are in all.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.contrib import admin
from django.db.models import BigIntegerField, CharField, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import capfirst

from accounts.models import SecondFactorEvent
from actions.history import field_changes, field_label, shown_value
from cspplan.display import user_name
from cspplan.history import CHANGED, CREATED
from downloads.models import Download

HAPPENED = {CREATED: "Created", CHANGED: "Changed", "-": "Deleted"}
# The field that names a record of each model, first found (else its number).
NAME_FIELDS = ("name", "title", "username", "text", "ref", "period")
SECOND_FACTOR = "accounts.secondfactorevent"
DOWNLOAD = "downloads.download"


@dataclass(frozen=True)
class Source:
    key: str  # "app_label.model_name" of the model whose records it holds
    label: str  # what kind of record, in words
    table: type  # the model holding the rows: a history model, SecondFactorEvent, Download


@cache
def sources() -> dict[str, Source]:
    """Every table the log reads, by key, in the order of the object type filter."""
    found = {}
    for model in apps.get_models():
        if hasattr(model, "instance_type") and _has_field(model, "history_user"):
            tracked = model.instance_type
            key = tracked._meta.label_lower
            found[key] = Source(key, capfirst(tracked._meta.verbose_name), model)
    found[SECOND_FACTOR] = Source(SECOND_FACTOR, "Second factor change", SecondFactorEvent)
    found[DOWNLOAD] = Source(DOWNLOAD, "Download", Download)
    return dict(sorted(found.items(), key=lambda item: item[1].label))


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


@dataclass(frozen=True)
class Filters:
    user_id: int | None = None
    source: str | None = None
    object_id: int | None = None
    on_or_after: datetime.date | None = None
    on_or_before: datetime.date | None = None


def log_rows(filters: Filters) -> QuerySet:
    """The rows of the log (dicts: log_when, log_source, log_object, log_row), newest first: a
    queryset the paginator counts and slices in the database."""
    chosen = [sources()[filters.source]] if filters.source else list(sources().values())
    parts = [_part(source, filters) for source in chosen]
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return rows.order_by("-log_when", "-log_row")


def _part(source: Source, filters: Filters) -> QuerySet:
    table = source.table
    if table is SecondFactorEvent:
        when, who, target = "at", "by_id", Q(user_id=filters.object_id)
        object_id = F("user_id")
    elif table is Download:
        when, who = "at", "user_id"
        target = Q(plan_id=filters.object_id) | Q(board_id=filters.object_id)
        object_id = Coalesce("plan_id", "board_id")
    else:
        when, who, target = "history_date", "history_user_id", Q(id=filters.object_id)
        object_id = F("id")
    rows = table.objects.all()
    if filters.user_id is not None:
        rows = rows.filter(**{who: filters.user_id})
    if filters.object_id is not None:
        rows = rows.filter(target)
    # As moments (the days' starts, in local time) rather than the dates of each row: a
    # range of the column itself can use its index.
    if filters.on_or_after:
        rows = rows.filter(**{f"{when}__gte": _day_starts(filters.on_or_after)})
    if filters.on_or_before:
        next_day = filters.on_or_before + datetime.timedelta(days=1)
        rows = rows.filter(**{f"{when}__lt": _day_starts(next_day)})
    row_id = "pk" if table in (SecondFactorEvent, Download) else "history_id"
    # The same columns, of the same types, from every table: the UNION needs them so.
    # Names no model's field has ("log_"), as values() requires.
    return rows.order_by().values(
        log_when=F(when),
        log_source=Value(source.key, output_field=CharField()),
        log_object=Cast(object_id, BigIntegerField()),
        log_row=Cast(F(row_id), BigIntegerField()),
    )


def _day_starts(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# ---- the page's rows, as shown -------------------------------------------------------------


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class Entry:
    when: datetime.datetime
    kind: str  # the source's label
    who: str
    what: str  # the record, as named
    happened: str  # created, changed, deleted; the second factor change; the download's kind
    url: str = ""  # the record's page, if it still exists
    reason: str = ""
    changes: list[Change] = field(default_factory=list)
    details: list[str] = field(default_factory=list)


def entries(page_rows: list[dict]) -> list[Entry]:
    """The log's rows on one page, as entries, in the same order."""
    by_source = defaultdict(list)
    for row in page_rows:
        by_source[row["log_source"]].append(row["log_row"])
    shown = {}
    for key, ids in by_source.items():
        source = sources()[key]
        if source.table is SecondFactorEvent:
            shown |= {(key, e.row_id): e.entry for e in _second_factor(source, ids)}
        elif source.table is Download:
            shown |= {(key, e.row_id): e.entry for e in _downloads(source, ids)}
        else:
            shown |= {(key, e.row_id): e.entry for e in _history(source, ids)}
    return [shown[(row["log_source"], row["log_row"])] for row in page_rows]


@dataclass
class _Shown:
    row_id: int
    entry: Entry


def _second_factor(source: Source, ids: list[int]):
    events = SecondFactorEvent.objects.filter(pk__in=ids).select_related("by__person")
    for event in events:
        yield _Shown(
            event.pk,
            Entry(
                when=event.at,
                kind=source.label,
                who=user_name(event.by),
                what=event.username,
                happened=event.get_what_display(),
                url=_admin_url(source.table, None),
            ),
        )


def _downloads(source: Source, ids: list[int]):
    for download in Download.objects.filter(pk__in=ids).select_related("user__person"):
        details = [f"{key}: {_listed(value)}" for key, value in sorted(download.options.items())]
        details += [f"{download.rows} action(s)", f"Marking: {download.marking}"]
        yield _Shown(
            download.pk,
            Entry(
                when=download.at,
                kind=source.label,
                who=user_name(download.user),
                what=download.subject,
                happened=download.get_kind_display(),
                details=details,
            ),
        )


def _listed(value) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _history(source: Source, ids: list[int]):
    """The history rows `ids` of one model with the row before each (for what changed),
    their lists, the names of the records they refer to and whether each record still
    exists: a fixed number of queries for the model."""
    history = source.table
    earlier = history.objects.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    records = list(
        history.objects.filter(history_id__in=ids)
        .select_related("history_user__person")
        .annotate(
            previous_id=Subquery(
                earlier.order_by("-history_date", "-history_id").values("history_id")[:1]
            )
        )
    )
    previous = history.objects.in_bulk([r.previous_id for r in records if r.previous_id])
    lists = _lists(history, [*ids, *previous])
    diffs = {}
    for record in records:
        before = previous.get(record.previous_id)
        if record.history_type == CHANGED and before is not None:
            diffs[record.history_id] = _diff(record, before, lists)
    names = _names(history, diffs.values())
    model = history.instance_type
    existing = set(
        model._default_manager.filter(pk__in={r.id for r in records})
        .order_by()
        .values_list("pk", flat=True)
    )
    for record in records:
        changes = [
            Change(
                field_label(history, name),
                _value(history, name, old, names),
                _value(history, name, new, names),
            )
            for name, old, new in diffs.get(record.history_id, [])
        ]
        yield _Shown(
            record.history_id,
            Entry(
                when=record.history_date,
                kind=source.label,
                who=user_name(record.history_user),
                what=_name_of(record),
                happened=HAPPENED.get(record.history_type, record.history_type),
                url=_admin_url(model, record.id) if record.id in existing else "",
                reason=record.history_change_reason or "",
                changes=changes,
            ),
        )


def _diff(record, before, lists: dict) -> list[tuple]:
    diff = field_changes(record, before)
    for name in lists:
        old = lists[name].get(before.history_id, [])
        new = lists[name].get(record.history_id, [])
        if old != new:
            diff.append((name, old, new))
    return diff


def _lists(history, ids: list[int]) -> dict[str, dict[int, list[str]]]:
    """{list field: {history row id: names of what it listed}}: a query per list."""
    found = {}
    for list_field in history._history_m2m_fields:
        snapshot = getattr(history, list_field.name).model
        target = list_field.m2m_reverse_field_name()
        rows = snapshot.objects.filter(history_id__in=ids).select_related(target)
        listed = defaultdict(list)
        for row in rows:
            listed[row.history_id].append(_record_name(getattr(row, target)))
        found[list_field.name] = {key: sorted(value) for key, value in listed.items()}
    return found


def _names(history, diffs) -> dict:
    """{(model, pk): name} of the records the changed fields refer to: a query per model."""
    wanted = defaultdict(set)
    for diff in diffs:
        for name, old, new in diff:
            model_field = history._meta.get_field(name) if _is_field(history, name) else None
            if model_field is not None and model_field.is_relation:
                wanted[model_field.related_model].update(v for v in (old, new) if v is not None)
    names = {}
    for model, pks in wanted.items():
        for record in model._default_manager.filter(pk__in=pks):
            names[(model, record.pk)] = _record_name(record)
    return names


def _is_field(history, name: str) -> bool:
    return _has_field(history, name) and not any(
        f.name == name for f in history._history_m2m_fields
    )


def _value(history, name: str, value, names: dict) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    if not _is_field(history, name):
        return str(value)
    return shown_value(history, name, value, names)


def _record_name(record) -> str:
    if record is None:
        return "(since deleted)"
    for name in NAME_FIELDS:
        value = getattr(record, name, None)
        if value:
            return _short(str(value))
    return f"number {record.pk}"


def _name_of(record) -> str:
    return f"{_record_name(record)} (number {record.id})"


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _admin_url(model, pk) -> str:
    """The record's admin page (its list without `pk`), where the admin shows the model."""
    if not admin.site.is_registered(model):
        return ""
    opts = model._meta
    try:
        if pk is None:
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])
    except NoReverseMatch:
        return ""
