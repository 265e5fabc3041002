"""The template pages: upload, preview with its choices, confirm (rollover.views.template)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action, Plan, Theme
from boards.models import Partnership, Role
from rollover.models import TemplateChoice
from rollover.template_forms import ADD_NEW, ADOPT, CONFIRM, LEAVE_OUT, REFUSE
from tests.factories import user_in_role
from tests.rollover.vru_template import TEST, VAWG, VAWG_ROWS, draft_plan, template_workbook
from tests.workbooks.workbooks import kept_uploads

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def draft():
    return draft_plan()


@pytest.fixture
def analyst(draft):
    return user_in_role(Role.ANALYST, partnerships=[draft.partnership], name="Test Analyst")


@pytest.fixture
def signed_in(client, analyst):
    client.force_login(analyst)
    return client


def url(name, plan):
    return reverse(f"template:{name}", args=[plan.slug])


def upload(client, plan, data: bytes, name="template.xlsx"):
    return client.post(url("upload", plan), {"file": SimpleUploadedFile(name, data, XLSX)})


def token_in(response) -> str:
    match = re.search(rb'name="token" value="([^"]+)"', response.content)
    assert match, "the page has no confirm form"
    return match.group(1).decode()


def radios(response) -> dict[str, list[str]]:
    """{field name: its values} of the page's radios."""
    found = {}
    for name, value in re.findall(
        rb'type="radio" name="([^"]+)" value="([^"]+)"', response.content
    ):
        found.setdefault(name.decode(), []).append(value.decode())
    return found


def answers(response, *, adopt=(), refuse=()) -> dict:
    """Every question of the preview answered: the optional actions of the rows (template
    row numbers) in `adopt` adopted and the rest left out, every match confirmed but those
    of the rows in `refuse`, every offered theme added as new."""
    data = {}
    for name in radios(response):
        kind, _, key = name.partition("_")
        row = int(key.removeprefix("row-")) if key.startswith("row-") else None
        if kind == "adopt":
            data[name] = ADOPT if row in adopt else LEAVE_OUT
        elif kind == "match":
            data[name] = REFUSE if row in refuse else CONFIRM
        elif kind == "theme":
            data[name] = ADD_NEW
    return data


def optional_rows(response) -> list[int]:
    return [int(n.removeprefix("adopt_row-")) for n in radios(response) if n.startswith("adopt_")]


def written():
    return (Action.history.count(), Theme.objects.count(), TemplateChoice.objects.count())


def test_an_analyst_previews_a_template_and_confirms_adopting_two_optional_actions(
    signed_in, draft, analyst
):
    assert signed_in.get(url("upload", draft)).status_code == 200
    preview = upload(signed_in, draft, template_workbook())
    assert preview.status_code == 200
    page = preview.content.decode()
    assert VAWG in page and "New" in page
    assert f"{TEST} optional action five" in page
    four, five, six = optional_rows(preview)
    assert len(kept_uploads()) == 1  # kept until confirmed, as an import's is
    before = Action.objects.filter(theme__plan=draft).count()

    done = signed_in.post(
        url("confirm", draft),
        {"token": token_in(preview), **answers(preview, adopt=(four, six))},
    )

    assert done.status_code == 302
    assert done["Location"] == reverse("actions:plan-detail", args=[draft.slug])
    vawg = Theme.objects.get(plan=draft, name=VAWG)
    assert sorted(vawg.actions.values_list("ref", flat=True)) == ["1", "2", "3", "4", "6"]
    assert Action.objects.filter(theme__plan=draft).count() == before + 5
    choices = TemplateChoice.objects.filter(plan=draft, kind="optional")
    assert sorted(choices.values_list("template_row", "decision", "made_by")) == [
        (four, "adopted", analyst.pk),
        (five, "left_out", analyst.pk),
        (six, "adopted", analyst.pk),
    ]
    assert kept_uploads() == []
    # The upload page lists what was taken in, by whom.
    listed = signed_in.get(url("upload", draft)).content.decode()
    assert "Templates taken into this plan" in listed and "Test Analyst" in listed
    assert "template.xlsx" in listed
    shown = f"row {five}: action 5 in {VAWG} ({TEST} optional action five). <strong>Left out"
    assert shown in listed


def test_a_confirmation_that_leaves_a_question_open_is_shown_again_and_writes_nothing(
    signed_in, draft
):
    preview = upload(signed_in, draft, template_workbook())
    data = answers(preview, adopt=optional_rows(preview))
    first_optional = next(name for name in data if name.startswith("adopt_"))
    del data[first_optional]
    before = written()

    response = signed_in.post(url("confirm", draft), {"token": token_in(preview), **data})

    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Choose whether to adopt or leave out optional action 4" in response.content
    assert written() == before
    assert token_in(response) == token_in(preview)  # still kept, to answer and confirm


def test_a_refused_match_is_recorded_and_adds_the_templates_action(signed_in, draft, analyst):
    preview = upload(signed_in, draft, template_workbook())
    match = next(name for name in radios(preview) if name.startswith("match_"))
    row = int(match.removeprefix("match_row-"))

    signed_in.post(
        url("confirm", draft), {"token": token_in(preview), **answers(preview, refuse=(row,))}
    )

    refused = TemplateChoice.objects.get(plan=draft, kind="match", decision="refused")
    assert (refused.template_row, refused.made_by) == (row, analyst)
    assert Action.objects.filter(theme=refused.action.theme, ref=refused.template_ref).count() == 1
    assert refused.action.theme.actions.filter(text=refused.template_text).count() == 2


def test_the_plan_changed_since_the_preview_shows_the_new_proposal_and_writes_nothing(
    signed_in, draft
):
    preview = upload(signed_in, draft, template_workbook())
    carried = Action.objects.filter(theme__plan=draft).first()
    Action.objects.filter(pk=carried.pk).update(text=f"{TEST} changed since")
    before = written()

    response = signed_in.post(
        url("confirm", draft), {"token": token_in(preview), **answers(preview)}
    )

    assert response.status_code == 200
    assert b"The plan has changed since you previewed this template" in response.content
    assert written() == before


def test_a_broken_workbook_is_refused_on_the_upload_page_and_nothing_is_kept(signed_in, draft):
    before = written()

    response = upload(signed_in, draft, b"not a workbook at all")

    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert written() == before
    assert kept_uploads() == []


def test_a_template_with_problems_is_shown_without_a_confirm_form(signed_in, draft):
    rows = [("1", "New VRU action", f"{TEST} one"), ("1", "New VRU action", f"{TEST} two")]

    response = upload(signed_in, draft, template_workbook(rows))

    assert response.status_code == 200
    assert b"problem" in response.content and b"used twice" in response.content
    assert b'name="token"' not in response.content


@pytest.mark.parametrize("status", [Plan.Status.ACTIVE, Plan.Status.CLOSED])
def test_a_plan_that_is_not_a_draft_takes_no_template(client, status):
    plan = draft_plan(status=status)
    client.force_login(user_in_role(Role.ANALYST, partnerships=[plan.partnership]))
    before = written()

    page = client.get(url("upload", plan))
    posted = upload(client, plan, template_workbook())

    assert b"not a Draft" in page.content and b'type="file"' not in page.content
    assert posted.status_code == 200 and b"There is a problem" in posted.content
    assert written() == before
    assert kept_uploads() == []


def test_cancelling_forgets_the_upload(signed_in, draft):
    preview = upload(signed_in, draft, template_workbook())

    response = signed_in.post(url("cancel", draft), {"token": token_in(preview)})

    assert response.status_code == 302
    assert kept_uploads() == []
    again = signed_in.post(url("confirm", draft), {"token": token_in(preview)}, follow=True)
    assert b"That template was not found" in again.content


def test_a_token_we_never_gave_out_is_refused(signed_in, draft):
    response = signed_in.post(url("confirm", draft), {"token": "not/ours"})

    assert response.status_code == 400


@pytest.mark.parametrize(
    "who",
    ["officer", "chair", "other_analyst", "far_analyst", "no_person"],
)
def test_others_find_no_such_page(client, draft, who):
    here = draft.partnership
    far = Partnership.objects.exclude(pk=here.pk).first()
    users = {
        "officer": lambda: user_in_role(Role.OFFICER, partnerships=[here]),
        "chair": lambda: user_in_role(Role.CHAIR, boards=[draft.board]),
        "other_analyst": lambda: user_in_role(Role.ANALYST, partnerships=[]),
        "far_analyst": lambda: user_in_role(Role.ANALYST, partnerships=[far]),
        "no_person": lambda: user_in_role(Role.OFFICER).__class__.objects.create(
            username="nobody-here"
        ),
    }
    client.force_login(users[who]())
    before = written()

    assert client.get(url("upload", draft)).status_code == 404
    assert upload(client, draft, template_workbook()).status_code == 404
    assert client.post(url("confirm", draft), {"token": "x" * 43}).status_code == 404
    assert client.post(url("cancel", draft), {"token": "x" * 43}).status_code == 404
    assert written() == before


def test_signed_out_visitors_are_sent_to_sign_in(client, draft):
    response = client.get(url("upload", draft))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_administrator_may(client, draft):
    client.force_login(user_in_role(Role.ADMINISTRATOR, partnerships=[draft.partnership]))

    assert client.get(url("upload", draft)).status_code == 200


def test_a_plan_activated_after_the_preview_is_refused_at_confirmation(signed_in, draft):
    preview = upload(signed_in, draft, template_workbook())
    Plan.objects.filter(pk=draft.pk).update(status=Plan.Status.ACTIVE)
    before = written()

    response = signed_in.post(
        url("confirm", draft),
        {"token": token_in(preview), **answers(preview, adopt=optional_rows(preview))},
    )

    assert response.status_code == 200
    assert b"There is a problem" in response.content and b"not a Draft" in response.content
    assert written() == before


def test_the_preview_takes_as_many_queries_for_more_actions(signed_in, draft):
    more = VAWG_ROWS + [(str(n), "Optional VRU action", f"{TEST} more {n}") for n in range(7, 40)]
    counts = []
    # Each measured upload replaces one kept for the session before it, as the first did.
    upload(signed_in, draft, template_workbook(VAWG_ROWS))
    for rows in (VAWG_ROWS, more):
        with CaptureQueriesContext(connection) as queries:
            response = upload(signed_in, draft, template_workbook(rows))
        assert response.status_code == 200 and b'name="token"' in response.content
        counts.append(len(queries))

    assert counts[0] == counts[1]
