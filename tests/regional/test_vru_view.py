"""The VRU view across boroughs (regional/): its numbers against a fixture with known
answers, against each borough's own plan dashboard, what it never shows, who may open it,
and how many queries it takes.

The fixture (`vru`), template year 2021/22, the view's date four days ago:

  Alpha CSP, VRU plan starting June 2021:
    GOVERNANCE              a1 "1" mandated, red, ends 31 Mar 2022; updated 10 days ago,
                               and 2 days ago by an OFFICIAL-SENSITIVE update
                            a2 "2" mandated, green; updated 100 days ago
                            a3 "3" local, amber; never updated
                            a4 "4" mandated, red, OFFICIAL-SENSITIVE
    Analysis & Enforcement  a5 "1" mandated, complete; updated 5 days ago
      Weapons (sub-theme)   a6 "1" local, amber; never updated
    Marked theme (O-S)      a7 "1" mandated, green
  Beta CSP, VRU plan starting December 2021:
    Governance              b1 "1" mandated, amber; updated 3 days ago
                            b2 "2" mandated, not rated; never updated
    ANALYSIS AND ENFORCEMENT b3 "1" mandated, green; never updated
  Not in the view: Gamma CSP's VRU plan of 2021/22, marked OFFICIAL-SENSITIVE; Alpha's SGV
  plan of 2021/22; Beta's VRU plan of 2022/23.

So, as the VRU sees it: Alpha 5 actions (1 red, 2 amber, 1 green, 1 complete), 5 not
updated since the date, latest update 5 days ago (the marked one does not count); Beta 3
(1 amber, 1 green, 1 not rated), 2 not updated, latest 3 days ago. Alpha alone has had no
update since the date.
"""

import datetime
import io
import re
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from actions import permissions
from actions.models import ActionOrigin, Marking, Plan
from actions.rag import RAG
from boards.models import Person, Role
from downloads.models import Download
from regional import export
from regional.selectors import TemplateYear, action_key, template_years, theme_key, vru_view
from reporting.dashboards import dashboard
from reporting.scopes import plan_scope
from tests.factories import (
    ActionFactory,
    BoardFactory,
    PartnershipFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    user_in_role,
)
from tests.helpers import days_ago, get

pytestmark = pytest.mark.django_db

MANDATED = ActionOrigin.VRU_MANDATED
LOCAL = ActionOrigin.LOCAL
SENSITIVE = Marking.OFFICIAL_SENSITIVE
SECRETS = (
    "SECRET ALPHA ACTION",
    "SECRET ALPHA UPDATE",
    "SECRET THEME",
    "SECRET THEME ACTION",
    "SECRET PLAN",
    "SECRET PLAN ACTION",
    "SGV ACTION",
    "NEXT YEAR ACTION",
)
YEAR = TemplateYear(2021)


def _plan(partnership, start, **fields):
    board = BoardFactory(partnership=partnership)
    return PlanFactory(
        partnership=partnership,
        board=board,
        period_start=start,
        period_end=start + datetime.timedelta(days=364),
        status=Plan.Status.ACTIVE,
        **fields,
    )


def _action(theme, ref, rag, origin, text, *, updated=None, **fields):
    action = ActionFactory(theme=theme, ref=ref, rag=rag, origin=origin, text=text, **fields)
    if updated is not None:
        ProgressUpdateFactory(action=action, date=days_ago(updated), text=f"{text}: update")
    return action


def build_borough(name, start, themes):
    """A partnership with a VRU plan starting `start` whose `themes` are (name, [(ref,
    rag, origin), ...]), every action green-field: for the query count's extra boroughs."""
    partnership = PartnershipFactory(name=name)
    plan = _plan(partnership, start)
    for order, (theme_name, actions) in enumerate(themes):
        theme = ThemeFactory(plan=plan, name=theme_name, order=order)
        for ref, rag, origin in actions:
            _action(theme, ref, rag, origin, f"{name} {theme_name} {ref}", updated=1)
    return plan


@pytest.fixture
def vru():
    alpha = PartnershipFactory(name="Alpha CSP")
    beta = PartnershipFactory(name="Beta CSP")
    gamma = PartnershipFactory(name="Gamma CSP")

    plan_a = _plan(alpha, datetime.date(2021, 6, 1), title="Alpha VRU plan 2021/22")
    governance = ThemeFactory(plan=plan_a, name="GOVERNANCE", order=0)
    analysis = ThemeFactory(plan=plan_a, name="Analysis & Enforcement", order=1)
    weapons = ThemeFactory(plan=plan_a, parent=analysis, name="Weapons", order=0)
    marked_theme = ThemeFactory(plan=plan_a, name="SECRET THEME", order=2, marking=SENSITIVE)
    a1 = _action(
        governance,
        "1",
        RAG.RED,
        MANDATED,
        "Alpha governance one",
        updated=10,
        end_date=datetime.date(2022, 3, 31),
    )
    ProgressUpdateFactory(
        action=a1, date=days_ago(2), text="SECRET ALPHA UPDATE", marking=SENSITIVE
    )
    a2 = _action(governance, "2", RAG.GREEN, MANDATED, "Alpha governance two", updated=100)
    a3 = _action(governance, "3", RAG.AMBER, LOCAL, "Alpha governance three")
    a4 = _action(governance, "4", RAG.RED, MANDATED, "SECRET ALPHA ACTION", marking=SENSITIVE)
    a5 = _action(analysis, "1", RAG.COMPLETE, MANDATED, "Alpha analysis one", updated=5)
    a6 = _action(weapons, "1", RAG.AMBER, LOCAL, "Alpha weapons one")
    a7 = _action(marked_theme, "1", RAG.GREEN, MANDATED, "SECRET THEME ACTION")

    plan_b = _plan(beta, datetime.date(2021, 12, 11), title="Beta VRU plan 2021/22")
    governance_b = ThemeFactory(plan=plan_b, name="Governance", order=0)
    analysis_b = ThemeFactory(plan=plan_b, name="ANALYSIS AND ENFORCEMENT", order=1)
    b1 = _action(governance_b, "1", RAG.AMBER, MANDATED, "Beta governance one", updated=3)
    b2 = _action(governance_b, "2", RAG.NOT_RATED, MANDATED, "Beta governance two")
    b3 = _action(analysis_b, "1", RAG.GREEN, MANDATED, "Beta analysis one")

    plan_c = _plan(gamma, datetime.date(2021, 7, 1), title="SECRET PLAN", marking=SENSITIVE)
    _action(
        ThemeFactory(plan=plan_c, name="Governance"), "1", RAG.RED, MANDATED, "SECRET PLAN ACTION"
    )
    plan_sgv = _plan(alpha, datetime.date(2021, 6, 1), layout=Plan.Layout.SGV)
    _action(ThemeFactory(plan=plan_sgv, name="Governance"), "1", RAG.RED, MANDATED, "SGV ACTION")
    plan_next = _plan(beta, datetime.date(2022, 5, 1))
    _action(
        ThemeFactory(plan=plan_next, name="Governance"), "1", RAG.RED, MANDATED, "NEXT YEAR ACTION"
    )

    return SimpleNamespace(
        alpha=alpha,
        beta=beta,
        plan_a=plan_a,
        plan_b=plan_b,
        plan_c=plan_c,
        plan_sgv=plan_sgv,
        plan_next=plan_next,
        governance=governance,
        analysis=analysis,
        governance_b=governance_b,
        analysis_b=analysis_b,
        a1=a1,
        a2=a2,
        a3=a3,
        a4=a4,
        a5=a5,
        a6=a6,
        a7=a7,
        b1=b1,
        b2=b2,
        b3=b3,
        user=user_in_role(Role.VRU),
        since=days_ago(4),
    )


def counts(red=0, amber=0, green=0, complete=0, not_rated=0):
    return {
        "red": red,
        "amber": amber,
        "green": green,
        "complete": complete,
        "not_rated": not_rated,
    }


def page_data(v):
    return {"year": "2021", "since": v.since.isoformat()}


# The numbers -----------------------------------------------------------------------------------


def test_counts_against_known_answers(vru):
    view = vru_view(vru.user, YEAR, vru.since)
    alpha, beta = view.boroughs
    assert [alpha.plan, beta.plan] == [vru.plan_a, vru.plan_b]
    assert alpha.total.counts == counts(red=1, amber=2, green=1, complete=1)
    assert beta.total.counts == counts(amber=1, green=1, not_rated=1)
    assert (alpha.total.not_updated, beta.total.not_updated) == (5, 2)
    # The marked update two days ago neither counts nor shows.
    assert (alpha.latest_update, beta.latest_update) == (days_ago(5), days_ago(3))
    assert view.not_updated_boroughs == [alpha]

    by_theme = {row.key: row for row in view.themes}
    assert list(by_theme) == ["governance", "analysis and enforcement"]
    governance, analysis = by_theme.values()
    assert governance.themes == {vru.plan_a.pk: vru.governance, vru.plan_b.pk: vru.governance_b}
    assert alpha.by_theme[vru.governance.pk].counts == counts(red=1, amber=1, green=1)
    assert beta.by_theme[vru.governance_b.pk].counts == counts(amber=1, not_rated=1)
    # A theme counts its sub-theme's actions.
    assert alpha.by_theme[vru.analysis.pk].counts == counts(amber=1, complete=1)
    assert beta.by_theme[vru.analysis_b.pk].counts == counts(green=1)
    assert analysis.label == "Analysis & Enforcement"


def test_mandated_actions_are_matched_across_boroughs(vru):
    view = vru_view(vru.user, YEAR, vru.since, mandated_theme=None)
    rows = [(row.key, row.actions) for row in view.mandated]
    assert rows == [
        (("governance", "1"), {vru.plan_a.pk: vru.a1, vru.plan_b.pk: vru.b1}),
        (("governance", "2"), {vru.plan_a.pk: vru.a2, vru.plan_b.pk: vru.b2}),
        (("analysis and enforcement", "1"), {vru.plan_a.pk: vru.a5, vru.plan_b.pk: vru.b3}),
    ]
    a1 = view.mandated[0].actions[vru.plan_a.pk]
    # The newest update the VRU may see: not the marked one of two days ago.
    assert (a1.last_update, a1.last_update_text) == (days_ago(10), "Alpha governance one: update")
    assert a1.end_date == datetime.date(2022, 3, 31)


def test_the_page_shows_one_themes_mandated_actions_at_a_time(client, vru):
    url = reverse("regional:vru-view")
    first = get(client, vru.user, url, page_data(vru))
    assert [row.key for row in first.context["view"].mandated] == [
        ("governance", "1"),
        ("governance", "2"),
    ]
    assert "Alpha governance two" in first.content.decode()
    data = {**page_data(vru), "theme": "analysis and enforcement"}
    chosen = get(client, vru.user, url, data)
    assert [row.key for row in chosen.context["view"].mandated] == [
        ("analysis and enforcement", "1")
    ]
    content = chosen.content.decode()
    assert "Alpha analysis one" in content and "Alpha governance two" not in content
    # A theme the VRU may not see (marked) is no theme: nothing listed, nothing shown.
    hidden = get(client, vru.user, url, {**page_data(vru), "theme": "secret theme"})
    assert hidden.context["view"].mandated == []
    assert "SECRET THEME ACTION" not in hidden.content.decode()


def test_the_matching_rule():
    theme = SimpleNamespace(ref="", name="  Analysis &  Enforcement:", parent_id=None)
    assert theme_key(theme) == "analysis and enforcement"
    numbered = SimpleNamespace(ref="2", name="Anything", parent_id=None)
    assert theme_key(numbered) == "#2"
    action = SimpleNamespace(theme=numbered, ref=" 7B", text="Words")
    assert action_key(action) == ("#2", "7b")
    unnumbered = SimpleNamespace(theme=numbered, ref="", text="Set up a  panel.")
    assert action_key(unnumbered) == ("#2", "text:set up a panel")


def test_the_numbers_agree_with_each_boroughs_own_dashboard(vru):
    """The view's numbers are what each plan's dashboard shows to the same user; and, for a
    plan with nothing marked, to the borough's own analyst too."""
    view = vru_view(vru.user, YEAR, vru.since)
    analyst_b = user_in_role(Role.ANALYST, partnerships=[vru.beta])
    for borough in view.boroughs:
        readers = [vru.user] + ([analyst_b] if borough.plan == vru.plan_b else [])
        for reader in readers:
            dash = dashboard(plan_scope(reader, borough.plan.slug))
            (group,) = dash.groups
            assert group.summary.counts == borough.total.counts
            themes = {
                tally.filters["theme"]: tally.counts for tally in group.themes if not tally.depth
            }
            assert themes == {pk: c.counts for pk, c in borough.by_theme.items()}
    # Alpha's analyst sees the marked action too, and the VRU does not.
    analyst_a = user_in_role(Role.ANALYST, partnerships=[vru.alpha], boards=[vru.plan_a.board])
    alpha_own = dashboard(plan_scope(analyst_a, vru.plan_a.slug)).total.counts
    assert alpha_own["red"] == view.boroughs[0].total.counts["red"] + 1


def test_the_numbers_agree_with_the_demo_dashboards(settings):
    """The demo's VRU plans, as the demo's VRU user sees them: every borough's numbers are
    its plan dashboard's."""
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    call_command("demo_users", stdout=io.StringIO())
    user = Person.objects.get(name="VRU demo account").user
    assert permissions.role_of(user) == Role.VRU
    years = template_years(user)
    assert years
    checked = 0
    for year in years:
        view = vru_view(user, year, days_ago(28))
        for borough in view.boroughs:
            dash = dashboard(plan_scope(user, borough.plan.slug))
            assert dash.total.counts == borough.total.counts
            checked += 1
    assert checked >= 2


# Each number's list ----------------------------------------------------------------------------


def _links(content: str) -> list[str]:
    return [
        href.replace("&amp;", "&") for href in re.findall(r'href="(/vru/actions/\?[^"]+)"', content)
    ]


def test_each_number_links_to_exactly_the_actions_it_counts(client, vru):
    response = get(client, vru.user, reverse("regional:vru-view"), page_data(vru))
    links = _links(response.content.decode())
    assert links
    view = vru_view(vru.user, YEAR, vru.since)
    boroughs = {borough.plan.slug: borough for borough in view.boroughs}
    for link in links:
        query = {name: values[0] for name, values in parse_qs(urlparse(link).query).items()}
        listed = client.get(link)
        assert listed.status_code == 200, link
        actions = listed.context["actions"]
        borough = boroughs[query["plan"]]
        counted = borough.by_theme[int(query["theme"])] if "theme" in query else borough.total
        if "rag" in query:
            expected = counted.counts[query["rag"]]
            assert {action.rag for action in actions} == {query["rag"]}
        elif "not_updated_since" in query:
            expected = counted.not_updated
        else:
            expected = counted.total
        assert len(actions) == expected, link


def test_the_list_of_alphas_not_updated_actions(client, vru):
    url = reverse("regional:vru-actions")
    data = {"plan": vru.plan_a.slug, "not_updated_since": vru.since.isoformat()}
    response = get(client, vru.user, url, data)
    assert set(response.context["actions"]) == {vru.a1, vru.a2, vru.a3, vru.a5, vru.a6}
    content = response.content.decode()
    assert "Alpha governance one: update" in content
    for secret in SECRETS:
        assert secret not in content
    # A theme of another plan, a marked theme, a marked plan, another layout: not found.
    for data in (
        {"plan": vru.plan_a.slug, "theme": vru.governance_b.pk},
        {"plan": vru.plan_a.slug, "theme": vru.a7.theme_id},
        {"plan": vru.plan_c.slug},
        {"plan": vru.plan_sgv.slug},
        {"plan": vru.plan_a.slug, "rag": "purple"},
    ):
        get(client, vru.user, url, data, status=404)


# What never appears ----------------------------------------------------------------------------


def test_marked_items_never_appear_on_the_page_or_in_the_workbook(client, vru):
    response = get(client, vru.user, reverse("regional:vru-view"), page_data(vru))
    content = response.content.decode()
    assert "Alpha CSP" in content and "Beta CSP" in content
    assert "Gamma CSP" not in content
    for secret in SECRETS:
        assert secret not in content

    download = get(client, vru.user, reverse("regional:vru-export"), page_data(vru))
    book = load_workbook(io.BytesIO(download.content), read_only=True)
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert "Alpha governance one: update" in cells
    for secret in SECRETS:
        assert not any(secret in cell for cell in cells), secret
    assert "Gamma CSP" not in cells


def test_the_workbook_holds_the_views_numbers_and_is_recorded(client, vru):
    response = get(client, vru.user, reverse("regional:vru-export"), page_data(vru))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="vru-view-2021.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Boroughs", "RAG by theme", "Mandated actions"]
    rows = list(book["Boroughs"].iter_rows(values_only=True))
    # At OFFICIAL, no marking is stated (as in the plan workbooks): the heading comes first.
    assert rows[0][0].startswith("VRU plans 2021/22")
    header, alpha, beta = rows[1], rows[2], rows[3]
    assert header[:8] == (
        "Borough",
        "Plan",
        "Actions",
        "Red",
        "Amber",
        "Green",
        "Complete",
        "Not rated",
    )
    assert alpha[0] == "Alpha CSP" and alpha[2:8] == (5, 1, 2, 1, 1, 0)
    assert alpha[9] == 5 and beta[9] == 2
    mandated = list(book["Mandated actions"].iter_rows(values_only=True))[2:]
    assert len(mandated) == 3 * 2  # three mandated actions, two boroughs
    assert mandated[0][3:5] == ("Alpha CSP", "Red")

    (record,) = Download.objects.all()
    assert record.kind == Download.Kind.VRU_VIEW
    assert record.user == vru.user
    assert record.marking == "OFFICIAL"
    assert record.rows == 8  # the VRU's actions of the year: Alpha's five, Beta's three
    assert record.options == {"year": "2021", "not_updated_since": vru.since.isoformat()}


# Who may open it -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["vru-view", "vru-actions", "vru-export"])
def test_only_the_vru_role_may_open_it(client, vru, name, admin_user):
    url = reverse(f"regional:{name}")
    data = {"plan": vru.plan_a.slug, **page_data(vru)}
    others = [
        user_in_role(role, partnerships=[vru.alpha], boards=[vru.plan_a.board])
        for role in (Role.OFFICER, Role.CHAIR, Role.ANALYST, Role.ADMINISTRATOR)
    ]
    for user in [*others, admin_user]:
        get(client, user, url, data, status=404)
    client.logout()
    assert client.get(url, data)["Location"].startswith(reverse("login"))
    get(client, vru.user, url, data, status=200)


def test_the_navigation_shows_the_view_to_the_vru_alone(client, vru):
    view_url = reverse("regional:vru-view")
    assert view_url in get(client, vru.user, reverse("actions:my-actions")).content.decode()
    analyst = user_in_role(Role.ANALYST, partnerships=[vru.alpha])
    assert view_url not in get(client, analyst, reverse("actions:my-actions")).content.decode()


def test_the_year_and_date_default_and_a_bad_one_is_explained(client, vru):
    response = get(client, vru.user, reverse("regional:vru-view"))
    # The newest year first: 2022/23, with Beta's plan alone.
    assert response.context["view"].year == TemplateYear(2022)
    assert [b.plan for b in response.context["view"].boroughs] == [vru.plan_next]
    response = get(client, vru.user, reverse("regional:vru-view"), {"year": "1999"})
    assert response.context["view"] is None and "year" in response.context["form"].errors
    assert "There is a problem" in response.content.decode()
    response = get(
        client,
        vru.user,
        reverse("regional:vru-view"),
        {"since_0": "31", "since_1": "2", "since_2": "2022"},
    )
    assert response.context["view"] is None and response.context["form"].errors


# Queries ---------------------------------------------------------------------------------------


def test_query_count_is_flat_in_the_number_of_boroughs(client, vru, django_assert_num_queries):
    client.force_login(vru.user)
    url = reverse("regional:vru-view")
    # The session, the user and their person; the years; then the view's five
    # (regional.selectors.vru_view).
    with django_assert_num_queries(9):
        client.get(url, page_data(vru))
    themes = [
        ("Governance", [("1", RAG.RED, MANDATED), ("2", RAG.GREEN, MANDATED)]),
        ("Analysis and enforcement", [("1", RAG.AMBER, MANDATED), ("9", RAG.GREEN, LOCAL)]),
    ]
    for n in range(6):
        build_borough(f"Extra borough {n}", datetime.date(2021, 9, 1), themes)
    with django_assert_num_queries(9):
        response = client.get(url, page_data(vru))
    assert len(response.context["view"].boroughs) == 8
    # The list behind a number: the session, user and person; the plan, the theme, and the
    # actions with their latest updates.
    with django_assert_num_queries(6):
        client.get(
            reverse("regional:vru-actions"),
            {"plan": vru.plan_a.slug, "theme": vru.governance.pk, "rag": "red"},
        )


def test_a_workbook_above_official_would_state_its_marking(vru):
    """The VRU never sees a marked item, so its workbooks are OFFICIAL and say nothing; were
    the view ever given a higher marking, every sheet would state it, as plan workbooks do."""
    view = vru_view(vru.user, YEAR, vru.since)
    book = load_workbook(io.BytesIO(export.workbook(view, SENSITIVE)))
    for sheet in book.worksheets:
        assert sheet["A1"].value == "OFFICIAL-SENSITIVE"
        assert "OFFICIAL-SENSITIVE" in sheet.oddHeader.center.text
    plain = load_workbook(io.BytesIO(export.workbook(view, Marking.OFFICIAL)))
    assert all(sheet["A1"].value != "OFFICIAL" for sheet in plain.worksheets)


def test_the_workbook_holds_text_a_cell_cannot(client, vru):
    """Words pasted from Word carry characters a cell cannot hold: they are cleaned, as in
    the plan workbooks, rather than refusing the download."""
    ProgressUpdateFactory(action=vru.b1, date=days_ago(1), text="Line\x0bbreak\x01 done")
    response = get(client, vru.user, reverse("regional:vru-export"), page_data(vru))
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    texts = [row[6] for row in book["Mandated actions"].iter_rows(min_row=3, values_only=True)]
    assert "Line\nbreak done" in texts


def test_a_sub_themes_mandated_actions_are_matched_under_their_theme(
    vru, django_assert_num_queries
):
    weapons = vru.a6.theme
    mandated = _action(weapons, "2", RAG.RED, MANDATED, "Alpha weapons two")
    with django_assert_num_queries(5):  # as many as without it: nothing read row by row
        view = vru_view(vru.user, YEAR, vru.since, mandated_theme="analysis and enforcement")
    keys = {row.key: row.actions for row in view.mandated}
    assert keys[("analysis and enforcement / weapons", "2")] == {vru.plan_a.pk: mandated}
