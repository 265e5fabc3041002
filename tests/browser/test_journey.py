"""Issue 4's journey in a real browser: an officer signs in, opens one of their actions from
My actions, adds a Red progress update, and finds it on the plan filtered by Red; then the
board's chair signs in, sees the action and the update, and cannot change it.

Every page on the way is checked with axe-core and screenshotted (pages.visit/check_page).
"""

import re

from django.urls import reverse
from playwright.sync_api import expect

from actions.models import ProgressUpdate
from actions.rag import RAG
from tests.browser.pages import check_page, sign_in, visit

# Made up for the test; what matters is that it is nowhere in the plan before the update.
UPDATE_TEXT = "The venue for the summer diversion scheme fell through; the start moves to May."


def click_and_check(page, locator, name: str) -> None:
    with page.expect_navigation():
        locator.click()
    check_page(page, name)


def test_officer_reports_red_and_the_chair_sees_it(page, plan_world):
    action = plan_world.officers_action
    action_url = reverse("actions:action-detail", args=[action.pk])
    update_url = reverse("actions:action-update", args=[action.pk])
    plan_url = reverse("actions:plan-detail", args=[plan_world.plan.slug])
    main = page.locator("main")

    # The officer signs in and lands on My actions, which lists the action they lead.
    sign_in(page, plan_world.officer.username, name="officer-sign-in")
    check_page(page, "my-actions")
    assert page.url.endswith(reverse("actions:my-actions"))
    expect(page.locator("h1")).to_have_text("My actions")

    click_and_check(page, main.locator(f'a[href="{action_url}"]').first, "action")
    expect(page.locator("h1")).to_contain_text(action.ref)
    expect(main).to_contain_text(action.text)

    # The update link may carry ?next= (where to come back to), so match its start.
    click_and_check(page, main.locator(f'a[href^="{update_url}"]'), "update-form")
    page.get_by_label("Progress update", exact=True).fill(UPDATE_TEXT)
    page.get_by_role("group", name="RAG status of the action").get_by_label(
        "Red", exact=True
    ).check()
    click_and_check(page, main.get_by_role("button", name="Save"), "saved")
    # The confirmation says what changed.
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text("Red")

    # Saved as the officer's update, and the action is Red now.
    update = ProgressUpdate.objects.get(action=action, text=UPDATE_TEXT)
    assert (update.rag, update.created_by) == (RAG.RED, plan_world.officer)
    action.refresh_from_db()
    assert action.rag == RAG.RED

    # On the plan page, filtered by Red through the filter form, the action shows the
    # new text; the other Red action is listed too, the Green one is not.
    visit(page, plan_url, "plan")
    page.get_by_role("group", name="RAG status").get_by_label("Red", exact=True).check()
    click_and_check(page, main.get_by_role("button", name="Apply filters"), "plan-red")
    assert re.search(r"[?&]rag=red(&|$)", page.url), page.url
    expect(main, "the plan filtered by Red shows the new update's text").to_contain_text(
        UPDATE_TEXT
    )
    expect(main.locator(f'a[href="{action_url}"]')).to_have_count(1)
    others_red = reverse("actions:action-detail", args=[plan_world.others_red_action.pk])
    green = reverse("actions:action-detail", args=[plan_world.green_action.pk])
    expect(main.locator(f'a[href="{others_red}"]')).to_have_count(1)
    expect(main.locator(f'a[href="{green}"]')).to_have_count(0)

    # The officer signs out; the board's chair signs in.
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    sign_in(page, plan_world.chair.username, name="chair-sign-in")
    check_page(page, "chair-my-actions")

    visit(page, plan_url + "?rag=red", "chair-plan-red")
    expect(main, "the chair sees the new update's text on the plan").to_contain_text(UPDATE_TEXT)

    click_and_check(page, main.locator(f'a[href="{action_url}"]'), "chair-action")
    expect(main, "the chair sees the update on the action page").to_contain_text(UPDATE_TEXT)
    expect(main).to_contain_text(plan_world.officer.person.name)  # who wrote it
    expect(main.locator(f'a[href^="{update_url}"]')).to_have_count(0)
    expect(main.get_by_role("button", name=re.compile("update", re.IGNORECASE))).to_have_count(0)

    # Going to the update form's address anyway is refused, and nothing changes.
    visit(page, update_url, "chair-update-refused", status=403)
    assert ProgressUpdate.objects.filter(action=action).count() == 2
