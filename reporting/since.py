"""What moved in a set of actions since a date: the "since the last meeting" view of a plan.

Everything is read from the change history that django-simple-history keeps for actions
(`Action.history`), which every path writes: the pages and the Django admin through the
services (a row per change, in the signed-in user's name) and a workbook import
(rows written in bulk by `workbooks.services._write_history`, with the importing user and
the reason "Imported from a workbook"). Nothing here depends on how a row was written.

The caller passes the actions the reader may see (`actions.permissions.visible_actions`,
narrowed to a board or plan): every list is confined to that queryset, so nothing outside
it shows, not even as a count. The number of queries is fixed (five: the history, the
updates, the actions and their themes and plans), however many actions or history rows
there are.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.db.models.expressions import RowRange
from django.db.models.functions import FirstValue, Lag
from django.utils import timezone

from actions.models import Action, Plan, ProgressUpdate
from actions.rag import RAG
from actions.selectors import listed_updates
from cspplan.display import NOT_RECORDED, SHORT_DATE, name_of, show_date

# "Since the last meeting" with no date picked: the board's last held meeting where one is
# recorded (`last_meeting`), else four weeks back.
DEFAULT_WINDOW = datetime.timedelta(weeks=4)


def default_since(today: datetime.date) -> datetime.date:
    """Where "since the last meeting" starts when no date is picked and no meeting of the
    board is recorded as held: four weeks ago."""
    return today - DEFAULT_WINDOW


# How to find a board's last held meeting before a day: a function (board, day) -> date or
# None. The meetings app knows and sits above this one, which may not import it (the
# layers); it sets this when Django starts (meetings.apps.MeetingsConfig.ready). Unset, no
# board has a meeting.
_last_meeting_rule = None


def set_last_meeting_rule(rule) -> None:
    global _last_meeting_rule
    _last_meeting_rule = rule


def last_meeting(board, today: datetime.date) -> datetime.date | None:
    """The date of `board`'s last meeting held before `today` (None: no board, none held, or
    no meetings app to ask)."""
    if board is None or _last_meeting_rule is None:
        return None
    return _last_meeting_rule(board, today)


@dataclass(frozen=True)
class RagChange:
    """One change of an action's RAG status, as one history row recorded it."""

    action: Action
    from_rag: RAG
    to_rag: RAG
    who: str  # the person's name, or the user's name, or NOT_RECORDED
    when: datetime.datetime
    reason: str  # the history's change reason, e.g. "Imported from a workbook"; often blank


@dataclass(frozen=True)
class Completion:
    """An action that is Complete now and became Complete after the date."""

    action: Action
    when: datetime.datetime
    who: str


@dataclass(frozen=True)
class Changes:
    since: datetime.datetime
    # In the order they happened. A change reverted inside the window shows twice.
    rag_changes: list[RagChange]
    # Created at or after `since`, in plan order, leaving out those that came with their
    # plan (`arrived_with_plan`).
    new_actions: list[Action]
    # Became Complete at or after `since` and still Complete, most recent first.
    completed: list[Completion]
    # Received at or after `since`, newest first.
    updates: list[ProgressUpdate]
    # Not Complete and no update received at or after `since`, in plan order. Each carries
    # `last_update_at` and `last_update_date`: when its latest update was received and the
    # date that update is for, both None when it has never had one.
    not_updated: list[Action]


def changes_since(
    actions: QuerySet[Action],
    since: datetime.date | datetime.datetime,
    updates: QuerySet[ProgressUpdate] | None = None,
) -> Changes:
    """What moved in `actions` at or after `since`.

    A date means the start of that day in the site's time zone. Updates count from when
    they were received (`created_at`), not from the date they are written for (`date`):
    an update for "November 2021" is dated 1 November even when typed in on the 20th, so
    by its date it would be missed by a meeting on the 10th, though it arrived after it.
    """
    since = _as_datetime(since)
    # The updates the reader's lists read (`listed_updates`); those at OFFICIAL if not given.
    updates_read = listed_updates() if updates is None else updates
    in_set = actions.values("pk")
    history = Action.history.model
    rows = list(_rag_rows(history, in_set, since))
    updates = list(
        updates_read.filter(action__in=in_set, created_at__gte=since)
        .select_related("author", "created_by__person")
        .order_by("-created_at", "-pk")
    )
    # Every action any list names, each loaded once (an action can be in several lists).
    received = updates_read.filter(action=OuterRef("pk"), created_at__gte=since)
    latest = updates_read.filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
    recorded = history.objects.filter(id=OuterRef("pk"), history_date__gte=since)
    plan_created = Plan.history.model.objects.filter(id=OuterRef("theme__plan_id")).order_by(
        "history_date", "history_id"
    )
    listed = list(
        Action.objects.filter(pk__in=in_set)
        .annotate(
            updated=Exists(received),
            last_update_at=Subquery(latest.values("created_at")[:1]),
            last_update_date=Subquery(latest.values("date")[:1]),
            plan_created_at=Subquery(plan_created.values("history_date")[:1]),
        )
        .filter(
            ~Q(rag=RAG.COMPLETE)  # not updated, unless updated
            | Q(created_at__gte=since)  # new
            | Q(updated=True)  # in `updates`
            | Exists(recorded)  # may have a RAG change
        )
        # The few themes and plans once each, not a copy per action.
        .prefetch_related("theme__plan")
    )
    by_pk = {action.pk: action for action in listed}
    # Skipping what was deleted between these queries, should anything have been.
    updates = [update for update in updates if update.action_id in by_pk]
    for update in updates:
        update.action = by_pk[update.action_id]
    rag_changes, completed = _rag_changes(rows, by_pk)
    return Changes(
        since=since,
        rag_changes=rag_changes,
        new_actions=[
            action
            for action in listed
            if action.created_at >= since and not arrived_with_plan(action)
        ],
        completed=completed,
        updates=updates,
        # A Complete action is not expected to report any more.
        not_updated=[a for a in listed if not a.updated and a.rag != RAG.COMPLETE],
    )


def arrived_with_plan(action: Action) -> bool:
    """Whether the action came with its plan: created on the day the plan was (in the site's
    time zone), as every action is when a plan is loaded from the seed files or imported
    from a workbook as a new plan. Those actions are the plan itself, not actions added to
    it, so a plan set up since the last meeting does not make every action in it "new".
    `action.plan_created_at` is when the plan's history begins (None if it has none)."""
    if action.plan_created_at is None:
        return False
    return timezone.localdate(action.created_at) == timezone.localdate(action.plan_created_at)


def _as_datetime(since) -> datetime.datetime:
    if not isinstance(since, datetime.datetime):
        since = datetime.datetime.combine(since, datetime.time.min)
    if timezone.is_naive(since):
        since = timezone.make_aware(since)
    return since


def _rag_rows(history, in_set: QuerySet, since: datetime.datetime) -> QuerySet:
    """The history rows at or after `since` whose RAG differs from the row before them for
    the same action, and the first rows of actions created since, in the order written.

    Each row is compared with the previous one by LAG over the action's rows in date order.
    The previous row may be older than `since`, so the rows the window reads cannot be cut
    at `since`: they are cut to the actions that have any row since then, and the rows
    before `since` are dropped after LAG has read them.
    """
    in_date_order = {
        "partition_by": [F("id")],
        "order_by": [F("history_date").asc(), F("history_id").asc()],
    }
    touched = history.objects.filter(history_date__gte=since).values("id")
    return (
        history.objects.filter(id__in=in_set)
        .filter(id__in=touched)
        .annotate(
            # '' before an action's first row, which never equals a status.
            previous_rag=Window(Lag("rag", default=Value("")), **in_date_order),
            # The row's own date, as a window value: Django applies a filter on a plain
            # column before the window functions run (cutting the earlier rows LAG needs),
            # and a filter on a window value after them.
            at=Window(FirstValue("history_date"), frame=RowRange(0, 0), **in_date_order),
        )
        .filter(at__gte=since)
        .exclude(previous_rag=F("rag"))
        .order_by("history_date", "history_id")
        .values(
            "id",
            "rag",
            "previous_rag",
            "history_type",
            "history_date",
            "history_change_reason",
            "history_user_id",
            "history_user__username",
            "history_user__first_name",
            "history_user__last_name",
            "history_user__person__name",
        )
    )


def _rag_changes(rows: list[dict], by_pk: dict[int, Action]):
    rag_changes, became_complete = [], {}
    for row in rows:
        action = by_pk.get(row["id"])
        if action is None:  # deleted since the history was read
            continue
        name = _who(row)
        when = row["history_date"]
        if row["previous_rag"]:
            rag_changes.append(
                RagChange(
                    action=action,
                    from_rag=_rag(row["previous_rag"]),
                    to_rag=_rag(row["rag"]),
                    who=name,
                    when=when,
                    reason=row["history_change_reason"] or "",
                )
            )
        elif row["history_type"] != "+":
            # The first row kept of an action recorded before history was kept: no earlier
            # status to compare with, so no change can be said to have happened.
            continue
        if row["rag"] == RAG.COMPLETE:
            # Later rows overwrite earlier ones: the last time it became Complete counts.
            became_complete[action.pk] = Completion(action=action, when=when, who=name)
    completed = [
        completion
        for completion in became_complete.values()
        if completion.action.rag == RAG.COMPLETE  # reopened since: not completed
    ]
    completed.sort(key=lambda completion: completion.when, reverse=True)
    return rag_changes, completed


def _who(row: dict) -> str:
    """How a history row names its user: their person's name if they have one."""
    if row["history_user_id"] is None:
        return NOT_RECORDED
    return name_of(
        person_name=row["history_user__person__name"],
        full_name=f"{row['history_user__first_name']} {row['history_user__last_name']}",
        username=row["history_user__username"],
    )


def _rag(value: str) -> RAG:
    try:
        return RAG(value)
    except ValueError:  # a status no longer offered, in an old row
        return RAG.NOT_RATED


# ---- direction of travel ---------------------------------------------------------------------

# From worst to best: a move to a later status is better. Not rated is on no side.
SEVERITY = (RAG.RED, RAG.AMBER, RAG.GREEN, RAG.COMPLETE)


@dataclass(frozen=True)
class Travel:
    """How an action came to its RAG status, from its history: the status it had before
    (`previous`, None if it has had no other) and when it took the one it has (`changed`;
    when it was created if it never changed, None if the history does not say)."""

    rag: RAG
    previous: RAG | None
    changed: datetime.datetime | None

    @property
    def direction(self) -> str:
        """ "worse", "better" or "" (no earlier status, or Not rated on either side)."""
        if self.previous not in SEVERITY or self.rag not in SEVERITY:
            return ""
        step = SEVERITY.index(self.rag) - SEVERITY.index(self.previous)
        return "better" if step > 0 else "worse" if step < 0 else ""

    @property
    def words(self) -> str:
        """E.g. "Worse: Amber until 3 Nov 2021" or "No earlier status: Red since 1 Nov 2021"."""
        when = show_date(self.changed and timezone.localdate(self.changed), SHORT_DATE)
        if self.previous is None:
            return f"No earlier status; {self.rag.label} since {when}" if when else "No history"
        direction = f"{self.direction.capitalize()}: " if self.direction else ""
        return f"{direction}was {self.previous.label} until {when}"


def rag_travel(actions: list[Action]) -> dict[int, Travel]:
    """Each action's `Travel` (by pk), read from its change history: one query, of the rows
    that set a status (the first, and each that differs from the one before)."""
    if not actions:
        return {}
    history = Action.history.model
    in_date_order = {
        "partition_by": [F("id")],
        "order_by": [F("history_date").asc(), F("history_id").asc()],
    }
    rows = (
        history.objects.filter(id__in=[action.pk for action in actions])
        .annotate(previous_rag=Window(Lag("rag", default=Value("")), **in_date_order))
        .exclude(previous_rag=F("rag"))
        .order_by("id", "history_date", "history_id")
        .values_list("id", "previous_rag", "history_type", "history_date")
    )
    found: dict[int, tuple] = {}
    for pk, previous, kind, when in rows:
        if previous:
            found[pk] = (_rag(previous), when)
        else:
            # The first row: the status the action was created with, or, when the history
            # began after it was created, one whose start is not known.
            found[pk] = (None, when if kind == "+" else None)
    travels = {}
    for action in actions:
        previous, when = found.get(action.pk, (None, None))
        travels[action.pk] = Travel(rag=_rag(action.rag), previous=previous, changed=when)
    return travels
