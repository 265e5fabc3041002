"""Taking the VRU's new template into a Draft plan: `template_apply`.

All of it in one transaction, or none of it: a plan that is not a Draft, a template with
problems, or choices that do not answer every question of the proposal, are refused
before anything is written; a value the database would refuse (an action number too long,
say) undoes everything written before it.
"""

import hashlib
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from actions.models import Action, Plan, Theme
from actions.services import action_create, action_edit, theme_create, theme_edit
from boards.names import NameIndex
from rollover.models import TemplateChoice, TemplateTaking
from rollover.template import (
    TemplateAction,
    TemplateChoices,
    TemplateProposal,
    template_proposal,
)
from workbooks.preview import NAMED_IN

REASON = "Taken in from the VRU's template"


class TemplateRefused(ValueError):
    """The template was not taken in, and nothing was written; `problems` says why."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


def unanswered(proposal: TemplateProposal, choices: TemplateChoices) -> list[str]:
    """The questions of the proposal the choices leave open, in words."""
    missing = [
        f"Choose whether to adopt or leave out optional action {_which(action)}"
        for action in proposal.optional_actions
        if action.key not in choices.adopted
    ]
    missing += [
        f"Confirm or refuse the match of {_which(action)} with the plan's action "
        f"{action.match.ref or '(unnumbered)'}"
        for action in proposal.matches
        if action.key not in choices.confirmed
    ]
    candidates = {theme.key: {c.pk for c in theme.candidates} for theme in proposal.themes}
    renamed = defaultdict(list)
    for theme in proposal.offered_themes:
        if theme.key not in choices.renamed:
            missing.append(f"Choose whether theme '{theme.name}' renames a theme or is new")
            continue
        target = choices.renamed[theme.key]
        if target is not None:
            if target not in candidates[theme.key]:
                missing.append(f"Choose one of the themes listed for '{theme.name}'")
            renamed[target].append(theme.name)
    missing += [
        f"The themes {' and '.join(repr(name) for name in names)} cannot both rename the same "
        "theme: choose a different one for one of them, or add it as new"
        for names in renamed.values()
        if len(names) > 1
    ]
    return missing


def _which(action: TemplateAction) -> str:
    number = f"{action.ref} " if action.ref else ""
    return f"{number}in '{action.theme.name}' (row {action.row})"


@transaction.atomic
def template_apply(
    *,
    plan: Plan,
    proposal: TemplateProposal,
    choices: TemplateChoices,
    user,
    file_name: str = "",
    data: bytes = b"",
) -> TemplateTaking:
    """Take the template of `proposal` into `plan`, a Draft, with the user's `choices`:
    add the themes it adds and rename those the user matched, add its mandated and new
    actions and the optional ones adopted, merge each confirmed match into the plan's action
    (its words, number, origin and theme from the template; its leads, updates and the
    action it was carried from kept), and record every choice in `user`'s name.
    Raises TemplateRefused, having written nothing, if it cannot."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != Plan.Status.DRAFT:
        raise TemplateRefused(
            [
                f"'{locked}' is {locked.get_status_display()}, not a Draft: a new template is "
                "taken into next year's Draft plan only, before it is activated."
            ]
        )
    if proposal.plan.pk != plan.pk:
        raise TemplateRefused(["The template was previewed for another plan."])
    if proposal.problems:
        raise TemplateRefused(proposal.problems)
    missing = unanswered(proposal, choices)
    if missing:
        raise TemplateRefused(missing)
    try:
        return _apply(locked, proposal, choices, user, file_name, data)
    except ValidationError as error:
        # A value the template gives that an action or theme cannot hold.
        raise TemplateRefused(error.messages) from error


def _apply(plan, proposal, choices, user, file_name, data) -> TemplateTaking:
    now = timezone.now()
    taking = TemplateTaking.objects.create(
        plan=plan,
        file_name=file_name[:300],
        sha256=hashlib.sha256(data).hexdigest(),
        taken_by=user,
        taken_at=now,
    )
    recorded: list[TemplateChoice] = []

    def record(kind, decision, *, theme_name, action=None, template=None, **extra):
        recorded.append(
            TemplateChoice(
                taking=taking,
                plan=plan,
                kind=kind,
                decision=decision,
                template_theme=theme_name,
                template_row=getattr(template, "row", None),
                template_ref=getattr(template, "ref", ""),
                template_text=getattr(template, "text", ""),
                action=action,
                made_by=user,
                made_at=now,
                **extra,
            )
        )

    # Themes: the plan's theme each of the template's becomes.
    theme_of: dict[str, Theme] = {}
    next_order = (plan.themes.filter(parent__isnull=True).aggregate(m=Max("order"))["m"] or 0) + 1
    for theme in proposal.themes:
        if theme.theme is not None:
            theme_of[theme.key] = theme.theme
            continue
        target = choices.renamed.get(theme.key) if theme.candidates else None
        if target is not None:
            old = next(c for c in theme.candidates if c.pk == target)
            previous_name = old.name
            theme_of[theme.key] = theme_edit(theme=old, user=user, name=theme.name)
            record(
                TemplateChoice.Kind.THEME,
                TemplateChoice.Decision.RENAMED,
                theme_name=theme.name,
                theme=old,
                previous_name=previous_name,
            )
            taking.themes_renamed += 1
            continue
        added = theme_create(
            user=user,
            plan=plan,
            name=theme.name,
            description=theme.description,
            order=next_order,
        )
        next_order += 1
        theme_of[theme.key] = added
        taking.themes_added += 1
        if theme.candidates:
            record(
                TemplateChoice.Kind.THEME,
                TemplateChoice.Decision.ADDED,
                theme_name=theme.name,
                theme=added,
            )

    # Actions: which are merged into the plan's, which added, which left out.
    merged: list[TemplateAction] = []
    added: list[TemplateAction] = []
    for action in proposal.actions:
        taken = not action.offered or choices.adopted[action.key]
        if action.offered:
            decision = (
                TemplateChoice.Decision.ADOPTED if taken else TemplateChoice.Decision.LEFT_OUT
            )
            # The action it led to is filled in below, once it exists.
            record(
                TemplateChoice.Kind.OPTIONAL,
                decision,
                theme_name=action.theme.name,
                template=action,
            )
        if action.match is not None:
            confirmed = choices.confirmed[action.key]
            record(
                TemplateChoice.Kind.MATCH,
                TemplateChoice.Decision.CONFIRMED if confirmed else TemplateChoice.Decision.REFUSED,
                theme_name=action.theme.name,
                template=action,
                action=action.match,
            )
            if taken and confirmed:
                merged.append(action)
                continue
        if taken:
            added.append(action)

    refs = _renumber(theme_of, merged, added, user)
    made = {}
    for action in merged:
        made[action.key] = action_edit(
            action=action.match,
            user=user,
            theme=theme_of[action.theme.key],
            text=action.text,
            ref=refs.get(action.match.pk, action.match.ref),
            # A template that states no origin leaves the action's own.
            origin=action.origin or action.match.origin,
        )
    orders = _next_orders(theme_of.values())
    names = NameIndex(plan.partnership_id)
    for action in added:
        theme = theme_of[action.theme.key]
        lists = {
            list_field: getattr(names, finder)(action.values[text_field])[0]
            for text_field, (list_field, finder) in NAMED_IN.items()
            if action.values.get(text_field)
        }
        made[action.key] = action_create(
            user=user,
            theme=theme,
            ref=action.ref,
            text=action.text,
            origin=action.origin,
            # As an import's new actions: the marking the workbook states, if any.
            marking=proposal.parsed.marking,
            order=orders[theme.pk],
            **action.values,
            **lists,
        )
        orders[theme.pk] += 1
    for choice in recorded:
        if choice.kind == TemplateChoice.Kind.OPTIONAL and choice.decision == "adopted":
            choice.action = made.get(f"row-{choice.template_row}")
    TemplateChoice.objects.bulk_create(recorded)
    taking.actions_added = len(added)
    taking.actions_merged = len(merged)
    taking.save(update_fields=["themes_added", "themes_renamed", "actions_added", "actions_merged"])
    return taking


def _next_orders(themes) -> dict[int, int]:
    """The position after the last action of each theme."""
    pks = {theme.pk for theme in themes}
    last = dict(
        Action.objects.filter(theme_id__in=pks)
        .values("theme_id")
        .annotate(m=Max("order"))
        .values_list("theme_id", "m")
    )
    return {pk: (last[pk] + 1 if last.get(pk) is not None else 0) for pk in pks}


def _renumber(theme_of, merged, added, user) -> dict[int, str]:
    """Make room for the template's numbers, and say what number each merged action takes
    ({action pk: number}).

    The template's numbers win: a merged or added action takes the number the template
    gives it. Any other action in the same theme holding that number (one the template
    does not name, or a merged one the template gives no number, moving in) moves to the
    next free number of its theme. The actions whose numbers change are first left
    unnumbered, which the database's rule of one number per theme allows, so that no two
    hold one number at any moment."""
    claimed: set[tuple[int, str]] = set()
    refs: dict[int, str] = {}
    unnumbered: list[tuple[int, Action]] = []  # merged actions the template gives no number
    for action in merged:
        theme = theme_of[action.theme.key].pk
        if action.ref:
            claimed.add((theme, action.ref))
            refs[action.match.pk] = action.ref
        else:
            unnumbered.append((theme, action.match))
    for action in added:
        if action.ref:
            claimed.add((theme_of[action.theme.key].pk, action.ref))
    themes = {theme for theme, _ in claimed}
    moving = {action.match.pk for action in merged}
    others = [
        (action.theme_id, action)
        for action in Action.objects.filter(theme_id__in=themes)
        .exclude(pk__in=moving)
        .exclude(ref="")
        .order_by("theme_id", "order", "pk")
    ] + [(theme, action) for theme, action in unnumbered if action.ref]
    used = defaultdict(set)
    for theme, ref in claimed:
        used[theme].add(ref)
    for theme, action in others:
        used[theme].add(action.ref)
    held: set[tuple[int, str]] = set(claimed)
    displaced = []
    for theme, action in others:
        if (theme, action.ref) in held:
            refs[action.pk] = _free_number(used[theme])
            displaced.append(action)
        held.add((theme, action.ref))
    changing = [
        action.match.pk
        for action in merged
        if refs.get(action.match.pk, action.match.ref) != action.match.ref
        or theme_of[action.theme.key].pk != action.match.theme_id
    ]
    Action.objects.filter(pk__in=changing + [action.pk for action in displaced]).update(ref="")
    # The history rows written for these record the number each had before and after.
    for action in displaced:
        if action.pk not in moving:
            action_edit(action=action, user=user, ref=refs[action.pk])
    return refs


def _free_number(used: set[str]) -> str:
    """The next whole number after the highest whole number in use; reserved at once."""
    highest = max((int(ref) for ref in used if ref.isdigit()), default=0)
    number = str(highest + 1)
    used.add(number)
    return number


class AnsweredTemplate:
    """A template workbook with every question answered up front, for `rollover_create`'s
    `template` (rollover_plan --template): the optional actions of the template's rows in
    `adopt` adopted and the others left out; every match confirmed but those of the rows in
    `refuse`; a theme that might rename one of the plan's added as new. Taken into the
    roll-over's new Draft as the pages would take it, its choices recorded in the user's
    name; refused (TemplateRefused) if any question is still open or the workbook has
    problems, and then the whole roll-over is undone."""

    def __init__(self, name: str, data: bytes, *, adopt=(), refuse=()):
        self.name, self.data = name, data
        self.adopt, self.refuse = set(adopt), set(refuse)
        self.taking: TemplateTaking | None = None

    def apply(self, *, rollover, user) -> TemplateTaking:
        plan = rollover.new_plan
        proposal = template_proposal(plan, self.data)
        choices = TemplateChoices.answering(proposal, adopt=self.adopt, refuse=self.refuse)
        self.taking = template_apply(
            plan=plan,
            proposal=proposal,
            choices=choices,
            user=user,
            file_name=self.name,
            data=self.data,
        )
        return self.taking
