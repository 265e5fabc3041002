"""A dashboard list's rows drawn in Python (reporting/templatetags/dashboard_tags.py,
`list_rows`) are the HTML the list's template drew for the same actions: every field
escaped once, our own tags as the RAG, overdue and marking tags draw them, and a row naming
each plan on a board's dashboard of several."""

import pytest
from django.template import Context, Template

from reporting.dashboards import dashboard
from reporting.scopes import board_scope, plan_scope
from tests.helpers import add_awkward_actions, between_tags

pytestmark = pytest.mark.django_db

# The list's body rows as templates/reporting/includes/dashboard_action_list.html drew them
# before they were drawn in Python.
TEMPLATE_ROWS = """{% load action_display dashboard_tags %}
{% for action in list.actions %}
  {% if show_plan %}
    {% ifchanged action.theme.plan_id %}
      <tr class="govuk-table__row"><th scope="colgroup" colspan="5" class="govuk-table__header app-dashboard-plan-row">{{ action.theme.plan.title }}</th></tr>
    {% endifchanged %}
  {% endif %}
  <tr class="govuk-table__row">
    <td class="govuk-table__cell">
      <a class="govuk-link" href="{% action_href action %}">{{ action|action_name }}</a> {% include "includes/marking_tag.html" with marking=action|marking %}
      <span class="govuk-!-display-block">{{ action.text|truncatewords:20 }}</span>
    </td>
    <td class="govuk-table__cell">{% rag_tag action.rag %}{% if action.travel %}<span class="govuk-body-s govuk-!-display-block govuk-!-margin-top-1 govuk-!-margin-bottom-0">{{ action.travel.words }}</span>{% endif %}</td>
    <td class="govuk-table__cell">{% action_leads action %}</td>
    <td class="govuk-table__cell"><span class="app-nowrap">{{ action|end_as_written }}</span> {% overdue_tag action %}</td>
    <td class="govuk-table__cell">
      {% if action.last_update %}
        <strong>{{ action.last_update|short_date }}</strong><br>{{ action.last_update_text|truncatewords:20 }}{% if action.last_update_marking == "official-sensitive" %} {% include "includes/marking_tag.html" with marking=action.last_update_marking %}{% endif %}
      {% elif action.progress %}
        <span class="govuk-body-s">No update yet; progress as written:</span><br>{{ action.progress|truncatewords:20 }}
      {% else %}
        None yet
      {% endif %}
    </td>
  </tr>
{% endfor %}"""  # noqa: E501


def test_the_rows_are_drawn_as_the_template_drew_them(world):
    add_awkward_actions(world)
    template = Template(TEMPLATE_ROWS)
    drawn_any = 0
    for scope in (
        board_scope(world.chair, world.board.pk),
        plan_scope(world.chair, world.plan.slug),
        plan_scope(world.officer, world.plan.slug),
    ):
        dash = dashboard(scope, limit=None)
        show_plan = len(dash.groups) > 1
        for action_list in dash.lists.values():
            context = Context({"list": action_list, "show_plan": show_plan})
            expected = template.render(context)
            drawn = Template("{% load dashboard_tags %}{% list_rows list show_plan %}").render(
                context
            )
            assert between_tags(drawn) == between_tags(expected), action_list.kind
            drawn_any += len(action_list.actions)
    # What was compared held each awkward piece.
    board = dashboard(board_scope(world.chair, world.board.pk), limit=None)
    rows = Template("{% load dashboard_tags %}{% list_rows list True %}").render(
        Context({"list": board.lists["red"]})
    )
    assert "app-dashboard-plan-row" in rows and "app-marking-tag" in rows
    assert "&lt;script&gt;" in rows and "<script>" not in rows
    assert drawn_any > 10
