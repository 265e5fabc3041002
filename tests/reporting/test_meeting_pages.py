"""The pages before a meeting: since the last meeting, a plan's indicators, and the
pre-meeting pack as a page and as a Word document.

Changes are made the three ways people make them (the update form through the test client,
the Django admin, and a workbook import through the import pages), after everything made
before is moved 60 days back (`backdate`), and the pages are asked for changes since 30 days
ago, so which side of the date each change falls is certain.
"""

import datetime
import io
import re
from html import unescape

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, strip_tags

from actions.models import Action, Plan
from actions.rag import RAG
from actions.services import BROWSER_REASON, action_update, action_version
from boards.models import Role
from reporting.indicator_status import RULE_TEXT
from reporting.pack_docx import CONTENT_TYPE
from reporting.since import default_since
from tests.factories import (
    ActionFactory,
    BoardFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    UserFactory,
    user_in_role,
)
from tests.reporting.test_since import add_row, admin_change, backdate, edit
from tests.workbooks.workbooks import Sheet, export
from workbooks.services import IMPORT_REASON

pytestmark = pytest.mark.django_db

SECRET = "Covert test purchase operation"
TODAY = timezone.localdate()
SINCE = TODAY - datetime.timedelta(days=30)


# ---- the world ---------------------------------------------------------------------------


class World:
    """A partnership's plan owned by its board: two themes, an officer who leads two
    actions, the board's chair, an analyst, an administrator, and a chair of another
    partnership's board who may see none of it. One action is restricted: the officer and
    the analyst may not see it; the chair (on the owning board) and the administrator may."""

    def __init__(self):
        self.partnership = PartnershipFactory()
        self.board = BoardFactory(partnership=self.partnership, slug="csp-board")
        self.plan = PlanFactory(
            partnership=self.partnership, board=self.board, title="Test VRU plan 2021/22"
        )
        self.governance = ThemeFactory(plan=self.plan, name="GOVERNANCE", order=1)
        self.diversion = ThemeFactory(plan=self.plan, name="POSITIVE DIVERSION", order=2)
        council = OrganisationFactory(name="Test Council", short_name="TC")
        self.officer = user_in_role(
            Role.OFFICER, partnerships=[self.partnership], organisation=council, name="Olu Officer"
        )
        self.chair = user_in_role(Role.CHAIR, boards=[self.board], name="Cath Chair")
        self.analyst = user_in_role(Role.ANALYST, partnerships=[self.partnership])
        self.admin = UserFactory(
            is_staff=True, is_superuser=True, first_name="Ada", last_name="Administrator"
        )
        self.outsider = user_in_role(Role.CHAIR, boards=[BoardFactory()])

        self.one = ActionFactory(
            theme=self.governance, ref="1", text="Co-ordination arrangements", rag=RAG.GREEN
        )
        self.two = ActionFactory(
            theme=self.governance, ref="2", text="Daily violence meeting", rag=RAG.AMBER
        )
        self.three = ActionFactory(
            theme=self.diversion,
            ref="1",
            text="Mentoring for young people",
            end_date=datetime.date(2021, 3, 31),  # overdue
        )
        self.secret = ActionFactory(
            theme=self.diversion,
            ref="2",
            text=SECRET,
            rag=RAG.RED,
            restricted=True,
            end_date=datetime.date(2021, 3, 31),
        )
        for action in (self.one, self.two):
            action.lead_people.add(self.officer.person)
        self.three.lead_organisations.add(council)

    @property
    def slug(self):
        return self.plan.slug


@pytest.fixture
def world():
    return World()


def url(name: str, world: World, **query) -> str:
    """The page `name` (since, pack, pack-docx, indicators) of the world's plan, or of its
    board with `board-` in front."""
    if name.startswith("board-"):
        path = reverse(f"reporting:{name}", args=[world.board.pk])
    else:
        path = reverse(f"reporting:plan-{name}", args=[world.slug])
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return path


def get(client, user, path, **data):
    client.force_login(user)
    return client.get(path, data)


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


def update_form(action: Action, **changes) -> dict:
    """What the update form sends when its user changes nothing but `changes`."""
    action.refresh_from_db()
    data = {
        "update_date_0": str(TODAY.day),
        "update_date_1": str(TODAY.month),
        "update_date_2": str(TODAY.year),
        "update_text": "",
        "update_rag": action.rag,
        "rag": action.rag,
        "progress": action.progress,
        "comment": action.comment,
        "version": action_version(action),
    }
    for name in ("start_date", "end_date"):
        value = getattr(action, name)
        for index, part in enumerate((value.day, value.month, value.year) if value else ()):
            data[f"{name}_{index}"] = str(part)
    data.update(changes)
    return data


def post_update(client, user, action, **changes):
    client.force_login(user)
    response = client.post(
        reverse("actions:action-update", args=[action.pk]), update_form(action, **changes)
    )
    assert response.status_code == 302, response.content.decode()[:3000]


# ---- since the last meeting ------------------------------------------------------------------


def test_changes_made_on_the_update_form_show_with_who_when_and_why(client, world):
    post_update(client, world.officer, world.one, rag=RAG.AMBER, update_rag=RAG.AMBER)
    backdate()
    post_update(
        client,
        world.officer,
        world.one,
        update_text="Partners met on 3 November",
        update_rag=RAG.RED,
    )
    post_update(client, world.officer, world.two, rag=RAG.COMPLETE)

    response = get(client, world.chair, url("since", world, since=SINCE.isoformat()))

    assert response.status_code == 200
    assert response.context["since"] == SINCE
    assert "RAG status changes (2)" in section_text(response, "rag-changes")
    assert "GOVERNANCE, action 1 Amber to Red Olu Officer" in section_text(response, "rag-changes")
    assert "GOVERNANCE, action 2 Amber to Complete Olu Officer" in section_text(
        response, "rag-changes"
    )
    assert section_text(response, "rag-changes").count(BROWSER_REASON) == 2
    completed = section_text(response, "completed")
    assert completed.startswith("Completed actions (1)")
    assert "GOVERNANCE, action 2 Daily violence meeting" in completed
    updates = section_text(response, "updates")
    assert updates.startswith("Updates received (1)")
    assert "GOVERNANCE, action 1" in updates and "Partners met on 3 November" in updates
    assert "Olu Officer Red" in updates  # the author and the status the update set
    silent = section_text(response, "not-updated")
    # Not complete and no update: action 1 had one, 2 is complete.
    assert silent.startswith("No update since (2)")
    assert "POSITIVE DIVERSION, action 1 Mentoring for young people" in silent
    assert SECRET in silent  # the chair may see the restricted action
    assert "New actions (0)" in page_text(response)
    # Each action links to its page.
    assert f'href="/actions/{world.one.pk}/"' in response.content.decode()


def test_changes_made_in_the_admin_show(client, world):
    client.force_login(world.admin)
    admin_change(client, world.one, rag=RAG.AMBER)  # before the window
    backdate()
    admin_change(client, world.one, rag=RAG.RED)
    admin_change(
        client,
        world.three,
        **{
            "updates-TOTAL_FORMS": "1",
            "updates-0-date": "2021-11-01",
            "updates-0-period": "November 2021",
            "updates-0-rag": "",
            "updates-0-text": "Provider chosen",
        },
    )

    response = get(client, world.chair, url("since", world, since=SINCE.isoformat()))

    changes = section_text(response, "rag-changes")
    assert changes.startswith("RAG status changes (1)")
    assert "GOVERNANCE, action 1 Amber to Red Ada Administrator" in changes
    updates = section_text(response, "updates")
    assert updates.startswith("Updates received (1)")
    assert "POSITIVE DIVERSION, action 1 " in updates
    assert "November 2021" in updates and "Provider chosen" in updates
    assert "No change" in updates  # the update set no status


def test_changes_and_new_actions_from_an_import_show(client, world):
    world.secret.delete()  # an officer-free plan to export: the admin imports it
    backdate()
    sheet = Sheet(export(world.plan))
    sheet.set(sheet.row_of("Co-ordination"), "Risk RAG status", "Complete")
    sheet.set(sheet.row_of("Daily violence"), "Risk RAG status", "Red")
    add_row(sheet, "GOVERNANCE", 3, "Weapons sweeps in parks", "Amber")
    client.force_login(world.admin)
    preview = client.post(
        reverse("workbooks:plan-import", args=[world.slug]),
        {
            "file": SimpleUploadedFile("plan.xlsx", sheet.save()),
            "layout": "vru",
        },
    )
    assert preview.status_code == 200 and preview.context["kept"], preview.content[:2000]
    done = client.post(
        reverse("workbooks:plan-import-confirm", args=[world.slug]),
        {"token": preview.context["kept"].token},
    )
    assert done.status_code == 302

    response = get(client, world.chair, url("since", world, since=SINCE.isoformat()))

    changes = section_text(response, "rag-changes")
    assert changes.startswith("RAG status changes (2)")
    assert "GOVERNANCE, action 1 Green to Complete Ada Administrator" in changes
    assert "GOVERNANCE, action 2 Amber to Red Ada Administrator" in changes
    assert changes.count(IMPORT_REASON) == 2
    new = section_text(response, "new-actions")
    assert new.startswith("New actions (1)")
    assert "GOVERNANCE, action 3 Weapons sweeps in parks Amber" in new
    completed = section_text(response, "completed")
    assert completed.startswith("Completed actions (1)")
    assert "Co-ordination arrangements" in completed


def test_the_default_date_is_four_weeks_ago(client, world):
    officer = world.officer
    action_update(
        action=world.one, user=officer, expected_version=action_version(world.one), rag=RAG.RED
    )
    backdate(days=29)  # just before four weeks ago
    action_update(
        action=world.two,
        user=officer,
        expected_version=action_version(world.two),
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
    assert "GOVERNANCE, action 2 Amber to Green" in changes


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
    response = get(client, world.chair, url(page, world), **query)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert 'class="govuk-error-summary"' in html
    summary = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', html, re.S)
    assert message in summary.group(1) and 'href="#id_since_0"' in summary.group(1)
    assert "govuk-error-message" in html  # beside the date too
    assert "RAG status changes" not in html and "Exceptions" not in html
    assert response.context["since"] is None


def test_an_invalid_date_for_the_document_goes_to_the_page_that_explains(client, world):
    response = get(client, world.chair, url("pack-docx", world), since_0="32", since_1="1")
    assert response.status_code == 302
    assert response.url == url("pack", world) + "?since_0=32&since_1=1"


# ---- indicators ----------------------------------------------------------------------------


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
    IndicatorValueFactory(
        indicator=amber, date=datetime.date(2017, 3, 31), period="2016/17", value=125
    )
    IndicatorValueFactory(
        indicator=amber, date=datetime.date(2018, 3, 31), period="2017/18", value=118
    )
    green = IndicatorFactory(
        plan=plan,
        description="Increase hate crime reports",
        direction="increase",
        target=50,
        order=2,
    )
    IndicatorValueFactory(
        indicator=green, date=datetime.date(2017, 3, 31), period="2016/17", value=40
    )
    IndicatorValueFactory(
        indicator=green, date=datetime.date(2018, 3, 31), period="2017/18", value=48
    )
    red = IndicatorFactory(
        plan=plan, description="Reduce repeat victims", direction="reduce", target=10, order=3
    )
    IndicatorValueFactory(
        indicator=red, date=datetime.date(2017, 3, 31), period="2016/17", value=14
    )
    IndicatorValueFactory(
        indicator=red, date=datetime.date(2018, 3, 31), period="2017/18", value=15
    )
    unrated = IndicatorFactory(
        plan=plan,
        description="Reduce ambulance call-outs",
        direction="reduce",
        target_text="Reduce",
        order=4,
    )
    return amber, green, red, unrated


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

    assert response.status_code == 200
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


# The session, user, person and the person's boards; the plan (with the subqueries that
# decide whether the chair may see it); the indicators and their values.
INDICATOR_QUERIES = 8


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
    ProgressUpdateFactory(action=world.one, date=TODAY, text="Terms of reference agreed")
    response = get(client, world.chair, url("pack", world, since=SINCE.isoformat()))
    download = get(client, world.chair, url("pack-docx", world, since=SINCE.isoformat()))
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
    assert headings(document, 2)[-2:] == ["GOVERNANCE", "POSITIVE DIVERSION"]
    assert "Red (1)" in headings(document, 2) and "Overdue (2)" in headings(document, 2)
    # Tables: the same number, each with the same number of rows (plus the headings row).
    html = response.content.decode()
    html_rows = [
        len(re.findall(r"<tr ", table))
        for table in re.findall(
            r"<table class=\"govuk-table govuk-table--small.*?</table>", html, re.S
        )
    ]
    assert html_rows == [len(table.rows) for table in document.tables]
    # Each theme starts a new page in both.
    theme_headings = [
        p for p in document.paragraphs if p.text in ("GOVERNANCE", "POSITIVE DIVERSION")
    ]
    assert all(p.paragraph_format.page_break_before for p in theme_headings)
    assert html.count("app-pack__section--break") == 2
    words = table_words(document)
    assert "Terms of reference agreed" in words and "Mentoring for young people" in words
    assert "Red" in words and "Not rated" in words  # the RAG as a word in each row


def test_the_pack_lists_exceptions_with_their_lead_and_latest_update(client, world):
    ProgressUpdateFactory(
        action=world.two, date=TODAY, text="Meets every morning at 9", rag=RAG.AMBER
    )
    response = get(client, world.chair, url("pack", world))

    pack = response.context["pack"]
    assert pack.counts == {"red": 1, "amber": 1, "green": 1, "complete": 0, "not_rated": 1}
    assert pack.total == 4
    amber = section_text(response, "amber")
    assert amber.startswith("Amber (1)")
    assert "GOVERNANCE, action 2 Daily violence meeting Olu Officer" in amber
    assert f"{TODAY:%-d %b %Y} Meets every morning at 9" in amber
    overdue = section_text(response, "overdue")
    assert overdue.startswith("Overdue (2)")
    assert "Mentoring for young people TC 31 Mar 2021" in overdue
    stale = section_text(response, "stale")
    # Never updated is stale; the action updated today is not.
    assert stale.startswith("Not updated recently (3)")
    assert "Daily violence meeting" not in stale
    themes = section_text(response, "summary-themes")
    assert "GOVERNANCE 0 1 1 0 0 2" in themes
    assert "POSITIVE DIVERSION 1 0 0 0 1 2" in themes


def test_the_document_is_an_attachment_named_after_the_scope(client, world):
    plan_file = get(client, world.chair, url("pack-docx", world))
    board_file = get(client, world.chair, url("board-pack-docx", world))

    assert plan_file["Content-Disposition"] == (
        f'attachment; filename="{world.slug}-pack-{TODAY.isoformat()}.docx"'
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
        action=world.secret,
        user=world.admin,
        expected_version=action_version(world.secret),
        rag=RAG.AMBER,
    )
    ProgressUpdateFactory(action=world.secret, date=TODAY, text="Secret progress")
    query = {"since": SINCE.isoformat()}

    for user in (world.officer, world.analyst):
        pack = get(client, user, url(f"{scope}pack", world, **query))
        since = get(client, user, url(f"{scope}since", world, **query))
        document = get(client, user, url(f"{scope}pack-docx", world, **query))
        for response in (pack, since):
            assert response.status_code == 200
            html = response.content.decode()
            assert SECRET not in html and "Secret progress" not in html
            assert f'href="/actions/{world.secret.pk}/"' not in html
        assert pack.context["pack"].total == 3
        assert pack.context["pack"].counts["amber"] == 1  # action 2 only
        assert "All 3 actions" in page_text(pack)
        assert section_text(since, "rag-changes").startswith("RAG status changes (0)")
        assert section_text(since, "updates").startswith("Updates received (0)")
        words = table_words(docx_of(document))
        assert SECRET not in words and "Secret progress" not in words
        assert "Amber (1)" in headings(docx_of(document), 2)

    for user in (world.chair, world.admin):
        pack = get(client, user, url(f"{scope}pack", world, **query))
        since = get(client, user, url(f"{scope}since", world, **query))
        document = get(client, user, url(f"{scope}pack-docx", world, **query))
        assert SECRET in pack.content.decode()
        # The since page names the action (its theme and number) and links to it.
        assert f'href="/actions/{world.secret.pk}/"' in since.content.decode()
        assert pack.context["pack"].total == 4
        assert pack.context["pack"].counts["amber"] == 2
        assert section_text(since, "rag-changes").startswith("RAG status changes (1)")
        assert "Secret progress" in section_text(since, "updates")
        assert SECRET in table_words(docx_of(document))
        assert "Amber (2)" in headings(docx_of(document), 2)


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
    for user in (world.officer, world.chair, world.analyst, world.admin):
        response = get(client, user, url(page, world))
        assert response.status_code == 200, (page, user)


@pytest.mark.parametrize("page", PAGES)
def test_a_scope_the_user_may_not_see_is_not_found(client, world, page):
    assert get(client, world.outsider, url(page, world)).status_code == 404


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
    response = get(client, world.officer, reverse("actions:plan-detail", args=[world.slug]))
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
        edit(action, world.admin, rag=RAG.AMBER)
        ProgressUpdateFactory(action=action, text="Earlier", created_by=world.officer)
    backdate()
    for action in actions:
        edit(action, world.admin, rag=RAG.RED)
        ProgressUpdateFactory(action=action, text="Later", author=people[0])
    ActionFactory.create_batch(size, theme=world.diversion)


# The since page's queries, pinned: the session, user, person and the person's boards (and
# for a board, the board and its subgroups) of the signed-in request, the five queries of
# reporting.since and one for the themes' names.
SINCE_QUERIES = {"since": 12, "board-since": 13}


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
        assert client.get(path).context["pack"].total == 4 + 3 * 30


# ---- every seed plan ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The real plans, loaded once for the tests that need them and cleared away after."""
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


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

    response = client.get(reverse("reporting:plan-pack", args=[slug]))
    download = client.get(reverse("reporting:plan-pack-docx", args=[slug]))

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
    # A page-broken heading for every theme with actions, and every action's words.
    broken = [p for p in document.paragraphs if p.paragraph_format.page_break_before]
    assert len(broken) == themes.count()
    words = table_words(document)
    html = page_text(response)
    for action in actions:
        text = " ".join(action.text.split())
        assert text in " ".join(words.split())
        assert text in html
    assert "Not rated" in words
