"""The VRU view's read model: every partnership's VRU-template plans of one template year,
as the user (the VRU role: `actions.permissions.may_use_vru_view`) may see them.

It reads what the dashboards read, by their rules, so that its numbers agree with each
borough's own plan dashboard:

- the actions are `permissions.visible_actions(user)` in the year's plans (for the VRU
  role: the plans in the VRU layout at OFFICIAL, less every OFFICIAL-SENSITIVE action,
  theme and plan), and the themes `permissions.visible_themes(user)`;
- the progress updates read are `selectors.listed_updates(user)` (for the VRU role: none
  marked OFFICIAL-SENSITIVE), the latest update is `selectors.newest_update` over them, and
  "not updated since" is `selectors.not_updated_since`, the plan page's filter;
- RAG counts are `selectors.rag_aggregates`, grouped by plan and top-level theme, as a plan
  dashboard's theme rows count a theme with its sub-themes.

Every number has a list of exactly the actions it counts (`counted_actions`, the VRU
actions page), filtered by the same conditions (`count_condition`) as the counts.

Queries: a fixed number however many boroughs and actions (`vru_view`: five). The page
shows the mandated actions of one template theme at a time (`vru_view`'s `mandated_theme`):
with 32 boroughs a theme's are already hundreds of rows; the workbook holds them all.

Template years. A template year is the financial year (April to March) in which a plan's
period starts: the VRU issues its template once a year and every borough's plan of that
year starts within it ("2021/22"). Plans with no period stated form a year of their own.

Matching mandated actions across boroughs (`action_key`). Every borough fills in the same
VRU template, so a mandated action (origin `vru_mandated`) is the same action in each
borough's plan when it sits in the same template theme under the same action number:

- the theme is known by its number (`Theme.ref`) where the plan gives one, else by its
  name, compared without regard to case, punctuation or "&" against "and" (so
  "ANALYSIS & ENFORCEMENT" matches "Analysis and enforcement"); a sub-theme by its parent's
  key and its own;
- the action by its reference within the theme ("1", "7b", compared without regard to case
  or spaces); an action with no reference by its words, compared the same way.

Two actions a borough renumbered, or a theme it renamed, are then two rows: the view shows
what the plans say rather than guess.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Max, Q, QuerySet
from django.db.models.functions import Coalesce

from actions import permissions, selectors
from actions.models import Action, ActionOrigin, Plan, Theme
from actions.rag import RAG

# Plans with no period stated: a template year of their own.
NO_PERIOD = "none"


# Template years ------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class TemplateYear:
    """A financial year starting in April of `start`; None: the plans with no period."""

    start: int | None

    @classmethod
    def of(cls, day: datetime.date | None) -> "TemplateYear":
        if day is None:
            return cls(None)
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def parse(cls, value: str) -> "TemplateYear | None":
        if value == NO_PERIOD:
            return cls(None)
        return cls(int(value)) if value.isdigit() and len(value) == 4 else None

    @property
    def value(self) -> str:
        return NO_PERIOD if self.start is None else str(self.start)

    @property
    def label(self) -> str:
        if self.start is None:
            return "Period not stated"
        return f"{self.start}/{(self.start + 1) % 100:02d}"

    def condition(self) -> Q:
        """The plans of this template year."""
        if self.start is None:
            return Q(period_start__isnull=True)
        return Q(
            period_start__gte=datetime.date(self.start, 4, 1),
            period_start__lt=datetime.date(self.start + 1, 4, 1),
        )


def vru_plans(user) -> QuerySet[Plan]:
    """The VRU-template plans the user may see."""
    return permissions.visible_plans(user).filter(layout=Plan.Layout.VRU)


def template_years(user) -> list[TemplateYear]:
    """The template years of the VRU plans the user may see, newest first (no period last).
    One query."""
    starts = vru_plans(user).order_by().values_list("period_start", flat=True).distinct()
    years = {TemplateYear.of(start) for start in starts}
    return sorted(years, key=lambda year: (year.start is None, -(year.start or 0)))


def year_plans(user, year: TemplateYear) -> list[Plan]:
    """The year's VRU plans the user may see, by borough (partnership) name. One query."""
    return list(
        vru_plans(user)
        .filter(year.condition())
        .select_related("partnership")
        .order_by("partnership__name", "title", "pk")
    )


def year_actions(user, plans: list[Plan]) -> QuerySet[Action]:
    """The actions of `plans` that the user may see (`permissions.visible_actions`)."""
    return permissions.visible_actions(user).filter(theme__plan__in=[plan.pk for plan in plans])


# Matching across boroughs --------------------------------------------------------------------


def normalise(text: str) -> str:
    """Words as the matching rule compares them (see the module's docstring)."""
    text = text.casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def theme_key(theme: Theme) -> str:
    """A theme's place in the template: its number if the plan gives one, else its name;
    a sub-theme's under its parent's."""
    own = f"#{normalise(theme.ref)}" if theme.ref.strip() else normalise(theme.name)
    if theme.parent_id:
        return f"{theme_key(theme.parent)} / {own}"
    return own


def action_key(action: Action) -> tuple[str, str]:
    """A mandated action's place in the template: its theme's key and its reference (its
    words where it has none). Read its theme and the theme's parent with it."""
    ref = action.ref.replace(" ", "").casefold()
    return theme_key(action.theme), ref or f"text:{normalise(action.text)}"


def _ref_order(ref: str) -> tuple:
    """ "2" before "10", "7a" before "7b": numbers as numbers."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.findall(r"\d+|\D+", ref.casefold())
    )


# The numbers and their lists -----------------------------------------------------------------


def count_condition(
    *,
    theme: Theme | None = None,
    rag: str | None = None,
    not_updated_since: datetime.date | None = None,
    updates=None,
) -> Q:
    """The actions one number of the view counts, within a plan: in `theme` (a top-level
    theme with its sub-themes, as the dashboard's theme rows count it), of RAG `rag`, and
    with no progress update among `updates` on or after `not_updated_since`. The counts and
    the list behind each (`counted_actions`) filter by this one condition."""
    condition = Q()
    if theme is not None:
        condition &= Q(theme_id=theme.pk) | Q(theme__parent_id=theme.pk)
    if rag is not None:
        condition &= Q(rag=rag)
    if not_updated_since is not None:
        condition &= selectors.not_updated_since(not_updated_since, updates)
    return condition


def counted_actions(
    user,
    plan: Plan,
    *,
    theme: Theme | None = None,
    rag: str | None = None,
    not_updated_since: datetime.date | None = None,
) -> QuerySet[Action]:
    """The actions one number counts (`count_condition`), with their latest update's date
    and words (`selectors.with_details` over the updates the user may see), in the plan's
    reading order."""
    updates = selectors.listed_updates(user)
    actions = year_actions(user, [plan]).filter(
        count_condition(theme=theme, rag=rag, not_updated_since=not_updated_since, updates=updates)
    )
    return selectors.with_details(actions, updates).order_by(*selectors.reading_order())


@dataclass
class Counts:
    """How many actions of each RAG status (`counts`, keyed by RAG value) and how many have
    had no update since the view's date (`not_updated`)."""

    counts: dict[str, int] = field(default_factory=selectors.zero_counts)
    not_updated: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, row: dict) -> None:
        selectors.add_counts(self.counts, row)
        self.not_updated += row["not_updated"]


@dataclass
class Borough:
    """One plan of the year (a borough's, by its partnership), with its counts: in all, by
    top-level theme (theme pk: Counts), and the date of its latest update."""

    plan: Plan
    total: Counts
    by_theme: dict[int, Counts]
    latest_update: datetime.date | None

    @property
    def name(self) -> str:
        return self.plan.partnership.name

    def updated_since(self, day: datetime.date) -> bool:
        return self.latest_update is not None and self.latest_update >= day


@dataclass
class ThemeRow:
    """A template theme (matched by `theme_key`) and each borough's theme under it."""

    key: str
    label: str
    themes: dict[int, Theme]  # plan pk: that plan's theme


@dataclass
class MandatedRow:
    """A mandated action of the template (matched by `action_key`) and each borough's."""

    key: tuple[str, str]
    theme_label: str
    ref: str
    text: str
    actions: dict[int, Action]  # plan pk: that plan's action


@dataclass
class VruView:
    year: TemplateYear
    since: datetime.date
    boroughs: list[Borough]
    themes: list[ThemeRow]
    mandated: list[MandatedRow]
    # The template theme whose mandated actions `mandated` holds; None: every theme's.
    mandated_theme: ThemeRow | None = None

    @property
    def not_updated_boroughs(self) -> list[Borough]:
        """The boroughs whose plan has had no update the user may see since `since`."""
        return [borough for borough in self.boroughs if not borough.updated_since(self.since)]


def vru_view(
    user, year: TemplateYear, since: datetime.date, mandated_theme: str | None = "first"
) -> VruView:
    """Everything the VRU view shows for the template year (see the module's docstring),
    counting as not updated the actions with no update on or after `since`; the mandated
    actions of the template theme whose key is `mandated_theme` ("first": the first theme;
    None: every theme; a key no theme has: none). Five queries (the plans, the counts, the
    themes, the latest updates and the mandated actions), however many boroughs."""
    plans = year_plans(user, year)
    actions = year_actions(user, plans)
    updates = selectors.listed_updates(user)

    rows = (
        actions.annotate(
            top_theme=Coalesce("theme__parent_id", "theme_id", output_field=IntegerField())
        )
        .order_by()
        .values("theme__plan_id", "top_theme")
        .annotate(
            **selectors.rag_aggregates(),
            not_updated=Count(
                "pk", filter=count_condition(not_updated_since=since, updates=updates)
            ),
        )
    )
    totals, by_theme = defaultdict(Counts), defaultdict(lambda: defaultdict(Counts))
    for row in rows:
        totals[row["theme__plan_id"]].add(row)
        by_theme[row["theme__plan_id"]][row["top_theme"]].add(row)

    # Every top-level theme the user may see, empty ones too, as a plan's dashboard lists them.
    themes = list(
        permissions.visible_themes(user)
        .filter(plan__in=[plan.pk for plan in plans], parent__isnull=True)
        .order_by("order", "pk")
    )
    latest = dict(
        updates.filter(action__in=actions.values("pk"))
        .order_by()
        .values_list("action__theme__plan_id")
        .annotate(Max("date"))
    )
    boroughs = [
        Borough(
            plan=plan,
            total=totals[plan.pk],
            by_theme=by_theme[plan.pk],
            latest_update=latest.get(plan.pk),
        )
        for plan in plans
    ]
    theme_rows = _theme_rows(themes)
    chosen, theme_ids = None, None
    if mandated_theme is not None:
        if mandated_theme == "first":
            chosen = theme_rows[0] if theme_rows else None
        else:
            chosen = next((row for row in theme_rows if row.key == mandated_theme), None)
        theme_ids = list(chosen.themes.values()) if chosen else []
    return VruView(
        year=year,
        since=since,
        boroughs=boroughs,
        themes=theme_rows,
        mandated=mandated_rows(user, plans, theme_ids),
        mandated_theme=chosen,
    )


def _theme_rows(themes: list[Theme]) -> list[ThemeRow]:
    rows: dict[str, ThemeRow] = {}
    for theme in themes:  # in template order
        key = theme_key(theme)
        if key not in rows:
            rows[key] = ThemeRow(key=key, label=theme_label(theme), themes={})
        rows[key].themes.setdefault(theme.plan_id, theme)
    return list(rows.values())


def theme_label(theme: Theme) -> str:
    return f"{theme.ref} {theme.name}".strip()


def mandated_rows(user, plans: list[Plan], themes: list[Theme] | None = None) -> list[MandatedRow]:
    """The year's VRU mandated actions (in `themes`, top-level themes, and their sub-themes,
    if given), matched across boroughs (`action_key`), each with its status, latest update
    (`selectors.newest_update` over the updates the user may see) and end date: one query.
    In the template's order: by theme, then action number."""
    updates = selectors.listed_updates(user)
    actions = year_actions(user, plans).filter(origin=ActionOrigin.VRU_MANDATED)
    if themes is not None:
        ids = [theme.pk for theme in themes]
        actions = actions.filter(Q(theme_id__in=ids) | Q(theme__parent_id__in=ids))
    # What the rows show and the matching rule reads, and no more: with 32 boroughs these
    # are thousands of actions (benchmarks/README.md, vru_view.py).
    actions = (
        actions.annotate(
            last_update=selectors.newest_update("date", updates),
            last_update_text=selectors.newest_update("text", updates),
        )
        .select_related("theme__parent")
        .only(
            *("ref", "text", "rag", "end_date", "end_text", "theme__plan_id"),
            *("theme__ref", "theme__name", "theme__order", "theme__parent"),
            *("theme__parent__ref", "theme__parent__name", "theme__parent__order"),
            "theme__parent__parent",
        )
        .order_by("theme__plan__partnership__name", *selectors.reading_order())
    )
    rows: dict[tuple, MandatedRow] = {}
    theme_order: dict[str, tuple] = {}
    for action in actions:
        key = action_key(action)
        top = action.theme.parent or action.theme
        theme_order.setdefault(key[0], (top.order, action.theme.order))
        if key not in rows:
            rows[key] = MandatedRow(
                key=key,
                theme_label=theme_label(action.theme),
                ref=action.ref,
                text=action.text,
                actions={},
            )
        # A plan holding two actions with one key (no reference, same words): the first.
        rows[key].actions.setdefault(action.theme.plan_id, action)
    return sorted(
        rows.values(), key=lambda row: (theme_order[row.key[0]], row.key[0], _ref_order(row.key[1]))
    )


_RAG_LABELS = dict(RAG.choices)


def rag_label(value: str) -> str:
    """A RAG value's word; an unknown one is Not rated, as the RAG tag shows it."""
    return _RAG_LABELS.get(value, RAG.NOT_RATED.label)
