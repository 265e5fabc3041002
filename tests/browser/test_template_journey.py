"""An analyst takes the VRU's new template into next year's Draft plan: uploads it, sees the
eighth theme and its actions, says a theme the template renames is the plan's, adopts two
optional actions and leaves one out, confirms each match with the plan's carried actions,
and confirms; every page checked with axe-core."""

from django.urls import reverse
from playwright.sync_api import expect

from actions.models import Action, Theme
from rollover.models import TemplateChoice
from tests.browser.pages import check_page, sign_in_quickly, visit
from tests.browser.test_accessibility import submit
from tests.rollover.vru_template import VAWG, draft_plan, template_workbook


def test_the_analyst_adopts_two_optional_actions_and_confirms(
    page, context, live_server, plan_world, tmp_path
):
    draft = draft_plan(source=plan_world.plan, slug="test-draft")
    carried = Action.objects.filter(theme__plan=draft).count()
    workbook = tmp_path / "template.xlsx"
    second = draft.themes.order_by("order")[1]

    def rename(sheet):  # the template renames the second theme
        for row in range(sheet.header_row + 1, sheet.sheet.max_row + 1):
            if sheet.get(row, "Ref Theme") == second.name:
                sheet.set(row, "Ref Theme", "Renamed test theme")

    workbook.write_bytes(template_workbook(plan=plan_world.plan, edit=rename))
    sign_in_quickly(context, live_server.url, plan_world.analyst)

    visit(page, reverse("template:upload", args=[draft.slug]), "template-upload")
    page.locator("input[type=file]").set_input_files(workbook)
    submit(page)
    check_page(page, "template-preview")
    themes = page.get_by_role("region", name="Themes")
    expect(themes.get_by_role("row", name=VAWG)).to_contain_text("Added to the plan")

    # Confirming before answering asks for each answer and writes nothing.
    submit(page)
    check_page(page, "template-not-answered")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose whether to adopt or leave out optional action 4"
    )
    assert not Theme.objects.filter(plan=draft, name=VAWG).exists()

    page.get_by_role("group", name="'Renamed test theme' is not a theme of the plan").get_by_label(
        f"It is '{second.name}', renamed"
    ).check()
    for number, answer in (("4", "Adopt it"), ("5", "Leave it out"), ("6", "Adopt it")):
        group = page.get_by_role("group", name=f"Optional action {number} in {VAWG}")
        group.get_by_label(answer).check()
    merges = page.get_by_label("Yes: merge them")
    assert merges.count() == carried
    for index in range(merges.count()):
        merges.nth(index).check()
    submit(page)
    check_page(page, "template-taken-in")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"5 action(s) added and {carried} merged"
    )

    second.refresh_from_db()
    assert second.name == "Renamed test theme"
    vawg = Theme.objects.get(plan=draft, name=VAWG)
    assert sorted(vawg.actions.values_list("ref", flat=True)) == ["1", "2", "3", "4", "6"]
    assert Action.objects.filter(theme__plan=draft).count() == carried + 5
    adopted = TemplateChoice.objects.filter(kind="optional", decision="adopted")
    assert {c.made_by for c in adopted} == {plan_world.analyst} and adopted.count() == 2

    # The upload page lists what was taken in and, opened, each choice made.
    visit(page, reverse("template:upload", args=[draft.slug]), "template-taken-list")
    page.locator("details summary").first.click()
    expect(page.locator("details").first).to_contain_text("Optional action")
    check_page(page, "template-choices-shown")
