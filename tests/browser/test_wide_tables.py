"""Wide tables never hide a column. On a desktop screen (1280 px) every column of the import
preview, My actions, the dashboards and the admin's action list is in view, no scrolling
sideways; on a phone (375 px) the page does not widen, and the columns a person needs there
(the action, its RAG status, and on My actions the Update link) are on screen without
scrolling sideways, the rest in reach by scrolling the table.

With the demo data (fixtures/), whose real wording makes the widest cells.
"""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from actions.models import Plan
from tests.browser.pages import (
    PageChecks,
    assert_reflows,
    check_page,
    sign_in_quickly,
    submit,
    visit,
)

WORKBOOK = Path(__file__).parent.parent / "data" / "vru_as_sent.xlsx"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}

# Each table's header cells that stick out of what is on screen: past the right edge of the
# box that clips the table (its scrolling wrapper, or the window), as it is scrolled now.
_CUT_JS = """table => {
  let box = table.parentElement;
  while (box && box !== document.body && getComputedStyle(box).overflowX === "visible") {
    box = box.parentElement;
  }
  const window_right = document.documentElement.clientWidth;
  const right = box && box !== document.body
    ? Math.min(box.getBoundingClientRect().right, window_right) : window_right;
  const left = box && box !== document.body ? Math.max(box.getBoundingClientRect().left, 0) : 0;
  return [...table.querySelectorAll("thead th")]
    .filter(th => th.getBoundingClientRect().right > right + 1
      || th.getBoundingClientRect().left < left - 1)
    .map(th => th.textContent.trim().replace(/\\s+/g, " ") || "(no heading)");
}"""


@pytest.fixture
def demo(transactional_db, settings):
    """The seed partnerships and plans, and the demo users (the officer, chair, analyst and
    administrator of README.md)."""
    call_command("load_demo", verbosity=0)
    settings.DEBUG = True  # demo_users refuses to make known passwords otherwise
    call_command("demo_users", stdout=io.StringIO())
    settings.DEBUG = False
    users = get_user_model().objects
    return {name: users.get(username=name) for name in ("officer", "chair", "analyst", "admin")}


def cut_columns(page, tables: str = "main table") -> dict[int, list[str]]:
    """{table's index on the page: the headings of its columns not on screen}, for each
    table with any."""
    cut = {}
    for index, table in enumerate(page.locator(tables).all()):
        if not table.is_visible():
            continue  # inside a closed <details>
        hidden = table.evaluate(_CUT_JS)
        if hidden:
            cut[index] = hidden
    return cut


def bd_plan() -> Plan:
    return Plan.objects.get(slug="bd-vru-2021-22")


def pages_of(role: str) -> list[tuple[str, str, str, set[str]]]:
    """(name, address, the tables to measure, the headings of the columns a person needs on
    a phone) of the wide pages `role` uses."""
    plan = bd_plan()
    if role == "officer":
        key = {"Action", "RAG status", "Update"}
        return [("my-actions", reverse("actions:my-actions"), "main table", key)]
    if role == "chair":
        # The lists' actions and statuses, and the theme (or origin, or organisation) that
        # each row of a table of counts is about.
        key = {"Action", "RAG status", "Theme", "Origin", "Lead organisation", "Plan"}
        return [
            (
                "plan-dashboard",
                reverse("reporting:plan-dashboard", args=[plan.slug]),
                "main table",
                key,
            ),
            (
                "board-dashboard",
                reverse("reporting:board-dashboard", args=[plan.board_id]),
                "main table",
                key,
            ),
        ]
    key = {"Ref", "Action", "RAG status"}
    return [("admin-actions", reverse("admin:actions_action_changelist"), "#result_list", key)]


# Each test loads the demo (8 s): the live server's database is emptied after every test.
# So one test per screen width signs in as each user in turn.
ROLES = ("officer", "chair", "admin")


def sign_in_as(context, live_server, user) -> None:
    context.clear_cookies()
    sign_in_quickly(context, live_server.url, user)


def preview_an_import(page, name: str) -> None:
    """The analyst's preview of the VRU workbook as sent, into the demo's plan."""
    visit(page, reverse("workbooks:plan-import", args=[bd_plan().slug]), name)
    page.locator("input[type=file]").set_input_files(WORKBOOK)
    submit(page)
    check_page(page, f"{name}-preview")


def test_every_column_is_in_view_at_1280_px(page, context, live_server, demo):
    page.set_viewport_size(DESKTOP)
    checks = PageChecks()
    for role in ROLES:
        sign_in_as(context, live_server, demo[role])
        for name, url, tables, _ in pages_of(role):
            with checks.page(name):
                visit(page, url, f"desktop-{name}")
                assert page.locator(tables).count(), f"no table on {name}"
                assert cut_columns(page, tables) == {}, f"columns cut off on {name}"
                assert_reflows(page, name)
    sign_in_as(context, live_server, demo["analyst"])
    with checks.page("import preview"):
        preview_an_import(page, "desktop-import")
        assert page.locator("main table").count()
        assert cut_columns(page) == {}
        assert_reflows(page, "import preview")
    checks.assert_all_passed()


def key_columns_cut(page, tables: str, key_columns: set[str]) -> dict[int, list[str]]:
    """`cut_columns`, of the columns headed `key_columns` alone."""
    cut = {}
    for index, headings in cut_columns(page, tables).items():
        key = [heading for heading in headings if heading in key_columns]
        if key:
            cut[index] = key
    return cut


# The Update links (and links to actions) that are off screen without scrolling sideways.
_LINKS_OFF_SCREEN_JS = """selector => [...document.querySelectorAll(selector)]
  .filter(link => {
    const box = link.getBoundingClientRect();
    let clip = link.closest(".app-table-wrapper, .results");
    const right = clip ? Math.min(clip.getBoundingClientRect().right, innerWidth) : innerWidth;
    return box.width === 0 || box.left < 0 || box.right > right + 1;
  })
  .map(link => link.textContent.trim().replace(/\\s+/g, " "))"""


def test_the_key_columns_and_update_links_are_on_screen_at_375_px(page, context, live_server, demo):
    """On a phone the pages do not widen, and the columns a person needs are on screen.
    The import preview's page does not widen either: each wide table scrolls in its own
    box, so every column (the row, the action and its changes among them) is in reach."""
    page.set_viewport_size(PHONE)
    checks = PageChecks()
    for role in ROLES:
        sign_in_as(context, live_server, demo[role])
        for name, url, tables, key_columns in pages_of(role):
            with checks.page(name):
                visit(page, url, f"phone-{name}")
                assert_reflows(page, name)
                cut = key_columns_cut(page, tables, key_columns)
                assert cut == {}, f"key columns off screen on {name}"
                if role == "officer":
                    updates = page.locator("main a[href$='/update/']")
                    assert updates.count()
                    assert page.evaluate(_LINKS_OFF_SCREEN_JS, "main a[href$='/update/']") == []
    sign_in_as(context, live_server, demo["analyst"])
    with checks.page("import preview"):
        preview_an_import(page, "phone-import")
        assert page.locator("main table").count()
        assert_reflows(page, "import preview")
    checks.assert_all_passed()
