"""An analyst imports a workbook exported before an officer's update: the preview shows each
conflict with the value exported, now and in the workbook, and who made the change now in
the plan; nothing is written until a side is chosen for every conflict."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from actions.rag import RAG
from tests.browser.pages import check_page, sign_in_quickly, visit
from tests.browser.test_accessibility import submit
from tests.helpers import edit
from tests.workbooks.workbooks import edit_row, export


def test_the_analyst_chooses_a_side_for_each_conflict(
    page, context, live_server, plan_world, tmp_path
):
    action = plan_world.officers_action
    action.refresh_from_db()
    workbook = tmp_path / "plan.xlsx"
    workbook.write_bytes(
        edit_row(
            export(plan_world.plan),
            action.text[:40],
            {"Risk RAG status": "Green", "Comment": "Agreed at the partners' meeting"},
        )
    )
    # After the export, the officer rates the action Red and writes a comment of their own.
    edit(action, plan_world.officer, rag=RAG.RED, comment="Funding withdrawn in March")
    sign_in_quickly(context, live_server.url, plan_world.analyst)

    visit(page, reverse("workbooks:plan-import", args=[plan_world.plan.slug]), "import")
    page.locator("input[type=file]").set_input_files(workbook)
    submit(page)
    check_page(page, "conflicts")
    rag = page.get_by_role("group", name="RAG status")
    expect(rag.locator("dt")).to_have_text(["When exported", "In the plan now", "In the workbook"])
    expect(rag.locator("dd")).to_have_text(
        ["Amber", re.compile(rf"^Red\s+Changed by {plan_world.officer.person.name} on "), "Green"],
        use_inner_text=True,
    )
    comment = page.get_by_role("group", name="Comment")
    expect(comment).to_contain_text("Funding withdrawn in March")

    # Confirming before choosing asks for each choice and writes nothing.
    rag.get_by_label("Keep the plan's value").check()
    submit(page)
    check_page(page, "conflicts-not-chosen")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose which comment to keep")
    action.refresh_from_db()
    assert (action.rag, action.comment) == (RAG.RED, "Funding withdrawn in March")

    page.get_by_role("group", name="RAG status").get_by_label("Keep the plan's value").check()
    page.get_by_role("group", name="Comment").get_by_label("Take the workbook's value").check()
    submit(page)
    check_page(page, "imported")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "1 with conflicts settled as you chose"
    )
    action.refresh_from_db()
    assert (action.rag, action.comment) == (RAG.RED, "Agreed at the partners' meeting")
