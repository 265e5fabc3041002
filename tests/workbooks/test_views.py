"""Export and import on the plan pages: download, upload, preview, confirm; who may do which."""

import datetime
import io
import os
import re
import zipfile

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Action
from actions.rag import RAG
from actions.services import action_edit
from boards.models import Role
from downloads.models import PendingUpload
from tests.clients import Client
from tests.factories import (
    ActionFactory,
    BoardFactory,
    IndicatorFactory,
    PartnershipFactory,
    PlanFactory,
    ThemeFactory,
    UserFactory,
    user_in_role,
)
from tests.helpers import edit
from tests.workbooks.workbooks import Sheet, edit_row, export, kept_uploads, move_row
from workbooks import uploads
from workbooks.csp import MEASURES_SHEET
from workbooks.layouts import read_workbook
from workbooks.safety import MB

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def plan():
    plan = PlanFactory(title="Violence reduction plan", slug="violence-reduction")
    governance = ThemeFactory(plan=plan, name="GOVERNANCE")
    diversion = ThemeFactory(plan=plan, name="POSITIVE DIVERSION")
    ActionFactory(theme=governance, ref="1", text="Set out the co-ordination arrangements")
    ActionFactory(theme=governance, ref="2", text="Daily violence meeting")
    ActionFactory(theme=diversion, ref="1", text="Mentoring for young people", rag=RAG.GREEN)
    return plan


def analyst_of(plan):
    return user_in_role(Role.ANALYST, partnerships=[plan.partnership])


@pytest.fixture
def importer(plan):
    return analyst_of(plan)


@pytest.fixture
def importing(client, importer):
    client.force_login(importer)
    return client


def export_url(plan, **query):
    url = reverse("workbooks:plan-export", args=[plan.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def import_url(plan):
    return reverse("workbooks:plan-import", args=[plan.slug])


def confirm_url(plan):
    return reverse("workbooks:plan-import-confirm", args=[plan.slug])


def upload(client, plan, data: bytes, layout="vru", name="plan.xlsx"):
    return client.post(
        import_url(plan), {"file": SimpleUploadedFile(name, data, XLSX), "layout": layout}
    )


def token_in(response) -> str:
    match = re.search(rb'name="token" value="([^"]+)"', response.content)
    assert match, "the page has no confirm form"
    return match.group(1).decode()


def edited(plan, **cells) -> bytes:
    """The plan exported, with cells of the 'Daily violence meeting' row set."""
    return edit_row(export(plan), "Daily violence meeting", cells)


def snapshot():
    return list(Action.objects.order_by("pk").values()), Action.history.count()


def page_of(response) -> str:
    """The page without its class attributes: these tests read the page's structure and
    words, not its styling."""
    return re.sub(r' class="[^"]*"', "", response.content.decode())


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Export


@pytest.mark.parametrize("layout", ["vru", "sgv", "csp"])
def test_export_downloads_a_workbook_that_reads_back_to_the_plan(client, plan, layout):
    client.force_login(analyst_of(plan))

    response = client.get(export_url(plan, layout=layout))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        f'attachment; filename="violence-reduction-{layout}.xlsx"'
    )
    parsed = read_workbook(response.content, layout)
    assert sorted((row.theme[-1], row.values["text"]) for row in parsed.actions) == sorted(
        Action.objects.values_list("theme__name", "text")
    )


def test_export_without_a_layout_offers_the_choice_with_the_plans_own_chosen(client, plan):
    plan.layout = "sgv"
    plan.save()
    client.force_login(analyst_of(plan))

    response = client.get(export_url(plan))

    assert response.status_code == 200
    page = page_of(response)
    assert "<legend>Spreadsheet layout</legend>" in page
    assert re.search(r'<input type="radio" name="layout" value="sgv"[^>]*checked', page)
    assert "Download workbook" in page


def test_the_export_page_names_the_hidden_id_column_as_the_workbook_heads_it(client, plan):
    client.force_login(analyst_of(plan))
    page = page_of(client.get(export_url(plan)))
    # The header of the exported workbook's hidden column, which people look for in Excel.
    sheet = Sheet(export(plan, "vru"))
    header = "cspplan ID (do not change)"
    letter = sheet.sheet.cell(1, sheet.columns[header]).column_letter
    assert sheet.sheet.column_dimensions[letter].hidden
    assert f"keep the hidden column\n        “{header}” as it is" in page
    assert "record number" not in page


def test_export_of_an_unknown_layout_says_so_on_the_form(client, plan):
    client.force_login(analyst_of(plan))

    response = client.get(export_url(plan, layout="xls"))

    assert response.status_code == 200
    page = page_of(response)
    assert "There is a problem" in page
    assert '<a href="#id_layout_0">Choose one of the layouts listed.</a>' in page
    assert response["Content-Type"].startswith("text/html")


# Who may do what


@pytest.mark.parametrize(
    "method, name",
    [
        ("get", "plan-export"),
        ("get", "plan-import"),
        ("post", "plan-import"),
        ("post", "plan-import-confirm"),
    ],
)
def test_anonymous_users_are_sent_to_sign_in(client, plan, method, name):
    url = reverse(f"workbooks:{name}", args=[plan.slug])

    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    assert f"next={url}" in response["Location"].replace("%2F", "/")


@pytest.mark.parametrize(
    "who, method, name, status",
    [
        # They may see the plan, so they know it is there: forbidden.
        ("officer", "get", "plan-export", 403),
        ("officer", "get", "plan-import", 403),
        ("officer", "post", "plan-import-confirm", 403),
        # They may not see it: not found, as a plan that does not exist is.
        ("no person", "get", "plan-export", 404),
        ("chair", "get", "plan-import", 404),
        ("analyst elsewhere", "post", "plan-import", 404),
        ("analyst elsewhere", "get", "plan-export", 404),
        ("analyst elsewhere", "post", "plan-import-confirm", 404),
    ],
)
def test_signed_in_users_without_the_permission_are_refused(
    client, plan, who, method, name, status
):
    users = {
        "no person": UserFactory,
        "officer": lambda: user_in_role(Role.OFFICER, partnerships=[plan.partnership]),
        "chair": lambda: user_in_role(
            Role.CHAIR, boards=[BoardFactory(partnership=plan.partnership)]
        ),
        "analyst elsewhere": lambda: user_in_role(
            Role.ANALYST, partnerships=[PartnershipFactory()]
        ),
    }
    client.force_login(users[who]())
    before = snapshot()

    response = getattr(client, method)(reverse(f"workbooks:{name}", args=[plan.slug]))
    missing = getattr(client, method)(reverse(f"workbooks:{name}", args=["no-such-plan"]))

    assert response.status_code == status
    if status == 404:  # the same answer whether or not the plan exists
        assert missing.status_code == 404
        assert plan.title not in response.content.decode()
    assert snapshot() == before


def test_an_unknown_plan_is_not_found(importing):
    assert importing.get("/plans/no-such-plan/import/").status_code == 404


def test_the_upload_form_offers_the_plans_layout(importing, plan):
    response = importing.get(import_url(plan))

    page = page_of(response)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in page
    assert '<label for="id_file">Workbook</label>' in page
    assert re.search(r'<input type="radio" name="layout" value="vru"[^>]*checked', page)
    assert "Export this plan" in page  # analysts may export as well


# Preview and confirm


def test_an_edited_workbook_is_previewed_field_by_field_and_nothing_is_written(importing, plan):
    data = edited(plan, **{"Risk RAG status": "red", "Progress": "Meets every morning at 9"})
    before = snapshot()

    response = upload(importing, plan, data)

    assert response.status_code == 200
    page = page_of(response)
    assert "Not rated → Red" in page
    assert "(blank) → Meets every morning at 9" in page
    assert "<dt>Changed actions</dt><dd>1</dd>" in page
    assert "<dt>Unchanged actions</dt><dd>2</dd>" in page
    assert "Confirm import" in page
    assert snapshot() == before
    # The upload is kept on the server, not in the page.
    assert len(kept_uploads()) == 1
    assert "Meets every morning" not in token_in(response)


def test_confirming_writes_the_changes_in_the_users_name(importing, importer, plan):
    response = upload(importing, plan, edited(plan, **{"Risk RAG status": "Amber"}))
    token = token_in(response)

    response = importing.post(confirm_url(plan), {"token": token})

    assert response.status_code == 302
    assert response["Location"] == import_url(plan)
    assert messages_of(response) == [
        "Imported plan.xlsx into Violence reduction plan: 0 created, 1 updated."
    ]
    action = Action.objects.get(text="Daily violence meeting")
    assert action.rag == RAG.AMBER
    assert action.history.first().history_user == importer
    assert kept_uploads() == []  # the kept upload is gone

    # The same confirmation again imports nothing.
    before = snapshot()
    again = importing.post(confirm_url(plan), {"token": token}, follow=True)
    assert "That import was not found" in again.content.decode()
    assert snapshot() == before


def test_a_dated_paragraph_in_the_progress_cell_is_previewed_and_added_as_an_update(
    importing, importer, plan
):
    response = upload(importing, plan, edited(plan, Progress="November 2021: Meets at 9."))

    page = page_of(response)
    assert "New progress update" in page and "(none) → November 2021: Meets at 9." in page
    assert "<dt>Changed actions</dt><dd>1</dd>" in page
    importing.post(confirm_url(plan), {"token": token_in(response)})
    update = Action.objects.get(text="Daily violence meeting").updates.get()
    assert (update.period, update.text, update.created_by) == (
        "November 2021",
        "Meets at 9.",
        importer,
    )


def test_a_new_plan_title_is_shown_and_written(importing, importer, plan):
    sheet = Sheet(export(plan))
    sheet.sheet.cell(1, 1).value = "Violence and vulnerability reduction plan"

    response = upload(importing, plan, sheet.save())

    page = page_of(response)
    assert (
        '<tr><th scope="row">Title</th><td>Violence reduction plan → '
        "Violence and vulnerability reduction plan</td></tr>"
    ) in page
    importing.post(confirm_url(plan), {"token": token_in(response)})
    plan.refresh_from_db()
    assert plan.title == "Violence and vulnerability reduction plan"
    assert plan.history.first().history_user == importer


def test_new_rows_are_listed_and_created(importing, plan):
    sheet = Sheet(export(plan))
    row = sheet.row_of("Mentoring for young people")
    sheet.sheet.insert_rows(row + 1)
    for merged in list(sheet.sheet.merged_cells.ranges):
        sheet.sheet.unmerge_cells(str(merged))
    sheet.set(row + 1, "Ref Theme", "POSITIVE DIVERSION")
    sheet.set(row + 1, "Action No", "2")
    sheet.set(row + 1, "Actions", "Summer programme")
    sheet.set(row + 1, "Risk RAG status", "Green")

    response = upload(importing, plan, sheet.save())

    page = page_of(response)
    assert "<dt>New actions</dt><dd>1</dd>" in page
    assert "<td>Summer programme</td>" in page
    assert "<td>Green</td>" in page  # the RAG status as its word
    importing.post(confirm_url(plan), {"token": token_in(response)})
    assert Action.objects.get(text="Summer programme").theme.name == "POSITIVE DIVERSION"


def test_a_change_to_the_performance_measures_alone_can_be_confirmed(importing, plan):
    plan.layout = "csp"
    plan.save()
    indicator = IndicatorFactory(plan=plan, ref="1", description="Reduce repeat victims")
    book = load_workbook(io.BytesIO(export(plan, "csp")))
    sheet = book[MEASURES_SHEET]
    header = next(row for row in sheet.iter_rows() if row[0].value == "Ref")
    column = next(cell.column for cell in header if cell.value == "Link to Corporate Vision")
    sheet.cell(header[0].row + 1, column).value = "Cleaner, safer"
    stream = io.BytesIO()
    book.save(stream)

    response = upload(importing, plan, stream.getvalue(), layout="csp")

    page = page_of(response)
    assert "Link to corporate vision: (blank) → Cleaner, safer" in page
    importing.post(confirm_url(plan), {"token": token_in(response)})
    indicator.refresh_from_db()
    assert indicator.link_to_corporate_vision == "Cleaner, safer"


def test_a_bad_rag_word_is_shown_with_its_row_and_nothing_can_be_confirmed(importing, plan):
    sheet = Sheet(export(plan))
    row = sheet.row_of("Daily violence meeting")
    sheet.set(row, "Risk RAG status", "Purple")
    sheet.set(sheet.row_of("Mentoring"), "Progress", "Started")  # a good change alongside
    before = snapshot()

    response = upload(importing, plan, sheet.save())

    assert response.status_code == 200
    page = page_of(response)
    assert "There is 1 problem in the workbook" in page
    problem_row = re.search(
        r"<tr><td>[^<]*</td><td>(\d+)</td><td>[^<]*</td><td>([^<]*)</td></tr>", page
    )
    assert problem_row and int(problem_row.group(1)) == row
    assert "&#x27;Purple&#x27; is not a RAG status" in problem_row.group(2)
    assert "Confirm import" not in page
    assert 'name="token"' not in page
    assert snapshot() == before
    assert kept_uploads() == []


def test_a_token_that_was_not_previewed_imports_nothing(importing, plan, importer):
    response = upload(importing, plan, edited(plan, **{"Risk RAG status": "Red"}))
    token = token_in(response)
    before = snapshot()

    # A token of our form that this session does not hold: used, replaced or expired.
    for unknown in ["x" * 43, token[:-1] + ("A" if token[-1] != "A" else "B")]:
        response = importing.post(confirm_url(plan), {"token": unknown})
        assert response.status_code == 302
        assert "That import was not found" in messages_of(response)[0]
    # One that cannot be ours: the form was changed on its way.
    for forged in ["", "../" * 12, "../" + token, token + "\x00"]:
        response = importing.post(confirm_url(plan), {"token": forged})
        assert response.status_code == 400
        assert "The form sent back does not name an upload this service kept" in page_of(response)
    # Another user's session cannot use the token either ...
    other = Client()
    other.force_login(analyst_of(plan))
    assert other.post(confirm_url(plan), {"token": token}).status_code == 302
    # ... nor can it be used for another plan.
    other_plan = PlanFactory(partnership=plan.partnership)
    assert importing.post(confirm_url(other_plan), {"token": token}).status_code == 302
    assert snapshot() == before


def test_a_kept_file_changed_on_the_server_is_not_imported(importing, plan):
    response = upload(importing, plan, edited(plan, **{"Risk RAG status": "Red"}))
    [token] = kept_uploads()
    PendingUpload.objects.filter(token=token).update(
        data=edited(plan, **{"Risk RAG status": "Green", "Progress": "Swapped"})
    )
    before = snapshot()

    response = importing.post(confirm_url(plan), {"token": token_in(response)})

    assert "That import was not found" in messages_of(response)[0]
    assert snapshot() == before


def test_a_plan_changed_since_the_preview_is_previewed_again_before_writing(importing, plan):
    response = upload(importing, plan, edited(plan, **{"Risk RAG status": "Red"}))
    token = token_in(response)
    # Someone else edits the same action in the meantime: both changed its RAG status.
    Action.objects.filter(text="Daily violence meeting").update(rag=RAG.AMBER)
    action = Action.objects.get(text="Daily violence meeting")

    response = importing.post(confirm_url(plan), {"token": token})

    assert response.status_code == 200
    page = page_of(response)
    assert "The plan has changed since you previewed this workbook" in page
    assert '<h2 id="conflicts">Conflicts (1)</h2>' in page
    assert action.rag == RAG.AMBER

    # Confirming what is shown now, with a side chosen for the conflict, writes it.
    response = importing.post(
        confirm_url(plan), {"token": token_in(response), f"conflict-{action.pk}-rag": "workbook"}
    )
    assert response.status_code == 302
    assert Action.objects.get(text="Daily violence meeting").rag == RAG.RED


def test_an_unchanged_workbook_has_nothing_to_confirm(importing, plan):
    response = upload(importing, plan, export(plan))

    page = page_of(response)
    assert "<dt>Unchanged actions</dt><dd>3</dd>" in page
    assert "Nothing to import" in page
    assert "Confirm import" not in page


def test_a_file_that_is_not_a_workbook_is_refused_with_our_message(importing, plan):
    before = snapshot()

    response = upload(importing, plan, b"Name,Action\nA,B\n", name="plan.csv")

    assert response.status_code == 200
    page = page_of(response)
    assert "<title>Error: Import a workbook" in page
    assert '<a href="#id_file">This file is not an Excel workbook (.xlsx).' in page
    assert 'id="id_file-error"' in page
    assert snapshot() == before
    assert kept_uploads() == []


def test_no_file_is_asked_for(importing, plan):
    response = importing.post(import_url(plan), {"layout": "vru"})

    assert '<a href="#id_file">Choose the workbook to upload.</a>' in response.content.decode()


def padded_to(data: bytes, size: int) -> bytes:
    """The workbook with an unused, uncompressed part added so that the file is `size` bytes."""

    def with_filler(length: int) -> bytes:
        stream = io.BytesIO(data)
        with zipfile.ZipFile(stream, "a") as archive:
            archive.writestr("xl/media/filler.bin", os.urandom(length), zipfile.ZIP_STORED)
        return stream.getvalue()

    overhead = len(with_filler(0))
    result = with_filler(size - overhead)
    assert len(result) == size
    return result


def test_a_25_mb_workbook_is_accepted_and_a_larger_one_refused(importing, plan):
    data = export(plan)

    response = upload(importing, plan, padded_to(data, 25 * MB))

    assert response.status_code == 200
    assert "<dt>Unchanged actions</dt><dd>3</dd>" in page_of(response)

    response = upload(importing, plan, padded_to(data, 25 * MB + 1))

    assert response.status_code == 200
    page = page_of(response)
    assert "the largest workbook accepted is 25 MB" in page
    assert '<a href="#id_file">The file is 25.0 MB; the largest' in page


def test_the_size_limit_stops_storing_the_upload(rf, importer):
    request = rf.post("/", data={"file": SimpleUploadedFile("big.xlsx", b"x" * 101)})
    request.user = importer
    limit = uploads.WorkbookSizeLimit(request, limit=100)
    request.upload_handlers.insert(0, limit)

    assert "file" not in request.FILES
    assert limit.too_large == int(request.META["CONTENT_LENGTH"])


def test_posts_need_the_csrf_token(plan, importer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(importer)

    response = upload(client, plan, export(plan))

    assert response.status_code == 403


# An old workbook: conflicts with what changed in the plan since its export


def rated_green_since(plan, data: bytes) -> Action:
    """An officer rates 'Daily violence meeting' Green after `data` was exported."""
    officer = user_in_role(Role.OFFICER, partnerships=[plan.partnership], name="Angie Fuller")
    return edit(Action.objects.get(text="Daily violence meeting"), officer, rag=RAG.GREEN)


def test_a_conflict_is_shown_with_the_three_values_and_who_changed_the_plan(importing, plan):
    data = edited(plan, **{"Risk RAG status": "Amber"})
    action = rated_green_since(plan, data)

    page = page_of(upload(importing, plan, data))

    assert '<dt>Actions with conflicts</dt><dd><a href="#conflicts">1</a></dd>' in page
    assert "<dt>When exported</dt><dd>Not rated</dd>" in page
    assert "<dt>In the plan now</dt><dd><div>Green</div><div>Changed by Angie Fuller on " in (page)
    assert "<dt>In the workbook</dt><dd>Amber</dd>" in page
    assert page.count(f'name="conflict-{action.pk}-rag"') == 2  # keep the plan's, or take


def test_confirming_without_a_side_for_each_conflict_writes_nothing(importing, plan):
    data = edited(plan, **{"Risk RAG status": "Amber", "Comment": "Weekly"})
    rated_green_since(plan, data)
    response = upload(importing, plan, data)
    before = snapshot()

    response = importing.post(confirm_url(plan), {"token": token_in(response)})

    assert response.status_code == 200
    page = page_of(response)
    assert "<title>Error: " in page
    assert "Choose which RAG status to keep for action 2 in GOVERNANCE (row " in page
    assert snapshot() == before
    assert token_in(response)  # still kept, to choose and confirm


@pytest.mark.parametrize(("choice", "rag"), [("plan", RAG.GREEN), ("workbook", RAG.AMBER)])
def test_the_side_chosen_for_a_conflict_is_written_with_the_other_changes(
    importing, importer, plan, choice, rag
):
    data = edited(plan, **{"Risk RAG status": "Amber", "Comment": "Weekly"})
    action = rated_green_since(plan, data)
    response = upload(importing, plan, data)

    response = importing.post(
        confirm_url(plan), {"token": token_in(response), f"conflict-{action.pk}-rag": choice}
    )

    assert response.status_code == 302
    assert messages_of(response) == [
        "Imported plan.xlsx into Violence reduction plan: 0 created, 0 updated, "
        "1 with conflicts settled as you chose."
    ]
    action.refresh_from_db()
    assert (action.rag, action.comment) == (rag, "Weekly")
    assert action.history.first().history_user == importer


@pytest.mark.parametrize(
    ("choice", "theme"), [("plan", "PREVENTION"), ("workbook", "POSITIVE DIVERSION")]
)
def test_an_action_moved_to_different_themes_is_settled_like_any_conflict(
    importing, plan, choice, theme
):
    prevention = ThemeFactory(plan=plan, name="PREVENTION")
    data = move_row(export(plan), "Daily violence meeting", "POSITIVE DIVERSION")
    action = Action.objects.get(text="Daily violence meeting")
    action_edit(action=action, user=analyst_of(plan), theme=prevention)

    response = upload(importing, plan, data)
    page = page_of(response)
    assert "<dt>When exported</dt><dd>GOVERNANCE</dd>" in page
    assert "<dt>In the workbook</dt><dd>POSITIVE DIVERSION</dd>" in page
    response = importing.post(
        confirm_url(plan), {"token": token_in(response), f"conflict-{action.pk}-theme": choice}
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.theme.name == theme


def test_choices_that_put_the_end_before_the_start_write_nothing(importing, plan):
    action = Action.objects.get(text="Daily violence meeting")
    officer = user_in_role(Role.OFFICER, partnerships=[plan.partnership])
    edit(action, officer, start_date=datetime.date(2021, 4, 1), end_date=datetime.date(2022, 3, 31))
    data = edited(
        plan, **{"Start date": datetime.date(2021, 5, 1), "End date": datetime.date(2021, 6, 30)}
    )
    edit(action, officer, start_date=datetime.date(2021, 9, 1), end_date=datetime.date(2022, 9, 1))
    response = upload(importing, plan, data)
    before = snapshot()

    response = importing.post(
        confirm_url(plan),
        {
            "token": token_in(response),
            f"conflict-{action.pk}-start_date": "plan",
            f"conflict-{action.pk}-end_date": "workbook",
        },
    )

    assert response.status_code == 200
    assert "with the values chosen the end date (30 June 2021) would be before the start date" in (
        page_of(response)
    )
    assert snapshot() == before


def test_a_summarised_preview_lists_the_first_conflicts_and_settles_the_rest_at_once(
    settings, importing, plan
):
    settings.IMPORT_PREVIEW_ROWS = 1  # three rows: summarised, one of each kind listed
    sheet = Sheet(export(plan))
    texts = ["Set out the co-ordination", "Daily violence meeting", "Mentoring for young"]
    for n, text in enumerate(texts):
        sheet.set(sheet.row_of(text), "Comment", f"Workbook comment {n}")
    data = sheet.save()
    officer = user_in_role(Role.OFFICER, partnerships=[plan.partnership], name="Angie Fuller")
    actions = [Action.objects.get(text__startswith=text) for text in texts]
    for action in actions:
        edit(action, officer, comment="Plan comment")

    response = upload(importing, plan, data)
    page = page_of(response)
    assert "The workbook has 3 action rows, too many to list here" in page
    assert "Conflicts (3)" in page
    named = re.findall(r'name="(conflict-\d+-comment)"', page)
    assert len(named) == 2  # the first conflicted action's two radios alone
    listed = named[0]
    assert "2 more actions with conflicts are not listed here" in page
    assert page.count('name="conflicts_not_listed"') == 2

    # The download lists every conflict with its three values.
    download = reverse("workbooks:plan-import-rows", args=[plan.slug])
    token = token_in(response)
    text = importing.get(download, {"token": token}).content.decode("utf-8-sig")
    for n in range(3):
        assert f"Workbook comment {n}" in text
    assert text.count("Conflict on Comment") == 3 and "Plan comment" in text

    # Without a choice for those not listed, nothing is written.
    before = snapshot()
    refused = importing.post(confirm_url(plan), {"token": token, listed: "plan"})
    assert refused.status_code == 200 and snapshot() == before
    assert "Choose which value to keep for the 2 actions with conflicts not listed" in (
        page_of(refused)
    )

    done = importing.post(
        confirm_url(plan), {"token": token, listed: "plan", "conflicts_not_listed": "workbook"}
    )
    assert done.status_code == 302
    comments = {a.pk: a.comment for a in Action.objects.filter(pk__in=[a.pk for a in actions])}
    first = int(listed.split("-")[1])
    assert comments.pop(first) == "Plan comment"
    assert sorted(comments.values()) == sorted(
        f"Workbook comment {n}" for n, a in enumerate(actions) if a.pk != first
    )
