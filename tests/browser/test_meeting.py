"""Before a meeting, in a real browser: the board's chair goes from the plan page to what
changed since the last meeting (choosing the date, and getting it wrong once), the plan's
indicators and the pre-meeting pack, prints the pack and downloads it as a Word document.

Every page is checked with axe-core (WCAG 2.2 AA) and screenshotted (pages.visit and
check_page), the pack also as it prints.
"""

import datetime
import io
from pathlib import Path

import docx
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from actions.rag import RAG
from actions.services import action_update, action_version
from tests.browser.pages import (
    PageChecks,
    assert_reflows,
    check_page,
    screenshot,
    sign_in_quickly,
    visit,
)
from tests.factories import IndicatorFactory, IndicatorValueFactory


def add_indicators(plan):
    """Two indicators with values (an Amber and a Green one by the rule) and one without."""
    amber = IndicatorFactory(
        plan=plan, description="Reduce knife crime with injury", target=100, baseline=130
    )
    for year, value in ((2016, 140), (2017, 125), (2018, 118)):
        IndicatorValueFactory(
            indicator=amber,
            date=datetime.date(year, 3, 31),
            period=f"{year - 1}/{str(year)[2:]}",
            value=value,
        )
    green = IndicatorFactory(
        plan=plan, description="Increase hate crime reports", direction="increase", target=50
    )
    IndicatorValueFactory(indicator=green, date=datetime.date(2018, 3, 31), value=48)
    IndicatorFactory(plan=plan, description="Reduce ambulance call-outs", target_text="Reduce")


def submit(page, button: str, name: str) -> None:
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name=button).click()
    check_page(page, name)


def fill_date(page, day, month, year) -> None:
    group = page.get_by_role("group", name="Date of the last meeting")
    group.get_by_label("Day").fill(str(day))
    group.get_by_label("Month").fill(str(month))
    group.get_by_label("Year").fill(str(year))


def test_a_chair_prepares_for_the_meeting(page, context, live_server, plan_world):
    add_indicators(plan_world.plan)
    # A change the since page should show: the green action goes Amber, by the chair's
    # officer, today.
    green = plan_world.green_action
    action_update(
        action=green,
        user=plan_world.officer,
        expected_version=action_version(green),
        rag=RAG.AMBER,
    )
    sign_in_quickly(context, live_server.url, plan_world.chair)
    slug = plan_world.plan.slug
    main = page.locator("main")
    checks = PageChecks()

    with checks.page("since the last meeting"):
        visit(page, reverse("actions:plan-detail", args=[slug]), "plan")
        with page.expect_navigation():
            main.get_by_role("link", name="what changed since the last meeting").click()
        check_page(page, "since-default")
        expect(page.locator("h1")).to_have_text("Since the last meeting")
        expect(main).to_contain_text("four weeks ago")
        # A date that is not a date: a GOV.UK error, linked to the day box.
        fill_date(page, 31, 2, 2022)
        submit(page, "Show changes", "since-error")
        expect(page.locator(".govuk-error-summary")).to_contain_text("must be a real date")
        page.locator(".govuk-error-summary a").click()
        expect(
            page.get_by_role("group", name="Date of the last meeting").get_by_label("Day")
        ).to_be_focused()
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        fill_date(page, yesterday.day, yesterday.month, yesterday.year)
        submit(page, "Show changes", "since-yesterday")
        expect(main.locator("#rag-changes")).to_have_text("RAG status changes (1)")
        expect(main.locator("section", has=page.locator("#rag-changes"))).to_contain_text(
            "Green to Amber"
        )

    with checks.page("indicators"):
        visit(page, reverse("reporting:plan-indicators", args=[slug]), "indicators")
        expect(main).to_contain_text("Green: the latest value meets the target")
        card = main.locator(".govuk-summary-card", has_text="Reduce knife crime with injury")
        expect(card.locator(".app-rag")).to_have_text("Amber")
        expect(card.locator("svg")).to_have_attribute("aria-hidden", "true")
        expect(card.locator("table")).to_contain_text("118")

    with checks.page("pack"):
        visit(page, reverse("reporting:plan-pack", args=[slug]), "pack")
        expect(page.locator("h1")).to_contain_text(plan_world.plan.title)
        expect(main.locator("#red")).to_have_text("Red (1)")
        # Printed: the pack alone, on landscape A4.
        page.emulate_media(media="print")
        screenshot(page, "pack-print")
        expect(page.locator(".govuk-template__header")).to_be_hidden()
        expect(page.locator(".app-footer")).to_be_hidden()
        expect(page.locator("form.app-no-print")).to_be_hidden()
        # Without the addresses GOV.UK Frontend prints after links elsewhere.
        after = page.locator(".app-pack a.govuk-link").first.evaluate(
            "link => getComputedStyle(link, '::after').content"
        )
        assert after in ("none", "normal"), after
        pdf = page.pdf(prefer_css_page_size=True)
        assert b"/MediaBox [0 0 841.9" in pdf  # A4 is 595 x 842 points, here on its side
        page.emulate_media(media="screen")

        with page.expect_download() as download:
            main.get_by_role("link", name="download the pack as a Word document (.docx)").click()
        today = timezone.localdate().isoformat()
        assert download.value.suggested_filename == f"{slug}-pack-{today}.docx"
        document = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
        assert document.paragraphs[0].text == plan_world.plan.title

    with checks.page("board pages"):
        board = plan_world.board.pk
        visit(page, reverse("reporting:board-since", args=[board]), "board-since")
        visit(page, reverse("reporting:board-pack", args=[board]), "board-pack")

    checks.assert_all_passed()


def test_the_meeting_pages_reflow_on_a_small_screen(page, context, live_server, plan_world):
    """At 320 CSS pixels wide (WCAG 1.4.10) nothing makes the pages scroll sideways; wide
    tables scroll inside their own wrappers."""
    add_indicators(plan_world.plan)
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in_quickly(context, live_server.url, plan_world.chair)
    slug = plan_world.plan.slug
    checks = PageChecks()
    for name, url in [
        ("small-since", reverse("reporting:plan-since", args=[slug])),
        ("small-indicators", reverse("reporting:plan-indicators", args=[slug])),
        ("small-pack", reverse("reporting:plan-pack", args=[slug])),
    ]:
        with checks.page(name):
            visit(page, url, name)
            assert_reflows(page, name)
    checks.assert_all_passed()


def test_the_date_can_be_chosen_without_javascript(browser, live_server, plan_world):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(5_000)
    try:
        sign_in_quickly(context, live_server.url, plan_world.chair)
        page = context.new_page()
        page.goto(reverse("reporting:plan-since", args=[plan_world.plan.slug]))
        fill_date(page, 1, 11, 2021)
        with page.expect_navigation():
            page.locator("main").get_by_role("button", name="Show changes").click()
        assert "since_0=1&since_1=11&since_2=2021" in page.url
        expect(page.locator("main")).to_contain_text("Showing changes since 1 November 2021")
    finally:
        context.close()
