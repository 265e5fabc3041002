"""What a chair's page is about: one plan, or one board with its subgroups.

The dashboards, "since the last meeting" and the pack all take a `Scope`: its actions are
already limited to what the user may see (`actions.permissions.visible_in_plan` and
`visible_in_boards`, which are `visible_actions` narrowed to the scope), so nothing
counted or listed from it can include an action hidden from them, marked or not; and its
themes are those the user may see (`actions.permissions.visible_themes`); and its
`updates` are the progress updates its lists may read (`actions.selectors.listed_updates`:
those marked on their own only for a user who may see them; every update of the scope's
actions for one who sees all of it).
"""

from dataclasses import dataclass, field, replace

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from actions import selectors
from actions.models import Action, Marking, Plan, ProgressUpdate, Theme
from actions.permissions import (
    plan_or_404,
    sees_whole_boards,
    sees_whole_plan,
    visible_boards,
    visible_in_boards,
    visible_in_plan,
    visible_plans,
    visible_themes_in_plan,
    visible_themes_in_plans,
)
from boards.models import Board
from boards.selectors import with_subgroups


@dataclass
class Scope:
    title: str
    actions: QuerySet[Action]
    plans: QuerySet[Plan]
    themes: QuerySet[Theme]
    # The progress updates the scope's lists read, narrowed to its actions: `listed_updates`
    # for the user (every one, for a user who sees all of the scope), those at OFFICIAL when
    # the scope is produced without the marked items.
    updates: QuerySet[ProgressUpdate] = field(default_factory=selectors.listed_updates)
    board: Board | None = None
    plan: Plan | None = None
    # The board and the boards under it, for a board's scope.
    boards: set[int] = field(default_factory=set)
    # Those of its plans that they own, and the rest (holding actions they monitor).
    owned_plans: frozenset[int] = frozenset()
    monitored_plans: frozenset[int] = frozenset()

    @property
    def kind(self) -> str:
        return "board" if self.board else "plan"

    def url(self, name: str) -> str:
        """This scope's page `name` (dashboard, since, pack, pack-docx, indicators)."""
        if self.board:
            return reverse(f"reporting:board-{name}", args=[self.board.pk])
        return reverse(f"reporting:plan-{name}", args=[self.plan.slug])


def marked_condition(scope: Scope) -> Q:
    """The scope's actions that make what shows them OFFICIAL-SENSITIVE: marked themselves
    (or by their theme or plan), or holding an update marked on its own that the scope's
    lists read."""
    return selectors.sensitive_condition() | marked_on_their_own(scope)


def marked_on_their_own(scope: Scope) -> Q:
    """`marked_condition` less what actions take from their theme and plan: marked
    themselves, or holding an update marked on its own that the scope's lists read. For a
    caller that states the markings of the scope's themes and plans anyway (the dashboards'
    groups), so that its count needs no join to them."""
    marked_updates = scope.updates.filter(marking=Marking.OFFICIAL_SENSITIVE)
    return Q(marking=Marking.OFFICIAL_SENSITIVE) | Q(pk__in=marked_updates.values("action_id"))


def scope_marking(scope: Scope) -> Marking:
    """The highest protective marking of what the scope holds: its actions (each at least
    at its theme's and plan's marking, or holding an update marked on its own that the
    scope's lists read), its themes and its plans. What its pages and documents state at
    their head and foot."""
    # One query for the actions and their updates together, as for the actions alone.
    actions = scope.actions.filter(marked_condition(scope))
    return selectors.highest(
        [
            Marking.OFFICIAL_SENSITIVE if actions.exists() else Marking.OFFICIAL,
            *(selectors.highest_marking(items) for items in (scope.themes, scope.plans)),
        ]
    )


def without_marked(scope: Scope) -> Scope:
    """The scope with its OFFICIAL-SENSITIVE items left out (actions, themes and plans so
    marked, and what is in them): what is produced at OFFICIAL when asked."""
    return replace(
        scope,
        actions=scope.actions.filter(selectors.official_condition()),
        themes=scope.themes.exclude(selectors.theme_sensitive_condition()),
        plans=scope.plans.filter(marking=Marking.OFFICIAL),
        updates=selectors.listed_updates(),
    )


def _by_ids(queryset: QuerySet) -> QuerySet:
    """The rows of `queryset`, found once and named by their ids: a board's plans and themes
    are few, but the permission rules that choose them are subqueries nested in each other
    (the themes of the plans of the actions...) that every later query would otherwise
    compile and run again."""
    ids = list(queryset.order_by().values_list("pk", flat=True))
    return queryset.model.objects.filter(pk__in=ids)


def _updates_read(user, whole: bool) -> QuerySet[ProgressUpdate]:
    """The progress updates a scope's lists read (`selectors.listed_updates`), to be
    narrowed to the scope's actions. Every update, with no test, where the user sees all of
    the scope (`permissions.sees_whole_plan`, `sees_whole_boards`): the test of who may see
    a marked update (a subquery over every action) would then keep them all, and it is
    otherwise compiled and run again in every count and list that reads updates."""
    return ProgressUpdate.objects.all() if whole else selectors.listed_updates(user)


def plan_scope(user, slug: str) -> Scope:
    """The plan's visible actions. 404 if the user may not see the plan.

    For one who sees all of it (`permissions.sees_whole_plan`), its themes are found once
    (one query) and its actions named by them: PostgreSQL then knows how many actions each
    theme holds, where through a join to the themes of one plan it guesses a tenth of a
    large plan's actions, and chooses to look up each one's updates in turn rather than
    read them together (benchmarks/README.md)."""
    plan = plan_or_404(user, slug, related=("board", "partnership"))
    whole = sees_whole_plan(user, plan)
    actions, themes = visible_in_plan(user, plan), visible_themes_in_plan(user, plan)
    if whole:
        theme_ids = list(themes.order_by().values_list("pk", flat=True))
        actions = Action.objects.filter(theme_id__in=theme_ids)
        themes = Theme.objects.filter(pk__in=theme_ids)
    return Scope(
        title=plan.title,
        actions=actions,
        plans=Plan.objects.filter(pk=plan.pk),
        themes=themes,
        updates=_updates_read(user, whole),
        plan=plan,
    )


def board_scope(user, pk: int) -> Scope:
    """The board's own plans and its subgroups' (every action in them the user may see),
    and the actions the board or its subgroups monitor in other plans. 404 if the user may
    not open the board.

    Next year's Draft is left out until it is activated, and last year's plan once it is
    (`selectors.not_this_years`).

    Its plans are found once (one query), by the rule of `visible_plans` unless the user
    sees all of the board's scope (`permissions.sees_whole_boards`: then every plan that
    holds its actions is theirs to see, and that rule, subqueries over every action they
    may see, is neither built nor run). Its themes by the plans
    (`permissions.visible_themes_in_plans`): one query more only for a plan the user sees
    in part (one owned elsewhere, of which the board monitors some actions)."""
    board = get_object_or_404(visible_boards(user).select_related("partnership"), pk=pk)
    boards = with_subgroups([board.pk])
    whole = sees_whole_boards(user, boards)
    actions = visible_in_boards(user, boards).exclude(selectors.not_this_years())
    if whole:
        # Every plan holding an action the boards monitor is in the scope, and theirs to see.
        plans = Plan.objects.filter(Q(board_id__in=boards) | selectors.plans_monitored_by(boards))
    else:
        plans = visible_plans(user).filter(
            Q(board_id__in=boards) | Q(pk__in=actions.values("theme__plan_id"))
        )
    # What `visible_themes_in_plans` and the dashboards read of each plan.
    plans = list(
        plans.exclude(selectors.not_this_years(""))
        .order_by()
        .only("pk", "board_id", "partnership_id")
    )
    owned = frozenset(plan.pk for plan in plans if plan.board_id in boards)
    others = frozenset(plan.pk for plan in plans) - owned
    if whole:
        # The same actions, named by the plans just found (this year's): all of those the
        # boards own, and those they monitor in the others. The database then reads these
        # plans' actions alone, rather than testing every action of every partnership
        # against the plans' boards and years.
        actions = Action.objects.filter(
            Q(theme__plan_id__in=owned)
            | (Q(theme__plan_id__in=others) & selectors.monitored_by(boards))
        )
    themes = visible_themes_in_plans(user, plans)
    if not all(sees_whole_plan(user, plan) for plan in plans):
        themes = _by_ids(themes)
    return Scope(
        title=board.name,
        actions=actions,
        plans=Plan.objects.filter(pk__in=[plan.pk for plan in plans]),
        themes=themes,
        updates=_updates_read(user, whole),
        board=board,
        boards=boards,
        owned_plans=owned,
        monitored_plans=others,
    )
