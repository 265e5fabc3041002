"""Reads that the pages and dashboards share: actions with what a reader needs to know about
them (last update, overdue, stale), in the plan's reading order, and their RAG counts.

Every function here starts from, or is given, a queryset that `actions.permissions` has
already limited to what the user may see; none of them widens it.

Terms, as the pages use them:

- last update: the date of the action's newest progress update (None if it has none);
- overdue: the end date has passed (before today) and the action is not complete; an end
  written only in words ("Ongoing", "TBC") is never overdue;
- stale: not complete, and no progress update dated within the last
  `settings.STALE_AFTER_WEEKS` weeks (an action never updated is stale);
- needs attention (My actions): overdue, stale or red, in a plan that is not closed.
"""

import datetime

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from actions.models import Action, Plan, ProgressUpdate
from actions.permissions import (
    actions_led_by,
    editable_actions,
    visible_actions,
    visible_plans,
)
from actions.rag import RAG
from boards.models import Board, Organisation, Person

# The My actions groups, in the order the page shows them.
ATTENTION = ("overdue", "stale", "red")


def stale_cutoff(today: datetime.date | None = None) -> datetime.date:
    """The earliest update date that still counts as recent: an action whose last update is
    before it (or that has none) has not been updated in `STALE_AFTER_WEEKS` weeks."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(weeks=settings.STALE_AFTER_WEEKS)


def _flag(condition: Q) -> Case:
    # Case rather than a bare comparison: `end_date < today` is NULL when there is no end
    # date, and NULLs sort first in PostgreSQL's descending order but last in SQLite's.
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _newest_update():
    # The model's own order: newest date first, then the one written last.
    return ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by(
        "-date", "-created_at", "-pk"
    )


def with_progress(queryset: QuerySet[Action], today: datetime.date | None = None):
    """Annotate `last_update` (date or None), `is_overdue` and `is_stale` (booleans)."""
    today = today or timezone.localdate()
    not_complete = ~Q(rag=RAG.COMPLETE)
    return queryset.annotate(
        last_update=Subquery(_newest_update().values("date")[:1]),
    ).annotate(
        is_overdue=_flag(Q(end_date__lt=today) & not_complete),
        is_stale=_flag(
            (Q(last_update__isnull=True) | Q(last_update__lt=stale_cutoff(today))) & not_complete
        ),
    )


def reading_order() -> list:
    """Order by plan, then themes as the plan reads: each top-level theme's own actions, then
    those of its sub-themes, each in their order. Layouts have at most two levels of theme."""
    top_order = Coalesce("theme__parent__order", "theme__order")
    top_id = Coalesce("theme__parent_id", "theme_id")
    in_sub_theme = _flag(Q(theme__parent__isnull=False))
    return [
        "theme__plan_id",
        top_order,
        top_id,
        in_sub_theme,
        "theme__order",
        "theme_id",
        "order",
        "pk",
    ]


def with_can_edit(queryset: QuerySet[Action], user) -> QuerySet[Action]:
    """Annotate `can_edit`: whether the user may update the action (one subquery, rather
    than asking `permissions.can_edit_action` row by row)."""
    return queryset.annotate(can_edit=Exists(editable_actions(user).filter(pk=OuterRef("pk"))))


def my_actions(user, today: datetime.date | None = None) -> QuerySet[Action]:
    """The actions the user leads, by name or through their organisation, that they may see;
    annotated as `with_progress` and `with_can_edit`, plus `needs_attention`; what needs
    attention first (overdue, then red, then stale), then by end date and reading order."""
    led = actions_led_by(user).filter(pk__in=visible_actions(user).values("pk"))
    actions = with_progress(led, today).select_related("theme__plan", "theme__parent")
    actions = with_can_edit(actions, user).annotate(
        needs_attention=_flag(
            ~Q(theme__plan__status=Plan.Status.CLOSED)
            & (Q(is_overdue=True) | Q(is_stale=True) | Q(rag=RAG.RED))
        ),
    )
    return actions.order_by(
        F("needs_attention").desc(),
        F("is_overdue").desc(),
        _flag(Q(rag=RAG.RED)).desc(),
        F("is_stale").desc(),
        F("end_date").asc(nulls_last=True),
        "theme__plan__title",
        *reading_order(),
    )


def attention_filter(group: str) -> Q:
    """The actions of `my_actions` in one of the ATTENTION groups."""
    conditions = {"overdue": Q(is_overdue=True), "stale": Q(is_stale=True), "red": Q(rag=RAG.RED)}
    return Q(needs_attention=True) & conditions[group]


def attention_counts(actions: QuerySet[Action]) -> dict[str, int]:
    """How many of `my_actions` are in each ATTENTION group, in all ("total"), and how many
    plans they are in ("plans"): one query."""
    counts = {group: Count("pk", filter=attention_filter(group)) for group in ATTENTION}
    return actions.order_by().aggregate(
        total=Count("pk"), plans=Count("theme__plan_id", distinct=True), **counts
    )


def plan_actions(plan: Plan, user, today: datetime.date | None = None) -> QuerySet[Action]:
    """The actions of `plan` the user may see, in reading order, annotated as
    `with_progress` and with `last_update_text` (the newest update's words), with their
    themes (and parent themes), monitoring boards, lead people and lead organisations
    loaded: joins, and two prefetch queries however many actions."""
    actions = visible_actions(user).filter(theme__plan=plan)
    people = Person.objects.order_by("name")
    organisations = Organisation.objects.order_by("name")
    return (
        with_progress(actions, today)
        .annotate(last_update_text=Subquery(_newest_update().values("text")[:1]))
        .select_related("theme__parent", "theme__monitoring_board", "monitoring_board")
        .prefetch_related(
            Prefetch("lead_people", queryset=people),
            Prefetch("lead_organisations", queryset=organisations),
        )
        .order_by(*reading_order())
    )


def rag_counts(actions: QuerySet[Action]) -> dict[str, int]:
    """How many of the actions have each RAG status, keyed by every `RAG` value (zero
    included), in one aggregate query."""
    return actions.order_by().aggregate(
        **{rag.value: Count("pk", filter=Q(rag=rag)) for rag in RAG}
    )


def rag_counts_by(actions: QuerySet[Action], key: str) -> dict[object, dict[str, int]]:
    """`rag_counts` grouped by a field, e.g. "theme__plan_id" or "theme_id": one query.
    Groups with no actions are absent."""
    rows = (
        actions.order_by()
        .values(key)
        .annotate(**{rag.value: Count("pk", filter=Q(rag=rag)) for rag in RAG})
    )
    return {row.pop(key): row for row in rows}


def plans_with_counts(user) -> tuple[QuerySet[Plan], dict[int, dict[str, int]]]:
    """The plans the user may see, by partnership then newest first, and the RAG counts of
    the actions they may see in each (two queries)."""
    plans = (
        visible_plans(user)
        .select_related("partnership", "board")
        .order_by(
            "partnership__name",
            "partnership_id",
            F("period_start").desc(nulls_last=True),
            "title",
        )
    )
    counts = rag_counts_by(visible_actions(user), "theme__plan_id")
    return plans, counts


def lead_people_of(actions: QuerySet[Action]) -> QuerySet[Person]:
    """The people named as leads of any of the actions."""
    through = Action.lead_people.through.objects.filter(action__in=actions.values("pk"))
    return Person.objects.filter(pk__in=through.values("person_id")).order_by("name")


def organisations_of(actions: QuerySet[Action], role: str) -> QuerySet[Organisation]:
    """The organisations that lead (`role` "lead") or support ("supporting") any of the
    actions."""
    through = {
        "lead": Action.lead_organisations.through,
        "supporting": Action.supporting_organisations.through,
    }[role]
    used = through.objects.filter(action__in=actions.values("pk")).values("organisation_id")
    return Organisation.objects.filter(pk__in=used).order_by("name")


def monitoring_boards_of(actions: QuerySet[Action]) -> QuerySet[Board]:
    """The boards that monitor any of the actions, as `monitored_by` has it."""
    own = actions.filter(monitoring_board__isnull=False).values("monitoring_board_id")
    inherited = actions.filter(monitoring_board__isnull=True).values("theme__monitoring_board_id")
    return Board.objects.filter(Q(pk__in=own) | Q(pk__in=inherited)).order_by(
        "partnership_id", "order", "name"
    )
