"""Comparing two years of a plan (issue 14, item 5): the counts against two plans built with
known answers, each number's link leading to exactly the actions it counts, marked actions
left out for those who may not see them, 404s, the workbook, and the queries pinned."""

import datetime
import io
import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.urls import reverse

from actions.models import Marking, Plan
from actions.rag import RAG
from boards.models import Role
from downloads.models import Download
from rollover.compare import KINDS
from tests.factories import (
    ActionFactory,
    BoardFactory,
    PartnershipFactory,
    PlanFactory,
    ThemeFactory,
    user_in_role,
)
from tests.helpers import get

pytestmark = pytest.mark.django_db

SENSITIVE = Marking.OFFICIAL_SENSITIVE


def _action(theme, ref, rag, *, carried_from=None, **fields):
    return ActionFactory(
        theme=theme, ref=ref, text=f"Action {ref}", rag=rag, carried_from=carried_from, **fields
    )


@pytest.fixture
def years():
    """Last year's plan and this year's, rolled over from it, with every answer known.

    Last year (2021/22): Governance o1 Complete, o2 Red, o3 Amber, o4 Green, o7 Amber and
    marked OFFICIAL-SENSITIVE, o8 Red and marked; Diversion o5 Not rated, o6 Complete.
    This year (2022/23): GOVERNANCE (the same theme, in capitals) n1 from o2, n2 from o3,
    n3 new, n5 from the marked o8 (not marked itself); VAWG (a new theme) n4 new.

    Counted for someone who sees everything: added n3, n4; carried n1, n2, n5; completed
    o1, o6; dropped o4, o5, o7. For an officer, who may not see the marked o7 and o8: n5
    is added (carried from an action they may not see), and o7 is not counted at all.
    """
    here = PartnershipFactory(name="Here", slug="here")
    board = BoardFactory(partnership=here, name="CSP board", slug="csp-board")
    older = PlanFactory(
        partnership=here,
        board=board,
        title="VRU plan 2021/22",
        slug="vru-2021-22",
        period_start=datetime.date(2021, 12, 11),
        period_end=datetime.date(2022, 12, 10),
        status=Plan.Status.ACTIVE,
    )
    newer = PlanFactory(
        partnership=here,
        board=board,
        title="VRU plan 2022/23",
        slug="vru-2022-23",
        period_start=datetime.date(2022, 12, 11),
        period_end=datetime.date(2023, 12, 10),
        predecessor=older,
    )
    governance = ThemeFactory(plan=older, name="Governance", order=0)
    diversion = ThemeFactory(plan=older, name="Diversion", order=1)
    new_governance = ThemeFactory(plan=newer, name="GOVERNANCE", order=0)
    vawg = ThemeFactory(plan=newer, name="VAWG", order=1)
    o = {
        "o1": _action(governance, "1", RAG.COMPLETE),
        "o2": _action(governance, "2", RAG.RED),
        "o3": _action(governance, "3", RAG.AMBER),
        "o4": _action(governance, "4", RAG.GREEN),
        "o7": _action(governance, "7", RAG.AMBER, marking=SENSITIVE),
        "o8": _action(governance, "8", RAG.RED, marking=SENSITIVE),
        "o5": _action(diversion, "5", RAG.NOT_RATED),
        "o6": _action(diversion, "6", RAG.COMPLETE),
    }
    n = {
        "n1": _action(new_governance, "1", RAG.RED, carried_from=o["o2"]),
        "n2": _action(new_governance, "2", RAG.GREEN, carried_from=o["o3"]),
        "n3": _action(new_governance, "3", RAG.NOT_RATED),
        "n5": _action(new_governance, "5", RAG.AMBER, carried_from=o["o8"]),
        "n4": _action(vawg, "4", RAG.NOT_RATED),
    }
    return SimpleNamespace(
        here=here,
        board=board,
        older=older,
        newer=newer,
        themes=SimpleNamespace(
            governance=governance, diversion=diversion, new_governance=new_governance, vawg=vawg
        ),
        actions=o | n,
        administrator=user_in_role(Role.ADMINISTRATOR, partnerships=[here]),
        # Sits on the plans' board: sees the marked actions.
        chair=user_in_role(Role.CHAIR, boards=[board]),
        officer=user_in_role(Role.OFFICER, partnerships=[here]),
        analyst=user_in_role(Role.ANALYST, partnerships=[here]),
        far_officer=user_in_role(Role.OFFICER, partnerships=[PartnershipFactory()]),
    )


EVERYTHING = {
    "added": {"n3", "n4"},
    "carried": {"n1", "n2", "n5"},
    "completed": {"o1", "o6"},
    "dropped": {"o4", "o5", "o7"},
}
WITHOUT_MARKED = {
    "added": {"n3", "n4", "n5"},
    "carried": {"n1", "n2"},
    "completed": {"o1", "o6"},
    "dropped": {"o4", "o5"},
}


def compare_url(first, second) -> str:
    return reverse("rollover:compare", args=[first.slug, second.slug])


def _names(years, pks) -> set[str]:
    by_pk = {action.pk: name for name, action in years.actions.items()}
    return {by_pk[pk] for pk in pks}


def listed(response) -> set[int]:
    """The actions a list page shows, by the links to their pages."""
    return {int(pk) for pk in re.findall(r'href="/actions/(\d+)/"', response.content.decode())}


def counts_of(response) -> dict[str, int]:
    return {item["kind"].slug: item["count"] for item in response.context["comparison"].kinds}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("administrator", EVERYTHING),
        ("chair", EVERYTHING),
        ("officer", WITHOUT_MARKED),
        ("analyst", WITHOUT_MARKED),
    ],
)
def test_counts_and_the_actions_behind_each(client, years, who, expected):
    user = getattr(years, who)
    response = get(client, user, compare_url(years.older, years.newer))
    assert counts_of(response) == {kind: len(names) for kind, names in expected.items()}
    for item in response.context["comparison"].kinds:
        kind = item["kind"].slug
        assert item["href"] in response.content.decode()
        page = get(client, user, item["href"])
        assert _names(years, listed(page)) == expected[kind], kind
        assert page.context["total"] == len(expected[kind])


def test_the_older_and_newer_plans_are_the_same_whichever_way_round(client, years):
    forwards = get(client, years.administrator, compare_url(years.older, years.newer))
    backwards = get(client, years.administrator, compare_url(years.newer, years.older))
    for response in (forwards, backwards):
        comparison = response.context["comparison"]
        assert (comparison.older, comparison.newer) == (years.older, years.newer)
    assert counts_of(forwards) == counts_of(backwards)


def test_without_a_predecessor_link_the_earlier_period_is_the_older(client, years):
    Plan.objects.filter(pk=years.newer.pk).update(predecessor=None)
    response = get(client, years.administrator, compare_url(years.newer, years.older))
    comparison = response.context["comparison"]
    assert (comparison.older, comparison.newer) == (years.older, years.newer)
    # The links say what they said: carried is by the actions' own links.
    assert counts_of(response)["carried"] == 3


def test_rag_by_theme_side_by_side_matched_by_name(client, years):
    response = get(client, years.administrator, compare_url(years.older, years.newer))
    rows = {row.label: row for row in response.context["comparison"].themes}
    # The newer plan's themes in order, then the older's with no theme of that name.
    assert list(rows) == ["GOVERNANCE", "VAWG", "Diversion"]
    governance = rows["GOVERNANCE"]
    assert governance.older.theme == years.themes.governance
    assert governance.older.counts == {
        RAG.RED: 2,
        RAG.AMBER: 2,
        RAG.GREEN: 1,
        RAG.COMPLETE: 1,
        RAG.NOT_RATED: 0,
    }
    assert governance.newer.counts == {
        RAG.RED: 1,
        RAG.AMBER: 1,
        RAG.GREEN: 1,
        RAG.COMPLETE: 0,
        RAG.NOT_RATED: 1,
    }
    assert rows["VAWG"].older.theme is None and rows["VAWG"].newer.total == 1
    assert rows["Diversion"].newer.theme is None and rows["Diversion"].older.total == 2
    assert "No theme of this name" in response.content.decode()


@pytest.mark.parametrize("who", ["administrator", "officer"])
def test_each_theme_number_opens_the_plan_page_showing_exactly_those_actions(client, years, who):
    user = getattr(years, who)
    response = get(client, user, compare_url(years.older, years.newer))
    html = response.content.decode()
    checked = 0
    for row in response.context["comparison"].themes:
        for side in row.sides:
            if side.theme is None:
                continue
            cells = [(cell["href"], cell["count"]) for cell in side.cells if cell["count"]]
            for href, count in [*cells, (side.href(), side.total)]:
                assert href.replace("&", "&amp;") in html
                path = urlsplit(href)
                page = client.get(path.path + "?" + path.query)
                assert page.status_code == 200
                assert page.context["total"] == count, href
                checked += 1
    assert checked > 6


def test_marked_actions_are_neither_counted_nor_listed_for_an_officer(client, years):
    response = get(client, years.officer, compare_url(years.older, years.newer))
    rows = {row.label: row for row in response.context["comparison"].themes}
    # Last year's Governance without o7 and o8.
    assert rows["GOVERNANCE"].older.total == 4
    html = response.content.decode()
    for kind in KINDS:
        page = get(
            client,
            years.officer,
            reverse("rollover:compare-actions", args=[years.older.slug, years.newer.slug, kind]),
        )
        text = page.content.decode()
        assert "Action 7" not in text and "Action 8" not in text
    assert "OFFICIAL-SENSITIVE" not in html


def test_a_comparison_holding_a_marked_action_says_so(client, years):
    response = get(client, years.chair, compare_url(years.older, years.newer))
    assert response.context["page_marking"] == SENSITIVE
    response = get(client, years.officer, compare_url(years.older, years.newer))
    assert response.context["page_marking"] == Marking.OFFICIAL


@pytest.mark.parametrize(
    "name", ["rollover:compare", "rollover:compare-download", "rollover:compare-actions"]
)
def test_not_found_to_those_who_may_not_see_both_plans(client, years, name):
    extra = ["added"] if name.endswith("actions") else []
    url = reverse(name, args=[years.older.slug, years.newer.slug, *extra])
    get(client, years.far_officer, url, status=404)
    # A plan elsewhere, which the officer may not see, compared with one they may.
    far = PlanFactory(slug="far-plan")
    get(client, years.officer, reverse(name, args=[years.older.slug, far.slug, *extra]), status=404)
    get(client, years.officer, reverse(name, args=[far.slug, years.older.slug, *extra]), status=404)
    # A plan compared with itself, and a plan that does not exist.
    get(client, years.officer, reverse(name, args=[years.older.slug] * 2 + extra), status=404)
    get(
        client,
        years.officer,
        reverse(name, args=["no-such-plan", years.older.slug, *extra]),
        status=404,
    )
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_an_unknown_kind_is_not_found(client, years):
    url = reverse("rollover:compare-actions", args=[years.older.slug, years.newer.slug, "lost"])
    get(client, years.administrator, url, status=404)


def _rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_workbook_holds_what_the_page_shows_and_is_recorded(client, years):
    url = reverse("rollover:compare-download", args=[years.older.slug, years.newer.slug])
    response = get(client, years.officer, url)
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "vru-2021-22-compared-with-vru-2022-23.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Summary",
        "RAG by theme",
        "Added",
        "Carried forward",
        "Completed",
        "Dropped",
    ]
    summary = _rows(book["Summary"])
    counts = {row[0]: row[2] for row in summary[4:]}
    assert counts == {KINDS[kind].title: len(names) for kind, names in WITHOUT_MARKED.items()}
    themes = _rows(book["RAG by theme"])
    assert themes[1][0] == "Theme"
    by_theme = {row[0]: row[1:] for row in themes[2:]}
    assert list(by_theme) == ["GOVERNANCE", "VAWG", "Diversion"]
    # Red, Amber, Green, Complete, Not rated, Total: last year's, then this year's.
    assert by_theme["GOVERNANCE"] == [1, 1, 1, 1, 0, 4, 1, 1, 1, 0, 1, 4]
    for kind, names in WITHOUT_MARKED.items():
        rows = _rows(book[KINDS[kind].title])
        assert rows[0][:4] == ["Theme", "Ref", "Action", "RAG status"]
        assert {row[2] for row in rows[1:]} == {years.actions[name].text for name in names}, kind
    carried = {row[2]: row[5] for row in _rows(book["Carried forward"])[1:]}
    assert carried["Action 1"] == "Governance 2: Action 2"
    # n5 came from a marked action the officer may not see: added, and nothing said of it.
    added = {row[2]: row[5] for row in _rows(book["Added"])[1:]}
    assert added["Action 5"] in (None, "")
    all_text = " ".join(
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row
    )
    assert "Action 7" not in all_text and "Action 8" not in all_text
    assert "OFFICIAL-SENSITIVE" not in all_text

    download = Download.objects.get()
    assert download.kind == Download.Kind.COMPARISON
    assert download.user == years.officer
    assert download.plan_id == years.newer.pk
    assert download.options == {"older": "vru-2021-22", "newer": "vru-2022-23"}
    assert download.marking == "OFFICIAL"
    # Every action the workbook lists, each once (o1 o4 o5 o6, n1 n2 n3 n4 n5).
    assert download.rows == 9


def test_a_marked_workbook_states_its_marking(client, years):
    url = reverse("rollover:compare-download", args=[years.older.slug, years.newer.slug])
    book = openpyxl.load_workbook(io.BytesIO(get(client, years.chair, url).content))
    for sheet in book:
        assert sheet.cell(1, 1).value == "OFFICIAL-SENSITIVE", sheet.title
        assert "OFFICIAL-SENSITIVE" in sheet.oddHeader.center.text
    dropped = {row[2]: row[6] for row in _rows(book["Dropped"])[2:]}
    assert dropped["Action 7"] == "OFFICIAL-SENSITIVE"
    assert dropped["Action 4"] == "OFFICIAL"
    assert Download.objects.get().marking == "OFFICIAL-SENSITIVE"


def _grow(years, count: int) -> None:
    """`count` more actions in each plan: some carried, some dropped, some added."""
    for index in range(count):
        old = _action(years.themes.diversion, f"x{index}", RAG.AMBER)
        if index % 2:
            _action(years.themes.vawg, f"x{index}", RAG.RED, carried_from=old)
        else:
            _action(years.themes.new_governance, f"y{index}", RAG.GREEN)


# Pinned, the same at every size: the session, the user and their person (and for an
# officer, their seats on boards and partnerships; for an administrator, their second
# factor, seats, partnerships and their partnerships' boards), the two plans, the four
# counts, each plan's themes and RAG counts by theme, and the marking of the actions
# counted (one query; the themes' comes with their plans).
COMPARE_QUERIES = {"officer": 16, "administrator": 18}


@pytest.mark.parametrize("size", [0, 40])
@pytest.mark.parametrize("who", ["officer", "administrator"])
def test_query_count_does_not_grow_with_the_plans(
    client, years, django_assert_num_queries, size, who
):
    _grow(years, size)
    user = getattr(years, who)
    client.force_login(user)
    url = compare_url(years.older, years.newer)
    with django_assert_num_queries(COMPARE_QUERIES[who]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [0, 40])
def test_a_kinds_list_query_count_does_not_grow(client, years, django_assert_num_queries, size):
    _grow(years, size)
    client.force_login(years.officer)
    url = reverse("rollover:compare-actions", args=[years.older.slug, years.newer.slug, "dropped"])
    # The session, user, person and access (4), the two plans, the count, the page's ids,
    # their details and their leads (people, organisations).
    with django_assert_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200


def test_the_plan_page_links_to_last_and_next_year(client, years):
    older_page = get(client, years.officer, reverse("actions:plan-detail", args=[years.older.slug]))
    newer_page = get(client, years.officer, reverse("actions:plan-detail", args=[years.newer.slug]))
    assert compare_url(years.older, years.newer) in older_page.content.decode()
    assert "Compare with next year's plan" in older_page.content.decode()
    assert compare_url(years.newer, years.older) in newer_page.content.decode()
    assert "Compare with last year's plan" in newer_page.content.decode()
    alone = PlanFactory(partnership=years.here, slug="alone")
    page = get(client, years.officer, reverse("actions:plan-detail", args=[alone.slug]))
    assert "/compare/" not in page.content.decode()


def test_no_link_to_a_year_the_user_may_not_see(client, years):
    # The newer plan marked: the officer (not on its board) may not see it.
    Plan.objects.filter(pk=years.newer.pk).update(marking=SENSITIVE)
    page = get(client, years.officer, reverse("actions:plan-detail", args=[years.older.slug]))
    assert "/compare/" not in page.content.decode()
    get(client, years.officer, compare_url(years.older, years.newer), status=404)
