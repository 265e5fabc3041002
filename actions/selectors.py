"""Reads that the pages and dashboards share: actions with what a reader needs to know about
them (last update, overdue, stale), in the plan's reading order, and their RAG counts.

Every function here starts from, or is given, a queryset that `actions.permissions` has
already limited to what the user may see; none of them widens it.

The rules chairs act on are defined here once, in SQL (and in Python where a page needs
them on rows already loaded), and every page, pack, export and dashboard uses them:

- newest update: an action's progress update with the latest date, of those the one
  written last (`NEWEST_FIRST`, `newest_update`); its date is the action's last update
  (None if it has none);
- overdue: the end date has passed (before today) and the action is not complete; an end
  written only in words ("Ongoing", "TBC") is never overdue (`overdue_condition`, and
  `is_overdue` in Python);
- stale: not complete, and no progress update dated within the last
  `settings.STALE_AFTER_WEEKS` weeks (an action never updated is stale), counting only the
  updates the reader may see (`listed_updates`), as the newest update does
  (`stale_cutoff`, `not_updated_since`, `stale_condition`);
- monitored by: the action's own monitoring board, else its theme's (`monitor_id` and
  `monitored_by` in SQL, `monitoring_board` in Python);
- RAG counts: how many actions have each status, zero included, overall and grouped
  (`rag_aggregates`, `rag_counts`, `rag_counts_by`, `zero_counts`, `add_counts`);
- needs attention (My actions): overdue, stale or red, in a plan that is not closed;
- next year's Draft and last year's replaced plan: a Draft plan rolling over another until
  it is activated, and a plan closed by its successor's activation, left out of My actions,
  a board's pages, the boards' tree and reminders (`next_years_draft`, `replaced_plan`,
  `not_this_years`);
- effective marking: the highest protective marking of an action, its theme, the theme's
  parent and its plan (`sensitive_condition`, `official_condition`, `with_marking` in SQL,
  `effective_marking` in Python), and of a progress update the higher of its own and its
  action's; the highest marking of what a page or document holds (`highest_marking`).
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, In, IsNull

# A module import, not names: permissions uses the rules below (monitored_by), and the
# two modules import each other.
from actions import permissions
from actions.models import Action, Marking, PanelFeedback, Plan, ProgressUpdate, Theme
from actions.rag import RAG
from boards.models import Board, Organisation, Person
from cspplan import clock

# What makes one of My actions need the user first, in the order the page shows it.
ATTENTION = ("overdue", "stale", "red")
# My actions' two lists, in the order the page shows them: the actions that name the user as
# a lead, and those their organisation leads that do not.
MY_LISTS = ("named", "organisation")


def _flag(condition: Q) -> Case:
    # Case rather than a bare comparison: `end_date < today` is NULL when there is no end
    # date, and NULLs sort first in PostgreSQL's descending order but last in SQLite's.
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


# Protective marking --------------------------------------------------------------------------

SENSITIVE = Marking.OFFICIAL_SENSITIVE
# Where an action's marking can come from, from itself outwards. Themes have two levels at
# most (a layout's section and objective), so the parent is the last theme to ask.
MARKED_PATHS = ("marking", "theme__marking", "theme__parent__marking", "theme__plan__marking")


def sensitive_condition(prefix: str = "") -> Q:
    """Actions (or, with `prefix` "action__", what belongs to them) whose effective marking is
    OFFICIAL-SENSITIVE: marked so themselves, or in a theme or plan so marked."""
    condition = Q()
    for path in MARKED_PATHS:
        condition |= Q(**{f"{prefix}{path}": SENSITIVE})
    return condition


def official_condition(prefix: str = "") -> Q:
    """The complement of `sensitive_condition`, stated positively: a theme with no parent
    passes on no marking (a negated join through a missing parent would say NULL)."""
    return (
        Q(**{f"{prefix}marking": Marking.OFFICIAL})
        & Q(**{f"{prefix}theme__marking": Marking.OFFICIAL})
        & (
            Q(**{f"{prefix}theme__parent__isnull": True})
            | Q(**{f"{prefix}theme__parent__marking": Marking.OFFICIAL})
        )
        & Q(**{f"{prefix}theme__plan__marking": Marking.OFFICIAL})
    )


def sensitive_update_condition() -> Q:
    """Progress updates whose effective marking is OFFICIAL-SENSITIVE: their own, or their
    action's."""
    return Q(marking=SENSITIVE) | sensitive_condition("action__")


def theme_sensitive_condition(prefix: str = "") -> Q:
    """Themes marked OFFICIAL-SENSITIVE themselves, by their parent or by their plan."""
    return (
        Q(**{f"{prefix}marking": SENSITIVE})
        | Q(**{f"{prefix}parent__marking": SENSITIVE})
        | Q(**{f"{prefix}plan__marking": SENSITIVE})
    )


def with_marking(actions: QuerySet[Action]) -> QuerySet[Action]:
    """The actions annotated with `effective_marking` (a `Marking` value)."""
    return actions.annotate(
        effective_marking=Case(
            When(sensitive_condition(), then=Value(SENSITIVE.value)),
            default=Value(Marking.OFFICIAL.value),
        )
    )


def highest(markings: Iterable[str]) -> Marking:
    """The highest of `markings` (OFFICIAL for none)."""
    return SENSITIVE if SENSITIVE in set(markings) else Marking.OFFICIAL


def effective_marking(item) -> Marking:
    """The effective marking of a loaded plan, theme, action or progress update: its own or
    that of what it sits in, whichever is higher. Reads the item's theme, parent and plan
    (select them with it to save the queries)."""
    markings = [item.marking]
    if isinstance(item, ProgressUpdate):
        return highest([item.marking, effective_marking(item.action)])
    if isinstance(item, Action):
        item = item.theme
        markings.append(item.marking)
    if isinstance(item, Theme):
        if item.parent_id:
            markings.append(item.parent.marking)
        markings.append(item.plan.marking)
    return highest(markings)


def highest_marking(items) -> Marking:
    """The highest effective marking among `items`: a queryset of actions or of progress
    updates (one query), or loaded plans, themes, actions and updates. What a page, a
    document or a download states at its head; what a log of downloads records."""
    if isinstance(items, QuerySet):
        if items.model is Action:
            sensitive = items.filter(sensitive_condition())
        elif items.model is ProgressUpdate:
            sensitive = items.filter(sensitive_update_condition())
        elif items.model is Theme:
            sensitive = items.filter(theme_sensitive_condition())
        else:
            sensitive = items.filter(marking=SENSITIVE)
        return SENSITIVE if sensitive.exists() else Marking.OFFICIAL
    return highest(effective_marking(item) for item in items)


def listed_updates(user=None) -> QuerySet[ProgressUpdate]:
    """The progress updates that lists of many actions read (the newest update, since the
    last meeting, the pack) for `user`: those marked OFFICIAL-SENSITIVE on their own only
    where the user may see them (`permissions.marked_updates_ok`); with no user, none of
    those (what is produced at OFFICIAL). An update of a marked action is covered by its
    action's marking and listed with it. Lists filter their actions by what the user may
    see; this says which of those actions' updates they read."""
    if user is None:
        return ProgressUpdate.objects.exclude(marking=SENSITIVE)
    return ProgressUpdate.objects.filter(permissions.marked_updates_ok(user))


def years_either_side(plan: Plan) -> QuerySet[Plan]:
    """Last year's plan and next year's: the one `plan` was rolled over from and those
    rolled over from it, oldest first. Every one of them: narrow to what the user may
    open (`permissions.may_open_plan`)."""
    return Plan.objects.filter(Q(pk=plan.predecessor_id) | Q(predecessor=plan)).order_by(
        "period_start", "pk"
    )


def plan_marking(plan: Plan) -> Marking:
    """The highest marking of everything in the plan (itself, its themes, actions and their
    progress updates): what a whole plan's workbook states."""
    if plan.marking == SENSITIVE:
        return SENSITIVE
    held = (
        Theme.objects.filter(plan=plan),
        Action.objects.filter(theme__plan=plan),
        ProgressUpdate.objects.filter(action__theme__plan=plan),
    )
    return highest(highest_marking(items) for items in held)


# The newest update ---------------------------------------------------------------------------

# An action's progress updates, newest first: the latest date, then the one written last.
# The index `progressupdate_newest` (actions/models.py) serves this order.
NEWEST_FIRST = ("-date", "-created_at", "-pk")


def newest_update(field: str, updates: QuerySet[ProgressUpdate] | None = None) -> Subquery:
    """`field` ("date", "text", "marking", ...) of the action's newest progress update among
    `updates` (`listed_updates` for the reader; those at OFFICIAL if not given), None if it
    has none: a subquery on the action's `pk`."""
    updates = listed_updates() if updates is None else updates
    updates = updates.filter(action=OuterRef("pk")).order_by(*NEWEST_FIRST)
    return Subquery(updates.values(field)[:1])


# Overdue and stale ---------------------------------------------------------------------------


def overdue_condition(today: datetime.date | None = None) -> Q:
    """Overdue: past its end date (before today) and not complete."""
    today = today or clock.today()
    return Q(end_date__lt=today) & ~Q(rag=RAG.COMPLETE)


def is_overdue(action: Action, today: datetime.date | None = None) -> bool:
    """`overdue_condition` in Python, for an action already loaded."""
    today = today or clock.today()
    return action.end_date is not None and action.end_date < today and action.rag != RAG.COMPLETE


def stale_cutoff(today: datetime.date | None = None) -> datetime.date:
    """The earliest update date that still counts as recent: an action whose last update is
    before it (or that has none) has not been updated in `STALE_AFTER_WEEKS` weeks."""
    today = today or clock.today()
    return today - datetime.timedelta(weeks=settings.STALE_AFTER_WEEKS)


def not_updated_since(
    date: datetime.date | None, updates: QuerySet[ProgressUpdate] | None = None
) -> Q:
    """No progress update among `updates` dated on or after `date` (none at all included;
    with `date` None, none at all): the newest update the reader may see, if any, is
    older. `updates` as `newest_update` takes them (`listed_updates` for the reader; those
    at OFFICIAL if not given), so that an update the reader may not see neither makes an
    action recent nor shows that it exists.
    NOT EXISTS rather than a test of the newest update's date, so that the database looks
    for one recent update per action instead of sorting each action's updates
    (benchmarks/README.md)."""
    updates = listed_updates() if updates is None else updates
    recent = updates.filter(action=OuterRef("pk"))
    if date is not None:
        recent = recent.filter(date__gte=date)
    return ~Exists(recent)


def stale_condition(
    today: datetime.date | None = None, updates: QuerySet[ProgressUpdate] | None = None
) -> Q:
    """Stale: not complete, and not updated since `stale_cutoff` (counting only `updates`:
    see `not_updated_since`)."""
    return ~Q(rag=RAG.COMPLETE) & not_updated_since(stale_cutoff(today), updates)


def stale_by_newest(newest, today: datetime.date | None = None) -> Case:
    """`stale_condition` read from `newest`, an expression of the action's newest update's
    date (`newest_update("date", updates)`): the same rule, not complete and no update on
    or after the cutoff (none at all, or the newest older), for a query that looks up the
    newest update anyway (My actions). There it is one look-up of each listed action's
    updates, where NOT EXISTS let PostgreSQL choose to read every partnership's recent
    updates (benchmarks/README.md, the load test). Tested equal to `stale_condition` in
    tests/actions/test_plan_scoped_rules.py."""
    return Case(
        When(rag=RAG.COMPLETE, then=Value(False)),
        When(GreaterThanOrEqual(newest, stale_cutoff(today)), then=Value(False)),
        default=Value(True),
        output_field=BooleanField(),
    )


def with_progress(
    queryset: QuerySet[Action],
    today: datetime.date | None = None,
    updates: QuerySet[ProgressUpdate] | None = None,
):
    """Annotate `last_update` (the newest update's date, or None), `is_overdue` and
    `is_stale` (booleans), reading `updates` (`listed_updates` for the reader; those at
    OFFICIAL if not given)."""
    today = today or clock.today()
    return queryset.annotate(
        last_update=newest_update("date", updates),
        is_overdue=_flag(overdue_condition(today)),
        is_stale=_flag(stale_condition(today, updates)),
    )


# Monitored by --------------------------------------------------------------------------------


def monitor_id():
    """The id of the board that monitors the action, as SQL: the action's own monitoring
    board, else its theme's (None if neither names one). `monitoring_board` is the same
    rule in Python."""
    return Coalesce(
        "monitoring_board_id",
        "theme__monitoring_board_id",
        # So that `monitored_by` takes board ids given as text, from a form, as numbers.
        output_field=IntegerField(),
    )


def monitored_by(boards: Iterable[int]) -> Q:
    """Actions monitored (`monitor_id`) by one of `boards` (pks). One rule for what a chair
    sees, a board's dashboard counts and the plan page's monitoring filter, so every
    dashboard number has a page."""
    monitor = monitor_id()
    # IS NOT NULL as well, so that the condition is false, never NULL, for an action no board
    # monitors, and its negation (exclude) true.
    return Q(In(monitor, list(boards))) & Q(IsNull(monitor, False))


def plans_monitored_by(boards: Iterable[int]) -> Q:
    """Plans holding an action that one of `boards` monitors (`monitored_by`), as a
    condition on plans. The same rule, written so that the database can find those actions
    by its indexes (an action's own monitoring board; or none, and its theme's) rather
    than work out `monitor_id` for every action of every partnership; tested equal to the
    plans of `monitored_by`'s actions (tests/actions/test_plan_scoped_rules.py)."""
    boards = list(boards)
    own = Action.objects.filter(monitoring_board_id__in=boards)
    themes = Action.objects.filter(
        monitoring_board__isnull=True, theme__monitoring_board_id__in=boards
    )
    return Q(pk__in=own.values("theme__plan_id")) | Q(pk__in=themes.values("theme__plan_id"))


def owned_or_monitored(boards: Iterable[int]) -> Q:
    """Actions of the plans that `boards` (pks) own, and those the boards monitor: a board's
    scope, before what a user may see of it."""
    return Q(theme__plan__board_id__in=boards) | monitored_by(boards)


def monitoring_board(action: Action) -> Board | None:
    """The board that monitors the action, as `monitor_id` has it in SQL: its own
    monitoring board, else its theme's."""
    if action.monitoring_board_id is not None:
        return action.monitoring_board
    return action.theme.monitoring_board


# RAG counts ----------------------------------------------------------------------------------


def rag_aggregates() -> dict[str, Count]:
    """A count of the actions of each RAG status, by status value, to aggregate or
    annotate with (the SQL behind `rag_counts` and `rag_counts_by`)."""
    return {rag.value: Count("pk", filter=Q(rag=rag)) for rag in RAG}


def zero_counts() -> dict[str, int]:
    """RAG counts of no actions: every status, at zero."""
    return dict.fromkeys(RAG.values, 0)


def add_counts(into: dict[str, int], counts: dict) -> None:
    """Add `counts` (anything keyed by every RAG value, e.g. a row of `rag_counts_by`) to
    the RAG counts `into`."""
    for rag in RAG.values:
        into[rag] += counts[rag]


def rag_counts(actions: QuerySet[Action]) -> dict[str, int]:
    """How many of the actions have each RAG status, keyed by every `RAG` value (zero
    included), in one aggregate query."""
    return actions.order_by().aggregate(**rag_aggregates())


def rag_counts_by(actions: QuerySet[Action], key: str) -> dict[object, dict[str, int]]:
    """`rag_counts` grouped by a field, e.g. "theme__plan_id" or "theme_id": one query.
    Groups with no actions are absent."""
    rows = actions.order_by().values(key).annotate(**rag_aggregates())
    return {row.pop(key): row for row in rows}


# Next year's Draft ---------------------------------------------------------------------------


def next_years_draft(prefix: str = "theme__plan__") -> Q:
    """Plans (`prefix` ""), or what is in them (actions: "theme__plan__"), that are next
    year's Draft: a Draft plan rolling over another (its `predecessor`; the rollover app).
    It carries this year's unfinished actions again, so the lists and counts of everyday
    work (My actions, a board's dashboards and pack, the board tree, reminders) leave it
    out until it is activated, and count and list each of those actions once, in the plan
    being worked to. The Draft has its own plan pages and dashboard."""
    return Q(**{f"{prefix}status": Plan.Status.DRAFT, f"{prefix}predecessor__isnull": False})


def replaced_plan(prefix: str = "theme__plan__") -> Q:
    """Plans (`prefix` ""), or what is in them, that are last year's: closed because the
    plan that carries on their unfinished actions has been activated (`successors`). Their
    actions live on in that plan, so everyday work leaves them out as it leaves out next
    year's Draft; a plan closed with no successor (one whose period simply ended) stays."""
    return Q(
        **{
            f"{prefix}status": Plan.Status.CLOSED,
            f"{prefix}successors__status__in": [Plan.Status.ACTIVE, Plan.Status.CLOSED],
        }
    )


def not_this_years(prefix: str = "theme__plan__") -> Q:
    """Next year's Draft and last year's replaced plan: what My actions, a board's pages,
    the boards' tree and reminders leave out, so that an action carried from one year to
    the next is counted and listed once, in the plan being worked to."""
    return next_years_draft(prefix) | replaced_plan(prefix)


# Reading order and the pages' lists ------------------------------------------------------------


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


def reading_order_by_theme(theme_ids: list[int]) -> list:
    """`reading_order` for actions whose themes' order is already known: `theme_ids` in the
    order to read them (each plan's as `reading_order` orders its themes), then each
    theme's actions in their order. The database then sorts by one number per theme, with
    no joins to the themes, their parents and plans: at 10,000 actions the dashboards'
    lists take a third to a half of the time (benchmarks/README.md). A theme not named
    sorts last."""
    if not theme_ids:
        # No rank to give: a CASE of its default alone is a constant, which PostgreSQL
        # reads in an ORDER BY as a column's position.
        return ["order", "pk"]
    rank = Case(
        *(When(theme_id=pk, then=Value(n)) for n, pk in enumerate(theme_ids)),
        default=Value(len(theme_ids)),
        output_field=IntegerField(),
    )
    return [rank, "order", "pk"]


def with_can_edit(queryset: QuerySet[Action], user) -> QuerySet[Action]:
    """Annotate `can_edit`: whether the user may update the action (one subquery, rather
    than asking `permissions.can_edit_action` row by row)."""
    editable = permissions.editable_actions(user).filter(pk=OuterRef("pk"))
    return queryset.annotate(can_edit=Exists(editable))


def my_actions(user, today: datetime.date | None = None) -> QuerySet[Action]:
    """The actions the user leads, by name or through their organisation, that they may see;
    annotated as `with_progress` (reading the updates the user may see) and `with_can_edit`,
    plus `last_update_marking`, `named` (the user is a named lead) and `needs_attention`;
    what needs attention first (overdue, then red, then stale), then by end date and reading
    order."""
    # Which actions, asked first and on their own (a short list of ids), then read with all
    # that is shown of them. As one query, PostgreSQL guessed that most actions of every
    # partnership might be the user's and looked up whether each action anywhere had a
    # recent update, rather than for the user's alone: most of the page's time at 32
    # partnerships of 300 actions (benchmarks/README.md, the load test). `actions_led_by`
    # holds only what the user may see (what they lead is in `visible_actions`' scope, and
    # both leave out the marked actions they may not see), so it needs no further filter.
    ids = list(
        permissions.actions_led_by(user)
        .exclude(not_this_years())
        .order_by()
        .values_list("pk", flat=True)
    )
    led = Action.objects.filter(pk__in=ids)
    names_them = Action.lead_people.through.objects.filter(
        action=OuterRef("pk"), person_id=permissions.access_for(user).person_id
    )
    # The last update and staleness as the user may see them (`listed_updates`); the last
    # update's own marking, to tag it and mark the page. As `with_progress` annotates them,
    # but stale read from the newest update (`stale_by_newest`), looked up once per action.
    today = today or clock.today()
    updates = listed_updates(user)
    newest = newest_update("date", updates)
    actions = led.annotate(
        last_update=newest,
        is_overdue=_flag(overdue_condition(today)),
        is_stale=stale_by_newest(newest, today),
        last_update_marking=newest_update("marking", updates),
    ).select_related("theme__plan", "theme__parent")
    actions = with_can_edit(actions, user).annotate(
        named=Exists(names_them),
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


def my_list_filter(which: str) -> Q:
    """The actions of `my_actions` in one of MY_LISTS. An action that names the user and is
    led by their organisation as well is in "named" alone, so each is listed once."""
    return Q(named=(which == "named"))


def attention_filter(group: str) -> Q:
    """The actions of `my_actions` in one of the ATTENTION groups."""
    conditions = {"overdue": Q(is_overdue=True), "stale": Q(is_stale=True), "red": Q(rag=RAG.RED)}
    return Q(needs_attention=True) & conditions[group]


def my_actions_counts(actions: QuerySet[Action]) -> dict:
    """For each of MY_LISTS, a dict of how many of `my_actions` it holds ("total") and how
    many of those are in each ATTENTION group; and how many plans the actions are in
    ("plans"): one query."""
    aggregates = {}
    for which in MY_LISTS:
        in_list = my_list_filter(which)
        aggregates[f"{which}__total"] = Count("pk", filter=in_list)
        for group in ATTENTION:
            aggregates[f"{which}__{group}"] = Count("pk", filter=in_list & attention_filter(group))
    row = actions.order_by().aggregate(plans=Count("theme__plan_id", distinct=True), **aggregates)
    counts = {"plans": row["plans"]}
    for which in MY_LISTS:
        counts[which] = {key: row[f"{which}__{key}"] for key in ("total", *ATTENTION)}
    return counts


def plan_actions(plan: Plan, user) -> QuerySet[Action]:
    """The actions of `plan` the user may see, in reading order: what the plan page filters,
    counts and pages (`listed_actions` for the page's own)."""
    return permissions.visible_in_plan(user, plan).order_by(*reading_order())


def with_details(
    actions: QuerySet[Action],
    updates: QuerySet[ProgressUpdate] | None = None,
    with_themes: bool = True,
) -> QuerySet[Action]:
    """What a list of actions shows of each: annotated with `last_update`,
    `last_update_text` and `last_update_marking` (the newest of `updates`' date, words and
    own marking: see `newest_update`), with their theme, its parent and its plan (unless
    not `with_themes`: a caller that has them). Add their leads' names with
    `with_lead_names`."""
    actions = actions.annotate(
        last_update=newest_update("date", updates),
        last_update_text=newest_update("text", updates),
        last_update_marking=newest_update("marking", updates),
    )
    return actions.select_related("theme__parent", "theme__plan") if with_themes else actions


def shown_update_markings(actions: Iterable[Action]) -> list[str]:
    """The markings of the newest updates `with_details` gave `actions` (for the highest
    marking of a page that shows them)."""
    return [action.last_update_marking for action in actions if action.last_update_marking]


def listed_actions(
    actions: QuerySet[Action],
    ids: list[int],
    updates: QuerySet[ProgressUpdate] | None = None,
    themes: dict[int, Theme] | None = None,
) -> list[Action]:
    """The actions `ids` of `actions`, in that order, `with_details` (reading `updates`) and
    `with_lead_names`: three queries. Pages choose the actions they list by id first, with
    a query that reads no more than it sorts, and then read these details for those
    actions alone. `themes` (by pk, with their parents and plans), where the caller has
    them already, are given to the actions rather than read again with each."""
    if not ids:
        return []
    details = with_details(actions.filter(pk__in=ids), updates, with_themes=themes is None)
    by_pk = {action.pk: action for action in details.order_by()}
    if themes is not None:
        # Any theme the caller did not have, read at once rather than one by one.
        missing = {action.theme_id for action in by_pk.values()} - set(themes)
        if missing:
            themes = {**themes, **Theme.objects.select_related("parent", "plan").in_bulk(missing)}
        for action in by_pk.values():
            action.theme = themes[action.theme_id]
    by_pk = with_lead_names(by_pk)
    return [by_pk[pk] for pk in ids]


def with_lead_names(actions: dict[int, Action]) -> dict[int, Action]:
    """Give each action (by pk) `lead_people_names` and `lead_organisation_names` (each
    organisation as its short name, else its name, as `str` has it), in name order: two
    queries of plain values, lighter than prefetching the people and organisations."""
    for action in actions.values():
        action.lead_people_names, action.lead_organisation_names = [], []
    people = (
        Action.lead_people.through.objects.filter(action_id__in=actions)
        .order_by("person__name", "person_id")
        .values_list("action_id", "person__name")
    )
    for action_id, name in people:
        actions[action_id].lead_people_names.append(name)
    organisations = (
        Action.lead_organisations.through.objects.filter(action_id__in=actions)
        .order_by("organisation__name", "organisation_id")
        .values_list("action_id", "organisation__short_name", "organisation__name")
    )
    for action_id, short_name, name in organisations:
        actions[action_id].lead_organisation_names.append(short_name or name)
    return actions


def plans_with_counts(user) -> tuple[QuerySet[Plan], dict[int, dict[str, int]]]:
    """The plans the user may see, by partnership then newest first, and the RAG counts of
    the actions they may see in each (two queries)."""
    plans = (
        permissions.visible_plans(user)
        .select_related("partnership", "board")
        .order_by(
            "partnership__name",
            "partnership_id",
            F("period_start").desc(nulls_last=True),
            "title",
        )
    )
    counts = rag_counts_by(permissions.visible_actions(user), "theme__plan_id")
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


def monitoring_boards_of(actions: QuerySet[Action], themes: Iterable[int]) -> QuerySet[Board]:
    """The boards that monitor any of the actions (`monitor_id`), whose themes are among
    `themes` (pks). As `plans_monitored_by`, written so that the database finds them by its
    indexes: the actions that name a monitoring board of their own, and for each theme,
    whether one of its actions names none and so is monitored by the theme's; rather than
    work out `monitor_id` for every action (at 10,000 actions, 4 ms against 0.5). Tested
    equal to the boards of `monitor_id` (tests/actions/test_read_rules.py)."""
    own = actions.filter(monitoring_board__isnull=False).order_by().values("monitoring_board")
    naming_none = actions.filter(theme=OuterRef("pk"), monitoring_board__isnull=True)
    by_theme = (
        Theme.objects.filter(pk__in=list(themes), monitoring_board__isnull=False)
        .filter(Exists(naming_none))
        .values("monitoring_board")
    )
    return Board.objects.filter(Q(pk__in=own) | Q(pk__in=by_theme)).order_by(
        "partnership_id", "order", "name"
    )


# The review panel's feedback -------------------------------------------------------------------


def panel_feedback_of(themes: QuerySet[Theme]) -> QuerySet[PanelFeedback]:
    """The review panel's feedback on `themes` (already limited to what the reader may see:
    `permissions.visible_themes_in_plan`, a scope's themes), theme by theme in the plan's
    reading order, each with its theme (its parent and plan) and its people: two queries."""
    return (
        PanelFeedback.objects.filter(theme__in=themes.order_by().values("pk"))
        .select_related("theme__parent", "theme__plan")
        .prefetch_related("people")
        .order_by(
            "theme__plan_id",
            Coalesce("theme__parent__order", "theme__order"),
            Coalesce("theme__parent_id", "theme_id"),
            _flag(Q(theme__parent__isnull=False)),
            "theme__order",
            "theme_id",
            "order",
            F("date").asc(nulls_last=True),
            "pk",
        )
    )
