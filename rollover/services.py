"""The annual roll-over: one year's plan into the next, in two stages.

1. `rollover_create` makes next year's plan as a Draft beside this year's, which carries on
   (officers keep updating it): the plan's themes, and every action not Complete carried
   forward as a new action linked to the one it came from (`Action.carried_from`), with its
   leads, organisations, monitoring board, RAG status, marking and latest progress update
   (a copy, received when the original was). Complete actions close
   with the old plan. `rollover_preview` shows all of that, theme by theme, first.
2. `rollover_activate` (typically when the board approves the new plan) brings across the
   progress updates made to carried actions since the roll-over (`rollover_activation_preview`
   lists them), makes the new plan Active and closes the old one.

While the new plan is a Draft, `rollover_undo` removes it and everything in it.

Every write goes through actions.services, so each record's history says who made the change
and why (the reasons below).

The VRU's new template is taken into the Draft by `rollover.template_services`: in the
browser on the Draft's own template pages, where each question (optional actions, matches,
renamed themes) is answered one by one; by `rollover_plan --template`, with every question
answered up front, through `rollover_create`'s `template` (anything with a `name` and an
`apply(*, rollover, user)`, applied to the new plan last, in the same transaction).
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone

from actions import selectors
from actions import services as actions_services
from actions.models import Action, Plan, ProgressUpdate, SeniorLeader, Theme
from actions.rag import RAG
from cspplan.saving import record_create, record_edit
from rollover.models import Rollover

# Why each record changed, as its history shows it.
CREATED_REASON = "Rolled over from last year's plan"
BROUGHT_REASON = "Brought across from last year's plan on activation"
CARRIED_UPDATE_REASON = "The latest progress update, carried forward with its action"
ACTIVATED_REASON = "Next year's plan activated"
CLOSED_REASON = "Closed: next year's plan was activated"
UNDONE_REASON = "Roll-over undone"

# The action fields a carried action keeps as they were. Not copied: its progress updates
# (they stay with the old action, which the new one links to), its ids and timestamps.
CARRIED_FIELDS = (
    "ref",
    "text",
    "outcomes",
    "resources",
    "timescale",
    "start_date",
    "start_text",
    "end_date",
    "end_text",
    "leads",
    "lead_organisations_text",
    "supporting_organisations_text",
    "responsible_service",
    "responsible_team",
    "progress",
    "comment",
    "document_references",
    "rag",
    "origin",
    "monitoring_board",
    "marking",
    "order",
)
CARRIED_LISTS = ("lead_people", "lead_organisations", "supporting_organisations")
# A theme's own words for the year (the review panel's feedback, its progress) stay with it.
THEME_FIELDS = ("ref", "name", "description", "monitoring_board", "order", "marking")


class RolloverRefused(ValidationError):
    """The roll-over (or its activation or undoing) cannot be made; nothing was written. Its
    messages are keyed by the form field they are about (NON_FIELD_ERRORS for the whole)."""


# ---- the next cycle ---------------------------------------------------------------------------


def _add_year(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def next_period(plan: Plan) -> tuple[datetime.date | None, datetime.date | None]:
    """The plan's own cycle one year on: from the day after it ends to a year after its
    end (11 December 2022 to 10 December 2023 after 11 December 2021 to 10 December 2022)."""
    if plan.period_end is None:
        return None, None
    return plan.period_end + datetime.timedelta(days=1), _add_year(plan.period_end)


def _next_years(text: str, separator: str) -> str | None:
    """`text` with its year span ("2021/22", "2021-22") one year on, or None if it has none."""
    pattern = re.compile(rf"(?<!\d)(\d{{4}}){re.escape(separator)}(\d{{2}})(?!\d)")
    match = pattern.search(text)
    if not match:
        return None
    first = int(match[1]) + 1
    span = f"{first}{separator}{(first + 1) % 100:02d}"
    return text[: match.start()] + span + text[match.end() :]


def suggested_title(plan: Plan) -> str:
    return _next_years(plan.title, "/") or plan.title


def suggested_slug(plan: Plan) -> str:
    start, _ = next_period(plan)
    return _next_years(plan.slug, "-") or f"{plan.slug}-{start.year if start else 'next'}"[:100]


# ---- checks -----------------------------------------------------------------------------------


def live_rollover(plan: Plan) -> Rollover | None:
    """The roll-over the plan is part of, as the old plan or the new, unless undone."""
    rollovers = Rollover.objects.exclude(state=Rollover.State.UNDONE)
    return rollovers.filter(old_plan=plan).first() or rollovers.filter(new_plan=plan).first()


def rollover_check(plan: Plan, *, title: str, slug: str, start, end) -> None:
    """Raise RolloverRefused saying what is wrong with rolling `plan` over into a plan of
    this title, slug and period; nothing if it can be made."""
    errors: dict = {}
    if plan.status != Plan.Status.ACTIVE:
        errors[NON_FIELD_ERRORS] = [
            f"Only an active plan can be rolled over: this one is {plan.get_status_display()}."
        ]
    elif Rollover.objects.filter(old_plan=plan).exclude(state=Rollover.State.UNDONE).exists():
        errors[NON_FIELD_ERRORS] = [
            "This plan has already been rolled over: undo that roll-over first."
        ]
    if not (title or "").strip():
        errors["title"] = ["Enter the new plan's title."]
    try:
        validate_slug(slug or "")
    except ValidationError:
        errors["slug"] = ["Enter a slug of letters, numbers, hyphens or underscores."]
    else:
        if Plan.objects.filter(slug=slug).exists():
            errors["slug"] = [f"A plan with the slug {slug} already exists."]
    if start is None:
        errors["start"] = ["Enter the date the new plan's period starts."]
    if end is None:
        errors["end"] = ["Enter the date the new plan's period ends."]
    if start and end and end < start:
        errors["end"] = ["The period cannot end before it starts."]
    if start and plan.period_start and start <= plan.period_start:
        errors["start"] = ["The new period must start after this plan's period started."]
    if errors:
        raise RolloverRefused(errors)


# ---- the preview ------------------------------------------------------------------------------


@dataclass
class ThemePreview:
    theme: Theme  # of the old plan
    depth: int  # 0 for a top-level theme, 1 for a sub-theme
    carried: list[Action] = field(default_factory=list)
    closing: list[Action] = field(default_factory=list)


@dataclass
class RolloverPreview:
    """What rolling `plan` over would do, theme by theme. Each action listed has (from
    actions.selectors) `last_update`, `last_update_text`, `last_update_marking`,
    `lead_people_names`, `lead_organisation_names`, and `monitored_by`: the board that
    monitors it (`selectors.monitoring_board`)."""

    plan: Plan
    title: str
    slug: str
    start: datetime.date
    end: datetime.date
    themes: list[ThemePreview]
    template: object = None  # a template to take in as well (rollover_plan --template)

    @property
    def carried_count(self) -> int:
        return sum(len(theme.carried) for theme in self.themes)

    @property
    def closing_count(self) -> int:
        return sum(len(theme.closing) for theme in self.themes)


def themes_in_order(plan: Plan) -> list[tuple[Theme, int]]:
    """The plan's themes as it reads: each top-level theme, then its sub-themes (layouts
    have two levels at most), with their depth."""
    themes = list(Theme.objects.filter(plan=plan).select_related("monitoring_board"))
    themes.sort(key=lambda theme: (theme.order, theme.pk))
    children: dict[int, list[Theme]] = {}
    for theme in themes:
        if theme.parent_id:
            children.setdefault(theme.parent_id, []).append(theme)
    ordered = []
    for theme in themes:
        if theme.parent_id is None:
            ordered.append((theme, 0))
            ordered += [(child, 1) for child in children.get(theme.pk, [])]
    return ordered


def rollover_preview(
    plan: Plan, *, title: str, slug: str, start, end, template=None, user=None
) -> RolloverPreview:
    """What `rollover_create` would do with the same arguments, theme by theme: the actions
    it carries forward (those not Complete) and those that close with the plan (Complete),
    each with its leads, organisations, origin, monitoring board, RAG and latest update
    (the latest of those `user` may see: `selectors.listed_updates`). Reads a fixed number
    of queries however many actions the plan has. Writes nothing."""
    ordered = themes_in_order(plan)
    previews = {theme.pk: ThemePreview(theme=theme, depth=depth) for theme, depth in ordered}
    actions = selectors.with_details(
        Action.objects.filter(theme__plan=plan), selectors.listed_updates(user)
    ).select_related("monitoring_board", "theme__monitoring_board")
    actions = list(actions.order_by(*selectors.reading_order()))
    selectors.with_lead_names({action.pk: action for action in actions})
    for action in actions:
        action.monitored_by = selectors.monitoring_board(action)
        preview = previews[action.theme_id]
        (preview.closing if action.rag == RAG.COMPLETE else preview.carried).append(action)
    return RolloverPreview(
        plan=plan,
        title=title,
        slug=slug,
        start=start,
        end=end,
        themes=[previews[theme.pk] for theme, _ in ordered],
        template=template,
    )


# ---- stage 1: the Draft -----------------------------------------------------------------------


@transaction.atomic
def rollover_create(
    *, plan: Plan, user, title: str, slug: str, start, end, template=None
) -> Rollover:
    """Roll `plan` over into a new Draft plan (predecessor `plan`) titled `title`, at
    `slug`, for the period `start` to `end`, in one transaction: its senior leaders and
    themes copied, and every action not Complete carried forward as a new action linked to
    it (`carried_from`). `plan` itself is not changed and stays Active. `template` (from
    `read_template`) is applied to the new plan last. Raises RolloverRefused, having
    written nothing, if it cannot be made (`rollover_check`)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    rollover_check(plan, title=title, slug=slug, start=start, end=end)
    new_plan = actions_services.plan_create(
        user=user,
        reason=CREATED_REASON,
        partnership=plan.partnership,
        board=plan.board,
        title=title.strip(),
        slug=slug,
        layout=plan.layout,
        period_start=start,
        period_end=end,
        status=Plan.Status.DRAFT,
        predecessor=plan,
        summary=plan.summary,
        source=f"Rolled over from {plan.title}"[:300],
        marking=plan.marking,
    )
    for leader in SeniorLeader.objects.filter(plan=plan).order_by("order", "pk"):
        actions_services.senior_leader_create(
            user=user,
            reason=CREATED_REASON,
            plan=new_plan,
            person=leader.person,
            name=leader.name,
            organisation=leader.organisation,
            role=leader.role,
            order=leader.order,
        )
    new_themes: dict[int, Theme] = {}
    for theme, _ in themes_in_order(plan):
        new_themes[theme.pk] = actions_services.theme_create(
            user=user,
            reason=CREATED_REASON,
            plan=new_plan,
            parent=new_themes[theme.parent_id] if theme.parent_id else None,
            **{name: getattr(theme, name) for name in THEME_FIELDS},
        )
    carried = (
        Action.objects.filter(theme__plan=plan)
        .exclude(rag=RAG.COMPLETE)
        .select_related("monitoring_board")
        .prefetch_related(*CARRIED_LISTS)
        .annotate(latest_pk=selectors.newest_update("pk", ProgressUpdate.objects.all()))
        .order_by(*selectors.reading_order())
    )
    latest = ProgressUpdate.objects.in_bulk(
        [pk for pk in carried.values_list("latest_pk", flat=True) if pk is not None]
    )
    for action in carried:
        new_action = actions_services.action_create(
            user=user,
            reason=CREATED_REASON,
            theme=new_themes[action.theme_id],
            carried_from=action,
            **{name: getattr(action, name) for name in CARRIED_FIELDS},
            **{name: list(getattr(action, name).all()) for name in CARRIED_LISTS},
        )
        if action.latest_pk is not None:
            _carry_latest_update(latest[action.latest_pk], new_action, user)
    rollover = record_create(
        Rollover,
        user=user,
        reason=CREATED_REASON,
        old_plan=plan,
        new_plan=new_plan,
        title=new_plan.title,
        slug=slug,
        period_start=start,
        period_end=end,
        template_name=getattr(template, "name", "") or "",
        state=Rollover.State.DRAFT,
        created_by=_signed_in(user),
        created_at=timezone.now(),
    )
    if template is not None:
        template.apply(rollover=rollover, user=user)
    return rollover


def _carry_latest_update(update: ProgressUpdate, action: Action, user) -> None:
    """The carried action's latest progress update, carried with it: where it stands is
    known in the new plan from the start (its last update, and so whether it has gone
    stale, are as they were), not only through the link to last year's action. Received
    when the original was, so that no page counts it as news; its RAG status is the
    action's already."""
    copy = actions_services.progress_update_create(
        action=action,
        user=user,
        date=update.date,
        period=update.period,
        text=update.text,
        author=update.author,
        marking=update.marking,
        reason=CARRIED_UPDATE_REASON,
    )
    ProgressUpdate.objects.filter(pk=copy.pk).update(created_at=update.created_at)


def _signed_in(user):
    return user if user is not None and user.is_authenticated else None


# ---- stage 2: activation ----------------------------------------------------------------------


@dataclass
class BroughtUpdate:
    """A progress update made to a carried action in the old plan after the roll-over, and
    the new action it would be brought across to."""

    update: ProgressUpdate
    action: Action  # the new action


def rollover_activation_preview(rollover: Rollover) -> list[BroughtUpdate]:
    """The progress updates made to the carried actions, in the old plan, since the
    roll-over (and not already on the new action: the same date and words), oldest first:
    what activation would bring across. Two queries."""
    if rollover.new_plan_id is None:
        return []
    new_actions = {
        action.carried_from_id: action
        for action in Action.objects.filter(
            theme__plan_id=rollover.new_plan_id, carried_from__isnull=False
        ).select_related("theme__parent")
    }
    updates = (
        ProgressUpdate.objects.filter(
            action_id__in=new_actions, created_at__gte=rollover.created_at
        )
        .select_related("author", "action__theme__parent", "action__theme__plan")
        .order_by("date", "created_at", "pk")
    )
    already = set(
        ProgressUpdate.objects.filter(action__in=new_actions.values()).values_list(
            "action__carried_from_id", "date", "text"
        )
    )
    return [
        BroughtUpdate(update=update, action=new_actions[update.action_id])
        for update in updates
        if (update.action_id, update.date, update.text) not in already
    ]


def _locked_draft(rollover: Rollover, *, plan_gone_ok: bool = False) -> Rollover:
    """The roll-over, locked, if it is a draft whose new plan is a Draft (or, with
    `plan_gone_ok`, gone: deleted in the admin); else RolloverRefused."""
    rollover = (
        # Its row alone: the new plan may be gone (an outer join), and PostgreSQL locks no
        # row on the nullable side of one.
        Rollover.objects.select_for_update(of=("self",))
        .select_related("new_plan", "old_plan")
        .get(pk=rollover.pk)
    )
    if rollover.state != Rollover.State.DRAFT:
        raise RolloverRefused(
            f"This roll-over is {rollover.get_state_display().lower()}, not a draft."
        )
    if rollover.new_plan is None:
        if plan_gone_ok:
            return rollover
        raise RolloverRefused(
            "The new plan has been deleted: undo the roll-over, then roll the plan over again."
        )
    if rollover.new_plan.status != Plan.Status.DRAFT:
        raise RolloverRefused(
            f"The new plan is {rollover.new_plan.get_status_display()}, not a Draft."
        )
    return rollover


@transaction.atomic
def rollover_activate(
    *, rollover: Rollover, user, bring_updates: bool | Iterable[int] = True
) -> Rollover:
    """Activate the roll-over's new plan, in one transaction: bring across the progress
    updates `rollover_activation_preview` lists (all with `bring_updates` True, none with
    False, or those whose ids it gives) as progress updates of the new actions, their
    author, date, period, words, RAG and marking kept; then the new plan becomes Active and
    the old one Closed. Raises RolloverRefused, having written nothing, unless the
    roll-over is a draft."""
    rollover = _locked_draft(rollover)
    chosen = _chosen(bring_updates)
    brought = 0
    for item in rollover_activation_preview(rollover):
        if chosen is not None and item.update.pk not in chosen:
            continue
        update = item.update
        actions_services.progress_update_create(
            action=item.action,
            user=user,
            date=update.date,
            period=update.period,
            text=update.text,
            rag=update.rag,
            author=update.author,
            marking=update.marking,
            reason=BROUGHT_REASON,
        )
        brought += 1
    actions_services.plan_edit(
        plan=rollover.new_plan, user=user, reason=ACTIVATED_REASON, status=Plan.Status.ACTIVE
    )
    actions_services.plan_edit(
        plan=rollover.old_plan, user=user, reason=CLOSED_REASON, status=Plan.Status.CLOSED
    )
    return record_edit(
        rollover,
        user=user,
        reason=ACTIVATED_REASON,
        state=Rollover.State.ACTIVATED,
        activated_by=_signed_in(user),
        activated_at=timezone.now(),
        updates_brought=brought,
    )


def _chosen(bring_updates) -> set[int] | None:
    if bring_updates is True:
        return None
    if bring_updates is False:
        return set()
    return {int(pk) for pk in bring_updates}


# ---- undoing ----------------------------------------------------------------------------------


@transaction.atomic
def rollover_undo(*, rollover: Rollover, user) -> Rollover:
    """Remove the roll-over's new plan and everything in it (its actions and their
    updates, themes, senior leaders, indicators), each with a "deleted" history row in
    `user`'s name, in one transaction, leaving the old plan and its actions as they were.
    The roll-over's record stays, marked undone. Only while the new plan is a Draft;
    raises RolloverRefused otherwise, having written nothing."""
    rollover = _locked_draft(rollover, plan_gone_ok=True)
    new_plan = rollover.new_plan
    # The roll-over's record first lets go of the plan, whose deletion would set it null
    # without a history row.
    rollover = record_edit(
        rollover,
        user=user,
        reason=UNDONE_REASON,
        new_plan=None,
        state=Rollover.State.UNDONE,
        undone_by=_signed_in(user),
        undone_at=timezone.now(),
    )
    if new_plan is None:  # deleted in the admin already: nothing more to remove
        return rollover
    # Innermost first, so that each record's deletion is its own, in the user's name,
    # rather than a cascade's.
    actions = Action.objects.filter(theme__plan=new_plan)
    for update in ProgressUpdate.objects.filter(action__in=actions):
        actions_services.progress_update_delete(update=update, user=user)
    for action in actions:
        actions_services.action_delete(action=action, user=user)
    themes = Theme.objects.filter(plan=new_plan)
    for theme in themes.filter(parent__isnull=False):
        actions_services.theme_delete(theme=theme, user=user)
    for theme in themes:
        actions_services.theme_delete(theme=theme, user=user)
    for leader in SeniorLeader.objects.filter(plan=new_plan):
        actions_services.senior_leader_delete(senior_leader=leader, user=user)
    for indicator in new_plan.indicators.all():
        for value in indicator.values.all():
            actions_services.indicator_value_delete(indicator_value=value, user=user)
        actions_services.indicator_delete(indicator=indicator, user=user)
    actions_services.plan_delete(plan=new_plan, user=user)
    return rollover
