"""The pages before a meeting: since the last meeting, a plan's indicators, and the
pre-meeting pack as a page and as a Word document.

The pages read the shared world's plan (tests/conftest.py). Changes are made the three ways
people make them (the update form through the test client, the Django admin, and a workbook
import through the import pages), after everything made before is moved 60 days back
(`backdate`), and the pages are asked for changes since 30 days ago, so which side of the
date each change falls is certain.
"""

import datetime
import io
import re
from html import unescape

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, strip_tags

from actions.models import Action, Plan
from actions.rag import RAG
from actions.services import BROWSER_REASON, action_update, action_version
from reporting.indicator_status import RULE_TEXT
from reporting.pack_docx import CONTENT_TYPE
from reporting.since import default_since
from tests.conftest import World
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OrganisationFactory,
    PersonFactory,
    ProgressUpdateFactory,
    UserFactory,
)
from tests.helpers import admin_change, backdate, days_ago, edit, get, update_form
from tests.workbooks.workbooks import Sheet, add_row, export
from workbooks.services import IMPORT_REASON

pytestmark = pytest.mark.django_db

SECRET = "Protectively marked operation"  # bx2, the world's restricted action
TODAY = timezone.localdate()
SINCE = TODAY - datetime.timedelta(days=30)


def url(name: str, world: World, **query) -> str:
    """The page `name` (since, pack, pack-docx, indicators) of the world's plan, or of its
    board with `board-` in front."""
    if name.startswith("board-"):
        path = reverse(f"reporting:{name}", args=[world.board.pk])
    else:
        path = reverse(f"reporting:plan-{name}", args=[world.plan.slug])
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return path


def section_text(response, section_id: str) -> str:
    """The words of the page's section (pack_section.html) with that heading id, tags out."""
    html = response.content.decode()
    match = re.search(
        rf'<section[^>]*aria-labelledby="{re.escape(section_id)}".*?</section>', html, re.S
    )
    assert match, f"no section {section_id}"
    return " ".join(unescape(strip_tags(match.group(0))).split())


def page_text(response) -> str:
    return " ".join(unescape(strip_tags(response.content.decode())).split())


def post_update(client, user, action, **changes):
    """Send the update form for `action` as it now stands, with `changes` made."""
    action.refresh_from_db()
    client.force_login(user)
    response = client.post(
        reverse("actions:action-update", args=[action.pk]), update_form(action, **changes)
    )
    assert response.status_code == 302, response.content.decode()[:3000]


# ---- since the last meeting ------------------------------------------------------------------


def test_changes_made_on_the_update_form_show_with_who_when_and_why(client, world):
    # The council's officer edits what the council leads: a2 (green) and b1 (amber).
    officer = world.council_officer
    post_update(client, officer, world.a2, rag=RAG.AMBER)
    backdate()
    post_update(
        client,
        officer,
        world.a2,
        update_text="Partners met on 3 November",
        rag=RAG.RED,
    )
    post_update(client, officer, world.b1, rag=RAG.COMPLETE)

    response = get(client, world.chair, url("since", world, since=SINCE.isoformat()))

    assert response.context["since"] == SINCE
    assert "RAG status changes (2)" in section_text(response, "rag-changes")
    assert "Governance, action 2 Amber to Red Cora Council" in section_text(response, "rag-changes")
    assert "Diversion, action 1 Amber to Complete Cora Council" in section_text(
        response, "rag-changes"
    )
    assert section_text(response, "rag-changes").count(BROWSER_REASON) == 2
    completed = section_text(response, "completed")
    assert completed.startswith("Completed actions (1)")
    # Shown in full under its theme, named once above it, by its number.
    assert "Diversion 1 Youth outreach" in completed
    updates = section_text(response, "updates")
    assert updates.startswith("Updates received (1)")
    assert "Governance, action 2" in updates and "Partners met on 3 November" in updates
    assert "Cora Council Red" in updates  # the author and the status the update set
    silent = section_text(response, "not-updated")
    # Not complete and no update received since: a1, bx2 and c1 (the world's updates are
    # from before the window); a2 had one, b1 and bx1 are complete.
    assert silent.startswith("No update since (3)")
    assert "Governance 1 Daily violence meeting" in silent
    assert SECRET in silent  # the chair may see the restricted action
    assert "New actions (0)" in page_text(response)
    # Each action links to its page.
    assert f'href="/actions/{world.a2.pk}/"' in response.content.decode()


def test_changes_made_in_the_admin_show(client, world):
    client.force_login(world.superuser)
    admin_change(client, world.a2, rag=RAG.AMBER)  # before the window
    backdate()
    admin_change(client, world.a2, rag=RAG.RED)
    admin_change(
        client,
        world.b1,
        **{
            "updates-TOTAL_FORMS": "1",
            "updates-0-date": "2021-11-01",
            "updates-0-period": "November 2021",
            "updates-0-rag": "",
            "updates-0-text": "Provider chosen",
            "updates-0-marking": "official",
        },
    )

    response = get(client, world.chair, url("since", world, since=SINCE.isoformat()))

    changes = section_text(response, "rag-changes")
    assert changes.startswith("RAG status changes (1)")
    assert "Governance, action 2 Amber to Red Ada Superuser" in changes
    updates = section_text(response, "updates")
    assert updates.startswith("Updates received (1)")
    assert "Diversion, action 1 " in updates
    assert "November 2021" in updates and "Provider chosen" in updates
    assert "No change" in updates  # the update set no status


def test_changes_and_new_actions_from_an_import_show(client, world):
    # A VRU workbook has one level of themes: the plan without its sub-theme (and so without
    # the restricted action) goes out and comes back as it was, but for the changes below.
    world.schools.delete()
    backdate()
    sheet = Sheet(export(world.plan))
    sheet.set(sheet.row_of("Problem profile"), "Risk RAG status", "Complete")
    sheet.set(sheet.row_of("Youth outreach"), "Risk RAG status", "Red")
    add_row(sheet, "Governance", 3, "Weapons sweeps in parks", "Amber")
    client.force_login(world.superuser)
    preview = client.post(
        reverse("workbooks:plan-import", args=[world.plan.slug]),
        {
            "file": SimpleUploadedFile("plan.xlsx", sheet.save()),
            "layout": "vru",
        },
    )
    assert preview.status_code == 200 and preview.context["kept"], preview.content[:2000]
    done = client.post(
        reverse("workbooks:plan-import-confirm", args=[world.plan.slug]),
        {"token": preview.context["kept"].token},
    )
    assert done.status_code == 302
    assert [theme.name for theme in world.plan.themes.all()] == ["Governance", "Diversion"]

    response = get(client, world.chair, url("since", world, since=SINCE.isoformat()))

    changes = section_text(response, "rag-changes")
    assert changes.startswith("RAG status changes (2)")
    assert "Governance, action 2 Green to Complete Ada Superuser" in changes
    assert "Diversion, action 1 Amber to Red Ada Superuser" in changes
    assert changes.count(IMPORT_REASON) == 2
    new = section_text(response, "new-actions")
    assert new.startswith("New actions (1)")
    assert "Governance 3 Weapons sweeps in parks Amber" in new
    completed = section_text(response, "completed")
    assert completed.startswith("Completed actions (1)")
    assert "Problem profile" in completed


def test_the_default_date_is_four_weeks_ago(client, world):
    officer = world.council_officer
    action_update(
        action=world.a2, user=officer, expected_version=action_version(world.a2), rag=RAG.RED
    )
    backdate(days=29)  # just before four weeks ago
    action_update(
        action=world.b1,
        user=officer,
        expected_version=action_version(world.b1),
        rag=RAG.GREEN,
    )

    response = get(client, world.chair, url("since", world))

    default = default_since(TODAY)
    assert response.context["since"] == default
    html = response.content.decode()
    for name, part in zip(
        ("since_0", "since_1", "since_2"), (default.day, default.month, default.year), strict=True
    ):
        assert f'name="{name}" value="{part}"' in html
    assert f"Showing changes since {default:%-d %B %Y} (four weeks ago" in page_text(response)
    changes = section_text(response, "rag-changes")
    assert changes.startswith("RAG status changes (1)")
    assert "Diversion, action 1 Amber to Green" in changes


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"since_0": "32", "since_1": "1", "since_2": "2021"}, "must be a real date"),
        ({"since_0": "1", "since_1": "", "since_2": "2021"}, "must include a month"),
        ({"since_0": "x", "since_1": "1", "since_2": "2021"}, "the day is not a number"),
        ({"since_0": "1", "since_1": "1", "since_2": "21"}, "the year must include 4 numbers"),
        ({"since": "last-tuesday"}, "must be a real date"),
        ({"since": (TODAY + datetime.timedelta(days=1)).isoformat()}, "today or in the past"),
    ],
)
@pytest.mark.parametrize("page", ["since", "pack", "board-since", "board-pack"])
def test_an_invalid_date_gets_a_govuk_error_not_a_500(client, world, page, query, message):
    response = get(client, world.chair, url(page, world), query)

    html = response.content.decode()
    assert "<title>Error: " in html
    assert 'class="govuk-error-summary"' in html
    summary = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', html, re.S)
    assert message in summary.group(1) and 'href="#id_since_0"' in summary.group(1)
    assert "govuk-error-message" in html  # beside the date too
    assert "RAG status changes" not in html and "Exceptions" not in html
    assert response.context["since"] is None


def test_an_invalid_date_for_the_document_goes_to_the_page_that_explains(client, world):
    response = get(
        client, world.chair, url("pack-docx", world), {"since_0": "32", "since_1": "1"}, status=302
    )
    assert response.url == url("pack", world) + "?since_0=32&since_1=1"


# ---- indicators ----------------------------------------------------------------------------


def measured(indicator, *values):
    """`indicator` with `values` for the years 2016/17, 2017/18, ..., each at its year's end."""
    for n, value in enumerate(values):
        IndicatorValueFactory(
            indicator=indicator,
            date=datetime.date(2017 + n, 3, 31),
            period=f"{2016 + n}/{17 + n}",
            value=value,
        )
    return indicator


def indicator_world(plan):
    """Indicators with known statuses by RULE_TEXT."""
    amber = IndicatorFactory(
        plan=plan,
        description="Reduce knife crime with injury",
        direction="reduce",
        baseline=130,
        baseline_label="2016/17 Outturn",
        target=100,
        target_label="2017/18 Target",
        order=1,
    )
    green = IndicatorFactory(
        plan=plan,
        description="Increase hate crime reports",
        direction="increase",
        target=50,
        order=2,
    )
    red = IndicatorFactory(
        plan=plan, description="Reduce repeat victims", direction="reduce", target=10, order=3
    )
    unrated = IndicatorFactory(
        plan=plan,
        description="Reduce ambulance call-outs",
        direction="reduce",
        target_text="Reduce",
        order=4,
    )
    return measured(amber, 125, 118), measured(green, 40, 48), measured(red, 14, 15), unrated


def card(response, indicator) -> str:
    html = response.content.decode()
    match = re.search(
        rf'<div class="govuk-summary-card" id="indicator-{indicator.pk}">.*?</dl>', html, re.S
    )
    assert match, f"no card for {indicator}"
    return match.group(0)


def test_the_indicators_page_states_the_rule_and_rates_each_indicator(client, world):
    amber, green, red, unrated = indicator_world(world.plan)

    response = get(client, world.chair, url("indicators", world))

    assert escape(RULE_TEXT) in response.content.decode()
    expected = {
        amber: (
            "Amber",
            "The latest value, 118 (2017/18), is 18% above the target of 100, but better than "
            "the previous value, 125 (2016/17).",
        ),
        green: (
            "Green",
            "The latest value, 48 (2017/18), is 4% below the target of 50: within 10%.",
        ),
        red: (
            "Red",
            "The latest value, 15 (2017/18), is 50% above the target of 10, and no better than "
            "the previous value, 14 (2016/17).",
        ),
        unrated: (
            "Not rated",
            "Not rated: no values have been recorded, and there is no numeric target (it is "
            'written as "Reduce").',
        ),
    }
    for indicator, (label, reason) in expected.items():
        html = card(response, indicator)
        assert re.search(rf'class="govuk-tag app-rag app-rag--[a-z-]+">{label}</strong>', html)
        assert escape(reason) in html, (label, html)
    amber_card = card(response, amber)
    assert "2016/17 Outturn: 130" in amber_card
    assert "2017/18 Target: 100" in amber_card
    assert "118 (2017/18)" in amber_card and "Reduce: lower is better" in amber_card
    # The trend line is drawn for sight only; its numbers are in the table beside it.
    assert 'aria-hidden="true"' in amber_card and "<polyline" in amber_card
    numbers = re.findall(
        r'<th scope="row" class="govuk-table__header">([^<]+)</th>\s*'
        r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]+)</td>',
        amber_card,
    )
    assert numbers == [("2016/17", "125"), ("2017/18", "118")]
    assert "No values yet" in card(response, unrated)
    assert "As written: “Reduce”" in card(response, unrated)


@pytest.mark.parametrize("count", [2, 20])
def test_the_indicators_page_takes_the_same_queries_however_many(
    client, world, count, django_assert_num_queries
):
    for n in range(count):
        indicator = IndicatorFactory(plan=world.plan, target=10)
        for year in range(5):
            IndicatorValueFactory(
                indicator=indicator, date=datetime.date(2015 + year, 3, 31), value=n + year
            )
    client.force_login(world.chair)
    with django_assert_num_queries(INDICATOR_QUERIES):
        response = client.get(url("indicators", world))
    assert len(response.context["rows"]) == count


# The session, user, person and the person's boards; the plan, and its themes' ids (a chair
# of its board sees all of it: reporting.scopes.plan_scope); the indicators and their
# values; the history of the indicators and of their values (two more since the page shows
# each one's changes).
INDICATOR_QUERIES = 11


# ---- the pack ----------------------------------------------------------------------------


def docx_of(response):
    assert response["Content-Type"] == CONTENT_TYPE
    return docx.Document(io.BytesIO(response.content))


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def table_words(document) -> str:
    return " ".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )


def html_headings(response, tag: str) -> list[str]:
    html = response.content.decode()
    pack = html[html.index('<div class="app-pack">') : html.index("</main>")]
    return [
        " ".join(unescape(strip_tags(h)).split())
        for h in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", pack, re.S)
    ]


def test_the_pack_page_and_document_say_the_same(client, world):
    ProgressUpdateFactory(action=world.a2, date=TODAY, text="Terms of reference agreed")
    query = {"since": SINCE.isoformat(), "contents": "everything"}
    response = get(client, world.chair, url("pack", world, **query))
    download = get(client, world.chair, url("pack-docx", world, **query))
    document = docx_of(download)

    assert (
        html_headings(response, "h2")
        == headings(document, 1)
        == [
            "Summary",
            "Exceptions",
            f"Changes since {SINCE:%-d %B %Y}",
            "All actions, theme by theme",
        ]
    )
    assert html_headings(response, "h3") == headings(document, 2)
    assert headings(document, 2)[-3:] == ["Governance", "Diversion", "Diversion: Schools"]
    assert "Red (2)" in headings(document, 2) and "Overdue (2)" in headings(document, 2)
    # Tables: the same number, each with the same number of rows (plus the headings row).
    html = response.content.decode()
    html_rows = [
        len(re.findall(r"<tr[ >]", table))
        for table in re.findall(
            r"<table class=\"govuk-table govuk-table--small.*?</table>", html, re.S
        )
    ]
    assert html_rows == [len(table.rows) for table in document.tables]
    words = table_words(document)
    assert "Terms of reference agreed" in words and "Youth outreach" in words
    assert "Red" in words and "Not rated" in words  # the RAG as a word in each row


def test_the_pack_holds_the_exceptions_unless_everything_is_chosen(client, world):
    short = get(client, world.chair, url("pack", world))
    download = docx_of(get(client, world.chair, url("pack-docx", world)))
    everything = get(client, world.chair, url("pack", world, contents="everything"))

    assert (
        html_headings(short, "h2")
        == headings(download, 1)
        == [
            "Summary",
            "Exceptions",
            f"Changes since {default_since(TODAY):%-d %B %Y}",
        ]
    )
    assert html_headings(everything, "h2")[-1] == "All actions, theme by theme"
    assert short.context["pack"].everything is False
    assert everything.context["pack"].everything is True
    # The choice is on the page, and the document's link carries it.
    radios = re.findall(r'<input\s+type="radio"\s+name="contents"[^>]*>', short.content.decode())
    assert [("checked" in radio, 'value="exceptions"' in radio) for radio in radios] == [
        (True, True),
        (False, False),
    ]
    assert "contents=everything" in everything.context["docx_url"]
    wrong = get(client, world.chair, url("pack", world, contents="some"))
    assert "Choose what to include" in wrong.content.decode()
    assert "Correct the date or the choice of what to include" in wrong.content.decode()
    assert "pack" not in wrong.context


def test_each_action_is_shown_in_full_once_and_named_by_theme_and_number_after(client, world):
    response = get(client, world.chair, url("pack", world, contents="everything"))
    html = response.content.decode()

    # a1 is red and overdue: in full under Red, and named in the overdue list and its theme.
    for action in (world.a1, world.a2, world.b1, world.bx2, world.c1):
        assert html.count(f'id="action-{action.pk}"') == 1
        assert page_text(response).count(action.text) == 1
    overdue = section_text(response, "overdue")
    assert world.a1.text not in overdue
    assert "Governance 1 Red" in " ".join(overdue.split())
    assert f'href="#action-{world.a1.pk}"' in html
    document = docx_of(get(client, world.chair, url("pack-docx", world, contents="everything")))
    assert table_words(document).count(world.a1.text) == 1


def test_the_pack_lists_exceptions_with_their_lead_and_latest_update(client, world):
    ProgressUpdateFactory(
        action=world.b1, date=TODAY, text="Meets every morning at 9", rag=RAG.AMBER
    )
    response = get(client, world.chair, url("pack", world))

    pack = response.context["pack"]
    assert pack.counts == {"red": 2, "amber": 1, "green": 1, "complete": 1, "not_rated": 1}
    assert pack.total == 6
    amber = section_text(response, "amber")
    assert amber.startswith("Amber (1)")
    # Led by two organisations and no one by name.
    assert "Diversion 1 Youth outreach TBC, TPS" in amber
    assert f"{TODAY:%-d %b %Y} Meets every morning at 9" in amber
    overdue = section_text(response, "overdue")
    assert overdue.startswith("Overdue (2)")
    # Red as well: in full under Red, named here by theme and number.
    assert "Governance 1 Red" in overdue and "Daily violence meeting" not in overdue
    red = section_text(response, "red")
    assert f"Daily violence meeting Pat Example TPS {days_ago(10):%-d %b %Y}" in red
    stale = section_text(response, "stale")
    # Never updated (bx2) or not for 100 days (a2) is stale; b1, updated today, is not.
    assert stale.startswith("Not updated recently (2)")
    assert "Youth outreach" not in stale
    themes = section_text(response, "summary-themes")
    assert "Governance 1 0 1 0 0 2" in themes
    assert "Diversion 1 1 0 1 1 4" in themes  # with its sub-theme's actions
    assert "Diversion: Schools 1 0 0 1 1 3" in themes


def test_the_pack_shows_where_red_and_amber_actions_came_from(client, world):
    edit(world.a2, world.superuser, rag=RAG.RED)  # was green
    backdate(10)

    page = section_text(get(client, world.chair, url("pack", world)), "red")
    document = docx_of(get(client, world.chair, url("pack-docx", world)))

    words = f"Worse: was Green until {days_ago(10):%-d %b %Y}"
    assert words in page
    assert words in table_words(document)


def test_the_document_is_an_attachment_named_after_the_scope(client, world):
    plan_file = get(client, world.chair, url("pack-docx", world))
    board_file = get(client, world.chair, url("board-pack-docx", world))

    assert plan_file["Content-Disposition"] == (
        f'attachment; filename="{world.plan.slug}-pack-{TODAY.isoformat()}.docx"'
    )
    assert board_file["Content-Disposition"] == (
        f'attachment; filename="csp-board-pack-{TODAY.isoformat()}.docx"'
    )
    document = docx_of(board_file)
    assert document.paragraphs[0].text == world.board.name
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


# ---- restricted actions --------------------------------------------------------------------


@pytest.mark.parametrize("scope", ["", "board-"])
def test_restricted_actions_never_reach_someone_who_may_not_see_them(client, world, scope):
    backdate()
    action_update(
        action=world.bx2,
        user=world.superuser,
        expected_version=action_version(world.bx2),
        rag=RAG.AMBER,
    )
    ProgressUpdateFactory(action=world.bx2, date=TODAY, text="Secret progress")
    query = {"since": SINCE.isoformat()}
    # The plan's actions but bx2, and b1 amber; the board's add m1, amber, which its
    # subgroup monitors in the other plan.
    seen, amber = (5, 1) if scope == "" else (6, 2)

    for user in (world.officer, world.analyst):
        pack = get(client, user, url(f"{scope}pack", world, **query))
        since = get(client, user, url(f"{scope}since", world, **query))
        document = get(client, user, url(f"{scope}pack-docx", world, **query))
        for response in (pack, since):
            assert response.status_code == 200
            html = response.content.decode()
            assert SECRET not in html and "Secret progress" not in html
            assert f'href="/actions/{world.bx2.pk}/"' not in html
        assert pack.context["pack"].total == seen
        assert pack.context["pack"].counts["amber"] == amber
        assert f"All {seen} actions" in page_text(pack)
        assert section_text(since, "rag-changes").startswith("RAG status changes (0)")
        assert section_text(since, "updates").startswith("Updates received (0)")
        words = table_words(docx_of(document))
        assert SECRET not in words and "Secret progress" not in words
        assert f"Amber ({amber})" in headings(docx_of(document), 2)

    for user in (world.chair, world.superuser):
        pack = get(client, user, url(f"{scope}pack", world, **query))
        since = get(client, user, url(f"{scope}since", world, **query))
        document = get(client, user, url(f"{scope}pack-docx", world, **query))
        assert SECRET in pack.content.decode()
        # The since page names the action (its theme and number) and links to it.
        assert f'href="/actions/{world.bx2.pk}/"' in since.content.decode()
        assert pack.context["pack"].total == seen + 1
        assert pack.context["pack"].counts["amber"] == amber + 1
        assert section_text(since, "rag-changes").startswith("RAG status changes (1)")
        assert "Secret progress" in section_text(since, "updates")
        assert SECRET in table_words(docx_of(document))
        assert f"Amber ({amber + 1})" in headings(docx_of(document), 2)


# ---- who may open what ----------------------------------------------------------------------

PAGES = [
    "since",
    "indicators",
    "pack",
    "pack-docx",
    "board-since",
    "board-pack",
    "board-pack-docx",
]


@pytest.mark.parametrize("page", PAGES)
def test_every_role_that_may_see_the_scope_gets_the_page(client, world, page):
    for user in (world.officer, world.chair, world.analyst, world.superuser):
        get(client, user, url(page, world))


@pytest.mark.parametrize("page", PAGES)
def test_a_scope_the_user_may_not_see_is_not_found(client, world, page):
    # The chair of the board beside it, and an officer of another partnership.
    for outsider in (world.other_chair, world.far_officer):
        get(client, outsider, url(page, world), status=404)


@pytest.mark.parametrize("page", PAGES)
def test_signed_out_people_are_sent_to_sign_in(client, world, page):
    response = client.get(url(page, world))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("page", ["since", "pack", "pack-docx", "board-pack"])
def test_the_pages_only_answer_get(client, world, page):
    client.force_login(world.chair)
    assert client.post(url(page, world)).status_code == 405


def test_the_plan_page_links_to_the_meeting_pages(client, world):
    response = get(client, world.officer, reverse("actions:plan-detail", args=[world.plan.slug]))
    html = response.content.decode()
    for page in ("since", "indicators", "pack"):
        assert f'href="{url(page, world)}"' in html


# ---- query counts ------------------------------------------------------------------------


def grow(world: World, size: int) -> None:
    """`size` more actions in each theme, led by people and organisations, each with an
    update and a RAG change before the window and another inside it, and some new."""
    people = PersonFactory.create_batch(3)
    organisations = OrganisationFactory.create_batch(2)
    actions = []
    for theme in (world.governance, world.diversion):
        for n in range(size):
            action = ActionFactory(theme=theme, rag=RAG.GREEN, end_date=datetime.date(2021, 3, 1))
            action.lead_people.set(people[: n % 3 + 1])
            action.lead_organisations.set(organisations)
            actions.append(action)
    for action in actions:
        edit(action, world.superuser, rag=RAG.AMBER)
        ProgressUpdateFactory(action=action, text="Earlier", created_by=world.officer)
    backdate()
    for action in actions:
        edit(action, world.superuser, rag=RAG.RED)
        ProgressUpdateFactory(action=action, text="Later", author=people[0])
    ActionFactory.create_batch(size, theme=world.diversion)


# The since page's queries, pinned: the session, user, person and the person's boards (for
# a plan, its themes' ids; for a board, the board and its subgroups, and its plans' and
# themes' ids) of the signed-in
# request, the five queries of reporting.since, one for the themes' names, and three for the
# highest protective marking of what the page holds (reporting.scopes.scope_marking: its
# actions, themes and plans).
SINCE_QUERIES = {"since": 16, "board-since": 18}


def queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("page", list(SINCE_QUERIES))
@pytest.mark.parametrize("size", [3, 30])
def test_the_since_page_takes_the_same_queries_however_many_actions(
    client, world, size, page, django_assert_num_queries
):
    grow(world, size)
    client.force_login(world.chair)
    with django_assert_num_queries(SINCE_QUERIES[page]):
        response = client.get(url(page, world, since=SINCE.isoformat()))
    assert len(response.context["changes"].rag_changes) == 2 * size


@pytest.mark.parametrize(
    "page", ["pack", "board-pack", "pack-docx", "board-pack-docx", "since", "board-since"]
)
def test_the_pages_take_the_same_queries_for_ten_times_the_actions(client, world, page):
    """Compared between sizes rather than pinned: the pack's count is the dashboard's
    (reporting.dashboards, whose own tests pin it) plus its own."""
    client.force_login(world.chair)
    path = url(page, world, since=SINCE.isoformat())
    grow(world, 3)
    small = queries_for(client, path)
    grow(world, 27)  # 30 a theme
    assert queries_for(client, path) == small
    if page == "pack":
        assert client.get(path).context["pack"].total == 6 + 3 * 30


# ---- every seed plan ----------------------------------------------------------------------


SEED_PLANS = [
    "bd-vru-2021-22",
    "havering-csp-2017-20",
    "havering-sgv-2019-22",
    "havering-vru-knife-crime",
]


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("slug", SEED_PLANS)
def test_the_pack_renders_for_every_seed_plan(client, slug):
    administrator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(administrator)
    plan = Plan.objects.get(slug=slug)
    actions = Action.objects.filter(theme__plan=plan)
    themes = plan.themes.filter(actions__isnull=False).distinct()

    everything = "?contents=everything"
    response = client.get(reverse("reporting:plan-pack", args=[slug]) + everything)
    download = client.get(reverse("reporting:plan-pack-docx", args=[slug]) + everything)

    assert response.status_code == 200 and download.status_code == 200
    pack = response.context["pack"]
    assert pack.total == actions.count()
    assert sum(pack.counts.values()) == actions.count()
    assert f"All {actions.count()} actions" in page_text(response)
    document = docx_of(download)
    assert document.paragraphs[0].text == plan.title
    assert headings(document, 1)[0] == "Summary" and headings(document, 1)[-1] == (
        "All actions, theme by theme"
    )
    # A heading for every theme with actions, and every action's words, once.
    assert len(headings(document, 2)) >= themes.count()
    words = " ".join(table_words(document).split())
    html = page_text(response)
    for action in actions:
        text = " ".join(action.text.split())
        same = sum(" ".join(other.text.split()) == text for other in actions)
        assert words.count(text) == html.count(text) == same
    assert "Not rated" in words
