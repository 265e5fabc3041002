"""The update form in a real browser: one box for the update and one RAG choice, which the
update records; the undated progress text folded away until asked for. Each state is
checked with axe-core and screenshotted (pages.visit/check_page)."""

from django.urls import reverse
from playwright.sync_api import expect

from actions.models import ProgressUpdate
from actions.rag import RAG
from tests.browser.pages import check_page, sign_in_quickly, visit

UPDATE_TEXT = "Venue confirmed for the May diversion scheme."


def test_an_officer_writes_one_update_with_one_rag_choice(page, context, live_server, plan_world):
    action = plan_world.officers_action
    sign_in_quickly(context, live_server.url, plan_world.officer)
    main = page.locator("main")

    visit(page, reverse("actions:action-update", args=[action.pk]), "update-form")

    # One RAG choice (five statuses), not one for the update and one for the action.
    rag = main.get_by_role("group", name="RAG status of the action")
    expect(rag.locator('input[type="radio"]')).to_have_count(len(RAG))
    expect(rag).to_be_visible()
    # The update's own marking, a separate choice of two, OFFICIAL chosen.
    marking = main.get_by_role("group", name="Protective marking of the update")
    expect(marking.locator('input[type="radio"]')).to_have_count(2)
    expect(marking.get_by_label("OFFICIAL", exact=True)).to_be_checked()
    expect(main.locator('input[type="radio"]')).to_have_count(len(RAG) + 2)
    expect(main.get_by_label("Progress update", exact=True)).to_be_visible()
    undated = main.get_by_label("Undated progress text", exact=True)
    expect(undated).to_be_hidden()

    main.get_by_text("Change the undated progress text").click()
    expect(undated).to_be_visible()
    check_page(page, "update-form-undated-progress-open")

    main.get_by_label("Progress update", exact=True).fill(UPDATE_TEXT)
    main.get_by_role("group", name="RAG status of the action").get_by_label(
        "Green", exact=True
    ).check()
    with page.expect_navigation():
        main.get_by_role("button", name="Save").click()
    check_page(page, "saved")

    update = ProgressUpdate.objects.get(action=action, text=UPDATE_TEXT)
    assert update.rag == RAG.GREEN
    action.refresh_from_db()
    assert action.rag == RAG.GREEN
