"""The annual roll-over in a real browser (issue 14): the partnership's analyst opens the
roll-over from the plan page, previews it theme by theme, confirms, finds next year's Draft,
takes the VRU's new template into it (adopting two of its three optional actions and
merging the carried ones it matches), and, after an officer has updated one of this year's
actions, activates it, bringing that update across; the carried action's page shows where
it came from, and the two years are compared.

Every page is checked with axe-core (WCAG 2.2 AA) and screenshotted (pages.visit and
check_page).
"""

from django.urls import reverse
from playwright.sync_api import expect

from actions.models import Action, Plan
from actions.services import progress_update_create
from rollover.models import Rollover, TemplateChoice
from tests.browser.pages import PageChecks, check_page, sign_in_quickly, visit
from tests.browser.test_accessibility import submit
from tests.helpers import days_ago
from tests.rollover.vru_template import VAWG, template_workbook

UPDATE_TEXT = "Outreach sessions booked with the youth service for January."


def click(page, role: str, name, screen: str) -> None:
    with page.expect_navigation():
        page.locator("main").get_by_role(role, name=name).first.click()
    check_page(page, screen)


def test_an_analyst_rolls_the_plan_over_and_activates_it(
    page, context, live_server, plan_world, tmp_path
):
    plan = plan_world.plan
    plan.status = Plan.Status.ACTIVE
    plan.save()
    sign_in_quickly(context, live_server.url, plan_world.analyst)
    main = page.locator("main")
    checks = PageChecks()

    with checks.page("preview and confirm"):
        visit(page, reverse("actions:plan-detail", args=[plan.slug]), "plan")
        click(page, "link", "Roll the plan over into next year's", "rollover-form")
        # The next cycle is suggested from the plan's own period.
        expect(page.get_by_role("group", name="Start of the new period").get_by_label("Year"))
        assert page.locator("[name=start_2]").input_value() == "2022"
        page.get_by_label("Title of the new plan").fill("Next year's plan 2022/23")
        page.get_by_label("Short name for its address").fill("next-years-plan")
        click(page, "button", "Preview the roll-over", "rollover-preview")
        expect(page.locator("h1")).to_have_text("Check the roll-over")
        # Four actions not Complete carried forward; the Complete one closes.
        expect(main.locator("#carried-count")).to_have_text("4")
        expect(main.locator("#closing-count")).to_have_text("1")
        expect(main).to_contain_text(plan_world.officers_action.text)
        assert not Rollover.objects.exists()  # nothing made by the preview
        click(page, "button", "Confirm the roll-over", "rollover-draft")
        expect(main.locator("#rollover-state")).to_have_text("Draft")
        expect(main.locator("#nothing-to-bring")).to_be_visible()

    rollover = Rollover.objects.get()
    new_plan = rollover.new_plan
    assert (new_plan.slug, new_plan.status) == ("next-years-plan", Plan.Status.DRAFT)

    with checks.page("the draft"):
        click(page, "link", "Next year's plan 2022/23", "new-plan")
        expect(main).to_contain_text("Draft")
        click(page, "link", "activate it or undo the roll-over", "back-to-rollover")

    with checks.page("the new template"):
        workbook = tmp_path / "template.xlsx"
        workbook.write_bytes(template_workbook(plan=plan))
        click(page, "link", "Take the VRU's new template into", "template-upload")
        page.locator("input[type=file]").set_input_files(workbook)
        submit(page)
        check_page(page, "template-preview")
        for number, answer in (("4", "Adopt it"), ("5", "Leave it out"), ("6", "Adopt it")):
            group = page.get_by_role("group", name=f"Optional action {number} in {VAWG}")
            group.get_by_label(answer).check()
        merges = page.get_by_label("Yes: merge them")
        for index in range(merges.count()):
            merges.nth(index).check()
        submit(page)
        check_page(page, "template-taken-in")
        # The test template is this plan's export with the eighth theme: its five actions,
        # and the row of the Complete action, which was not carried, come in as new.
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "6 action(s) added and 4 merged"
        )

    adopted = TemplateChoice.objects.filter(plan=new_plan, kind="optional", decision="adopted")
    assert adopted.count() == 2 and {c.made_by for c in adopted} == {plan_world.analyst}
    # Merged, not doubled: the four carried actions, and the template's five.
    assert Action.objects.filter(theme__plan=new_plan, carried_from__isnull=False).count() == 4
    assert Action.objects.filter(theme__plan=new_plan, theme__name=VAWG).count() == 5

    # Meanwhile the officer keeps updating this year's action.
    progress_update_create(
        action=plan_world.officers_action,
        user=plan_world.officer,
        date=days_ago(0),
        text=UPDATE_TEXT,
    )

    with checks.page("activate"):
        visit(page, reverse("rollover:detail", args=[plan.slug, rollover.pk]), "activation")
        expect(main.get_by_label(UPDATE_TEXT, exact=False)).to_be_checked()
        click(page, "button", "Activate Next year's plan 2022/23", "activated")
        expect(main.locator("#rollover-state")).to_have_text("Activated")
        expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
            "1 progress update brought across"
        )

    new_plan.refresh_from_db()
    plan.refresh_from_db()
    assert (new_plan.status, plan.status) == (Plan.Status.ACTIVE, Plan.Status.CLOSED)
    carried = plan_world.officers_action.carried_to.get()
    assert carried.updates.filter(text=UPDATE_TEXT).count() == 1

    with checks.page("the carried action"):
        visit(page, reverse("actions:action-detail", args=[carried.pk]), "carried-action")
        expect(main.locator("#carried-from")).to_contain_text("Carried forward from")
        click(page, "link", "its change history", "last-years-action")
        expect(main.locator("#carried-to")).to_contain_text("Carried forward into")

    with checks.page("the years compared"):
        visit(page, reverse("actions:plan-detail", args=[new_plan.slug]), "new-plan-active")
        click(page, "link", "Compare with last year's plan", "compare")
        expect(main).to_contain_text(VAWG)

    checks.assert_all_passed()
