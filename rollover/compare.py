"""Comparing two years of a plan: what the newer year added and carried forward, what the
older year completed and what it dropped, and the RAG status of each theme side by side.

Every count is of the actions the reader may see in each plan
(`actions.permissions.visible_in_plan`, what the plan page lists), and a hidden action
changes nothing they are shown: an action carried from one they may not see counts as
added, and one carried into an action they may not see as dropped, so that each number is
exactly the actions its link lists. The kinds:

- added: in the newer plan, not carried from an action of the older one;
- carried: in the newer plan, carried from an action of the older one (`carried_from`);
- completed: in the older plan, Complete;
- dropped: in the older plan, neither Complete nor carried into the newer one.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from actions import selectors
from actions.filters import theme_name
from actions.models import Action, Plan
from actions.permissions import visible_in_plan, visible_plans, visible_themes_in_plan
from actions.rag import RAG


@dataclass(frozen=True)
class Kind:
    slug: str
    title: str
    # Which of the two plans its actions are in.
    year: str
    meaning: str


KINDS = {
    kind.slug: kind
    for kind in (
        Kind(
            "added",
            "Added",
            "newer",
            "In the newer plan and not carried forward from the older one.",
        ),
        Kind(
            "carried",
            "Carried forward",
            "newer",
            "In the newer plan, carried forward from an action of the older one.",
        ),
        Kind("completed", "Completed", "older", "In the older plan and Complete."),
        Kind(
            "dropped",
            "Dropped",
            "older",
            "In the older plan, not Complete and not carried forward into the newer one.",
        ),
    )
}


def years(user, slug: str, other_slug: str) -> tuple[Plan, Plan]:
    """The two plans (older, newer) named by the address: 404 unless the user may see both
    and they are two plans."""
    plans = visible_plans(user).select_related("partnership", "board")
    plan = get_object_or_404(plans, slug=slug)
    other = get_object_or_404(plans, slug=other_slug)
    if plan.pk == other.pk:
        raise Http404("A plan is compared with another plan.")
    return in_order(plan, other)


def in_order(plan: Plan, other: Plan) -> tuple[Plan, Plan]:
    """(older, newer): by the roll-over's link where one is the other's predecessor, else
    by the start of their periods (a plan with no period first), then by when they were
    added."""
    if plan.predecessor_id == other.pk:
        return other, plan
    if other.predecessor_id == plan.pk:
        return plan, other

    def key(item: Plan):
        return (item.period_start or datetime.date.min, item.pk)

    older, newer = sorted([plan, other], key=key)
    return older, newer


def counted(user, older: Plan, newer: Plan, kind: str) -> QuerySet[Action]:
    """The actions a kind (KINDS) counts, of those the user may see: what its number counts
    and its link lists."""
    seen_older = visible_in_plan(user, older)
    seen_newer = visible_in_plan(user, newer)
    from_older = seen_older.values("pk")
    if kind == "added":
        return seen_newer.exclude(carried_from__in=from_older)
    if kind == "carried":
        return seen_newer.filter(carried_from__in=from_older)
    if kind == "completed":
        return seen_older.filter(rag=RAG.COMPLETE)
    if kind == "dropped":
        # Not NULL: NOT IN a list holding NULL would leave nothing.
        carried_into = seen_newer.filter(carried_from__isnull=False).values("carried_from_id")
        return seen_older.exclude(rag=RAG.COMPLETE).exclude(pk__in=carried_into)
    raise ValueError(f"No such kind of action: {kind}")


@dataclass
class Side:
    """One plan's part of a theme's row: the theme (None if the plan has none of that name),
    its RAG counts and total, and links to the plan page showing them."""

    plan: Plan
    theme: object = None
    counts: dict = field(default_factory=selectors.zero_counts)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def href(self, rag: str | None = None) -> str:
        # The plan page's own filters: a theme stands for its sub-themes too, as here.
        query = f"?theme={self.theme.pk}" + (f"&rag={rag}" if rag else "")
        return reverse("actions:plan-detail", args=[self.plan.slug]) + query

    @property
    def cells(self) -> list[dict]:
        return [
            {
                "rag": rag.value,
                "label": rag.label,
                "count": self.counts[rag.value],
                "href": self.href(rag.value) if self.theme else "",
            }
            for rag in RAG
        ]


@dataclass
class ThemeRow:
    label: str
    older: Side
    newer: Side

    @property
    def sides(self) -> list[Side]:
        return [self.older, self.newer]


@dataclass
class Comparison:
    older: Plan
    newer: Plan
    counts: dict[str, int]
    themes: list[ThemeRow]
    # The highest protective marking of what it shows: the plans, and the actions counted.
    marking: str

    @property
    def plans(self) -> list[Plan]:
        return [self.older, self.newer]

    @property
    def kinds(self) -> list[dict]:
        return [
            {
                "kind": kind,
                "plan": self.newer if kind.year == "newer" else self.older,
                "count": self.counts[slug],
                "href": reverse(
                    "rollover:compare-actions", args=[self.older.slug, self.newer.slug, slug]
                ),
            }
            for slug, kind in KINDS.items()
        ]


def _name_key(theme) -> str:
    # The VRU's template writes the same theme in capitals one year and not the next.
    return " ".join(theme.name.split()).casefold()


def _sides(user, plan: Plan) -> list[Side]:
    """The plan's top-level themes the user may see, in order, each with the RAG counts of
    the actions the user may see in it and its sub-themes (as the plan page's theme filter
    counts them): two queries."""
    themes = (
        visible_themes_in_plan(user, plan)
        .filter(parent__isnull=True)
        .select_related("plan")
        .order_by("order", "pk")
    )
    top_theme = Coalesce(F("theme__parent_id"), F("theme_id"))
    actions = visible_in_plan(user, plan).annotate(top_theme=top_theme)
    counts = selectors.rag_counts_by(actions, "top_theme")
    return [Side(plan, theme, counts.get(theme.pk, selectors.zero_counts())) for theme in themes]


def theme_rows(user, older: Plan, newer: Plan) -> list[ThemeRow]:
    """A row per theme, matched between the years by name: the newer plan's themes in its
    order, then the older plan's themes the newer has no theme of that name for."""
    older_sides = _sides(user, older)
    by_name = {_name_key(side.theme): side for side in older_sides}
    rows, matched = [], set()
    for side in _sides(user, newer):
        key = _name_key(side.theme)
        old = by_name.get(key)
        if old is not None and key not in matched:
            matched.add(key)
        else:
            old = Side(older)
        rows.append(ThemeRow(theme_name(side.theme), old, side))
    for side in older_sides:
        if _name_key(side.theme) not in matched:
            rows.append(ThemeRow(theme_name(side.theme), side, Side(newer)))
    return rows


def comparison(user, older: Plan, newer: Plan) -> Comparison:
    """The two years compared, as the user may see them: nine queries."""
    counts = {kind: counted(user, older, newer, kind).count() for kind in KINDS}
    rows = theme_rows(user, older, newer)
    return Comparison(
        older=older,
        newer=newer,
        counts=counts,
        themes=rows,
        marking=comparison_marking(user, older, newer, rows),
    )


def comparison_marking(user, older: Plan, newer: Plan, rows: list[ThemeRow]) -> str:
    """The highest protective marking of what a comparison holds: the two plans, the themes
    it names and the actions it counts (one query)."""
    both = visible_in_plan(user, older) | visible_in_plan(user, newer)
    themes = [side.theme for row in rows for side in (row.older, row.newer) if side.theme]
    return selectors.highest(
        [
            older.marking,
            newer.marking,
            selectors.highest_marking(themes),
            selectors.highest_marking(both),
        ]
    ).value
