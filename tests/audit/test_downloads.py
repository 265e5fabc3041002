"""Every download of a plan or a pack is recorded: who, when, what (the plan or board, the
layout, filters or pack contents), how many actions it held and their highest marking."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from cspplan.origin import SYSTEM_PREFIX
from downloads.models import Download, Marking

pytestmark = pytest.mark.django_db


def only_download() -> Download:
    downloads = list(Download.objects.all())
    assert len(downloads) == 1, downloads
    return downloads[0]


def test_a_plan_exported_on_its_page_is_recorded_with_its_marking(client, world):
    # An analyst exports only plans whose every action they may see; the administrator
    # sees the restricted one too.
    client.force_login(world.administrator)

    response = client.get(
        reverse("workbooks:plan-export", args=[world.plan.slug]), {"layout": "vru"}
    )

    assert response.status_code == 200
    download = only_download()
    assert download.user == world.administrator
    assert download.username == world.administrator.username
    assert download.kind == Download.Kind.WORKBOOK
    assert download.plan_id == world.plan.pk and download.subject == "Test violence plan"
    assert download.options == {"layout": "vru"}
    # The plan holds bx2, which is restricted.
    assert download.rows == 6 and download.marking == Marking.OFFICIAL_SENSITIVE


def test_showing_the_export_form_records_nothing(client, world):
    client.force_login(world.analyst)

    client.get(reverse("workbooks:plan-export", args=[world.plan.slug]))

    assert not Download.objects.exists()


def test_a_filtered_download_records_the_filters_and_what_the_user_was_given(client, world):
    client.force_login(world.officer)

    response = client.get(
        reverse("workbooks:plan-download", args=[world.plan.slug]), {"rag": ["red", "amber"]}
    )

    assert response.status_code == 200
    download = only_download()
    assert download.kind == Download.Kind.FILTERED_WORKBOOK and download.user == world.officer
    assert download.options == {"rag": ["red", "amber"]}
    # a1 and b1; bx2 (restricted, red) is not the officer's to see.
    assert download.rows == 2 and download.marking == Marking.OFFICIAL


def test_a_plan_exported_in_the_admin_is_recorded(client, world):
    client.force_login(world.superuser)
    address = reverse("admin:actions_plan_export_workbook", args=[world.plan.pk])

    response = client.get(address, {"layout": "csp"})

    assert response.status_code == 200
    download = only_download()
    assert download.user == world.superuser and download.options == {"layout": "csp"}
    assert download.marking == Marking.OFFICIAL_SENSITIVE


def test_export_plan_records_the_system_user(world, tmp_path):
    call_command(
        "export_plan",
        "--plan",
        world.plan.slug,
        "-o",
        str(tmp_path / "p.xlsx"),
        stdout=io.StringIO(),
    )

    download = only_download()
    assert download.username.startswith(SYSTEM_PREFIX) and download.user is not None
    assert download.options == {"layout": world.plan.layout}


def test_the_pack_page_and_document_are_recorded(client, world):
    client.force_login(world.chair)
    query = {"since": "2021-11-01", "contents": "everything"}

    page = client.get(reverse("reporting:plan-pack", args=[world.plan.slug]), query)
    document = client.get(reverse("reporting:plan-pack-docx", args=[world.plan.slug]), query)

    assert page.status_code == document.status_code == 200
    kinds = [(d.kind, d.user, d.plan_id, d.options) for d in Download.objects.order_by("pk")]
    assert kinds == [
        (Download.Kind.PACK_PAGE, world.chair, world.plan.pk, query),
        (Download.Kind.PACK_DOCUMENT, world.chair, world.plan.pk, query),
    ]


def test_a_boards_pack_records_the_board(client, world):
    client.force_login(world.chair)

    client.get(reverse("reporting:board-pack-docx", args=[world.board.pk]), {"since": "2021-11-01"})

    download = only_download()
    assert download.board_id == world.board.pk and download.plan_id is None
    assert download.subject == "Test CSP board"
    assert download.rows > 0
