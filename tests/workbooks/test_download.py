"""The plan page's actions, as filtered, downloaded as a workbook (workbooks.views.
plan_download): what the user sees on the page with those filters, nothing more, for
anyone who may see the plan."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.helpers import get
from workbooks.exports import XLSX_CONTENT_TYPE

pytestmark = pytest.mark.django_db

SECRET = "Protectively marked operation"  # bx2, the world's restricted action


def download_url(world, query: str = "") -> str:
    return reverse("workbooks:plan-download", args=[world.plan.slug]) + query


def ids_in(content: bytes) -> list[int]:
    """The action ids in the workbook's hidden ID column, top to bottom."""
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if "Actions" in row)
    column = rows[header].index("cspplan ID (do not change)")
    return [row[column] for row in rows[header + 1 :] if len(row) > column and row[column]]


def shown_on_the_page(client, user, world, query: str) -> list[int]:
    page = get(client, user, reverse("actions:plan-detail", args=[world.plan.slug]) + query)
    return [action.pk for section in page.context["sections"] for action in section["actions"]]


@pytest.mark.parametrize("who", ["chair", "officer"])
@pytest.mark.parametrize("query", ["", "?rag=red", "?rag=red&rag=amber&theme={diversion}"])
def test_the_download_holds_exactly_what_the_page_shows(client, world, who, query):
    user = getattr(world, who)
    query = query.format(diversion=world.diversion.pk)

    response = get(client, user, download_url(world, query))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "violence-plan-vru-filtered.xlsx" in response["Content-Disposition"]
    assert ids_in(response.content) == shown_on_the_page(client, user, world, query)


def test_the_restricted_action_reaches_only_those_who_may_see_it(client, world):
    chair = get(client, world.chair, download_url(world, "?rag=red"))
    officer = get(client, world.officer, download_url(world, "?rag=red"))

    assert world.bx2.pk in ids_in(chair.content)
    assert world.bx2.pk not in ids_in(officer.content)
    sheet = load_workbook(io.BytesIO(officer.content)).worksheets[0]
    words = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    assert SECRET not in words
    # Only red actions, and no theme without one of them (Diversion's only red is bx2).
    assert ids_in(officer.content) == [world.a1.pk]
    assert "Diversion" not in words


def test_the_plan_page_links_to_the_download_with_its_filters(client, world):
    page = get(client, world.chair, reverse("actions:plan-detail", args=[world.plan.slug]))
    filtered = get(
        client,
        world.chair,
        reverse("actions:plan-detail", args=[world.plan.slug]) + "?rag=red&page=1",
    )

    assert f'href="{download_url(world, "?")}"' in page.text
    assert "Download all 6 actions as a workbook (.xlsx)" in page.text
    assert f'href="{download_url(world, "?rag=red")}"' in filtered.text
    assert "Download these 2 actions as a workbook (.xlsx)" in filtered.text


def test_bad_filters_go_to_the_plan_page_that_explains_them(client, world):
    client.force_login(world.chair)
    response = client.get(download_url(world, "?rag=purple"))

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("actions:plan-detail", args=[world.plan.slug]) + "?rag=purple"
    )


def test_who_may_not_see_the_plan_gets_not_found_and_the_signed_out_sign_in(client, world):
    client.force_login(world.far_officer)
    assert client.get(download_url(world)).status_code == 404
    client.logout()
    response = client.get(download_url(world))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(download_url(world)).status_code in (302, 405)
