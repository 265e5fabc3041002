"""The `actions.display` helpers as template tags and filters:

{% load action_display %}
{% rag_tag action.rag action.get_rag_display %}  {{ action|action_name }}
{{ action|end_as_written }}  {% overdue_tag action %}  {% action_leads action %}
{% action_href action %}  {% action_href action "update" %}
{% for label, words in feedback|feedback_credit %}
"""

from django import template
from django.urls import reverse

from actions import display, selectors

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
