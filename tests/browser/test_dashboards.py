"""Issue 5's dashboards in a real browser: a chair signs in, opens Boards, their board's
dashboard, and follows the red count to the plan page filtered to the red actions. Every page
is checked with axe-core (WCAG 2.2 AA) and screenshotted; the dashboards reflow at 320 px and
work with JavaScript off."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.pages import (
    PageChecks,
    artifact_dir,
    assert_reflows,
    check_page,
    record,
    screenshot,
    sign_in,
    sign_in_quickly,
    visit,
)


def click_and_check(page, locator, name: str) -> None:
    with page.expect_navigation():
        locator.click()
    check_page(page, name)


def test_a_chair_follows_the_red_count_from_their_boards_dashboard(page, plan_world):
    board, plan = plan_world.board, plan_world.plan
    main = page.locator("main")

    sign_in(page, plan_world.chair.username, name="chair-sign-in")
    check_page(page, "my-actions")

    click_and_check(page, page.get_by_role("link", name="Boards", exact=True), "boards")
    expect(page.locator("h1")).to_have_text("Boards")
    # The board with its totals in words: one red and one amber of the five actions.
    expect(main).to_contain_text("5 actions: 1 red, 1 amber, 1 green, 1 complete, 1 not rated")

    click_and_check(page, main.get_by_role("link", name=board.name, exact=True), "board-dashboard")
    assert page.url.endswith(reverse("reporting:board-dashboard", args=[board.pk]))
    expect(page.locator("h1")).to_have_text(board.name)
    # The red action is listed with its latest update's words.
    red = main.locator("#list-red").locator("..")
    expect(red).to_contain_text(plan_world.others_red_action.text)

    # The red count in the table of plans: its link says what it counts.
    table = main.get_by_role("table", name="Actions by plan and RAG status")
    red_count = table.get_by_role("link", name=re.compile(r"^1 Red: "))
    click_and_check(page, red_count, "plan-filtered-red")
    assert re.search(r"[?&]rag=red(&|$)", page.url), page.url
    assert reverse("actions:plan-detail", args=[plan.slug]) in page.url
    expect(main).to_contain_text("1 action matching the filters")
    red_url = reverse("actions:action-detail", args=[plan_world.others_red_action.pk])
    expect(main.locator(f'a[href="{red_url}"]')).to_have_count(1)
    green_url = reverse("actions:action-detail", args=[plan_world.green_action.pk])
    expect(main.locator(f'a[href="{green_url}"]')).to_have_count(0)

    # From the plan page to its own dashboard.
    click_and_check(
        page, main.get_by_role("link", name="The plan's dashboard"), "plan-dashboard-from-plan"
    )
    assert page.url.endswith(reverse("reporting:plan-dashboard", args=[plan.slug]))


def test_the_dashboards_reflow_on_a_phone(page, context, live_server, plan_world):
    sign_in_quickly(context, live_server.url, plan_world.chair)
    page.set_viewport_size({"width": 320, "height": 640})
    checks = PageChecks()
    pages = {
        "boards-320": reverse("reporting:board-list"),
        "board-dashboard-320": reverse("reporting:board-dashboard", args=[plan_world.board.pk]),
        "plan-dashboard-320": reverse("reporting:plan-dashboard", args=[plan_world.plan.slug]),
    }
    for name, url in pages.items():
        with checks.page(name):
            visit(page, url, name)
            assert_reflows(page, name)
    checks.assert_all_passed()


def test_the_dashboard_works_without_javascript(browser, live_server, plan_world, request):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(5_000)
    sign_in_quickly(context, live_server.url, plan_world.chair)
    page = context.new_page()
    record(page, artifact_dir(request.node.name))
    try:
        page.goto(reverse("reporting:board-dashboard", args=[plan_world.board.pk]))
        screenshot(page, "board-dashboard-no-js")
        table = page.get_by_role("table", name="Actions by plan and RAG status")
        with page.expect_navigation():
            table.get_by_role("link", name=re.compile(r"^1 Red: ")).click()
        screenshot(page, "plan-filtered-red-no-js")
        assert re.search(r"[?&]rag=red(&|$)", page.url), page.url
        expect(page.locator("main")).to_contain_text("1 action matching the filters")
    finally:
        context.close()
