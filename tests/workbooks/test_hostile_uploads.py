"""Issue 12, findings 1 and 2: workbooks made to exhaust the server's memory or time, or
broken inside, are refused with our message on every import path (the plan's import page,
the admin's and the import_plan command); workbooks beyond the caps on actions and cells
are refused while they are read; long problem lists and large previews are cut short.

The workbooks are small versions of the issue's (benchmarks/hostile_uploads.py measures
the full-size ones), with the caps lowered through settings."""

import csv
import io
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from actions.models import Action, Marking
from boards.models import Role
from tests.clients import Client
from tests.factories import (
    ActionFactory,
    MembershipFactory,
    PlanFactory,
    ThemeFactory,
    user_in_role,
)
from tests.workbooks import hostile
from workbooks.formats import WORKBOOK_FORMATS
from workbooks.layouts import read_workbook
from workbooks.safety import MB, CellCount, Limits, WorkbookRefused

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DAMAGED = "The workbook is damaged and could not be read"
ZIP_BOMB = "it may be damaged or a &#x27;zip bomb&#x27;"


@pytest.fixture
def plan():
    plan = PlanFactory(title="Violence reduction plan", slug="violence-reduction", layout="vru")
    theme = ThemeFactory(plan=plan, name="Theme 1")
    ActionFactory(theme=theme, ref="1", text="Action number 1", rag="green")
    return plan


@pytest.fixture
def importing(client, plan):
    client.force_login(user_in_role(Role.ANALYST, partnerships=[plan.partnership]))
    return client


def upload(client, plan, data: bytes):
    url = reverse("workbooks:plan-import", args=[plan.slug])
    return client.post(url, {"file": SimpleUploadedFile("plan.xlsx", data, XLSX), "layout": "vru"})


def admin_upload(client, plan, data: bytes):
    layouts = [fmt.layout for fmt in WORKBOOK_FORMATS]
    return client.post(
        reverse("admin:actions_action_import"),
        {
            "plan": plan.pk,
            "format": layouts.index("vru"),
            "import_file": SimpleUploadedFile("plan.xlsx", data),
        },
    )


def snapshot():
    return list(Action.objects.order_by("pk").values()), Action.history.count()


def peak_bytes(work) -> int:
    tracemalloc.start()
    try:
        work()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def refused(data: bytes) -> str:
    with pytest.raises(WorkbookRefused) as caught:
        read_workbook(data, "vru")
    return str(caught.value)


# ---- finding 1: what the zip declares is not trusted ---------------------------------------


def test_a_part_inflating_far_beyond_its_declared_size_is_refused_without_inflating_it():
    # 30 MB of sheet XML, declared as twice its compressed size (about 60 KB).
    bomb = hostile.lying_bomb(30 * MB)
    assert len(bomb) < MB

    peak = peak_bytes(lambda: refused(bomb))

    assert "zip bomb" in refused(bomb)
    # Chunks of 64 KB: far below the 30 MB that reading the part whole costs.
    assert peak < 4 * MB, peak


def test_a_part_whose_checksum_is_wrong_is_refused_as_damaged():
    data = hostile.with_bad_crc(hostile.workbook_with_sheet(hostile.sheet_chunks([])))
    assert DAMAGED in refused(data)


def test_a_part_whose_compressed_bytes_are_broken_is_refused_as_damaged():
    rows = hostile.action_rows(200)
    data = hostile.with_broken_deflate(hostile.workbook_with_sheet(hostile.sheet_chunks(rows)))
    assert DAMAGED in refused(data)


def test_broken_sheet_xml_is_refused_as_damaged_while_the_rows_are_read():
    # A sound zip whose sheet XML stops in the middle of a row.
    chunks = hostile.sheet_chunks(hostile.action_rows(5), tail=b'<row r="99"><c r="A99"><v>')
    assert DAMAGED in refused(hostile.workbook_with_sheet(chunks))


def test_the_workbook_budget_counts_the_bytes_that_come_out(settings):
    settings.IMPORT_MAX_EXPANDED_BYTES = MB
    data = hostile.workbook_with_sheet([hostile.repeated_part(2 * MB)])
    assert "zip bomb" in refused(data)


@pytest.mark.parametrize(
    "make",
    [
        lambda: hostile.lying_bomb(5 * MB),
        lambda: hostile.with_bad_crc(hostile.workbook_with_sheet(hostile.sheet_chunks([]))),
        lambda: hostile.workbook_with_sheet(hostile.sheet_chunks([], tail=b"<row><c")),
    ],
    ids=["lying-bomb", "bad-crc", "broken-xml"],
)
def test_every_import_path_refuses_a_damaged_workbook_with_our_message(
    make, importing, admin_client, plan, tmp_path
):
    data = make()
    before = snapshot()

    page = upload(importing, plan, data)
    assert page.status_code == 200
    assert "govuk-error-summary" in page.content.decode()
    assert DAMAGED in page.content.decode() or ZIP_BOMB in page.content.decode()

    admin = admin_upload(admin_client, plan, data)
    assert admin.status_code == 200
    [error] = admin.context["form"].errors["import_file"]
    assert DAMAGED in error or "zip bomb" in error

    path = tmp_path / "hostile.xlsx"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="damaged|zip bomb"):
        call_command("import_plan", str(path), layout="vru", plan=plan.slug, dry_run=True)
    assert snapshot() == before


# ---- finding 2: caps on actions and cells ----------------------------------------------------


def test_more_actions_than_the_cap_are_refused_before_the_rest_is_read(settings):
    settings.IMPORT_MAX_ACTIONS = 50
    # Broken XML after row 60: reading on to it would refuse the file as damaged instead.
    chunks = hostile.sheet_chunks(hostile.action_rows(60), tail=b"<row><c")
    message = refused(hostile.workbook_with_sheet(chunks))
    assert "more than 50 actions" in message
    assert "row 52 of sheet 'Sheet' is action 51" in message


def test_a_workbook_at_the_cap_is_read(settings):
    settings.IMPORT_MAX_ACTIONS = 50
    parsed = read_workbook(
        hostile.workbook_with_sheet(hostile.sheet_chunks(hostile.action_rows(50))), "vru"
    )
    assert len(parsed.actions) == 50


def test_more_cells_than_the_cap_are_refused_before_openpyxl_reads_them(settings):
    settings.IMPORT_MAX_CELLS = 1000
    # 300 rows of 4 cells: 1,204 cells with the header.
    data = hostile.workbook_with_sheet(hostile.sheet_chunks(hostile.action_rows(300)))
    assert "more than 1,000 cells" in refused(data)


def test_blank_padding_cells_count_too(settings):
    settings.IMPORT_MAX_CELLS = 1000
    # Few cells in the XML, but each row reaches column ZZ: openpyxl fills in the rest.
    rows = ([None] * 700 + ["far away"] for _ in range(3))
    assert "more than 1,000 cells" in refused(
        hostile.workbook_with_sheet(hostile.sheet_chunks(rows))
    )


def test_a_merge_over_a_whole_sheet_counts_its_cells(settings):
    settings.IMPORT_MAX_CELLS = 1000
    # Filled in cell by cell, this merge alone was billions of cells (and all the memory).
    merge = b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    tail = b"</sheetData>" + merge + b"</worksheet>"
    data = hostile.workbook_with_sheet(hostile.sheet_chunks(hostile.action_rows(3), tail=tail))
    assert "more than 1,000 cells" in refused(data)


def test_a_row_wider_than_excel_allows_is_refused():
    cells = "".join(f'<c t="inlineStr"><is><t>{n}</t></is></c>' for n in range(16385))
    row = f'<row r="2">{cells}</row>'.encode()
    data = hostile.workbook_with_sheet(
        [next(hostile.sheet_chunks([])), row, b"</sheetData></worksheet>"]
    )
    assert "more than 16,384 cells" in refused(data)


def test_the_cap_is_refused_on_the_import_page_and_nothing_is_written(settings, importing, plan):
    settings.IMPORT_MAX_ACTIONS = 50
    before = snapshot()
    response = upload(
        importing, plan, hostile.workbook_with_sheet(hostile.sheet_chunks(hostile.action_rows(51)))
    )
    assert "The workbook has more than 50 actions" in response.content.decode()
    assert snapshot() == before


def problem_rows(count: int):
    return hostile.action_rows(count, rag="Purple", themes=1)


def test_only_the_first_200_problems_are_listed_with_a_count_of_the_rest(importing, plan):
    response = upload(
        importing, plan, hostile.workbook_with_sheet(hostile.sheet_chunks(problem_rows(250)))
    )
    page = response.content.decode()
    assert page.count("is not a RAG status") == 200
    assert "there are 50 more problems" in page
    assert "problems in the workbook" in page and ">250<" in page  # the count in the summary


def test_the_command_lists_200_problems_and_counts_the_rest(plan, tmp_path, capsys):
    path = tmp_path / "problems.xlsx"
    path.write_bytes(hostile.workbook_with_sheet(hostile.sheet_chunks(problem_rows(203))))
    with pytest.raises(SystemExit):
        call_command("import_plan", str(path), layout="vru", plan=plan.slug, dry_run=True)
    out = capsys.readouterr().out
    assert "Problems (203):" in out
    assert out.count("is not a RAG status") == 200
    assert "... and 3 more problems" in out


def test_a_large_preview_is_summarised_by_theme_with_every_row_to_download(
    settings, importing, plan
):
    settings.IMPORT_PREVIEW_ROWS = 20
    rows = hostile.action_rows(70, themes=3)  # theme 1's action 1 is the plan's own
    response = upload(importing, plan, hostile.workbook_with_sheet(hostile.sheet_chunks(rows)))
    page = response.content.decode()

    assert "The workbook has 70 action rows, too many to list here" in page
    assert "New actions (the first 20 of 69)" in page
    # Counts per theme: 24 rows in theme 1 (one unchanged), 23 in each of the others.
    assert (
        '<th scope="row" class="govuk-table__header">Theme 1</th><td class="govuk-table__cell '
        'govuk-table__cell--numeric">23</td><td class="govuk-table__cell govuk-table__cell--'
        'numeric">0</td><td class="govuk-table__cell govuk-table__cell--numeric">1</td>'
    ) in page
    assert page.count("Action number ") == 20
    download = reverse("workbooks:plan-import-rows", args=[plan.slug])
    assert f'href="{download}?token=' in page

    token = page.split(f'href="{download}?token=')[1].split('"')[0]
    response = importing.get(download, {"token": token})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][:5] == ["Sheet", "Row", "Theme", "Number", "Action"]
    assert len(lines) == 71
    assert sorted(line[4] for line in lines[1:]) == sorted(
        f"Action number {n}" for n in range(1, 71)
    )

    # The same rules as the preview: another analyst's session may not have it, and a
    # token that cannot be ours is a bad request.
    other = Client()
    other.force_login(user_in_role(Role.ANALYST, partnerships=[plan.partnership]))
    assert other.get(download, {"token": token}).status_code == 404
    assert importing.get(download, {"token": "../etc"}).status_code == 400
    outsider = Client()
    outsider.force_login(user_in_role(Role.ANALYST))
    assert outsider.get(download, {"token": token}).status_code == 404


def test_a_preview_download_cell_never_runs_as_a_formula(settings, importing, plan):
    settings.IMPORT_PREVIEW_ROWS = 0
    rows = [["Theme 1", "2", '=HYPERLINK("http://x")', "Green"]]
    page = upload(
        importing, plan, hostile.workbook_with_sheet(hostile.sheet_chunks(rows))
    ).content.decode()
    download = reverse("workbooks:plan-import-rows", args=[plan.slug])
    token = page.split(f'href="{download}?token=')[1].split('"')[0]
    text = importing.get(download, {"token": token}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_a_normal_preview_is_not_summarised(importing, plan):
    response = upload(
        importing, plan, hostile.workbook_with_sheet(hostile.sheet_chunks(hostile.action_rows(12)))
    )
    page = response.content.decode()
    assert "too many to list here" not in page
    assert "New actions (11)" in page
    assert reverse("workbooks:plan-import-rows", args=[plan.slug]) not in page


def test_the_admin_preview_offers_every_row_as_the_pages_download(settings, admin_client, plan):
    settings.IMPORT_PREVIEW_ROWS = 20
    rows = hostile.action_rows(70, themes=3)
    response = admin_upload(
        admin_client, plan, hostile.workbook_with_sheet(hostile.sheet_chunks(rows))
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Only the first 20 action rows are listed below; 50 more are counted above." in page
    rows_url = reverse("admin:actions_action_import_rows")
    assert f'href="{rows_url}?token=' in page
    link = (
        page.split('href="')[
            next(i for i, part in enumerate(page.split('href="')) if part.startswith(rows_url))
        ]
        .split('"')[0]
        .replace("&amp;", "&")
    )

    download = admin_client.get(link)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert lines[0][:5] == ["Sheet", "Row", "Theme", "Number", "Action"]
    assert len(lines) == 71

    # Only the session that previewed it; a token that cannot be ours is a bad request.
    other = Client()
    other.force_login(user_in_role(Role.ADMINISTRATOR, partnerships=[plan.partnership]))
    assert other.get(link).status_code == 404
    token = link.split("token=")[1].split("&")[0]
    assert admin_client.get(rows_url, {"token": "../etc", "plan": plan.pk}).status_code == 400
    assert admin_client.get(rows_url, {"token": token, "plan": "x"}).status_code == 400


def test_the_admin_lists_200_problems_and_the_first_rows(settings, admin_client, plan):
    settings.IMPORT_PREVIEW_ROWS = 30
    data = hostile.workbook_with_sheet(hostile.sheet_chunks(problem_rows(230)))

    response = admin_upload(admin_client, plan, data)

    result = response.context["result"]
    assert len(result.invalid_rows) == 200
    assert result.more_problems == 30
    assert result.totals["invalid"] == 230
    assert len(result.rows) == 30
    page = response.content.decode()
    assert "there are 30 more problems" in page
    assert "Only the first 30 action rows are listed below; 200 more are counted above" in page


def test_more_shared_strings_than_the_cap_on_cells_are_refused(settings):
    settings.IMPORT_MAX_CELLS = 1000
    strings = b"".join(b"<si><t>%d</t></si>" % n for n in range(600))  # 1,200 elements
    data = hostile.workbook_with_sheet(hostile.sheet_chunks([]))
    data = hostile.rezip(data, {}, extra={"xl/sharedStrings.xml": b"<sst>" + strings + b"</sst>"})
    assert "more than 1,000 cells" in refused(data)


def test_a_styles_part_of_millions_of_elements_is_refused_before_openpyxl_parses_it():
    styles = (
        b"<styleSheet><cellXfs>"
        + b"".join(b'<xf numFmtId="%d"/>' % n for n in range(600_000))
        + b"</cellXfs></styleSheet>"
    )
    data = hostile.rezip(
        hostile.workbook_with_sheet(hostile.sheet_chunks([])), {"xl/styles.xml": styles}
    )
    assert "Part xl/styles.xml of the workbook holds far more than a workbook needs" in refused(
        data
    )


@pytest.mark.parametrize("size", [1, 2, 3, 7, 16, 17, 100, 4096])
def test_cells_are_counted_the_same_however_the_xml_is_cut_into_chunks(size):
    rows = (
        b'<row r="%d">' % n + b'<c r="A1"/><x:c t="s"><v>1</v></x:c>' * (n % 5) + b"</row>"
        for n in range(300)
    )
    xml = b"".join(rows)
    count = CellCount(Limits())
    for start in range(0, len(xml), size):
        count.feed(xml[start : start + size])
    count.end_part()
    assert count.cells == sum(n % 5 * 2 for n in range(300))


def test_the_preview_download_states_the_marking_of_the_actions_it_shows(settings, client, plan):
    """Finding 6: the rows download shows the plan's actions as they are: one of them
    OFFICIAL-SENSITIVE, it says so in its first row, as an exported workbook does. (An
    analyst who sits on the plan's board, so that they may see it.)"""
    settings.IMPORT_PREVIEW_ROWS = 20
    Action.objects.filter(theme__plan=plan).update(marking=Marking.OFFICIAL_SENSITIVE)
    analyst = user_in_role(Role.ANALYST, partnerships=[plan.partnership])
    MembershipFactory(board=plan.board, person=analyst.person)
    client.force_login(analyst)
    importing = client
    rows = hostile.action_rows(70, themes=3)  # theme 1's action 1 is the plan's own
    page = upload(importing, plan, hostile.workbook_with_sheet(hostile.sheet_chunks(rows)))
    download = reverse("workbooks:plan-import-rows", args=[plan.slug])
    token = page.content.decode().split(f'href="{download}?token=')[1].split('"')[0]

    response = importing.get(download, {"token": token})

    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == ["OFFICIAL-SENSITIVE"]
    assert lines[1][:5] == ["Sheet", "Row", "Theme", "Number", "Action"]
