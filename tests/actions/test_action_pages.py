"""The action page and its update form (actions/views/action_pages.py), for every role."""

import datetime
import io
import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Plan, ProgressUpdate
from actions.rag import RAG
from actions.services import action_update, action_version
from boards.models import Role
from tests.factories import (
    ActionFactory,
    OrganisationFactory,
    PersonFactory,
    ProgressUpdateFactory,
    user_in_role,
)
from tests.helpers import OVERDUE_TAG, admin_change, update_form
from tests.workbooks.workbooks import Sheet

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def action(world):
    """Action 1a in the Governance theme of the shared world's plan (tests/conftest.py),
    led by the police's officer by name and by the council as an organisation."""
    action = ActionFactory(
        theme=world.governance,
        ref="1a",
        text="Set out the co-ordination arrangements",
        rag=RAG.AMBER,
        start_date=datetime.date(2021, 4, 1),
        end_date=datetime.date(2022, 3, 31),
        progress="Terms of reference drafted",
        comment="",
    )
    action.lead_people.add(world.officer.person)
    action.lead_organisations.add(world.council)
    return action


@pytest.fixture
def users(world):
    """The world's users by what they are to action 1a, and an officer of an organisation
    that does not lead it."""
    return {
        "named lead": world.officer,
        "organisation lead": world.council_officer,
        "other organisation": user_in_role(
            Role.OFFICER, partnerships=[world.here], organisation=world.charity
        ),
        "other partnership": world.far_officer,
        "chair": world.chair,
        "other board's chair": world.other_chair,
        "analyst": world.analyst,
        "administrator": world.administrator,
        "no person": world.no_person,
    }


# Who may do what: (user, sees the action, may edit it).
ROLES = [
    ("named lead", True, True),
    ("organisation lead", True, True),
    ("other organisation", True, False),
    ("other partnership", False, False),
    ("chair", True, False),
    ("other board's chair", False, False),
    ("analyst", True, True),
    ("administrator", True, True),
    ("no person", False, False),
    ("anonymous", False, False),
]


def sign_in(client, users, who):
    if who != "anonymous":
        client.force_login(users[who])


def detail_url(action, **query):
    return _with_query(reverse("actions:action-detail", args=[action.pk]), query)


def update_url(action, **query):
    return _with_query(reverse("actions:action-update", args=[action.pk]), query)


def _with_query(url, query):
    return f"{url}?{urlencode(query)}" if query else url


def snapshot(action):
    """Everything a refused POST must leave as it was."""
    action.refresh_from_db()
    return {
        "action": model_to_dict(action),
        "actions": Action.objects.count(),
        "updates": ProgressUpdate.objects.count(),
        "action history": Action.history.count(),
        "update history": ProgressUpdate.history.count(),
    }


def text_of(response) -> str:
    """The page's visible words, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", unescape(text))


# ---- who may see and do what ---------------------------------------------------------------


@pytest.mark.parametrize(("who", "sees", "edits"), ROLES)
def test_action_page_by_role(client, action, users, who, sees, edits):
    sign_in(client, users, who)

    response = client.get(detail_url(action))

    if who == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        return
    assert response.status_code == (200 if sees else 404)
    if sees:
        assert "Set out the co-ordination arrangements" in text_of(response)
        assert ("Update this action" in text_of(response)) is edits
    else:
        assert "co-ordination" not in response.content.decode()


@pytest.mark.parametrize(("who", "sees", "edits"), ROLES)
def test_update_form_by_role(client, action, users, who, sees, edits):
    sign_in(client, users, who)

    response = client.get(update_url(action))

    if who == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        return
    assert response.status_code == (200 if edits else 403 if sees else 404)
    if edits:
        assert "Add a progress update" in text_of(response)


@pytest.mark.parametrize(("who", "sees", "edits"), ROLES)
def test_posting_an_update_by_role(client, action, users, who, sees, edits):
    sign_in(client, users, who)
    before = snapshot(action)
    data = update_form(
        action, update_text="Board agreed the arrangements", rag=RAG.GREEN, comment="Done"
    )

    response = client.post(update_url(action), data)

    if edits:
        assert response.status_code == 302
        action.refresh_from_db()
        assert action.rag == RAG.GREEN
        assert action.comment == "Done"
        update = action.updates.get()
        assert update.text == "Board agreed the arrangements"
        assert update.created_by == users[who]
        return
    if who == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == (403 if sees else 404)
    assert snapshot(action) == before


def test_an_officer_cannot_edit_another_organisations_action_by_posting_to_its_url(
    client, world, action
):
    theirs = ActionFactory(theme=action.theme, rag=RAG.RED, progress="As it was")
    theirs.lead_organisations.add(OrganisationFactory())
    client.force_login(world.officer)
    before = snapshot(theirs)

    response = client.post(
        update_url(theirs),
        update_form(theirs, update_text="Not mine to write", rag=RAG.GREEN, progress="Overwritten"),
    )

    assert response.status_code == 403
    assert snapshot(theirs) == before
    theirs.refresh_from_db()
    assert (theirs.rag, theirs.progress) == (RAG.RED, "As it was")


def test_the_pages_take_get_and_post_only(client, world, action):
    client.force_login(world.officer)
    assert client.post(detail_url(action)).status_code == 405
    assert client.put(update_url(action)).status_code == 405


# ---- the action page -----------------------------------------------------------------------


def test_the_action_page_shows_every_field(client, world, action):
    Action.objects.filter(pk=action.pk).update(
        outcomes="Fewer knife injuries",
        resources="Within existing resources",
        timescale="Started April 2019 - 2022",
        start_text="April 2019",
        end_text="Ongoing",
        leads="DCI Smith / Head of Community Safety",
        lead_organisations_text="LBBD Community Safety",
        supporting_organisations_text="MPS, Probation",
        responsible_service="Community Solutions",
        responsible_team="Community Safety team",
        comment="Reported to the board in March",
        document_references="Appendix 3",
        origin=Action.Origin.VRU_MANDATED,
        monitoring_board=world.subgroup,
    )
    action.supporting_organisations.add(world.police)
    named = world.officer.person
    client.force_login(world.chair)

    page = text_of(client.get(detail_url(action)))

    for shown in [
        "Set out the co-ordination arrangements",
        "Fewer knife injuries",
        "Within existing resources",
        "Started April 2019 - 2022",
        "1 April 2021",
        "As written in the plan: “April 2019”",
        "31 March 2022",
        "As written in the plan: “Ongoing”",
        named.name,
        "As written in the plan: “DCI Smith / Head of Community Safety”",
        "Test borough council",
        "As written in the plan: “LBBD Community Safety”",
        "Test police service (TPS)",
        "As written in the plan: “MPS, Probation”",
        "Community Solutions",
        "Community Safety team",
        "Terms of reference drafted",
        "Reported to the board in March",
        "Appendix 3",
        "VRU mandated action",
        "Test violence subgroup",
        "Amber",
        RAG.AMBER.meaning,
    ]:
        assert shown in page, shown
    assert "Governance, action 1a" in page
    assert "Plans" in page and world.plan.title in page


def test_an_overdue_action_says_so_by_its_status_and_its_end_date(client, world, action):
    # Action 1a ended on 31 March 2022, amber.
    client.force_login(world.officer)
    url = reverse("actions:action-detail", args=[action.pk])
    text = client.get(url).text
    assert text.count(OVERDUE_TAG) == 2
    assert re.search(r'app-rag--amber">Amber</strong>\s*' + re.escape(OVERDUE_TAG), text)
    assert "The end date has passed and the action is not complete." in text
    Action.objects.filter(pk=action.pk).update(rag=RAG.COMPLETE)
    text = client.get(url).text
    assert OVERDUE_TAG not in text
    assert "The end date has passed" not in text


def test_progress_updates_are_shown_newest_first_with_date_author_rag_and_text(
    client, world, action
):
    author = PersonFactory(name="Jo Bloggs")
    ProgressUpdateFactory(
        action=action, date=datetime.date(2021, 9, 1), text="September words", rag=RAG.GREEN
    )
    ProgressUpdateFactory(
        action=action,
        date=datetime.date(2021, 11, 1),
        period="November 2021",
        text="November words",
        rag=RAG.RED,
        author=author,
    )
    ProgressUpdateFactory(action=action, date=datetime.date(2021, 10, 5), text="October words")
    client.force_login(world.officer)

    page = text_of(client.get(detail_url(action)))

    updates = page[page.index("Progress updates") : page.index("Change history")]
    assert updates.index("November words") < updates.index("October words")
    assert updates.index("October words") < updates.index("September words")
    assert "November 2021 By Jo Bloggs, dated 1 November 2021. RAG status set: Red" in updates
    assert "5 October 2021 Author not recorded. RAG status set: none October words" in updates


def history_rows(response) -> list[list[str]]:
    """The change history table's rows, as cell texts."""
    html = response.content.decode()
    start = html.index('aria-label="Change history"')
    table = html[start : html.index("</table>", start)]
    rows = []
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        rows.append([re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in cells])
    return rows[1:]  # without the header row


def test_history_shows_a_change_made_in_the_browser(client, world, action):
    officer = world.officer
    client.force_login(officer)
    client.post(update_url(action), update_form(action, progress="Board agreed the terms"))

    rows = history_rows(client.get(detail_url(action)))

    when, who, what, before, after = rows[0]
    assert who == f"{officer.person.name} Updated in the browser"
    assert (what, before, after) == (
        "Progress",
        "Terms of reference drafted",
        "Board agreed the terms",
    )


def test_history_shows_a_change_made_in_the_admin(client, world, action):
    client.force_login(world.superuser)
    admin_change(
        client,
        action,
        end_date="2023-03-31",
        lead_organisations=[p.pk for p in action.lead_organisations.all()],
    )
    named = world.officer.person.name

    rows = history_rows(client.get(detail_url(action)))

    changes = {row[2]: row for row in rows if row[1] == "Ada Superuser"}
    assert changes["End date"][3:] == ["31 March 2022", "31 March 2023"]
    assert changes["Lead people"][3:] == [named, "(blank)"]


def test_history_shows_a_change_made_by_an_import(client, world, action, tmp_path):
    analyst = world.analyst
    # A VRU workbook has one level of themes: the plan goes out without its sub-theme, so
    # that it comes back as it was but for the change below.
    world.schools.delete()
    path = tmp_path / "plan.xlsx"
    slug = world.plan.slug
    call_command("export_plan", "--plan", slug, "-o", str(path), stdout=io.StringIO())
    sheet = Sheet(path.read_bytes())
    sheet.set(sheet.row_of("co-ordination"), "Risk RAG status", "Red")
    path.write_bytes(sheet.save())
    call_command(
        "import_plan",
        str(path),
        "--layout",
        "vru",
        "--plan",
        slug,
        "--user",
        analyst.username,
        stdout=io.StringIO(),
    )
    client.force_login(world.chair)

    rows = history_rows(client.get(detail_url(action)))

    assert [analyst.person.name + " Imported from a workbook", "RAG status", "Amber", "Red"] in [
        row[1:] for row in rows
    ]


def test_history_shows_progress_updates_added_and_corrected(client, world, action):
    update = ProgressUpdateFactory(
        action=action, text="Frist draft", date=datetime.date(2021, 6, 1)
    )
    update.text = "First draft"
    update.save()
    client.force_login(world.officer)

    rows = history_rows(client.get(detail_url(action)))

    whats = [row[2:] for row in rows]
    assert ["Progress update of 1 June 2021: Text", "Frist draft", "First draft"] in whats
    assert ["Progress update added", "(blank)", "1 June 2021: Frist draft"] in whats


def test_action_page_queries_do_not_grow_with_updates_and_history(
    client, world, action, django_assert_num_queries
):
    officer = world.officer
    client.force_login(officer)
    url = detail_url(action)

    def add(count):
        for n in range(count):
            action.refresh_from_db()
            action_update(
                action=action,
                user=officer,
                expected_version=action_version(action),
                update={"date": TODAY, "text": f"Update {n}", "rag": [RAG.RED, RAG.AMBER][n % 2]},
                progress=f"Progress {n}",
            )

    add(2)
    client.get(url)  # the first request of a session loads more than the page does
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(40)
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(action=action, date=TODAY, text=f"Bulk {n}") for n in range(200)
    )
    assert action.history.count() > 40 and action.updates.count() > 240

    with django_assert_num_queries(len(few)):
        response = client.get(url)

    assert response.status_code == 200
    assert "Bulk 199" in response.content.decode() and "Progress 39" in text_of(response)
    assert len(few) <= 20, [query["sql"] for query in few.captured_queries]


# ---- the update form -----------------------------------------------------------------------


def test_the_form_starts_from_the_action_and_today(client, world, action):
    client.force_login(world.officer)

    form = client.get(update_url(action)).context["form"]

    assert form["update_date"].value() == TODAY
    assert form["rag"].value() == RAG.AMBER
    assert form["progress"].value() == "Terms of reference drafted"
    assert form["version"].value() == action_version(action)


def test_a_red_update_saves_the_update_and_the_actions_rag_with_a_message(client, world, action):
    officer = world.officer
    client.force_login(officer)

    response = client.post(
        update_url(action),
        update_form(
            action,
            update_text="Partner withdrew funding",
            rag=RAG.RED,
            progress="Looking for funding\r\nfrom the VRU",
        ),
    )

    assert response.status_code == 302 and response.url == detail_url(action)
    action.refresh_from_db()
    assert action.rag == RAG.RED
    assert action.progress == "Looking for funding\nfrom the VRU"
    update = action.updates.get()
    assert (update.date, update.text, update.rag) == (TODAY, "Partner withdrew funding", RAG.RED)
    assert update.author == officer.person
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == (
        "Action 1a saved: progress update added; RAG status changed from Amber to Red; "
        "undated progress text changed."
    )


def test_success_message_is_shown_on_the_next_page(client, world, action):
    client.force_login(world.officer)

    response = client.post(
        update_url(action), update_form(action, comment="Checked with the board"), follow=True
    )

    assert "Action 1a saved: comment changed." in text_of(response)


def test_changing_only_the_rag_needs_no_update_text(client, world, action):
    client.force_login(world.officer)

    response = client.post(update_url(action), update_form(action, rag=RAG.GREEN))

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.rag == RAG.GREEN
    assert not action.updates.exists()


def test_changing_a_date_clears_the_words_it_was_written_as(client, world, action):
    action.start_text, action.end_text = "April 2021", "March 2022"
    action.save()
    client.force_login(world.officer)

    response = client.post(
        update_url(action),
        update_form(action, end_date_0="30", end_date_1="9", end_date_2="2022"),
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.end_date == datetime.date(2022, 9, 30)
    assert action.end_text == ""
    assert action.start_text == "April 2021"  # its date did not change
    latest, before = action.history.all()[:2]
    assert (before.end_text, latest.end_text) == ("March 2022", "")


def test_a_form_that_changes_nothing_says_so_and_writes_nothing(client, world, action):
    client.force_login(world.officer)
    before = snapshot(action)

    response = client.post(update_url(action), update_form(action))

    assert response.status_code == 200
    assert response.context["error_links"] == [
        (
            "id_update_text",
            "Write a progress update or change one of the action's details: nothing has been "
            "changed",
        )
    ]
    assert snapshot(action) == before


class Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name == "id")


def summary_links(response) -> list[tuple[str, str]]:
    html = response.content.decode()
    start = html.index('class="govuk-error-summary"')
    summary = html[start : html.index("</ul>", start)]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)


def test_the_error_summary_links_to_each_wrong_input(client, world, action):
    client.force_login(world.officer)
    before = snapshot(action)
    tomorrow = TODAY + datetime.timedelta(days=1)

    response = client.post(
        update_url(action),
        update_form(
            action,
            update_text="Written ahead",
            update_date_0=str(tomorrow.day),
            update_date_1=str(tomorrow.month),
            update_date_2=str(tomorrow.year),
            rag="purple",
            start_date_0="1",
            start_date_1="",
            start_date_2="2021",
            end_date_0="31",
            end_date_1="2",
            end_date_2="2022",
        ),
    )

    assert response.status_code == 200
    links = summary_links(response)
    assert links == [
        ("id_update_date_0", "The date of the update must be today or earlier"),
        ("id_rag_0", "Choose one of the RAG statuses listed"),
        ("id_start_date_1", "Start date must include a month"),
        ("id_end_date_0", "End date must be a real date, for example 27 3 2022"),
    ]
    ids = Ids()
    ids.feed(response.content.decode())
    assert {target for target, _ in links} <= ids.ids
    assert "<title>Error: Update" in response.content.decode()
    # The person's words are kept.
    assert "Written ahead" in response.content.decode()
    assert snapshot(action) == before


def test_a_date_with_a_box_left_empty_or_a_short_year_is_not_taken_as_no_date(
    client, world, action
):
    client.force_login(world.officer)
    before = snapshot(action)

    response = client.post(
        update_url(action),
        update_form(
            action,
            start_date_0="",
            start_date_1="",
            start_date_2="2021",
            end_date_0="1",
            end_date_1="4",
            end_date_2="22",
        ),
    )

    assert summary_links(response) == [
        ("id_start_date_0", "Start date must include a day"),
        ("id_start_date_1", "Start date must include a month"),
        ("id_end_date_2", "End date: the year must include 4 numbers"),
    ]
    assert snapshot(action) == before


def test_an_end_date_before_the_start_date_is_refused_on_the_end_date(client, world, action):
    client.force_login(world.officer)
    before = snapshot(action)

    response = client.post(
        update_url(action), update_form(action, end_date_0="1", end_date_1="1", end_date_2="2021")
    )

    assert summary_links(response) == [
        (
            "id_end_date_0",
            "The end date must be the same as or after the start date (1 April 2021)",
        )
    ]
    assert snapshot(action) == before


def test_the_form_has_one_box_for_the_update_and_one_rag_choice(client, world, action):
    client.force_login(world.officer)

    html = client.get(update_url(action)).content.decode()

    radios = re.findall(r'type="radio"\s+name="(\w+)"', html)
    # The update's marking (OFFICIAL or OFFICIAL-SENSITIVE), then the one RAG choice.
    assert radios == ["update_marking"] * 2 + ["rag"] * len(RAG)
    assert html.count('name="update_text"') == 1
    # The undated progress text is there, folded away, not a second box to fill in.
    assert html.count("<textarea") == 3  # the update, the comment, the undated progress
    assert '<details class="govuk-details"><summary' in html
    assert "Change the undated progress text" in html


def test_the_rag_chosen_with_an_update_is_the_actions_and_recorded_on_it(client, world, action):
    client.force_login(world.officer)

    response = client.post(
        update_url(action), update_form(action, update_text="Venue confirmed", rag=RAG.GREEN)
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.rag == RAG.GREEN
    assert action.updates.get().rag == RAG.GREEN


def test_an_update_that_keeps_the_rag_records_the_rag_the_action_has(client, world, action):
    client.force_login(world.officer)

    client.post(update_url(action), update_form(action, update_text="No change this month"))

    assert action.updates.get().rag == RAG.AMBER


def test_where_the_layout_has_no_progress_column_the_undated_text_is_not_asked_for(
    client, world, action
):
    plan = action.theme.plan
    plan.layout = Plan.Layout.SGV
    plan.save()
    client.force_login(world.officer)
    without = ActionFactory(theme=action.theme, progress="")
    without.lead_people.add(world.officer.person)

    assert 'name="progress"' not in client.get(update_url(without)).content.decode()
    # An action that has the text keeps it editable; saving without it leaves it alone.
    assert 'name="progress"' in client.get(update_url(action)).content.decode()
    data = update_form(without, update_text="Started")
    del data["progress"]
    assert client.post(update_url(without), data).status_code == 302
    without.refresh_from_db()
    assert without.progress == ""


# ---- two people at once --------------------------------------------------------------------


def test_a_second_form_from_the_same_version_is_refused_and_keeps_both_peoples_words(
    client, world, action
):
    first, second = world.officer, world.analyst
    client.force_login(second)
    opened = client.get(update_url(action)).context["form"]["version"].value()
    seen = Action.objects.get(pk=action.pk)  # as the second person saw it: Amber, no comment
    # The first person saves while the second is still writing.
    client.force_login(first)
    client.post(
        update_url(action),
        update_form(
            action, update_text="Funding withdrawn", rag=RAG.RED, comment="First's comment"
        ),
    )
    client.force_login(second)
    before = snapshot(action)

    response = client.post(
        update_url(action),
        update_form(
            seen,
            version=opened,
            update_text="All on track",
            rag=RAG.GREEN,
            progress="Second's progress",
            comment="Second's comment",
        ),
    )

    assert response.status_code == 409
    assert snapshot(action) == before  # nothing written
    page = text_of(response)
    html = response.content.decode()
    # The second person's words are still in the form...
    assert ">\nAll on track</textarea>" in html
    assert ">\nSecond&#x27;s progress</textarea>" in html
    assert ">\nSecond&#x27;s comment</textarea>" in html
    # ...and the first person's saved values, who wrote them and when, are shown.
    assert "Someone else changed this action while you were writing" in page
    assert "Where you both changed the action" in page
    assert "RAG status of the action Red Green" in page
    assert "Comment First's comment Second's comment" in page
    assert first.person.name in page
    assert "Funding withdrawn" in page
    # Sent again as it stands, it saves the second person's words over the first's, both
    # updates are kept, and the history holds the first person's comment.
    again = response.context["form"]
    assert again["version"].value() == action_version(Action.objects.get(pk=action.pk))
    resent = {key: again.data[key] for key in again.data}
    response = client.post(update_url(action), resent)
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.rag, action.comment) == (RAG.GREEN, "Second's comment")
    assert sorted(action.updates.values_list("text", flat=True)) == [
        "All on track",
        "Funding withdrawn",
    ]
    assert "First's comment" in action.history.values_list("comment", flat=True)


def test_a_field_only_the_other_person_changed_is_carried_into_the_form(client, world, action):
    first, second = world.officer, world.analyst
    seen = Action.objects.get(pk=action.pk)
    opened = action_version(seen)
    client.force_login(first)
    client.post(update_url(action), update_form(action, comment="First's comment"))
    client.force_login(second)

    response = client.post(
        update_url(action),
        update_form(seen, version=opened, progress="Second's progress"),
    )

    assert response.status_code == 409
    form = response.context["form"]
    # The comment the second person never touched now holds the first person's words, so
    # saving the form again does not undo them; no field needs merging by hand.
    assert form["comment"].value() == "First's comment"
    assert form["progress"].value() == "Second's progress"
    assert "Where you both changed the action" not in text_of(response)
    response = client.post(update_url(action), dict(form.data.items()))
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.comment, action.progress) == ("First's comment", "Second's progress")


# ---- back to where I came from -------------------------------------------------------------


def test_the_form_returns_to_the_page_it_was_opened_from(client, world, action):
    client.force_login(world.officer)
    plan_page = reverse("actions:plan-detail", args=[world.plan.slug]) + "?rag=red&theme=1"

    page = client.get(detail_url(action), HTTP_REFERER=f"http://testserver{plan_page}")

    assert page.context["next"] == plan_page
    assert f'href="{update_url(action)}?next={quote(plan_page)}"' in page.content.decode()
    form_page = client.get(update_url(action, next=plan_page))
    assert f'name="next" value="{plan_page.replace("&", "&amp;")}"' in form_page.content.decode()

    response = client.post(update_url(action), update_form(action, comment="x", next=plan_page))

    assert response.status_code == 302
    assert response.url == plan_page


def test_the_action_page_passes_on_a_next_it_was_given(client, world, action):
    client.force_login(world.officer)
    home = reverse("actions:my-actions")

    page = client.get(detail_url(action, next=home))

    assert page.context["next"] == home


@pytest.mark.parametrize(
    "elsewhere",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://evil.example/plans/",
        "javascript:alert(1)",
    ],
)
def test_next_cannot_send_anyone_to_another_site(client, world, action, elsewhere):
    client.force_login(world.officer)

    assert client.get(detail_url(action, next=elsewhere)).context["next"] == ""
    assert client.get(detail_url(action), HTTP_REFERER=elsewhere).context["next"] == ""
    response = client.post(update_url(action), update_form(action, comment="x", next=elsewhere))

    assert response.status_code == 302
    assert response.url == detail_url(action)


def test_a_referring_page_that_is_not_a_list_is_not_returned_to(client, world, action):
    client.force_login(world.officer)
    own_form = f"http://testserver{update_url(action)}"

    assert client.get(detail_url(action), HTTP_REFERER=own_form).context["next"] == ""
