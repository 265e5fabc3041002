"""The chairs' dashboards and the boards list: counts with known answers, who may open what,
links that lead to exactly the actions they count, and query counts that do not grow with
the number of actions."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ProgressUpdate
from actions.rag import RAG
from actions.selectors import reading_order, stale_cutoff, with_progress
from boards.models import Role
from cspplan import clock
from reporting.dashboards import LIST_LIMITS, dashboard, stale_condition
from reporting.scopes import board_scope, plan_scope
from tests.factories import (
    ActionFactory,
    BoardFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    user_in_role,
)
from tests.helpers import OVERDUE_TAG, backdate, days_ago, edit, get, overdue_rows

pytestmark = pytest.mark.django_db

BOARDS = reverse("reporting:board-list")
RAGS = list(RAG.values)


def as_list(counts: dict) -> list[int]:
    """Counts in the scale's order: red, amber, green, complete, not rated."""
    return [counts[rag] for rag in RAGS]


def plan_dashboard_url(plan) -> str:
    return reverse("reporting:plan-dashboard", args=[plan.slug])


def board_dashboard_url(board) -> str:
    return reverse("reporting:board-dashboard", args=[board.pk])


# Counts with known answers -------------------------------------------------------------------


@pytest.mark.parametrize("which", ["plan", "board"])
def test_every_list_tags_its_overdue_actions_with_the_word(client, world, which):
    url = plan_dashboard_url(world.plan) if which == "plan" else board_dashboard_url(world.board)
    text = get(client, world.chair, url).text
    rows = overdue_rows(text)
    # a1 (red) and bx2 (red, restricted: the chair's board owns it) are overdue; b1 (amber)
    # and a2 (not updated recently) are not.
    assert rows[world.a1.pk] and rows[world.bx2.pk]
    assert not rows[world.b1.pk] and not rows[world.a2.pk]
    # Tagged in every list it is in: a1 in red and overdue, bx2 (never updated) in red,
    # overdue and not updated recently.
    assert text.count(OVERDUE_TAG) == 5


def test_the_plan_dashboard_counts_what_the_chair_sees_restricted_included(
    either_clock, client, world
):
    dash = get(client, world.chair, plan_dashboard_url(world.plan)).context["dash"]
    assert as_list(dash.total.counts) == [2, 1, 1, 1, 1]
    assert dash.overdue == 2  # a1, bx2 (bx1 is complete, b1 not yet due)
    assert dash.stale == 3  # a2 (100 days), b1 and bx2 (never updated)
    (group,) = dash.groups
    assert [(t.label, t.depth, as_list(t.counts)) for t in group.themes] == [
        ("Governance", 0, [1, 0, 1, 0, 0]),
        # A theme counts its sub-themes' actions, as the plan page's theme filter does.
        ("Diversion", 0, [1, 1, 0, 1, 1]),
        ("Schools", 1, [1, 0, 0, 1, 1]),
    ]
    assert [(t.label, as_list(t.counts)) for t in group.origins] == [
        ("VRU mandated action", [1, 0, 0, 0, 0]),
        ("New VRU action", [0, 1, 0, 0, 0]),
        ("Local action", [0, 0, 1, 0, 0]),
        ("Not stated", [1, 0, 0, 1, 1]),
    ]
    # Most actions first; b1 counts for both of its lead organisations.
    assert [(t.label, as_list(t.counts)) for t in group.lead_organisations] == [
        ("Test borough council (TBC)", [1, 1, 1, 0, 0]),
        ("Test police service (TPS)", [1, 1, 0, 0, 0]),
    ]
    assert group.without_lead_organisation == 2  # bx1, c1
    lists = dash.lists
    assert [a.pk for a in lists["red"].actions] == [world.a1.pk, world.bx2.pk]
    assert [a.pk for a in lists["amber"].actions] == [world.b1.pk]
    # Longest overdue first; never updated before updated long ago.
    assert [a.pk for a in lists["overdue"].actions] == [world.a1.pk, world.bx2.pk]
    assert [a.pk for a in lists["stale"].actions] == [world.b1.pk, world.bx2.pk, world.a2.pk]


def test_the_restricted_action_is_neither_counted_nor_listed_for_an_officer(
    either_clock, client, world
):
    response = get(client, world.officer, plan_dashboard_url(world.plan))
    dash = response.context["dash"]
    assert as_list(dash.total.counts) == [1, 1, 1, 1, 1]
    assert (dash.overdue, dash.stale) == (1, 2)
    (group,) = dash.groups
    assert [as_list(t.counts) for t in group.themes][2] == [0, 0, 0, 1, 1]
    assert (
        dict((t.label, t.total) for t in group.lead_organisations)["Test borough council (TBC)"]
        == 2
    )
    assert [a.pk for a in dash.lists["red"].actions] == [world.a1.pk]
    assert "Protectively marked operation" not in response.text
    assert "Sam Example" not in response.text


def test_the_lists_show_the_lead_and_the_latest_update(client, world):
    response = get(client, world.chair, plan_dashboard_url(world.plan))
    red = response.context["dash"].lists["red"]
    a1 = red.actions[0]
    assert a1.last_update == days_ago(2)
    assert a1.last_update_text == "Meeting moved to weekly"
    assert a1.lead_people_names == ["Pat Example"]
    assert a1.lead_organisation_names == ["TPS"]
    text = response.text
    assert "Meeting moved to weekly" in text and "Pat Example" in text
    assert "Protectively marked operation" in text and "Sam Example" in text


def test_red_and_amber_actions_show_their_direction_of_travel(client, world):
    # a2 was green; it goes red, through the update page's service, ten days ago.
    edit(world.a2, world.superuser, rag=RAG.RED)
    backdate(10)

    response = get(client, world.chair, plan_dashboard_url(world.plan))

    lists = response.context["dash"].lists
    a2 = next(action for action in lists["red"].actions if action.pk == world.a2.pk)
    assert (a2.travel.previous, a2.travel.direction) == (RAG.GREEN, "worse")
    assert a2.travel.changed.date() == days_ago(10)
    words = f"Worse: was Green until {days_ago(10):%-d %b %Y}"
    attention = response.text[response.text.index('id="attention"') :]
    assert words in attention
    # Amber too; green and complete actions have none to show.
    assert all(action.travel for action in lists["amber"].actions)
    assert not hasattr(world.c1, "travel")


def test_the_board_dashboard_counts_its_plans_and_what_its_subgroups_monitor(
    either_clock, client, world
):
    dash = get(client, world.chair, board_dashboard_url(world.board)).context["dash"]
    assert as_list(dash.total.counts) == [2, 2, 1, 1, 1]  # the plan's 6 and m1
    titles = [group.title for group in dash.groups]
    assert titles == [
        "Test violence plan",
        "Test other plan: the actions Test violence subgroup monitors",
    ]
    whole, monitored = dash.groups
    assert as_list(whole.summary.counts) == [2, 1, 1, 1, 1]
    assert as_list(monitored.summary.counts) == [0, 1, 0, 0, 0]
    # A part of a plan: the themes with actions in it.
    assert [t.label for t in monitored.themes] == ["Exploitation"]
    assert monitored.link.url() == (
        f"/plans/{world.other_plan.slug}/?monitoring_board={world.subgroup.pk}"
    )
    # m2 sits in a theme the subgroup monitors but names another monitoring board of its
    # own, which wins: it is the other board's, and not counted here.
    listed = [a.pk for lst in dash.lists.values() for a in lst.actions]
    assert world.m2.pk not in listed and world.u1.pk not in listed


def test_the_board_dashboard_of_an_officer_leaves_the_restricted_action_out(client, world):
    dash = get(client, world.officer, board_dashboard_url(world.board)).context["dash"]
    assert as_list(dash.total.counts) == [1, 2, 1, 1, 1]  # the chair's, less bx2


def test_dashboard_reads_the_scope_only(world):
    # The same answers straight from the module, as the pack would call it: all of a list
    # with limit=None, the first n with limit=n.
    scope = board_scope(world.chair, world.board.pk)
    everything = dashboard(scope, limit=None)
    assert everything.lists["stale"].count == len(everything.lists["stale"].actions) == 4
    first = dashboard(scope, limit=1)
    assert len(first.lists["stale"].actions) == 1 and first.lists["stale"].more == 3
    officer_scope = plan_scope(world.officer, world.plan.slug)
    assert dashboard(officer_scope).total.total == 5


def test_the_lists_read_plan_by_plan_in_each_plans_reading_order(world):
    # The lists sort by a rank per theme (`selectors.reading_order_by_theme`) rather than by
    # the themes' and plans' columns. The board's scope holds two plans, and its own plan a
    # sub-theme: an action of the parent theme numbered after the sub-theme's still comes
    # before them, and each plan's actions stand together, in the order of the groups.
    extra = [
        ActionFactory(theme=world.diversion, ref="9", order=9, rag=RAG.RED),
        ActionFactory(theme=world.exploitation, ref="9", order=9, rag=RAG.RED),
        ActionFactory(theme=world.governance, ref="9", order=9, rag=RAG.RED),
    ]
    for action in extra:
        ProgressUpdateFactory(action=action, date=days_ago(200))
    scope = board_scope(world.chair, world.board.pk)
    dash = dashboard(scope, limit=None)
    plan_position = {}
    for group in dash.groups:
        plan_position.setdefault(group.plan.pk, len(plan_position))
    ordered = with_progress(scope.actions, updates=scope.updates).order_by(*reading_order())
    reading = {action.pk: n for n, action in enumerate(ordered)}
    rows = {action.pk: action for action in ordered.select_related("theme")}

    def expected(kind, first=lambda action: 0):
        chosen = [
            action
            for action in rows.values()
            if (action.rag == kind if kind in RAG.values else getattr(action, f"is_{kind}"))
        ]
        return [
            action.pk
            for action in sorted(
                chosen,
                key=lambda action: (
                    first(action),
                    plan_position[action.theme.plan_id],
                    reading[action.pk],
                ),
            )
        ]

    never = datetime.date.min
    firsts = {
        "overdue": lambda action: action.end_date,
        "stale": lambda action: action.last_update or never,
    }
    for kind in ("red", "amber", "overdue", "stale"):
        listed = [action.pk for action in dash.lists[kind].actions]
        assert listed == expected(kind, firsts.get(kind, lambda action: 0)), kind
    red = [action.pk for action in dash.lists["red"].actions]
    assert red.index(extra[0].pk) < red.index(world.bx2.pk)  # Diversion before Schools
    assert red.index(world.a1.pk) < red.index(extra[2].pk) < red.index(extra[0].pk)
    # The first n of each list, n falling among the stale actions never updated (read
    # first, on their own) and among those updated long ago.
    stale = expected("stale", firsts["stale"])
    never = [pk for pk in stale if rows[pk].last_update is None]
    assert 0 < len(never) < len(stale)
    for n in range(1, len(stale) + 2):
        shortened = dashboard(scope, limit=n)
        for kind in ("red", "amber", "overdue", "stale"):
            listed = [action.pk for action in shortened.lists[kind].actions]
            assert listed == [action.pk for action in dash.lists[kind].actions][:n], (kind, n)


def test_bars_share_out_the_whole_width(client, world):
    dash = get(client, world.chair, plan_dashboard_url(world.plan)).context["dash"]
    segments = dash.total.segments
    assert [s["rag"] for s in segments] == RAGS
    assert sum(s["width"] for s in segments) == pytest.approx(100)
    assert segments[1]["x"] == pytest.approx(100 * 2 / 6)


def test_the_stale_test_agrees_with_the_selectors_at_its_edges(either_clock, world):
    # Updated on the cutoff, the day before and after it, never, and complete: the
    # dashboard's stale test must pick exactly what selectors.with_progress calls stale.
    cutoff = stale_cutoff()
    theme = world.governance
    for n, days in enumerate((-1, 0, 1)):
        for rag in (RAG.RED, RAG.COMPLETE):
            action = ActionFactory(theme=theme, ref=f"edge-{n}-{rag}", rag=rag)
            ProgressUpdateFactory(action=action, date=cutoff + datetime.timedelta(days=days))
    ActionFactory(theme=theme, ref="never", rag=RAG.COMPLETE)
    actions = with_progress(Action.objects.all())
    expected = set(actions.filter(is_stale=True).values_list("pk", flat=True))
    found = actions.filter(stale_condition(clock.today()))
    assert set(found.values_list("pk", flat=True)) == expected
    # The world's seven (a2, b1, bx2, m1, m2, u1 and the far plan's far_action) and the red
    # one updated the day before.
    assert len(expected) == 8
    dash = dashboard(board_scope(world.superuser, world.board.pk), limit=None)
    in_scope = board_scope(world.superuser, world.board.pk).actions
    assert dash.stale == with_progress(in_scope).filter(is_stale=True).count()


# Links -------------------------------------------------------------------------------------


# A number that links to the plan page, at the start of its link's text ("3", "All 3 red
# actions on the plan page", "3 in Plan").
LINKED_NUMBER = re.compile(r'<a class="govuk-link" href="(/plans/[^"]+)">(?:All )?(\d+)')


def linked_numbers(text: str) -> list[tuple[str, int]]:
    return [(html.unescape(href), int(n)) for href, n in LINKED_NUMBER.findall(text)]


def test_following_the_red_count_shows_exactly_the_red_actions(client, world):
    response = get(client, world.chair, plan_dashboard_url(world.plan))
    href = response.context["dash"].total.href(rag="red")
    assert href == f"/plans/{world.plan.slug}/?rag=red"
    assert (href, 2) in linked_numbers(response.text)
    plan_page = client.get(href)
    shown = [a.pk for s in plan_page.context["sections"] for a in s["actions"]]
    assert sorted(shown) == sorted([world.a1.pk, world.bx2.pk])


def test_a_list_of_one_links_to_it_in_the_singular(client, world):
    text = get(client, world.chair, plan_dashboard_url(world.plan)).text
    amber = f'href="/plans/{world.plan.slug}/?rag=amber">'
    assert f"{amber}The amber action on the plan page</a>" in text  # b1 alone
    assert f'href="/plans/{world.plan.slug}/?rag=red">All 2 red actions on the plan page' in text
    assert "All 1 " not in text


def test_theme_stale_and_overdue_links_carry_their_filters(either_clock, client, world):
    dash = get(client, world.chair, plan_dashboard_url(world.plan)).context["dash"]
    (group,) = dash.groups
    schools = group.themes[2]
    assert schools.href(rag="red") == f"/plans/{world.plan.slug}/?theme={world.schools.pk}&rag=red"
    cutoff = days_ago(7 * 8)
    assert group.stale_href == (
        f"/plans/{world.plan.slug}/?rag=red&rag=amber&rag=green&rag=not_rated"
        f"&not_updated_since_0={cutoff.day}&not_updated_since_1={cutoff.month}"
        f"&not_updated_since_2={cutoff.year}"
    )
    assert group.overdue_href == f"/plans/{world.plan.slug}/?overdue=on"


@pytest.mark.parametrize(
    "who, page",
    [
        ("chair", "plan"),
        ("officer", "plan"),
        ("chair", "board"),
        ("officer", "board"),
        ("superuser", "board"),
    ],
)
def test_every_linked_number_is_what_its_plan_page_shows(either_clock, client, world, who, page):
    url = plan_dashboard_url(world.plan) if page == "plan" else board_dashboard_url(world.board)
    links = linked_numbers(get(client, getattr(world, who), url).text)
    assert len(links) > 30
    for href, number in links:
        plan_page = client.get(href)
        assert plan_page.status_code == 200, href
        assert not plan_page.context["filters"].errors, (href, plan_page.context["filters"].errors)
        assert plan_page.context["total"] == number, href


# Who may open what --------------------------------------------------------------------------


@pytest.mark.parametrize("url_of", [lambda w: BOARDS, lambda w: board_dashboard_url(w.board)])
def test_signed_out_people_are_sent_to_sign_in(client, world, url_of):
    for url in (url_of(world), plan_dashboard_url(world.plan)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_chair_of_another_board_gets_not_found(client, world):
    client.force_login(world.other_chair)
    assert client.get(board_dashboard_url(world.board)).status_code == 404
    assert client.get(plan_dashboard_url(world.plan)).status_code == 404
    # Their own board is theirs to open.
    assert client.get(board_dashboard_url(world.other_board)).status_code == 200


def test_a_user_with_no_person_sees_no_boards_and_no_dashboards(client, world):
    client.force_login(world.no_person)
    response = client.get(BOARDS)
    assert response.status_code == 200
    assert response.context["partnerships"] == []
    assert "Your account is not linked to a person yet" in response.text
    assert client.get(board_dashboard_url(world.board)).status_code == 404
    assert client.get(plan_dashboard_url(world.plan)).status_code == 404


@pytest.mark.parametrize("who", ["chair", "officer", "analyst", "superuser"])
def test_each_role_opens_the_board_and_plan_dashboards(client, world, who):
    client.force_login(getattr(world, who))
    for url in (board_dashboard_url(world.board), plan_dashboard_url(world.plan)):
        response = client.get(url)
        assert response.status_code == 200
        assert "What needs attention" in response.text


def test_a_missing_board_or_plan_is_not_found(client, world):
    client.force_login(world.superuser)
    assert client.get(reverse("reporting:board-dashboard", args=[999999])).status_code == 404
    assert client.get(reverse("reporting:plan-dashboard", args=["no-such-plan"])).status_code == 404


def test_the_dashboards_cannot_be_posted_to(client, world):
    client.force_login(world.chair)
    for url in (BOARDS, board_dashboard_url(world.board), plan_dashboard_url(world.plan)):
        assert client.post(url).status_code == 405


def test_the_dashboard_links_to_its_other_pages(client, world):
    text = get(client, world.chair, plan_dashboard_url(world.plan)).text
    slug = world.plan.slug
    for name in (
        "actions:plan-detail",
        "reporting:plan-since",
        "reporting:plan-indicators",
        "reporting:plan-pack",
        "reporting:plan-pack-docx",
    ):
        assert f'href="{reverse(name, args=[slug])}"' in text
    text = get(client, world.chair, board_dashboard_url(world.board)).text
    for name in ("board-since", "board-pack", "board-pack-docx"):
        assert f'href="{reverse(f"reporting:{name}", args=[world.board.pk])}"' in text
    assert f'href="{plan_dashboard_url(world.plan)}"' in text


def test_the_plan_page_links_to_its_dashboard(client, world):
    response = get(client, world.officer, reverse("actions:plan-detail", args=[world.plan.slug]))
    assert f'href="{plan_dashboard_url(world.plan)}"' in response.text


def test_colour_is_never_alone(client, world):
    text = get(client, world.chair, plan_dashboard_url(world.plan)).text
    # The key names every status beside its swatch, each bar has a pattern per status, and
    # each table has a caption.
    for rag in RAG:
        assert f'fill="url(#app-bar-pattern-{rag.value})"' in text
        assert f"</svg>{rag.label}" in text
    assert text.count('<caption class="govuk-table__caption') >= 4


# The boards list -----------------------------------------------------------------------------


def tree_of(response) -> list:
    def walk(nodes):
        return [(n.board.name, as_list(n.counts), walk(n.children)) for n in nodes]

    return [(p.name, walk(nodes)) for p, nodes in response.context["partnerships"]]


def test_a_chair_sees_their_board_and_its_subgroups_with_their_totals(client, world):
    response = get(client, world.chair, BOARDS)
    assert tree_of(response) == [
        (
            "Test partnership here",
            [
                (
                    "Test CSP board",
                    [2, 2, 1, 1, 1],
                    [("Test violence subgroup", [0, 1, 0, 0, 0], [])],
                )
            ],
        )
    ]
    assert f'href="{board_dashboard_url(world.board)}"' in response.text
    assert "Test other board" not in response.text


def test_an_officer_sees_every_board_of_their_partnership_without_restricted_counts(client, world):
    response = get(client, world.officer, BOARDS)
    ((_, nodes),) = tree_of(response)
    assert nodes == [
        ("Test CSP board", [1, 2, 1, 1, 1], [("Test violence subgroup", [0, 1, 0, 0, 0], [])]),
        # Its own plan's three actions (m2 also names it as its monitor).
        ("Test other board", [1, 1, 1, 0, 0], []),
    ]


def test_the_boards_list_totals_match_the_dashboards(client, world):
    response = get(client, world.superuser, BOARDS)
    flat = {}

    def walk(items):
        for name, counts, children in items:
            flat[name] = counts
            walk(children)

    for _, nodes in tree_of(response):  # both partnerships
        walk(nodes)
    for board in (world.board, world.subgroup, world.other_board, world.far_board):
        dash = client.get(board_dashboard_url(board)).context["dash"]
        assert as_list(dash.total.counts) == flat[board.name], board.name


def test_a_subgroup_whose_board_is_hidden_stands_at_the_top(client, world):
    chair = user_in_role(Role.CHAIR, boards=[world.subgroup])
    ((_, nodes),) = tree_of(get(client, chair, BOARDS))
    assert nodes == [("Test violence subgroup", [0, 1, 0, 0, 0], [])]


# Query counts --------------------------------------------------------------------------------


def make_board(size: int):
    """A board's plan of `size` actions in three themes and a sub-theme, one theme
    monitored by the board's subgroup, a few actions restricted; lead people and
    organisations, RAG statuses, origins, end dates (some past) and updates (some old) for
    every kind of row the dashboard counts; and a plan of another board with actions the
    subgroup monitors. Saved in bulk."""
    here = PartnershipFactory()
    board = BoardFactory(partnership=here)
    subgroup = BoardFactory(partnership=here, parent=board)
    other = BoardFactory(partnership=here)
    council, police = OrganisationFactory(), OrganisationFactory()
    lead = PersonFactory(organisation=council)
    chair = user_in_role(Role.CHAIR, boards=[board])
    plan = PlanFactory(partnership=here, board=board)
    top = ThemeFactory.create_batch(3, plan=plan)
    themes = [*top, ThemeFactory(plan=plan, parent=top[1], monitoring_board=subgroup)]
    other_plan = PlanFactory(partnership=here, board=other)
    watched = ThemeFactory(plan=other_plan, monitoring_board=subgroup)
    origins = [value for value, _ in Action.Origin.choices]
    today = timezone.localdate()
    actions = Action.objects.bulk_create(
        ActionFactory.build(
            theme=watched if n % 10 == 0 else themes[n % len(themes)],
            rag=RAGS[n % len(RAGS)],
            origin=origins[n % len(origins)],
            end_date=today + datetime.timedelta(days=n % 60 - 30),
            marking="official-sensitive" if n % 50 == 0 else "official",
        )
        for n in range(size)
    )
    through = Action.lead_people.through
    through.objects.bulk_create(through(action=a, person=lead) for a in actions[::2])
    through = Action.lead_organisations.through
    through.objects.bulk_create(
        through(action=a, organisation=council if n % 3 else police)
        for n, a in enumerate(actions)
        if n % 4
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(action=a, date=today - datetime.timedelta(days=n % 120), text="Done")
        for n, a in enumerate(actions)
        if n % 3
    )
    return {"board": board, "plan": plan, "chair": chair}


# Pinned per page, the same at every size: the session and user, the person and their
# boards, the scope (for a plan seen whole, its themes' ids; for a board, its plans found
# once, and the ids of its themes where it monitors part of a plan owned elsewhere, as
# here), then the dashboard's own reads (two
# grouped counts, which also count the marked actions, the plans, themes and monitoring
# boards, four lists, their details and leads, and one for the red and amber actions'
# direction of travel from their history); the boards list's tree and counts.
# The page's marking needs no query of its own (Dashboard.marking). A plan's dashboard reads
# the review panel's feedback on its themes too (one query; one more for the people who gave
# it, where there is some).
EXPECTED_QUERIES = {"board": 22, "plan": 19, "boards": 8}


@pytest.mark.parametrize("size", [100, 5000])
def test_query_counts_do_not_grow_with_the_number_of_actions(
    client, django_assert_num_queries, size
):
    world = make_board(size)
    client.force_login(world["chair"])
    pages = {
        "board": board_dashboard_url(world["board"]),
        "plan": plan_dashboard_url(world["plan"]),
        "boards": BOARDS,
    }
    for name, url in pages.items():
        with django_assert_num_queries(EXPECTED_QUERIES[name]):
            response = client.get(url)
        assert response.status_code == 200
    dash = client.get(pages["board"]).context["dash"]
    assert dash.total.total == size
    assert len(dash.lists["red"].actions) == min(LIST_LIMITS["red"], dash.lists["red"].count)
    assert dash.lists["red"].count == size // 5


def test_the_dashboards_marking_is_the_scopes(world):
    """The dashboard reads its marking from what it loads (reporting.dashboards.Dashboard.
    marking) rather than asking again: it must agree with the one rule, scope_marking, for
    every reader and scope, marked or not."""
    from django.http import Http404

    from actions.models import Marking
    from reporting.scopes import scope_marking

    SENSITIVE = Marking.OFFICIAL_SENSITIVE
    # Beside the world's marked action: a marked theme with no action, and an update
    # marked on its own on an action at OFFICIAL.
    ThemeFactory(plan=world.far_plan, name="Marked and empty", marking=SENSITIVE)
    ProgressUpdateFactory(action=world.m1, date=days_ago(3), marking=SENSITIVE)
    readers = [
        world.chair,
        world.other_chair,
        world.officer,
        world.council_officer,
        world.analyst,
        world.administrator,
        world.far_officer,
    ]
    scopes = [
        (plan_scope, world.plan.slug),
        (plan_scope, world.other_plan.slug),
        (plan_scope, world.far_plan.slug),
        (board_scope, world.board.pk),
        (board_scope, world.subgroup.pk),
        (board_scope, world.other_board.pk),
    ]

    def compare_all() -> set:
        seen = set()
        for reader in readers:
            for make, key in scopes:
                try:
                    scope = make(reader, key)
                except Http404:
                    continue
                marking = scope_marking(scope)
                assert dashboard(scope).marking == marking, (reader, make.__name__, key)
                seen.add(marking)
        return seen

    # Both outcomes were compared, the marked update alone making one.
    assert compare_all() == {Marking.OFFICIAL, SENSITIVE}
    assert dashboard(plan_scope(world.other_chair, "other-plan")).marking == SENSITIVE
    assert dashboard(plan_scope(world.officer, "other-plan")).marking == Marking.OFFICIAL
    # Actions at OFFICIAL marked by their sub-theme (c1 in Schools, beside the marked bx2),
    # and then by their plan: the dashboard takes these from the themes and plans it shows.
    world.bx2.marking = Marking.OFFICIAL
    world.bx2.save()
    world.schools.marking = SENSITIVE
    world.schools.save()
    compare_all()
    assert dashboard(board_scope(world.chair, world.board.pk)).marking == SENSITIVE
    world.schools.marking = Marking.OFFICIAL
    world.schools.save()
    world.other_plan.marking = SENSITIVE
    world.other_plan.save()
    compare_all()
    assert dashboard(board_scope(world.chair, world.subgroup.pk)).marking == SENSITIVE
