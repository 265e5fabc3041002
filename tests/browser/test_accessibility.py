"""Every page of issue 4, as the user who would see it, is clean under axe-core's WCAG 2.2 AA
rules (the check is in pages.visit / check_page), including the pages that show errors.

One test per kind of user keeps the browser suite quick; PageChecks reports every failing
page of a test, not just the first.
"""

from pathlib import Path

from django.urls import reverse

from tests.browser.pages import (
    PageChecks,
    assert_reflows,
    check_page,
    sign_in_quickly,
    submit,
    visit,
)

WORKBOOK = Path(__file__).parent.parent / "data" / "vru_as_sent.xlsx"


def test_signed_out_pages(page, live_server):
    checks = PageChecks()
    with checks.page("sign-in"):
        visit(page, reverse("login"), "sign-in")
    with checks.page("sign-in with errors"):
        visit(page, reverse("login"), "sign-in-again")
        page.locator("[name=username]").fill("nobody")
        page.locator("[name=password]").fill("not-the-password")
        submit(page, "form:has([name=username])")
        check_page(page, "sign-in-errors")
    with checks.page("password reset"):
        visit(page, reverse("password_reset"), "password-reset")
    with checks.page("accessibility statement"):
        # Public, and it states what these checks cover (templates/accessibility.html).
        visit(page, reverse("accessibility"), "accessibility")
    checks.assert_all_passed()


def test_officer_pages(page, context, live_server, plan_world):
    sign_in_quickly(context, live_server.url, plan_world.officer)
    action = plan_world.officers_action
    checks = PageChecks()
    with checks.page("my actions"):
        visit(page, reverse("actions:my-actions"), "my-actions")
    with checks.page("action"):
        visit(page, reverse("actions:action-detail", args=[action.pk]), "action")
    with checks.page("update form"):
        visit(page, reverse("actions:action-update", args=[action.pk]), "update-form")
    with checks.page("update form with errors"):
        # Sent empty: the form must say what is missing, accessibly.
        submit(page)
        check_page(page, "update-form-errors")
    checks.assert_all_passed()


def test_chair_pages(page, context, live_server, plan_world):
    sign_in_quickly(context, live_server.url, plan_world.chair)
    plan_url = reverse("actions:plan-detail", args=[plan_world.plan.slug])
    checks = PageChecks()
    with checks.page("plans"):
        visit(page, reverse("actions:plan-list"), "plans")
    with checks.page("plan"):
        visit(page, plan_url, "plan")
    with checks.page("plan filtered by Red"):
        visit(page, plan_url + "?rag=red", "plan-red")
    with checks.page("action seen by the chair"):
        visit(
            page, reverse("actions:action-detail", args=[plan_world.officers_action.pk]), "action"
        )
    checks.assert_all_passed()


def test_analyst_pages(page, context, live_server, plan_world):
    sign_in_quickly(context, live_server.url, plan_world.analyst)
    slug = plan_world.plan.slug
    checks = PageChecks()
    with checks.page("export"):
        visit(page, reverse("workbooks:plan-export", args=[slug]), "export")
    with checks.page("import"):
        visit(page, reverse("workbooks:plan-import", args=[slug]), "import")
    with checks.page("import with errors"):
        submit(page)  # no workbook chosen
        check_page(page, "import-errors")
    with checks.page("import preview"):
        visit(page, reverse("workbooks:plan-import", args=[slug]), "import-again")
        page.locator("input[type=file]").set_input_files(WORKBOOK)
        submit(page)
        check_page(page, "import-preview")
    checks.assert_all_passed()


def test_pages_reflow_on_a_small_screen(page, context, live_server, plan_world):
    """At 320 CSS pixels wide (WCAG 1.4.10, and a small phone) the officer's pages do not
    scroll sideways; wide tables scroll inside their own wrappers."""
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in_quickly(context, live_server.url, plan_world.officer)
    action = plan_world.officers_action
    checks = PageChecks()
    for name, url in [
        ("small-my-actions", reverse("actions:my-actions")),
        ("small-plans", reverse("actions:plan-list")),
        ("small-plan", reverse("actions:plan-detail", args=[plan_world.plan.slug])),
        ("small-action", reverse("actions:action-detail", args=[action.pk])),
        ("small-update-form", reverse("actions:action-update", args=[action.pk])),
    ]:
        with checks.page(name):
            visit(page, url, name)
            assert_reflows(page, name)
    checks.assert_all_passed()
