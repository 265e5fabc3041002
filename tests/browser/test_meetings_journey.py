"""A board meeting, in a real browser: the board's chair opens the forward plan from the
board's dashboard, sets up today's meeting from its forward-plan entry (the board's standing
item joins its agenda), records attendance and the minutes of an item, adds an action,
completes an action carried from the last meeting, opens the agenda to print and prints the
pre-meeting pack.

Every page is checked with axe-core (WCAG 2.2 AA) and screenshotted (pages.visit and
check_page), the agenda and the pack also as they print.
"""

import datetime
import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Marking
from meetings.models import AgendaItem, Meeting, MeetingAction, StandingItem
from tests.browser.pages import (
    PageChecks,
    assert_reflows,
    check_page,
    screenshot,
    sign_in_quickly,
    visit,
)


def click(page, role: str, name, screen: str) -> None:
    with page.expect_navigation():
        page.locator("main").get_by_role(role, name=name).first.click()
    check_page(page, screen)


def build_meetings(board) -> Meeting:
    """The board's September meeting (held, with an action still open) and today's meeting
    in its forward plan (its items, one marked), and a standing item. Returns today's."""
    september = Meeting.objects.create(
        board=board, date=datetime.date(2021, 9, 29), status=Meeting.Status.HELD
    )
    MeetingAction.objects.create(
        meeting=september,
        text="Chris Lyons to share women's safety survey with MPS to support tasking.",
        owners_as_written="Chris Lyons",
    )
    today = Meeting.objects.create(board=board, date=timezone.localdate())
    for order, (number, title, minutes, marking) in enumerate(
        [
            ("1", "Introductions and Apologies for Absence", 2, Marking.OFFICIAL),
            ("3", "Minutes", 5, Marking.OFFICIAL),
            ("11", "Heathway Tensions", 10, Marking.OFFICIAL_SENSITIVE),
            ("13", "Forward Plan", 5, Marking.OFFICIAL),
        ]
    ):
        AgendaItem.objects.create(
            meeting=today,
            number=number,
            title=title,
            minutes_allowed=minutes,
            marking=marking,
            presenter_as_written="Chair",
            order=order,
        )
    StandingItem.objects.create(board=board, title="Violence performance", minutes_allowed=10)

    return today


def test_a_chair_runs_a_meeting_from_the_forward_plan(page, context, live_server, plan_world):
    board = plan_world.board
    today = build_meetings(board)
    sign_in_quickly(context, live_server.url, plan_world.chair)
    main = page.locator("main")
    checks = PageChecks()

    with checks.page("forward plan"):
        visit(page, reverse("reporting:board-dashboard", args=[board.pk]), "dashboard")
        click(page, "link", "The board's meetings", "meetings")
        expect(main.locator("#forward-plan")).to_be_visible()
        expect(main).to_contain_text("Heathway Tensions")
        click(page, "link", "Set up this meeting from its forward-plan entry", "set-up")
        main.get_by_label("Start time (optional)").fill("10:00")
        main.get_by_label("End time (optional)").fill("13:00")
        main.get_by_label("Venue (optional)").fill("Conference Centre, Barking Learning Centre")
        click(page, "button", "Set up the meeting", "meeting")
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "with the board's standing items"
        )
        agenda = main.locator("#agenda ~ .app-table-wrapper table")
        expect(agenda).to_contain_text("Violence performance")
        # The running clock: 10:00, then 2, 5, 10 and 5 minutes on.
        expect(agenda.locator("tbody tr").nth(4)).to_contain_text("10:22")
        expect(main.locator(".app-marking-tag").first).to_be_visible()

    with checks.page("attendance"):
        click(page, "link", "Record attendance", "attendance")
        main.get_by_label("Present").fill("Councillor Mullane\nChris Lyons\nJade Hodgson")
        main.get_by_label("Apologies").fill("Kevin MaKambe")
        main.get_by_label("Chair (optional)").fill("Councillor Mullane")
        main.get_by_label("Note taker (optional)").fill("Jade Hodgson")
        click(page, "button", "Save the attendance", "attendance-saved")
        expect(main.locator("#attendance ~ dl").first).to_contain_text("Councillor Mullane (chair)")

    with checks.page("minutes"):
        # (The item's title is in the link's name, hidden from sight, after a space.)
        click(page, "link", re.compile(r"^Record minutes\W+Forward Plan$"), "minutes")
        main.get_by_label("Minutes").fill("The board reviewed the CSP forward plan.")
        click(page, "button", "Save the minutes", "minutes-saved")
        expect(main).to_contain_text("The board reviewed the CSP forward plan.")

    with checks.page("add an action"):
        click(page, "link", "Add an action", "action-add")
        main.get_by_label("Action", exact=True).fill(
            "Jade Hodgson to update CSP Board forward plan"
        )
        main.get_by_label("Owners as written (optional)").fill("Jade Hodgson")
        main.get_by_label("Agenda item (optional)").select_option(label="13. Forward Plan")
        click(page, "button", "Add the action", "action-added")
        expect(main.locator("#actions ~ .app-table-wrapper table")).to_contain_text(
            "Jade Hodgson to update"
        )

    with checks.page("complete the old action"):
        arising = main.locator(".app-matters-arising")
        expect(arising).to_contain_text("29 September 2021")
        click(page, "button", re.compile(r"^Complete\W+Chris Lyons to share"), "action-completed")
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "Action completed"
        )
        expect(main.locator(".app-matters-arising")).to_contain_text("at this meeting")
        visit(page, reverse("meetings:action-log", args=[board.pk]), "action-log")
        expect(main).to_contain_text("Completed at the meeting of")

    with checks.page("printable agenda"):
        visit(page, reverse("meetings:meeting", args=[board.pk, today.date]), "meeting-again")
        click(page, "link", "The agenda to print", "agenda")
        expect(main.locator("table")).to_contain_text("Violence performance")
        page.emulate_media(media="print")
        screenshot(page, "agenda-print")
        expect(page.locator(".govuk-template__header")).to_be_hidden()
        expect(page.locator(".app-footer")).to_be_hidden()
        expect(page.locator(".govuk-back-link")).to_be_hidden()
        page.emulate_media(media="screen")

    with checks.page("the pack to print"):
        visit(page, reverse("meetings:meeting", args=[board.pk, today.date]), "meeting-for-pack")
        click(page, "link", "The pre-meeting pack (a page to print)", "pack")
        expect(main.locator("h1")).to_contain_text("Pre-meeting pack")
        pack = main.locator(".app-pack")
        # Its agenda, the marked item too for the board's chair, and the last meeting's
        # action, completed at this one.
        expect(pack).to_contain_text("Violence performance")
        expect(pack).to_contain_text("Heathway Tensions")
        expect(pack).to_contain_text("Chris Lyons to share women's safety survey")
        page.emulate_media(media="print")
        # axe-checked as it prints too, as on screen (above, on opening it).
        check_page(page, "pack-print")
        expect(page.locator(".govuk-template__header")).to_be_hidden()
        expect(page.locator(".app-footer")).to_be_hidden()
        expect(page.locator(".govuk-back-link")).to_be_hidden()
        # The choices and links for the screen (the Word documents, the marked items
        # left out) are not printed; the pack is.
        expect(pack.locator(".app-no-print").first).to_be_hidden()
        expect(pack.get_by_role("button", name="Show the pack")).to_be_hidden()
        expect(pack.locator(".app-pack__part").first).to_be_visible()
        page.emulate_media(media="screen")

    checks.assert_all_passed()
    completed = MeetingAction.objects.get(owners_as_written="Chris Lyons")
    assert completed.status == MeetingAction.Status.COMPLETED
    assert completed.history.first().history_user == plan_world.chair


def test_the_meetings_pages_reflow_on_a_small_screen(page, context, live_server, plan_world):
    """At 320 CSS pixels wide (WCAG 1.4.10) nothing makes the pages scroll sideways; wide
    tables scroll inside their own wrappers."""
    board = plan_world.board
    today = build_meetings(board)
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in_quickly(context, live_server.url, plan_world.chair)
    checks = PageChecks()
    for name, address in [
        ("small-meetings", reverse("meetings:board-meetings", args=[board.pk])),
        ("small-meeting", reverse("meetings:meeting", args=[board.pk, today.date])),
        ("small-log", reverse("meetings:action-log", args=[board.pk])),
        ("small-agenda", reverse("meetings:agenda-print", args=[board.pk, today.date])),
        ("small-attendance", reverse("meetings:attendance", args=[board.pk, today.date])),
    ]:
        with checks.page(name):
            visit(page, address, name)
            assert_reflows(page, name)
    checks.assert_all_passed()
