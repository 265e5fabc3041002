"""Reading the VRU's new template against a Draft plan: what taking it in would do.

The template is a workbook in the VRU layout, read with the workbooks app's own reader and
its safety limits (workbooks.layouts.read_workbook). Each action's origin comes from the
hidden Origin column, or from the "VRU mandated action" prefix of its text
(workbooks.vru). Nothing here writes: `template_proposal` says, for the plan as it is now,

- themes: each template theme with the same name as one of the plan's is matched; one
  with no such theme is added, or, where the plan has themes the template does not name
  and one of them may be it (a name much like it, or actions with much the same words),
  offered to the user to match as a renamed one of those (or to add as new);
- actions: the template's optional actions are offered one by one (adopt or leave out);
  all its other actions (mandated, new, and any it gives without a VRU origin) are added;
- matches: a template action that seems to be one already in the plan (normally one carried
  from last year) is proposed as a merge, which the user confirms or refuses per match:
  the same number in the same theme, or, failing that, much the same words anywhere in the
  plan. A confirmed match updates the action in the plan (rollover.template_services)
  instead of adding a second one.

The choices are the user's (`TemplateChoices`); `rollover.template_services.template_apply`
writes a proposal with them.
"""

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db import models

from actions.models import Action, ActionOrigin, Plan, Theme
from cspplan.display import user_name
from rollover.models import TemplateChoice, TemplateTaking
from workbooks.layouts import read_workbook
from workbooks.rows import ParsedWorkbook

# Two texts whose sets of words overlap this much (shared words over all words, ignoring
# case and punctuation) are proposed as the same action; the user confirms or refuses.
SAME_WORDS = 0.6
# The template's fields a new action takes (its RAG, progress and updates are this year's
# own, so they start empty). Leads and organisations are the template's words, linked to
# the partnership's people and organisations as an import links them.
NEW_ACTION_FIELDS = (
    "outcomes",
    "leads",
    "lead_organisations_text",
    "supporting_organisations_text",
    "start_date",
    "start_text",
    "end_date",
    "end_text",
    "comment",
    "document_references",
)


class Kind:
    """What the template asks of an action."""

    MANDATED = "mandated"
    NEW = "new"
    OPTIONAL = "optional"
    OTHER = "other"  # no VRU origin: added like a mandated or new one, as the template lists it

    LABELS = {
        MANDATED: "VRU mandated",
        NEW: "New VRU action",
        OPTIONAL: "Optional",
        OTHER: "No VRU origin stated",
    }

    @classmethod
    def of(cls, origin: str) -> str:
        return {
            ActionOrigin.VRU_MANDATED: cls.MANDATED,
            ActionOrigin.VRU_NEW: cls.NEW,
            ActionOrigin.VRU_OPTIONAL: cls.OPTIONAL,
        }.get(origin, cls.OTHER)


def name_key(name: str) -> str:
    """Theme names match ignoring case and spacing ("Governance" is "GOVERNANCE")."""
    return " ".join(name.split()).casefold()


_WORD = re.compile(r"[a-z0-9]+")


def words_of(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.casefold()))


# Words that say nothing about which theme a name is.
_LINKING = frozenset({"a", "an", "and", "for", "from", "in", "of", "on", "the", "to", "with"})


def similar_names(one: str, other: str) -> bool:
    """Theme names sharing at least half the words of the shorter ("SAFEGUARDING CHILDREN"
    and "SAFEGUARDING AND EDUCATING CHILDREN")."""
    mine, theirs = words_of(one) - _LINKING, words_of(other) - _LINKING
    if not mine or not theirs:
        return False
    return len(mine & theirs) / min(len(mine), len(theirs)) >= 0.5


def overlap(one: frozenset[str], other: frozenset[str]) -> float:
    if not one or not other:
        return 0.0
    return len(one & other) / len(one | other)


@dataclass
class TemplateTheme:
    key: str  # "theme-<n>", its place in the template: what the form's fields are named by
    name: str
    description: str
    # The plan's theme of the same name, if any.
    theme: Theme | None = None
    # Where there is none: the plan's themes the template does not name that may be this
    # one renamed (`_offer_renames`), for the user to choose from. Empty: it is added.
    candidates: list[Theme] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.theme is not None:
            return "matched"
        return "offered" if self.candidates else "added"


@dataclass
class TemplateAction:
    key: str  # "row-<n>": the template's row, what the form's fields are named by
    row: int
    theme: TemplateTheme
    ref: str
    text: str
    origin: str
    values: dict  # the template's words for the NEW_ACTION_FIELDS it has columns for
    # The action already in the plan this one seems to be, and why ("number" or "words").
    match: Action | None = None
    match_reason: str = ""

    @property
    def kind(self) -> str:
        return Kind.of(self.origin)

    @property
    def kind_label(self) -> str:
        return Kind.LABELS[self.kind]

    @property
    def offered(self) -> bool:
        return self.kind == Kind.OPTIONAL


@dataclass
class TemplateProposal:
    plan: Plan
    parsed: ParsedWorkbook
    themes: list[TemplateTheme]
    actions: list[TemplateAction]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def matched_themes(self) -> list[TemplateTheme]:
        return [theme for theme in self.themes if theme.status == "matched"]

    @property
    def added_themes(self) -> list[TemplateTheme]:
        return [theme for theme in self.themes if theme.status == "added"]

    @property
    def offered_themes(self) -> list[TemplateTheme]:
        return [theme for theme in self.themes if theme.status == "offered"]

    @property
    def listed_actions(self) -> list[TemplateAction]:
        """The actions the template adds (unless matched): all but the optional ones."""
        return [action for action in self.actions if not action.offered]

    @property
    def optional_actions(self) -> list[TemplateAction]:
        return [action for action in self.actions if action.offered]

    @property
    def matches(self) -> list[TemplateAction]:
        return [action for action in self.actions if action.match is not None]

    @cached_property
    def fingerprint(self) -> str:
        """What the preview showed: confirming a proposal whose fingerprint has changed (the
        plan changed in between) shows the new one instead of writing it."""
        shown = {
            "themes": [
                [t.key, t.name, getattr(t.theme, "pk", None), [c.pk for c in t.candidates]]
                for t in self.themes
            ],
            "actions": [
                [
                    a.key,
                    a.theme.key,
                    a.ref,
                    a.text,
                    a.origin,
                    getattr(a.match, "pk", None),
                    a.match_reason,
                    *(
                        [a.match.theme_id, a.match.ref, a.match.text, a.match.origin]
                        if a.match
                        else []
                    ),
                ]
                for a in self.actions
            ],
        }
        return hashlib.sha256(json.dumps(shown, default=str).encode()).hexdigest()


@dataclass
class TemplateChoices:
    """What the user chose in the preview, by the proposal's keys.

    adopted: {optional action key: True to adopt, False to leave out};
    confirmed: {matched action key: True if the match is the same action, False if not};
    renamed: {offered theme key: the pk of the plan's theme it renames, or None to add it}.
    """

    adopted: dict[str, bool] = field(default_factory=dict)
    confirmed: dict[str, bool] = field(default_factory=dict)
    renamed: dict[str, int | None] = field(default_factory=dict)

    @classmethod
    def answering(
        cls, proposal: "TemplateProposal", *, adopt=(), refuse=(), renamed=None
    ) -> "TemplateChoices":
        """Every question of `proposal` answered at once, where nobody answers them one by
        one (a command): the optional actions of the template's rows numbered in `adopt`
        adopted and the rest left out; every match confirmed but those of the rows in
        `refuse`; each theme offered as renamed renaming the plan's theme that `renamed`
        ({template theme name: plan theme}) gives it, or else added as new."""
        renamed = {name_key(name): theme.pk for name, theme in (renamed or {}).items()}
        return cls(
            adopted={a.key: a.row in adopt for a in proposal.optional_actions},
            confirmed={a.key: a.row not in refuse for a in proposal.matches},
            renamed={t.key: renamed.get(name_key(t.name)) for t in proposal.offered_themes},
        )


def template_proposal(plan: Plan, data: bytes) -> TemplateProposal:
    """What taking in the template workbook `data` would do to `plan`. Raises
    workbooks.safety.WorkbookRefused for a file that is not a workbook we will open; a
    workbook with problems gives a proposal with `problems` (which template_apply refuses)."""
    return propose(plan, read_workbook(data, Plan.Layout.VRU))


def propose(plan: Plan, parsed: ParsedWorkbook) -> TemplateProposal:
    problems = [str(problem) for problem in parsed.all_problems]
    plan_themes = list(plan.themes.filter(parent__isnull=True).order_by("order", "pk"))
    by_name = {name_key(theme.name): theme for theme in plan_themes}
    themes: dict[str, TemplateTheme] = {}
    for number, row in enumerate(parsed.themes):
        name = row.path[-1]
        if len(row.path) > 1 or name_key(name) in themes:
            continue  # the VRU layout has one level; a repeated name is the same theme
        themes[name_key(name)] = TemplateTheme(
            f"theme-{number}", name, row.description or "", by_name.get(name_key(name))
        )
    actions = []
    seen: dict[tuple[str, str], int] = {}
    for row in parsed.actions:
        if not row.theme:
            continue  # a problem already (no theme)
        theme = themes[name_key(row.theme[0])]
        values = row.values
        ref = values.get("ref", "")
        if ref and (theme.key, ref) in seen:
            problems.append(
                f"Row {row.row}: action number {ref} is used twice in theme '{theme.name}' "
                f"(this row and row {seen[(theme.key, ref)]}): the template must give each "
                "action its own number."
            )
        seen[(theme.key, ref)] = row.row
        actions.append(
            TemplateAction(
                key=f"row-{row.row}",
                row=row.row,
                theme=theme,
                ref=ref,
                text=values.get("text", ""),
                origin=values.get("origin", ActionOrigin.NOT_STATED),
                values={name: values[name] for name in NEW_ACTION_FIELDS if name in values},
            )
        )
    _match(plan, actions)
    _offer_renames(plan_themes, themes.values(), actions)
    return TemplateProposal(plan, parsed, list(themes.values()), actions, problems)


def _offer_renames(plan_themes: list[Theme], themes, actions: list[TemplateAction]) -> None:
    """Which of the plan's themes the template does not name each of its themes the plan
    lacks may be, renamed: those with a name much like it, and those holding an action one
    of its actions matched by words. A theme with neither (a new one, such as VAWG) is
    simply added."""
    named = {theme.theme.pk for theme in themes if theme.theme}
    left_over = [theme for theme in plan_themes if theme.pk not in named]
    evidence = defaultdict(set)
    for action in actions:
        if action.match is not None and action.theme.theme is None:
            evidence[action.theme.key].add(action.match.theme_id)
    for theme in themes:
        if theme.theme is None:
            theme.candidates = [
                old
                for old in left_over
                if old.pk in evidence[theme.key] or similar_names(theme.name, old.name)
            ]


def _match(plan: Plan, actions: list[TemplateAction]) -> None:
    """Pair template actions with the plan's actions: by theme and number first, then by
    words; each of the plan's actions is paired at most once."""
    existing = list(
        Action.objects.filter(theme__plan=plan)
        .select_related("theme", "carried_from")
        .order_by("theme__order", "order", "pk")
    )
    by_place = {(action.theme_id, action.ref): action for action in existing if action.ref}
    taken: set[int] = set()
    for action in actions:
        if action.theme.theme is None or not action.ref:
            continue
        found = by_place.get((action.theme.theme.pk, action.ref))
        if found is not None:
            action.match, action.match_reason = found, "number"
            taken.add(found.pk)
    words = {action.pk: words_of(action.text) for action in existing}
    for action in actions:
        if action.match is not None:
            continue
        mine = words_of(action.text)
        best, score = None, SAME_WORDS
        for candidate in existing:
            if candidate.pk in taken:
                continue
            found = overlap(mine, words[candidate.pk])
            # The closest; on a tie, the first in the plan's order.
            if found > score or (best is None and found == score):
                best, score = candidate, found
        if best is not None:
            action.match, action.match_reason = best, "words"
            taken.add(best.pk)


def takings_of(plan: Plan) -> list[dict]:
    """The templates taken into the plan, newest first, each with who took it in (as the
    history shows a user) and the choices made: for the upload page."""
    found = (
        TemplateTaking.objects.filter(plan=plan)
        .select_related("taken_by__person")
        .annotate(choices_made=models.Count("choices"))
        .prefetch_related(
            models.Prefetch(
                "choices",
                queryset=TemplateChoice.objects.select_related("action", "theme").order_by("pk"),
            )
        )
        .order_by("-taken_at", "-pk")
    )
    return [{"taking": taking, "by": user_name(taking.taken_by)} for taking in found]
