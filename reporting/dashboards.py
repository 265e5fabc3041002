"""The chairs' dashboards: where a plan, or a board with its subgroups, stands.

Everything here is read from a `Scope` (reporting/scopes.py), whose `actions` are already
limited to what the user may see, so a marked action is neither counted nor listed for
someone who may not see it. Nothing here reads `Action.objects` directly.

Groups. Every number on a dashboard links to the plan page filtered to exactly the actions
it counts, and the plan page shows one plan. So the actions are counted in groups, one per
plan page they can be found on:

- a plan's dashboard has one group, the plan;
- a board's has a group per plan that the board or one of its subgroups owns (the whole
  plan, as the plan page shows it), and a group per plan and monitoring board for the
  actions that its boards monitor in plans owned elsewhere (the plan page's
  `monitoring_board` filter: the action's own monitoring board, else its theme's).

The scope's and the filter's idea of "monitored by" are one rule
(`actions.selectors.monitored_by`), so every group has its plan page. So are stale, overdue,
the newest update and the RAG counts: everything counted here is counted by the rules of
`actions.selectors`.

Queries. `dashboard` takes a fixed number of queries however many actions there are (each
count is one `values(...).annotate(Count(...))` over the scope; the latest update's words
come from a subquery; the lists are limited and their leads fetched for the listed actions
in two more queries; the red and amber actions' direction of travel is one more, from their
history). The pack can use `dashboard(scope, limit=None)` for full lists.

Reuse. `dashboard(scope)` gives everything a dashboard shows (`Dashboard`); its parts stand
alone: `plan_groups` (the counts, `PlanGroup` and `Tally`), `list_actions` (the lists) and
`board_tree` (the boards list). `Tally.cells` and `Tally.segments` feed the tables' counts
and bars (reporting/templatetags/dashboard_tags.py, in
templates/reporting/includes/dashboard_table.html).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.urls import reverse

from actions.filters import NOT_STATED, theme_name
from actions.models import Action, ActionOrigin, Marking, Plan, Theme
from actions.permissions import visible_actions, visible_boards
from actions.rag import MEANINGS, RAG
from actions.selectors import (
    add_counts,
    highest,
    highest_marking,
    listed_actions,
    monitor_id,
    newest_update,
    not_this_years,
    not_updated_since,
    overdue_condition,
    rag_aggregates,
    reading_order_by_theme,
    stale_condition,
    stale_cutoff,
    zero_counts,
)
from boards.models import Board
from boards.selectors import children_of, with_subgroups_in
from cspplan import clock
from reporting.scopes import Scope, marked_on_their_own
from reporting.since import Travel, rag_travel

# How many actions each list shows on a dashboard; the rest are a link away, on the plan page
# filtered to them. Red and amber are what a chair reads first; overdue and stale actions
# are often most of a plan, so their lists show the worst few.
LIST_LIMITS = {"red": 25, "amber": 25, "overdue": 10, "stale": 10}
LISTS = tuple(LIST_LIMITS)

RAGS = list(RAG)

# The ActionFilter's date field, in three parts (day, month, year).
NOT_UPDATED_SINCE = "not_updated_since"


def _date_params(name: str, date: datetime.date) -> dict[str, int]:
    return {f"{name}_0": date.day, f"{name}_1": date.month, f"{name}_2": date.year}


# Links ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanLink:
    """The plan page filtered to one group's actions; `url(**filters)` narrows it further
    with the plan page's own filters (actions/filters.py), e.g. `url(rag="red", theme=4)`.
    A list value gives the parameter once per item (`rag=["red", "amber"]`)."""

    slug: str
    params: tuple[tuple[str, str], ...] = ()
    path: str = field(default="", compare=False)

    def __post_init__(self):
        if not self.path:
            object.__setattr__(self, "path", reverse("actions:plan-detail", args=[self.slug]))

    def url(self, **filters) -> str:
        query = list(self.params)
        for name, value in filters.items():
            values = value if isinstance(value, list | tuple) else [value]
            query += [(name, str(item)) for item in values]
        return f"{self.path}?{urlencode(query)}" if query else self.path


def overdue_filters() -> dict:
    """The plan page's filters for exactly the overdue actions (`overdue_condition`)."""
    return {"overdue": "on"}


def stale_filters(today: datetime.date) -> dict:
    """The plan page's filters for exactly the stale actions (`stale_condition`): not
    complete, and not updated since the stale cutoff."""
    not_complete = [rag.value for rag in RAG if rag != RAG.COMPLETE]
    return {"rag": not_complete, **_date_params(NOT_UPDATED_SINCE, stale_cutoff(today))}


# Counts --------------------------------------------------------------------------------------


@dataclass
class Tally:
    """How many actions of each RAG status one row of a dashboard counts (`counts`, keyed by
    every RAG value), and the plan page that lists them: `link` narrowed by `filters`. No
    link where no plan page filter picks out exactly these actions."""

    label: str
    counts: dict[str, int]
    link: PlanLink | None = None
    filters: dict = field(default_factory=dict)
    # 1 for a sub-theme, listed under its parent theme.
    depth: int = 0
    parent_label: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def href(self, **more) -> str | None:
        if self.link is None:
            return None
        return self.link.url(**self.filters, **more)

    @property
    def total_href(self) -> str | None:
        return self.href() if self.total else None

    @property
    def cells(self) -> list[dict]:
        """One per RAG status, in the scale's order: its count and the filtered plan page."""
        return [
            {
                "rag": rag.value,
                "label": rag.label,
                "count": self.counts[rag.value],
                "href": self.href(rag=rag.value) if self.counts[rag.value] else None,
            }
            for rag in RAGS
        ]

    @property
    def segments(self) -> list[dict]:
        """The stacked bar: each RAG status with a count, its start and width in per cent
        (numbers), and the same as SVG attribute values (`x_attr`, `width_attr`, e.g.
        "33.333%"), formatted here rather than by a filter per attribute."""
        total, start, segments = self.total, 0, []
        for rag in RAGS:
            count = self.counts[rag.value]
            if count:
                width = 100 * count / total
                segments.append(
                    {
                        "rag": rag.value,
                        "label": rag.label,
                        "count": count,
                        "x": start,
                        "width": width,
                        "x_attr": f"{start:.3f}%",
                        "width_attr": f"{width:.3f}%",
                    }
                )
                start += width
        return segments


def monitor_key(scope: Scope):
    """An expression giving each action's group within its plan (see the module's
    docstring): None for the whole plan, else the board whose monitoring brings it into the
    scope (`selectors.monitor_id`)."""
    if scope.board is None or not scope.monitored_plans:
        # A plan's, or a board's that owns every plan it holds: one group per plan. (The
        # database then groups by what the `action_counted` index holds, and in its order.)
        return Value(None, output_field=IntegerField())
    return Case(
        When(theme__plan_id__in=scope.owned_plans, then=Value(None)),
        default=monitor_id(),
        output_field=IntegerField(),
    )


def _group_keys(scope: Scope) -> dict:
    """Each action's group: `group_plan` and `group_monitor` (see `monitor_key`). Constants
    for a plan's scope, so that its queries need no joins for them."""
    if scope.plan is not None:
        return {
            "group_plan": Value(scope.plan.pk, output_field=IntegerField()),
            "group_monitor": Value(None, output_field=IntegerField()),
        }
    return {"group_plan": F("theme__plan_id"), "group_monitor": monitor_key(scope)}


def action_counts(scope: Scope, today: datetime.date) -> dict[tuple, list[dict]]:
    """{(plan id, monitor key): rows}: the actions counted by theme and origin at once, each
    row with `theme_id`, `origin`, the RAG counts and how many are `overdue`, `stale` and
    `marked` (`selectors.overdue_condition`, `stale_condition`,
    `scopes.marked_on_their_own`: a group's marking takes its plan's and themes' from them,
    `plan_groups`). One query; the rows are few (themes times origins), and the callers
    add them up by theme, by origin and in all."""
    rows = (
        scope.actions.annotate(**_group_keys(scope))
        .order_by()
        .values("group_plan", "group_monitor", "theme_id", "origin")
        .annotate(
            **rag_aggregates(),
            overdue=Count("pk", filter=overdue_condition(today)),
            stale=Count("pk", filter=stale_condition(today, scope.updates)),
            marked=Count("pk", filter=marked_on_their_own(scope)),
        )
    )
    found = defaultdict(list)
    for row in rows:
        found[row.pop("group_plan"), row.pop("group_monitor")].append(row)
    return found


def counts_by_lead_organisation(scope: Scope) -> dict[tuple, list[dict]]:
    """{(plan id, monitor key): rows}: for each lead organisation, its actions by RAG
    status (an action led by two organisations counts for both). Each row has
    `organisation_id`, `name`, `short_name` and the counts; the row whose
    `organisation_id` is None counts the actions with no lead organisation. One query."""
    rows = (
        scope.actions.annotate(**_group_keys(scope))
        .order_by()
        .values(
            "group_plan",
            "group_monitor",
            organisation_id=F("lead_organisations__id"),
            name=F("lead_organisations__name"),
            short_name=F("lead_organisations__short_name"),
        )
        .annotate(**rag_aggregates())
    )
    found = defaultdict(list)
    for row in rows:
        found[row.pop("group_plan"), row.pop("group_monitor")].append(row)
    return found


# Groups --------------------------------------------------------------------------------------


@dataclass
class PlanGroup:
    """One plan's part of a dashboard (see the module's docstring)."""

    plan: Plan
    # The monitoring board whose actions these are, when the plan is owned elsewhere.
    monitoring_board: Board | None
    link: PlanLink | None
    summary: Tally
    themes: list[Tally]
    origins: list[Tally]
    lead_organisations: list[Tally]
    without_lead_organisation: int
    overdue: int
    stale: int
    # The highest protective marking of the plan, its themes shown and its actions counted.
    marking: Marking = Marking.OFFICIAL
    overdue_href: str | None = None
    stale_href: str | None = None
    # The plan's themes (those the user may see) in reading order, with their parents and
    # plan: the lists' order, and their actions' themes.
    ordered_themes: list[Theme] = field(default_factory=list, repr=False)

    @property
    def title(self) -> str:
        return group_title(self.plan, self.monitoring_board)

    @property
    def has_sub_themes(self) -> bool:
        return any(theme.depth for theme in self.themes)


def group_title(plan: Plan, monitoring_board: Board | None) -> str:
    if monitoring_board is None:
        return plan.title
    return f"{plan.title}: the actions {monitoring_board.name} monitors"


def _ordered_themes(themes: list[Theme]) -> list[Theme]:
    """A plan's themes in reading order: each top-level theme, then its sub-themes."""
    by_pk = {theme.pk: theme for theme in themes}

    def key(theme):
        top = by_pk.get(theme.parent_id, theme)
        return (top.order, top.pk, 1 if theme.parent_id else 0, theme.order, theme.pk)

    return sorted(themes, key=key)


def _theme_tallies(themes, counts, link, whole_plan) -> list[Tally]:
    """A row per theme, `themes` in reading order; a theme's counts include its sub-themes'
    (as the plan page's theme filter does). A plan seen whole lists every theme; part of
    one, those with actions."""
    with_children = defaultdict(zero_counts)
    for theme in themes:
        add_counts(with_children[theme.pk], counts.get(theme.pk, zero_counts()))
        if theme.parent_id:
            add_counts(with_children[theme.parent_id], counts.get(theme.pk, zero_counts()))
    by_pk = {theme.pk: theme for theme in themes}
    tallies = []
    for theme in themes:
        tally = Tally(
            label=theme_name(theme),
            counts=with_children[theme.pk],
            link=link,
            filters={"theme": theme.pk},
            depth=1 if theme.parent_id else 0,
            parent_label=theme_name(by_pk[theme.parent_id]) if theme.parent_id else "",
        )
        if whole_plan or tally.total:
            tallies.append(tally)
    return tallies


def _origin_tallies(counts: dict[str, dict], link) -> list[Tally]:
    return [
        Tally(
            label=origin.label,
            counts={rag: counts[origin.value][rag] for rag in RAG.values},
            link=link,
            filters={"origin": origin.value or NOT_STATED},
        )
        for origin in ActionOrigin
        if origin.value in counts
    ]


def _organisation_tallies(rows: list[dict], link) -> list[Tally]:
    tallies = [
        Tally(
            label=f"{row['name']} ({row['short_name']})" if row["short_name"] else row["name"],
            counts={rag: row[rag] for rag in RAG.values},
            link=link,
            filters={"lead_org": row["organisation_id"]},
        )
        for row in rows
    ]
    # The organisations leading most first: whom to ask.
    return sorted(tallies, key=lambda tally: (-tally.total, tally.label.lower()))


def _plans_of(scope: Scope, counted: set[int]) -> list[Plan]:
    """The plans of the scope's groups: those with `counted` actions, and those its boards
    own (with no action the user may see, if they may see the plan). One query: a board's
    scope names its plans by id (`scopes.board_scope`), so the test is cheap."""
    if scope.plan is not None:
        return [scope.plan]
    return list(
        scope.plans.filter(Q(pk__in=counted) | Q(board_id__in=scope.boards))
        .select_related("board", "partnership")
        .order_by("partnership__name", F("period_start").desc(nulls_last=True), "title", "pk")
    )


def plan_groups(scope: Scope, today: datetime.date | None = None) -> list[PlanGroup]:
    """The scope's groups with their counts: overall, by theme, by origin and by lead
    organisation, and how many are overdue or stale. Whole plans first (as the plans list
    orders them), then the parts of other plans that the board monitors. Five queries at
    most, however many actions."""
    today = today or clock.today()
    counted = action_counts(scope, today)
    by_organisation = counts_by_lead_organisation(scope)
    plans = _plans_of(scope, {plan for plan, _ in counted})
    plan_by_pk = {plan.pk: plan for plan in plans}
    themes_by_plan = defaultdict(list)
    # With their parents and plans, whose markings are theirs too (`effective_marking`).
    themes = scope.themes.filter(plan_id__in=plan_by_pk).select_related("parent", "plan")
    for theme in themes.order_by():
        themes_by_plan[theme.plan_id].append(theme)

    keys = [
        (plan.pk, None) for plan in plans if scope.board is None or plan.board_id in scope.boards
    ]
    monitors = [key for key in counted if key not in keys]
    boards = Board.objects.in_bulk({monitor for _, monitor in monitors}) if monitors else {}
    order = {plan.pk: n for n, plan in enumerate(plans)}
    keys += sorted(monitors, key=lambda key: (order[key[0]], boards[key[1]].name))

    overdue_query, stale_query = overdue_filters(), stale_filters(today)
    groups = []
    for plan_pk, monitor in keys:
        plan = plan_by_pk[plan_pk]
        monitoring_board = boards.get(monitor)
        if monitor is None:
            link = PlanLink(plan.slug)
        else:
            link = PlanLink(plan.slug, (("monitoring_board", str(monitor)),))
        rows = counted.get((plan_pk, monitor), [])
        summary = zero_counts()
        by_theme, by_origin = defaultdict(zero_counts), defaultdict(zero_counts)
        for row in rows:
            add_counts(summary, row)
            add_counts(by_theme[row["theme_id"]], row)
            add_counts(by_origin[row["origin"]], row)
        overdue = sum(row["overdue"] for row in rows)
        stale = sum(row["stale"] for row in rows)
        marked = any(row["marked"] for row in rows)
        # The plan's and its themes' markings: those the counted actions take from them too.
        marking = highest_marking([plan, *themes_by_plan[plan_pk]])
        if marked:
            marking = Marking.OFFICIAL_SENSITIVE
        organisations = by_organisation.get((plan_pk, monitor), [])
        ordered_themes = _ordered_themes(themes_by_plan[plan_pk])
        groups.append(
            PlanGroup(
                plan=plan,
                monitoring_board=monitoring_board,
                link=link,
                summary=Tally(
                    label=group_title(plan, monitoring_board),
                    counts=summary,
                    link=link,
                ),
                themes=_theme_tallies(ordered_themes, by_theme, link, whole_plan=monitor is None),
                origins=_origin_tallies(by_origin, link),
                lead_organisations=_organisation_tallies(
                    [row for row in organisations if row["organisation_id"] is not None], link
                ),
                without_lead_organisation=sum(
                    sum(row[rag] for rag in RAG.values)
                    for row in organisations
                    if row["organisation_id"] is None
                ),
                overdue=overdue,
                stale=stale,
                marking=marking,
                overdue_href=link.url(**overdue_query) if link and overdue else None,
                stale_href=link.url(**stale_query) if link and stale else None,
                ordered_themes=ordered_themes,
            )
        )
    return groups


# Lists ---------------------------------------------------------------------------------------


@dataclass
class ActionList:
    """One of a dashboard's lists of actions: the first `limit` of them (`actions`), how
    many there are in all (`count`), and where each group's are on the plan pages
    (`links`: dicts of group, count and href)."""

    kind: str
    title: str
    noun: str  # "red actions"
    noun_one: str  # "red action": the link to one says "The red action", not "All 1 red actions"
    description: str
    count: int
    actions: list[Action]
    links: list[dict]

    @property
    def more(self) -> int:
        return self.count - len(self.actions)


def list_actions(
    scope: Scope,
    themes: dict[int, Theme],
    today: datetime.date | None = None,
    limit: int | dict | None = LIST_LIMITS,
):
    """The red, amber, overdue and stale actions of the scope: the first `limit` of each
    (a number for every list, a dict of one per list, or None for all of them), as
    `selectors.listed_actions` gives them (with their latest update's date and words,
    theme, plan and leads' names): seven queries, or eight (`_stale_ids`). Red and amber in
    reading order, plan by plan (`themes`: the scope's themes by pk, in that order, with
    their parents and plans, as the dashboard's groups have them, and given to the listed
    actions); overdue by end date, longest overdue first; stale with the longest without an
    update (or never updated) first."""
    today = today or clock.today()
    in_order = reading_order_by_theme(list(themes))
    limits = limit if isinstance(limit, dict) else dict.fromkeys(LISTS, limit)
    # Each list's ids first, then the listed actions once with their details: the latest
    # update's words are then read for the few actions shown, not for every red one.
    queries = {
        RAG.RED.value: scope.actions.filter(rag=RAG.RED).order_by(*in_order),
        RAG.AMBER.value: scope.actions.filter(rag=RAG.AMBER).order_by(*in_order),
        "overdue": scope.actions.filter(overdue_condition(today)).order_by("end_date", *in_order),
    }
    ids = {}
    for kind, query in queries.items():
        query = query.values_list("pk", flat=True)
        ids[kind] = list(query if limits[kind] is None else query[: limits[kind]])
    ids["stale"] = _stale_ids(scope, today, in_order, limits["stale"])
    listed = sorted({pk for kind_ids in ids.values() for pk in kind_ids})
    actions = listed_actions(scope.actions, listed, scope.updates, themes)
    actions = {action.pk: action for action in actions}
    return {kind: [actions[pk] for pk in kind_ids] for kind, kind_ids in ids.items()}


def _stale_ids(scope: Scope, today: datetime.date, in_order: list, limit: int | None) -> list:
    """The first `limit` stale actions' ids (`selectors.stale_condition`): those never
    updated first, in reading order, then the rest by their newest update, oldest first.
    In two queries, the second only if the first does not fill the list: the never updated
    need no look-up of their newest update, which for every stale action made this the
    dashboards' slowest query (benchmarks/README.md)."""
    # No update at all among those the scope reads: stale, if not complete, whatever the
    # cutoff. (Asked with no date: a test of the date that is always true made PostgreSQL
    # look for each action's updates one by one, at twice the time.)
    never_updated = not_updated_since(None, scope.updates)
    first = scope.actions.filter(~Q(rag=RAG.COMPLETE), never_updated).order_by(*in_order)
    first = first.values_list("pk", flat=True)
    ids = list(first if limit is None else first[:limit])
    if limit is not None and len(ids) >= limit:
        return ids
    rest = (
        scope.actions.filter(stale_condition(today, scope.updates), ~never_updated)
        .annotate(updated=newest_update("date", scope.updates))
        # The sort key selected, so that the ORDER BY can name it rather than repeat it.
        .order_by("updated", *in_order)
        .values_list("pk", "updated")
    )
    if limit is not None:
        rest = rest[: limit - len(ids)]
    return ids + [pk for pk, _ in rest]


def _lists(groups: list[PlanGroup], found: dict, today: datetime.date) -> dict[str, ActionList]:
    cutoff = stale_cutoff(today)
    described = {
        RAG.RED.value: ("Red", ("red action", "red actions"), MEANINGS[RAG.RED]),
        RAG.AMBER.value: ("Amber", ("amber action", "amber actions"), MEANINGS[RAG.AMBER]),
        "overdue": (
            "Overdue",
            ("overdue action", "overdue actions"),
            "Past their end date and not complete.",
        ),
        "stale": (
            "Not updated recently",
            ("action not updated recently", "actions not updated recently"),
            f"Not complete, and no progress update since {cutoff:%-d %B %Y}.",
        ),
    }
    lists = {}
    for kind, (title, (noun_one, noun), description) in described.items():
        links = []
        for group in groups:
            if kind in RAG.values:
                count = group.summary.counts[kind]
                href = group.summary.href(rag=kind) if count else None
            else:
                count = getattr(group, kind)
                href = getattr(group, f"{kind}_href")
            if count:
                links.append({"group": group, "count": count, "href": href})
        lists[kind] = ActionList(
            kind=kind,
            title=title,
            noun=noun,
            noun_one=noun_one,
            description=description,
            count=sum(link["count"] for link in links),
            actions=found[kind],
            links=links,
        )
    return lists


# The dashboard -------------------------------------------------------------------------------


@dataclass
class Dashboard:
    scope: Scope
    today: datetime.date
    groups: list[PlanGroup]
    # The scope's counts; linked when the scope is a single group.
    total: Tally
    # red, amber, overdue, stale
    lists: dict[str, ActionList]
    # The direction of travel of each red and amber action listed, by pk.
    travel: dict[int, Travel] = field(default_factory=dict)

    @property
    def marking(self) -> Marking:
        """The highest protective marking of what the dashboard holds: that of its groups,
        which is `scopes.scope_marking` read from what the dashboard has loaded anyway."""
        return highest(group.marking for group in self.groups)

    @property
    def stale_cutoff(self) -> datetime.date:
        return stale_cutoff(self.today)

    @property
    def overdue(self) -> int:
        return self.lists["overdue"].count

    @property
    def stale(self) -> int:
        return self.lists["stale"].count


def dashboard(
    scope: Scope, today: datetime.date | None = None, limit: int | dict | None = LIST_LIMITS
) -> Dashboard:
    """Everything a dashboard shows for the scope (see the module's docstring): the groups
    with their counts, the scope's total, and the red, amber, overdue and stale lists (the
    first `limit` actions of each, as `list_actions` takes it; None for all)."""
    today = today or clock.today()
    groups = plan_groups(scope, today)
    total = zero_counts()
    for group in groups:
        add_counts(total, group.summary.counts)
    single = groups[0].link if len(groups) == 1 else None
    # The lists read plan by plan in the groups' order, each plan's themes in reading order.
    themes = {theme.pk: theme for group in groups for theme in group.ordered_themes}
    lists = _lists(groups, list_actions(scope, themes, today, limit), today)
    # One query more, for the red and amber actions listed: where each came from. Each
    # carries its own (`action.travel`), for the templates, wherever it is listed.
    travel = rag_travel(lists[RAG.RED.value].actions + lists[RAG.AMBER.value].actions)
    for kind in (RAG.RED.value, RAG.AMBER.value):
        for action in lists[kind].actions:
            action.travel = travel[action.pk]
    return Dashboard(
        scope=scope,
        today=today,
        groups=groups,
        total=Tally(label=scope.title, counts=total, link=single),
        lists=lists,
        travel=travel,
    )


# The boards list -----------------------------------------------------------------------------


@dataclass
class BoardNode:
    """A board the user may open, its RAG totals (what its dashboard counts) and the boards
    under it that the user may open."""

    board: Board
    counts: dict[str, int]
    children: list["BoardNode"] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def tally(self) -> Tally:
        return Tally(label=self.board.name, counts=self.counts)


def board_tree(user) -> list[tuple[object, list[BoardNode]]]:
    """The boards the user may open (`permissions.visible_boards`), as a tree per
    partnership, each with the RAG counts of the actions its dashboard shows (its and its
    subgroups' plans, and what they monitor, but next year's Draft, as `scopes.board_scope`
    has it). A board whose
    parent the user may not open stands at the top. Two queries and the user's permissions'.
    """
    visible = set(visible_boards(user).values_list("pk", flat=True))
    if not visible:
        return []
    boards = list(
        Board.objects.filter(partnership__boards__in=visible)
        .distinct()
        .select_related("partnership")
        .order_by("partnership__name", "partnership_id", "order", "name", "pk")
    )
    children = children_of((board.pk, board.parent_id) for board in boards)

    # One row per combination of owning and monitoring boards and RAG: few, however many
    # actions there are; each board then adds up the rows that fall in its scope.
    rows = list(
        visible_actions(user)
        .exclude(not_this_years())
        .order_by()
        .values(owner=F("theme__plan__board_id"), monitor=monitor_id())
        .annotate(**rag_aggregates())
    )

    nodes = {}
    for board in boards:
        if board.pk not in visible:
            continue
        under = with_subgroups_in(children, [board.pk])
        counts = zero_counts()
        for row in rows:
            # The board's scope, as scopes.board_scope has it: its and its subgroups' plans,
            # and what they monitor.
            if row["owner"] in under or row["monitor"] in under:
                add_counts(counts, row)
        nodes[board.pk] = BoardNode(board=board, counts=counts)

    tree = defaultdict(list)
    for board in boards:
        node = nodes.get(board.pk)
        if node is None:
            continue
        parent = _nearest_visible_parent(board, nodes, {b.pk: b for b in boards})
        if parent is None:
            tree[board.partnership].append(node)
        else:
            nodes[parent].children.append(node)
    return list(tree.items())


def _nearest_visible_parent(board: Board, nodes: dict, by_pk: dict) -> int | None:
    parent = board.parent_id
    while parent is not None and parent not in nodes:
        parent = by_pk[parent].parent_id if parent in by_pk else None
    return parent
