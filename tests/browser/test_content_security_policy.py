"""The Content-Security-Policy (cspplan/settings.py) in a real browser: the main pages and
the admin's load with nothing refused. Every page any browser test visits is checked too
(pages.check_page fails on a violation); this test makes sure the main ones are visited,
each by a user who may see it."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser.pages import PageChecks, check_page, sign_in_quickly, visit
from tests.factories import UserFactory

WORKBOOK = Path(__file__).parent.parent / "data" / "vru_as_sent.xlsx"


def test_the_policy_refuses_inline_style_and_the_check_reports_it(page, context, live_server):
    # The check itself: markup with a style attribute, as an injection would add, is
    # refused by the browser and reported, so a clean page below means something.
    visit(page, reverse("login"), "sign-in")
    page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML(
            "beforeend", '<p style="color: red">Injected</p>')"""
    )
    page.wait_for_function("() => document.querySelector('main p:last-child')")
    with pytest.raises(AssertionError, match="Content-Security-Policy: style-src-attr refused"):
        check_page(page, "sign-in-with-injected-style")


def test_the_main_pages_keep_to_the_policy(page, context, live_server, plan_world):
    plan, action = plan_world.plan, plan_world.officers_action
    checks = PageChecks()

    with checks.page("accessibility statement, signed out"):
        visit(page, reverse("accessibility"), "accessibility")

    sign_in_quickly(context, live_server.url, plan_world.officer)
    for name, url in [
        ("my actions", reverse("actions:my-actions")),
        ("plan", reverse("actions:plan-detail", args=[plan.slug])),
        ("action", reverse("actions:action-detail", args=[action.pk])),
        ("update form", reverse("actions:action-update", args=[action.pk])),
    ]:
        with checks.page(name):
            visit(page, url, name.replace(" ", "-"))

    context.clear_cookies()
    sign_in_quickly(context, live_server.url, plan_world.chair)
    for name, url in [
        ("boards", reverse("reporting:board-list")),
        ("board dashboard", reverse("reporting:board-dashboard", args=[plan_world.board.pk])),
        ("plan dashboard", reverse("reporting:plan-dashboard", args=[plan.slug])),
        ("board pack", reverse("reporting:board-pack", args=[plan_world.board.pk])),
        ("plan pack", reverse("reporting:plan-pack", args=[plan.slug])),
        ("since the last meeting", reverse("reporting:plan-since", args=[plan.slug])),
    ]:
        with checks.page(name):
            visit(page, url, name.replace(" ", "-"))

    context.clear_cookies()
    sign_in_quickly(context, live_server.url, plan_world.analyst)
    for name, url in [
        ("export", reverse("workbooks:plan-export", args=[plan.slug])),
        ("import", reverse("workbooks:plan-import", args=[plan.slug])),
    ]:
        with checks.page(name):
            visit(page, url, name)

    checks.assert_all_passed()


def test_the_admin_keeps_to_the_policy(page, context, live_server, plan_world):
    # The admin's own templates and scripts (Django 5.2's, django-import-export's) and ours,
    # as an administrator sees them, with no exemption from the policy. Not axe-core: the
    # admin's change forms fail it in Django's own markup (the accessibility statement says
    # so); the action list is checked with it in test_wide_tables.py.
    administrator = UserFactory(is_staff=True, is_superuser=True)
    sign_in_quickly(context, live_server.url, administrator)
    action = plan_world.officers_action
    checks = PageChecks()
    for name, url in [
        ("admin index", reverse("admin:index")),
        ("admin action list", reverse("admin:actions_action_changelist")),
        ("admin action change form", reverse("admin:actions_action_change", args=[action.pk])),
        ("admin plan change form", reverse("admin:actions_plan_change", args=[plan_world.plan.pk])),
        ("admin action import", reverse("admin:actions_action_import")),
    ]:
        with checks.page(name):
            visit(page, url, name.replace(" ", "-"), axe=False)
    with checks.page("admin plan export"):
        url = reverse("admin:actions_plan_export_workbook", args=[plan_world.plan.pk])
        visit(page, url, "admin-plan-export", axe=False)
    with checks.page("admin import preview"):
        # django-import-export's preview page, with its table of rows and problems.
        visit(page, reverse("admin:actions_action_import"), "admin-import", axe=False)
        form = page.locator("form:has(input[type=file])")
        form.locator("select[name=plan]").select_option(str(plan_world.plan.pk))
        form.locator("input[type=file]").set_input_files(WORKBOOK)
        form.locator("select[name=format]").select_option(index=1)
        with page.expect_navigation():
            form.locator("input[type=submit], button[type=submit]").first.click()
        page.locator(".import-preview, .errorlist, .validation-error-list").first.wait_for()
        check_page(page, "admin-import-preview", axe=False)
    with checks.page("admin autocomplete opened"):
        # The lead people's autocomplete (select2) builds its markup in the page's script.
        url = reverse("admin:actions_action_change", args=[action.pk])
        visit(page, url, "admin-action", axe=False)
        page.locator(".select2-selection").first.click()
        page.locator(".select2-results").first.wait_for()
        check_page(page, "admin-autocomplete", axe=False)
    checks.assert_all_passed()
