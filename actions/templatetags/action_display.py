"""The `actions.display` helpers as template tags and filters:

{% load action_display %}
{% rag_tag action.rag action.get_rag_display %}  {{ action|action_name }}
{{ action|end_as_written }}  {% overdue_tag action %}  {% action_leads action %}
{% action_href action %}  {% action_href action "update" %}
{% for label, words in feedback|feedback_credit %}
{% plan_rows section.actions %}
"""

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from actions import display, selectors
from cspplan.display import escaped

register = template.Library()

register.simple_tag(display.rag_tag, name="rag_tag")
register.simple_tag(display.leads_html, name="action_leads")
register.simple_tag(display.overdue_tag, name="overdue_tag")
register.filter("action_name", display.action_name)
register.filter("end_as_written", display.end_as_written)
register.filter("feedback_credit", display.feedback_credit)

# Any number the URL pattern takes whole, standing for the action's pk.
_PK = 987654321
_PARTS = "action_display.action_href"
# The action's pages a list links to, by the name `action_href` takes.
_PAGES = {"detail": "actions:action-detail", "update": "actions:action-update"}


@register.simple_tag(takes_context=True)
def action_href(context, action, page: str = "detail") -> str:
    """The action's page ("detail"), or its update form ("update"). Reversed once per page,
    for a page that links to a hundred actions, where reversing each link was a tenth of
    the page's rendering."""
    key = f"{_PARTS}.{page}"
    parts = context.render_context.get(key)
    if parts is None:
        parts = context.render_context[key] = reverse(_PAGES[page], args=[_PK]).split(str(_PK))
    return str(action.pk).join(parts)


@register.filter("marking")
def marking(item) -> str:
    """The effective protective marking of a plan, theme, action or progress update (the
    `effective_marking` a selector annotated, else worked out from what is loaded):
    {% include "includes/marking_tag.html" with marking=action|marking %}."""
    annotated = getattr(item, "effective_marking", None)
    if isinstance(annotated, str):
        return annotated
    return selectors.effective_marking(item).value


@register.simple_tag(takes_context=True)
def plan_rows(context, actions) -> SafeString:
    """The plan page's rows for one theme's `actions` (`selectors.listed_actions`): each
    with its number, words (linked to its page), leads, end, RAG status and latest update.
    Drawn in Python, each text escaped (`escaped`), as the dashboards' lists are: the
    template's includes and filters for a hundred rows were most of the page's drawing."""
    rows = []
    for action in actions:
        href = escaped(action_href(context, action))
        rows.append(
            '<tr class="govuk-table__row">'
            f'<td class="govuk-table__cell">{escaped(action.ref)}</td>'
            f'<td class="govuk-table__cell"><a class="govuk-link" href="{href}">'
            f"{display.first_words(action.text, 30)}</a> "
            f"{display.marking_tag(marking(action))}</td>"
            f'<td class="govuk-table__cell">{display.leads_html(action)}</td>'
            f'<td class="govuk-table__cell">{escaped(display.end_as_written(action))} '
            f"{display.overdue_tag(action)}</td>"
            f'<td class="govuk-table__cell">{display.rag_tag(action.rag)}</td>'
            f'<td class="govuk-table__cell">{display.latest_update_html(action, 30)}</td>'
            "</tr>"
        )
    return mark_safe("".join(rows))  # every text escaped above; the tags are our own
