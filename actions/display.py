"""How the pages show an action's parts, as Python: the plan page, My actions, the
dashboards' lists and the pack each show many actions, and a template include per cell cost
more than the rest of such a row. Templates use these through the `action_display` tags
(actions/templatetags/action_display.py); the includes of the same names are one-line
wrappers around them."""

import functools

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, capfirst

from actions import selectors
from actions.filters import theme_label
from actions.models import Action, Marking
from actions.rag import RAG
from cspplan.display import escaped, short_date, show_date

# The statuses with a colour of their own; anything else shows as Not rated.
_COLOURED = {RAG.RED.value, RAG.AMBER.value, RAG.GREEN.value, RAG.COMPLETE.value}


@functools.lru_cache(maxsize=64)
def rag_tag(rag: str, label: str | None = None) -> SafeString:
    """A RAG status as a GOV.UK tag that carries its word, never colour alone (colours:
    .app-rag--* in assets/scss/components/_rag.scss). Without `label` the word is the
    status's (red: Red); blank or unknown shows as Not rated. Kept once made: a page shows
    the same few tags many times over."""
    if rag in _COLOURED:
        return format_html(
            '<strong class="govuk-tag app-rag app-rag--{}">{}</strong>',
            rag,
            capfirst(label or RAG(rag).label),
        )
    return mark_safe('<strong class="govuk-tag app-rag app-rag--not-rated">Not rated</strong>')


_MARKED = mark_safe(
    '<strong class="govuk-tag govuk-tag--orange app-marking-tag">OFFICIAL-SENSITIVE</strong>'
)


def marking_tag(marking: str) -> SafeString:
    """A protective marking as a GOV.UK tag, as templates/includes/marking_tag.html draws
    it, for what is drawn in Python: nothing for OFFICIAL, which need not be shown."""
    return _MARKED if marking == Marking.OFFICIAL_SENSITIVE else mark_safe("")


def first_words(text: str, count: int) -> str:
    """The first `count` words of `text`, escaped: what the `truncatewords` filter gives,
    for rows drawn in Python."""
    return escaped(Truncator(text).words(count, truncate=" …"))


def latest_update_html(action: Action, words: int, progress_label: str = "") -> str:
    """A listed action's latest update: the newest update's date, first `words` words and
    its marking (the `with_details` annotations); else the progress as the plan wrote it,
    after `progress_label` if given; else "None yet"."""
    if action.last_update:
        tag = marking_tag(action.last_update_marking)
        text = first_words(action.last_update_text, words)
        return (
            f"<strong>{short_date(action.last_update)}</strong><br>{text}{f' {tag}' if tag else ''}"
        )
    if action.progress:
        label = f'<span class="govuk-body-s">{progress_label}</span><br>' if progress_label else ""
        return label + first_words(action.progress, words)
    return "None yet"


# Pink: a colour no RAG status uses, so that "Overdue" beside a red tag reads as a second fact.
_OVERDUE = mark_safe('<strong class="govuk-tag govuk-tag--pink app-overdue">Overdue</strong>')


def overdue_tag(action: Action) -> SafeString:
    """ "Overdue" as a tag, with its word, if the action is overdue (`selectors.is_overdue`);
    nothing otherwise."""
    return _OVERDUE if selectors.is_overdue(action) else mark_safe("")


def action_name(action: Action) -> str:
    """An action by its theme and number, e.g. "Governance, action 1a" (a sub-theme's
    action with its parent theme in front, "Section › Objective, action 2")."""
    theme = action.theme
    parent = f"{theme.parent.name} › " if theme.parent_id else ""
    number = f" {action.ref}" if action.ref else ""
    return f"{parent}{theme.name}, action{number}"


def end_as_written(action: Action) -> str:
    """The action's end as the plan wrote it: its words ("March 2022", "Ongoing") if it has
    them, else the date, else the timescale as written ("2019-2022"), else "Not set"."""
    if action.end_text:
        return action.end_text
    if action.end_date:
        return short_date(action.end_date)
    return action.timescale or "Not set"


def leads_as_written(action: Action) -> tuple[str, str]:
    """The action's named leads as written, else its lead people's names; and its lead
    organisations as written, else theirs: (people, organisations), either may be blank.
    Needs the names that `selectors.with_lead_names` gives the action."""
    people = action.leads or ", ".join(action.lead_people_names)
    organisations = action.lead_organisations_text or ", ".join(action.lead_organisation_names)
    return people, organisations


def leads_html(action: Action) -> SafeString:
    """`leads_as_written` as the pages show it: the people, then the organisations in
    smaller type, each on its own line; "Not stated" when there are neither."""
    people, organisations = leads_as_written(action)
    if not (people or organisations):
        return mark_safe("Not stated")
    lines = []
    if people:
        lines.append(f"<div>{escape(people)}</div>")
    if organisations:
        small = "govuk-body-s govuk-!-margin-bottom-0"
        lines.append(f'<div class="{small}">{escape(organisations)}</div>')
    return mark_safe("".join(lines))  # the words are escaped above


NOT_STATED = "Not stated"


def feedback_credit(feedback) -> list[tuple[str, str]]:
    """What a page says about a piece of the review panel's feedback besides its words: the
    year it reviewed, who gave it (as written, and the people named) and when, each as
    (label, words), "Not stated" where the source did not say (nothing is guessed). Reads
    `feedback.people` (prefetch them: `selectors.panel_feedback_of`)."""
    people = ", ".join(person.name for person in feedback.people.all())
    given_by = feedback.given_by
    if people:
        given_by = f"{given_by} ({people})" if given_by else people
    return [
        ("Year reviewed", feedback.year or NOT_STATED),
        ("Given by", given_by or NOT_STATED),
        ("Date", show_date(feedback.date) or NOT_STATED),
    ]


def panel_feedback_sections(feedback) -> list[dict]:
    """The review panel's feedback (`selectors.panel_feedback_of`, in reading order) theme by
    theme, as the plan page and the dashboard show it: each theme with its `label` (its
    parent's name in front) and its `items`."""
    sections = []
    for item in feedback:
        if not sections or sections[-1]["theme"].pk != item.theme_id:
            sections.append({"theme": item.theme, "label": theme_label(item.theme), "items": []})
        sections[-1]["items"].append(item)
    return sections
