"""The plan page's rows drawn in Python (actions/templatetags/action_display.py,
`plan_rows`) are the HTML the plan's actions table drew for the same actions: every field
escaped once, our own tags as the RAG, overdue and marking tags draw them."""

import pytest
from django.template import Context, Template

from actions import selectors
from actions.models import Action
from tests.helpers import add_awkward_actions, between_tags

pytestmark = pytest.mark.django_db

# The rows as templates/actions/includes/plan_actions_table.html drew them before they were
# drawn in Python.
TEMPLATE_ROWS = """{% load action_display %}
{% for action in section.actions %}
  <tr class="govuk-table__row">
    <td class="govuk-table__cell">{{ action.ref }}</td>
    <td class="govuk-table__cell"><a class="govuk-link" href="{% action_href action %}">{{ action.text|truncatewords:30 }}</a> {% include "includes/marking_tag.html" with marking=action|marking %}</td>
    <td class="govuk-table__cell">{% action_leads action %}</td>
    <td class="govuk-table__cell">{{ action|end_as_written }} {% overdue_tag action %}</td>
    <td class="govuk-table__cell">{% rag_tag action.rag %}</td>
    <td class="govuk-table__cell">
      {% if action.last_update %}
        <strong>{{ action.last_update|short_date }}</strong><br>{{ action.last_update_text|truncatewords:30 }}{% if action.last_update_marking == "official-sensitive" %} {% include "includes/marking_tag.html" with marking=action.last_update_marking %}{% endif %}
      {% elif action.progress %}
        {{ action.progress|truncatewords:30 }}
      {% else %}
        None yet
      {% endif %}
    </td>
  </tr>
{% endfor %}"""  # noqa: E501


def test_the_rows_are_drawn_as_the_template_drew_them(world):
    add_awkward_actions(world)
    actions = Action.objects.all()
    listed = selectors.listed_actions(actions, list(actions.values_list("pk", flat=True)))
    context = Context({"section": {"actions": listed}})
    expected = Template(TEMPLATE_ROWS).render(context)
    drawn = Template("{% load action_display %}{% plan_rows section.actions %}").render(context)
    assert between_tags(drawn) == between_tags(expected)
    assert drawn.count("<tr") == len(listed) > 10
    assert "&lt;script&gt;" in drawn and "<script>" not in drawn
    assert "app-marking-tag" in drawn and "app-overdue" in drawn
