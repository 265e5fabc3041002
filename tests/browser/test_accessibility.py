"""Every page of issue 4, as the user who would see it, is clean under axe-core's WCAG 2.2 AA
rules (the check is in pages.visit / check_page), including the pages that show errors.

One test per kind of user keeps the browser suite quick; PageChecks reports every failing
page of a test, not just the first.
"""

import time
from base64 import b32decode
from pathlib import Path

from django.urls import reverse
from django_otp.oath import TOTP

from actions.models import Action
from actions.rag import RAG
from actions.services import action_edit
from boards.models import Role
from downloads.models import Download
from downloads.services import download_record
from tests.browser.pages import (
    PageChecks,
    assert_reflows,
    check_page,
    sign_in,
    sign_in_quickly,
    submit,
    visit,
)
from tests.factories import user_in_role

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
    with checks.page("sign-in locked"):
        for n in range(5):  # the default limit for one username at one address
            visit(page, reverse("login"), f"sign-in-{n}")
            page.locator("[name=username]").fill("someone")
            page.locator("[name=password]").fill(f"guess-{n}")
            submit(page, "form:has([name=username])")
        assert page.locator("h1").inner_text() == "Sign-in locked"
        check_page(page, "sign-in-locked")
    checks.assert_all_passed()


def app_code(key: str, steps_ahead: int = 0) -> str:
    """What an authenticator app with this key shows (a code works once; one ahead is
    accepted)."""
    totp = TOTP(b32decode(key))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_second_factor_pages(page, live_server, plan_world):
    """The analyst signs in through the pages, sets up an authenticator app from the key on
    the page, sees the recovery codes, and at the next sign-in enters a code."""
    checks = PageChecks()
    with checks.page("set up the authenticator app"):
        sign_in(page, plan_world.analyst.username, name="analyst-sign-in")
        assert "/second-factor/set-up/" in page.url
        check_page(page, "second-factor-set-up")
        key = page.locator("#secret-key").inner_text().replace(" ", "")
    with checks.page("set up with a wrong code"):
        page.locator("[name=code]").fill("12345")
        submit(page)
        check_page(page, "second-factor-set-up-errors")
        time.sleep(1.1)  # django-otp waits a second after a wrong code
    with checks.page("recovery codes"):
        page.locator("[name=code]").fill(app_code(key))
        submit(page)
        assert page.locator("h1").inner_text() == "Recovery codes"
        assert page.locator(".app-recovery-codes li").count() == 10
        check_page(page, "recovery-codes")
        page.get_by_text("I have saved my recovery codes").click()
        page.wait_for_url("**/")
    with checks.page("enter the code at the next sign-in"):
        submit(page, "form.app-account__form")  # sign out
        sign_in(page, plan_world.analyst.username, name="analyst-sign-in-again")
        assert "/second-factor/" in page.url
        check_page(page, "second-factor")
        page.locator("[name=code]").fill("000000")
        submit(page)
        check_page(page, "second-factor-errors")
        time.sleep(1.1)
        page.locator("[name=code]").fill(app_code(key, steps_ahead=1))
        submit(page)
        assert page.url == live_server.url + reverse("actions:my-actions")
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


def test_administrator_pages(page, context, live_server, plan_world):
    administrator = user_in_role(Role.ADMINISTRATOR, name="Adam Administrator")
    # The audit log is the site's superusers' (it holds every partnership's history).
    administrator.is_superuser = True
    administrator.save()
    # Something of each kind the log shows: a change with its fields, and a download.
    action_edit(action=plan_world.officers_action, user=administrator, rag=RAG.AMBER)
    download_record(
        user=administrator,
        kind=Download.Kind.WORKBOOK,
        marking="OFFICIAL",
        actions=Action.objects.all(),
        subject=plan_world.plan.title,
        plan_id=plan_world.plan.pk,
        options={"layout": "vru"},
    )
    sign_in_quickly(context, live_server.url, administrator)
    checks = PageChecks()
    with checks.page("audit log"):
        visit(page, reverse("audit:log"), "audit-log")
    with checks.page("audit log with errors"):
        wrong_range = "on_or_after_0=2&on_or_after_1=11&on_or_after_2=2021&on_or_before_0=1"
        wrong_range += "&on_or_before_1=11&on_or_before_2=2021"
        visit(page, f"{reverse('audit:log')}?{wrong_range}", "audit-log-errors")
    checks.assert_all_passed()
