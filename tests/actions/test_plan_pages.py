"""The plans list and the plan page: who sees what, the filters, RAG counts and paging."""

import datetime
import re

import pytest
from django.urls import reverse

from actions.models import Action
from actions.rag import RAG
from actions.views.plans import PAGE_SIZE
from boards.models import Role
from tests.factories import (
    ActionFactory,
    PersonFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    user_in_role,
)
from tests.helpers import date_fields, days_ago, overdue_rows

pytestmark = pytest.mark.django_db

PLANS = reverse("actions:plan-list")


def plan_url(plan) -> str:
    return reverse("actions:plan-detail", args=[plan.slug])


@pytest.fixture
def world(world):
    """The shared world (tests/conftest.py) with what the plan page's filters need on top:
    the Governance theme monitored by the subgroup, but a2 naming the other board as its own
    monitor; words to search for (b1's outcomes and comment, a2's progress, an update of bx1
    and a newer one of a2); Sam as a lead of b1; supporting organisations; and a lead of an
    action in another plan."""
    world.governance.monitoring_board = world.subgroup
    world.governance.save()
    world.a1.supporting_organisations.add(world.council)
    Action.objects.filter(pk=world.a2.pk).update(
        progress="Knife crime statistics shared", monitoring_board=world.other_board
    )
    ProgressUpdateFactory(action=world.a2, date=days_ago(2), text="Shared with partners")
    Action.objects.filter(pk=world.b1.pk).update(
        outcomes="Mentoring for young people", comment="Funding agreed"
    )
    world.b1.lead_people.add(world.sam)
    world.b1.supporting_organisations.add(world.charity)
    ProgressUpdateFactory(action=world.bx1, date=days_ago(200), text="Knife amnesty bins installed")
    world.m1.lead_people.add(PersonFactory(name="Lee Elsewhere"))
    for action in (world.a2, world.b1):
        action.refresh_from_db()
    return world


def shown(response) -> list[int]:
    return [action.pk for section in response.context["sections"] for action in section["actions"]]


def pks(*actions) -> list[int]:
    return [action.pk for action in actions]


# The plans list --------------------------------------------------------------------------


def test_plans_list_needs_sign_in(client):
    response = client.get(PLANS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_plans_list_for_a_user_with_no_person_says_why_it_is_empty(client, world):
    client.force_login(world.no_person)
    response = client.get(PLANS)
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "Your account is not linked to a person yet" in response.text


def test_an_officer_sees_their_partnerships_plans_with_rag_counts(client, world):
    client.force_login(world.officer)
    response = client.get(PLANS)
    assert response.status_code == 200
    rows = {row["plan"].pk: row for row in response.context["rows"]}
    assert set(rows) == {world.plan.pk, world.other_plan.pk}
    # Red, amber, green, complete, not rated; the restricted bx2 left out.
    assert rows[world.plan.pk]["counts"] == [1, 1, 1, 1, 1]
    assert rows[world.plan.pk]["total"] == 5
    assert rows[world.other_plan.pk]["counts"] == [1, 1, 1, 0, 0]
    assert "Test far plan" not in response.text
    assert '<h2 class="govuk-heading-l">Test partnership here</h2>' in response.text
    assert "1 Apr 2021 to 31 Mar 2022" in response.text


def test_a_chair_sees_their_boards_plans_and_counts_only_what_they_may_see(client, world):
    chair = user_in_role(Role.CHAIR, partnerships=[world.here], boards=[world.subgroup])
    client.force_login(chair)
    response = client.get(PLANS)
    rows = {row["plan"].pk: row for row in response.context["rows"]}
    # The subgroup monitors the Governance theme: a chair of it sees that theme's actions,
    # but not a2, which names another monitoring board of its own (that board's, not theirs);
    # and of the other plan, m1 in the Exploitation theme it monitors.
    assert set(rows) == {world.plan.pk, world.other_plan.pk}
    assert rows[world.plan.pk]["total"] == 1
    assert rows[world.plan.pk]["counts"] == [1, 0, 0, 0, 0]
    assert rows[world.other_plan.pk]["counts"] == [0, 1, 0, 0, 0]


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMINISTRATOR])
def test_analysts_see_their_partnerships_plans_and_administrators_every_plan(client, world, role):
    client.force_login(world.analyst if role == Role.ANALYST else world.administrator)
    titles = {row["plan"].title for row in client.get(PLANS).context["rows"]}
    expected = {"Test violence plan", "Test other plan"}
    assert titles == expected  # the administrator's too: of here, not of elsewhere


def test_a_superuser_sees_every_plan(client, world):
    client.force_login(world.superuser)
    titles = {row["plan"].title for row in client.get(PLANS).context["rows"]}
    assert titles == {"Test violence plan", "Test other plan", "Test far plan"}


def test_plans_list_cannot_be_posted_to(client, world):
    client.force_login(world.officer)
    assert client.post(PLANS).status_code == 405


# The plan page: who may see it -------------------------------------------------------------


def test_plan_page_needs_sign_in(client, world):
    response = client.get(plan_url(world.plan))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_plan_that_is_not_visible_or_does_not_exist_is_not_found(client, world):
    client.force_login(world.officer)
    assert client.get(plan_url(world.far_plan)).status_code == 404
    assert client.get("/plans/no-such-plan/").status_code == 404
    client.force_login(world.no_person)
    assert client.get(plan_url(world.plan)).status_code == 404


def test_plan_page_cannot_be_posted_to_and_changes_nothing(client, world):
    client.force_login(world.officer)
    response = client.post(plan_url(world.plan), {"rag": RAG.GREEN})
    assert response.status_code == 405
    world.a1.refresh_from_db()
    assert world.a1.rag == RAG.RED


def test_an_officer_sees_the_plan_themes_in_order_with_their_actions(client, world):
    client.force_login(world.officer)
    response = client.get(plan_url(world.plan))
    assert response.status_code == 200
    assert shown(response) == pks(world.a1, world.a2, world.b1, world.bx1, world.c1)
    headings = [(s["parent_label"], s["own_label"]) for s in response.context["sections"]]
    assert headings == [("", "Governance"), ("", "Diversion"), ("Diversion", "Schools")]
    text = response.text
    assert "Test CSP board" in text
    assert "1 Apr 2021 to 31 Mar 2022" in text
    assert "Active" in text
    assert reverse("actions:action-detail", args=[world.a1.pk]) in text
    assert "Pat Example" in text  # the lead, from the linked people
    assert "What the RAG statuses mean" in text
    assert "Export the plan as a workbook" not in text
    assert "Import a workbook" not in text


def test_the_end_date_is_shown_as_written(client, world):
    world.b1.end_text = "Ongoing"
    world.b1.save()
    client.force_login(world.officer)
    text = client.get(plan_url(world.plan)).text
    assert "Ongoing" in text
    assert days_ago(10).strftime("%-d %b %Y") in text  # a1: no words, so the date


def test_each_row_shows_the_latest_update_or_else_the_progress_as_written(client, world):
    # a2 has an update 2 days old and progress words: the update wins.
    ProgressUpdateFactory(action=world.a2, date=days_ago(2), text="Written second, same day")
    as_imported = ActionFactory(theme=world.diversion, ref="2", progress="Progress as imported")
    client.force_login(world.officer)
    response = client.get(plan_url(world.plan))
    rows = {
        action.pk: action
        for section in response.context["sections"]
        for action in section["actions"]
    }
    assert rows[world.a2.pk].last_update_text == "Written second, same day"
    assert rows[world.bx1.pk].last_update_text == "Knife amnesty bins installed"
    assert rows[world.b1.pk].last_update_text is None
    assert rows[as_imported.pk].last_update_text is None
    text = response.text
    assert "Written second, same day" in text
    assert "Shared with partners" not in text  # the older update of the same day
    assert "Progress as imported" in text
    assert "Knife crime statistics shared" not in text  # a2's progress: it has an update
    assert "None yet" in text  # b1: neither


def test_an_overdue_action_carries_the_overdue_tag_with_its_word(client, world):
    client.force_login(world.analyst)
    rows = overdue_rows(client.get(plan_url(world.plan)).text)
    # a1 ended 10 days ago, red; bx1 ended 100 days ago but is complete; b1 ends in 30 days.
    assert rows == {
        world.a1.pk: True,
        world.a2.pk: False,
        world.b1.pk: False,
        world.bx1.pk: False,
        world.c1.pk: False,
    }


def test_a_missing_end_date_shows_the_timescale_and_a_missing_lead_says_so(client, world):
    world.a2.timescale = "2019-2022"
    world.a2.save()
    world.a2.lead_organisations.clear()
    client.force_login(world.officer)
    text = client.get(plan_url(world.plan)).text
    assert "2019-2022" in text
    assert "Not stated" in text


def test_a_chair_sees_only_the_actions_in_their_scope(client, world):
    chair = user_in_role(Role.CHAIR, partnerships=[world.here], boards=[world.subgroup])
    client.force_login(chair)
    response = client.get(plan_url(world.plan))
    assert response.status_code == 200
    assert shown(response) == pks(world.a1)  # a2 names another monitoring board of its own
    # A plan of the other board with nothing the subgroup monitors is not theirs to open.
    unmonitored = PlanFactory(partnership=world.here, board=world.other_board)
    ActionFactory(theme=ThemeFactory(plan=unmonitored))
    assert client.get(plan_url(unmonitored)).status_code == 404


def test_an_analyst_gets_the_export_and_import_links(client, world):
    # The other plan: the world's plan holds a restricted action, whose workbook only an
    # analyst on its board may take or send.
    client.force_login(world.analyst)
    text = client.get(plan_url(world.other_plan)).text
    assert reverse("workbooks:plan-export", args=[world.other_plan.slug]) in text
    assert reverse("workbooks:plan-import", args=[world.other_plan.slug]) in text


def test_an_administrator_sees_every_plan_and_action_of_their_partnership(client, world):
    client.force_login(world.administrator)
    assert len(shown(client.get(plan_url(world.plan)))) == 6  # the restricted bx2 too
    assert client.get(plan_url(world.far_plan)).status_code == 404
    client.force_login(world.superuser)
    assert client.get(plan_url(world.far_plan)).status_code == 200


def test_restricted_actions_are_left_out_for_those_who_may_not_see_them(client, world):
    world.b1.marking = "official-sensitive"
    world.b1.save()
    client.force_login(world.officer)
    response = client.get(plan_url(world.plan))
    assert shown(response) == pks(world.a1, world.a2, world.bx1, world.c1)
    # ...and their leads are not offered as filters either.
    people = dict(response.context["filters"].form.fields["lead_person"].choices)
    assert "Sam Example (TBC)" not in people.values()


# The filters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["a1", "a2", "b1", "bx1", "c1"]),
        # A theme stands for its sub-themes too.
        ({"theme": "diversion"}, ["b1", "bx1", "c1"]),
        ({"theme": "schools"}, ["bx1", "c1"]),
        ({"rag": ["red"]}, ["a1"]),
        ({"rag": ["amber", "complete"]}, ["b1", "bx1"]),
        ({"lead_person": "pat"}, ["a1"]),
        ({"lead_person": "sam"}, ["b1"]),
        ({"lead_org": "police"}, ["a1", "b1"]),
        ({"lead_org": "council"}, ["a2", "b1"]),
        ({"supporting_org": "council"}, ["a1"]),
        ({"supporting_org": "charity"}, ["b1"]),
        ({"origin": ["vru_mandated"]}, ["a1"]),
        ({"origin": ["vru_new"]}, ["b1"]),
        ({"origin": ["local", "not_stated"]}, ["a2", "bx1", "c1"]),
        # An action's own monitoring board wins over its theme's.
        ({"monitoring_board": "subgroup"}, ["a1"]),
        ({"monitoring_board": "other_board"}, ["a2"]),
        # Past its end date and not complete (bx1 is past its date but complete).
        ({"overdue": "on"}, ["a1"]),
        # No update on or after the date: c1's newest is a day old, a1's and a2's 2 days,
        # bx1's 200; b1 has none.
        ({"not_updated_since": days_ago(2)}, ["b1", "bx1"]),
        ({"not_updated_since": days_ago(1)}, ["a1", "a2", "b1", "bx1"]),
        ({"not_updated_since": days_ago(200)}, ["b1"]),
        # Free text over the action, outcomes, progress, comment and progress updates,
        # whatever the case; every word must be found.
        ({"q": "VIOLENCE"}, ["a1"]),
        ({"q": "mentoring"}, ["b1"]),
        ({"q": "knife"}, ["a2", "bx1"]),
        ({"q": "funding"}, ["b1"]),
        ({"q": "amnesty"}, ["bx1"]),
        ({"q": "knife bins"}, ["bx1"]),
        ({"q": "nothing matches this"}, []),
        # Filters combine.
        ({"rag": ["red", "green"], "lead_org": "council"}, ["a2"]),
        ({"theme": "governance", "q": "knife", "origin": ["local"]}, ["a2"]),
    ],
)
def test_each_filter_gives_the_known_answer(client, world, query, expected):
    data = {}
    for name, value in query.items():
        if name == "not_updated_since":
            data.update(date_fields(name, value))
        elif name in ("theme", "lead_person", "lead_org", "supporting_org", "monitoring_board"):
            data[name] = getattr(world, value).pk
        else:
            data[name] = value
    client.force_login(world.officer)
    response = client.get(plan_url(world.plan), data)
    assert response.status_code == 200
    assert not response.context["filters"].errors
    assert shown(response) == pks(*(getattr(world, name) for name in expected))
    if not expected:
        assert "No actions match these filters." in response.text


def test_the_filter_choices_are_those_of_the_plan(client, world):
    client.force_login(world.officer)
    fields = client.get(plan_url(world.plan)).context["filters"].form.fields
    labels = {
        name: [label for _, label in field.choices]
        for name, field in fields.items()
        if hasattr(field, "choices")
    }
    assert labels["theme"] == ["All themes", "Governance", "Diversion", "Diversion: Schools"]
    assert labels["lead_person"] == ["Anyone", "Pat Example (TPS)", "Sam Example (TBC)"]
    assert labels["lead_org"] == [
        "Any organisation",
        "Test borough council (TBC)",
        "Test police service (TPS)",
    ]
    assert labels["supporting_org"] == [
        "Any organisation",
        "Test borough council (TBC)",
        "Test youth charity (TYC)",
    ]
    assert labels["monitoring_board"] == [
        "Any subgroup",
        "Test other board",
        "Test violence subgroup",
    ]
    assert labels["origin"] == [
        "VRU mandated action",
        "New VRU action",
        "Optional VRU action",
        "Local action",
        "Not stated",
    ]
    assert "Lee Elsewhere" not in str(labels)


def test_the_form_keeps_the_chosen_filters_and_offers_to_clear_them(client, world):
    client.force_login(world.officer)
    response = client.get(plan_url(world.plan), {"rag": "red", "q": "violence"})
    text = response.text
    assert 'value="violence"' in text
    assert re.search(r'value="red"\s+checked', text)
    assert not re.search(r'value="amber"\s+checked', text)
    assert "Apply filters" in text
    assert f'href="{plan_url(world.plan)}">Clear filters</a>' in text
    assert '<form method="get"' in text


def test_the_overdue_checkbox_has_a_heading_like_its_neighbours(client, world):
    client.force_login(world.officer)
    text = client.get(plan_url(world.plan)).text
    legends = re.findall(
        r'<legend class="govuk-fieldset__legend[^"]*">\s*([^<]+?)\s*</legend>', text
    )
    assert legends[-3:] == ["RAG status", "Origin", "Overdue"]
    assert re.search(r'for="id_overdue">\s*Only overdue actions\s*</label>', text)


def test_the_filter_address_carries_only_the_filters(client, world):
    # A GET form needs no CSRF token, and one in the address would go into every link
    # people share to the filtered plan.
    client.force_login(world.officer)
    text = client.get(plan_url(world.plan), {"rag": "red"}).text
    start = text.index(f'<form method="get" action="{plan_url(world.plan)}"')
    form = text[start : text.index("</form>", start)]
    names = set(re.findall(r'<(?:input|select)[^>]*\sname="([^"]+)"', form))
    filters = {"q", "theme", "lead_person", "lead_org", "supporting_org", "monitoring_board"}
    filters |= {"rag", "origin", "overdue", *FEB_1}  # FEB_1: the date's three boxes
    assert names == filters
    assert "csrfmiddlewaretoken" not in form


FEB_1 = date_fields("not_updated_since", datetime.date(2022, 2, 1))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rag": "purple"}, "Choose RAG statuses from the list"),
        ({"origin": "imported"}, "Choose origins from the list"),
        ({"theme": "999999"}, "Choose a theme from the list"),
        ({"theme": "governance"}, "Choose a theme from the list"),
        ({"lead_person": "999999"}, "Choose a lead person from the list"),
        ({"lead_org": "x"}, "Choose a lead organisation from the list"),
        ({"supporting_org": "0"}, "Choose a supporting organisation from the list"),
        ({"monitoring_board": "-1"}, "Choose a subgroup from the list"),
        (
            date_fields("not_updated_since", datetime.date(2022, 2, 1))
            | {"not_updated_since_0": "31"},
            "Enter a real date",
        ),
        ({"not_updated_since_0": "1", "not_updated_since_2": "2022"}, "Enter the month as well"),
        (
            date_fields("not_updated_since", datetime.date(2022, 2, 1))
            | {"not_updated_since_2": "22"},
            "Enter the year as 4 digits",
        ),
        (
            {
                "not_updated_since_0": "one",
                "not_updated_since_1": "2",
                "not_updated_since_2": "2022",
            },
            "Enter the day as a number",
        ),
        ({"q": "x" * 201}, "Ensure this value has at most 200 characters"),
    ],
)
def test_invalid_filters_say_what_to_fix_and_show_no_actions(client, world, data, message):
    client.force_login(world.officer)
    response = client.get(plan_url(world.plan), data)
    assert response.status_code == 200
    assert message in response.text
    assert "There is a problem" in response.text
    assert response.text.count('class="govuk-error-summary"') == 1
    assert "<title>Error: " in response.text
    assert "sections" not in response.context
    assert "Fix the filters to see the plan" in response.text


@pytest.mark.parametrize(
    ("box", "wrong"),
    [
        ("month", {"not_updated_since_1": ""}),
        ("year", {"not_updated_since_2": "22"}),
        ("all", {"not_updated_since_0": "31"}),  # 31 February: the date as a whole
    ],
)
def test_a_date_error_outlines_only_the_wrong_box(client, world, box, wrong):
    client.force_login(world.officer)
    text = client.get(plan_url(world.plan), FEB_1 | wrong).text
    outlined = {
        name
        for index, name in enumerate(("day", "month", "year"))
        if re.search(rf'<input[^>]*govuk-input--error[^>]*id="id_not_updated_since_{index}"', text)
    }
    assert outlined == ({"day", "month", "year"} if box == "all" else {box})


def test_the_error_summary_links_to_the_field(client, world):
    client.force_login(world.officer)
    text = client.get(plan_url(world.plan), {"rag": "purple"}).text
    assert 'href="#id_rag_0"' in text
    assert 'id="id_rag_0"' in text
    text = client.get(plan_url(world.plan), {"lead_org": "x"}).text
    assert 'href="#id_lead_org"' in text


def test_a_page_number_that_is_not_a_number_shows_the_first_page(client, world):
    client.force_login(world.officer)
    response = client.get(plan_url(world.plan), {"page": "last-but-one"})
    assert response.status_code == 200
    assert shown(response) == pks(world.a1, world.a2, world.b1, world.bx1, world.c1)


# RAG counts ------------------------------------------------------------------------------


def counts(response) -> dict[str, int]:
    return {item["rag"]: item["count"] for item in response.context["rag_counts"]}


def test_rag_counts_are_of_the_filtered_set_and_link_to_it(client, world):
    client.force_login(world.officer)
    everything = client.get(plan_url(world.plan))
    assert counts(everything) == {
        "red": 1,
        "amber": 1,
        "green": 1,
        "complete": 1,
        "not_rated": 1,
    }
    assert everything.context["total"] == 5
    governance = world.governance.pk
    response = client.get(plan_url(world.plan), {"theme": governance, "page": "1"})
    assert counts(response) == {"red": 1, "amber": 0, "green": 1, "complete": 0, "not_rated": 0}
    assert response.context["total"] == 2
    links = {item["rag"]: item["href"] for item in response.context["rag_counts"]}
    # The link keeps the other filters, chooses the one RAG, and starts at the first page.
    assert links["red"] == f"?theme={governance}&rag=red"
    assert f'href="?theme={governance}&amp;rag=red">1<' in response.text
    # A status with no actions is not a link.
    assert f"?theme={governance}&amp;rag=amber" not in response.text
    # Following it filters by that RAG.
    followed = client.get(plan_url(world.plan) + links["red"])
    assert shown(followed) == pks(world.a1)


def test_rag_counts_of_a_search_that_matches_a_lead_and_its_organisation_count_once(client, world):
    # a1 is led by Pat and by Pat's organisation: filtering by either must not double it.
    client.force_login(world.officer)
    response = client.get(plan_url(world.plan), {"lead_person": world.pat.pk, "q": "daily"})
    assert counts(response)["red"] == 1
    assert response.context["total"] == 1


# Paging ----------------------------------------------------------------------------------


@pytest.fixture
def long_plan(world):
    """The plan with PAGE_SIZE + 50 more red actions in its Governance theme and 100 in
    Diversion, so that Governance carries on to the second page."""
    extra = []
    for theme, count in ((world.governance, PAGE_SIZE + 50), (world.diversion, 100)):
        extra += Action.objects.bulk_create(
            ActionFactory.build(theme=theme, ref=f"x{n}", order=10 + n, rag=RAG.RED)
            for n in range(count)
        )
    return extra


def test_pages_keep_the_filters_and_themes_carry_on(client, world, long_plan):
    client.force_login(world.officer)
    url = plan_url(world.plan)
    first = client.get(url, {"rag": "red", "q": "text"})
    # "text": the factories' action texts, so only the added actions.
    assert first.context["total"] == PAGE_SIZE + 150
    assert len(shown(first)) == PAGE_SIZE
    assert first.context["page"].paginator.num_pages == 3
    assert 'href="?rag=red&amp;q=text&amp;page=2"' in first.text
    assert 'rel="next"' in first.text
    assert 'rel="prev"' not in first.text
    second = client.get(url, {"rag": "red", "q": "text", "page": "2"})
    sections = second.context["sections"]
    assert sections[0]["theme"] == world.governance and sections[0]["continued"]
    assert "Governance (continued)" in second.text
    assert sections[1]["theme"] == world.diversion and not sections[1]["continued"]
    assert 'href="?rag=red&amp;q=text&amp;page=1"' in second.text
    assert 'href="?rag=red&amp;q=text&amp;page=3"' in second.text
    assert 'aria-current="page">2<' in second.text
    assert "Showing actions 101 to 200 of 250" in second.text
    pages = [shown(client.get(url, {"rag": "red", "q": "text", "page": n})) for n in (1, 2, 3)]
    assert sorted(sum(pages, [])) == sorted(action.pk for action in long_plan)
    # A page past the end shows the last.
    assert shown(client.get(url, {"rag": "red", "q": "text", "page": "99"})) == pages[2]


def test_the_first_page_of_a_theme_is_not_continued(client, world, long_plan):
    client.force_login(world.officer)
    response = client.get(plan_url(world.plan))
    assert not response.context["sections"][0]["continued"]
    assert response.context["pagination"]["previous"] == ""
