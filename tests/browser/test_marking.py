"""Pages holding an OFFICIAL-SENSITIVE item, printed from the browser as a chair prints them:
the marking stands in the top and bottom margin of every printed page (the pack's landscape
pages too); on screen, the banner and the tags pass axe-core's checks (issue 12, finding 6)."""

import io

from django.urls import reverse
from pypdf import PdfReader

from actions.models import Marking
from tests.browser.pages import sign_in_quickly, visit
from tests.factories import ActionFactory

MARKING = "OFFICIAL-SENSITIVE"


def printed(page) -> list:
    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    page.emulate_media(media="screen")
    return pdf.pages


def test_a_printed_page_with_a_marked_item_is_marked_at_the_head_and_foot_of_each_page(
    page, context, live_server, plan_world
):
    theme = plan_world.others_red_action.theme
    theme.marking = Marking.OFFICIAL_SENSITIVE
    theme.save()
    for n in range(40):  # enough for several printed pages
        ActionFactory(theme=theme, text=f"Marked action number {n} " + "with words " * 12)
    sign_in_quickly(context, live_server.url, plan_world.chair)
    plan = plan_world.plan

    for path, name, landscape in [
        (reverse("actions:plan-detail", args=[plan.slug]), "marked-plan", False),
        (
            reverse("reporting:plan-pack", args=[plan.slug]) + "?contents=everything",
            "marked-pack",
            True,
        ),
    ]:
        visit(page, path, name)
        assert page.get_by_role("region", name=MARKING).is_visible()
        pages = printed(page)
        assert len(pages) > 2, name
        # The pack's own pages are landscape, marked or not (its page before them is not).
        wide = [sheet.mediabox.width > sheet.mediabox.height for sheet in pages]
        assert any(wide) == landscape, (name, wide)
        for number, sheet in enumerate(pages, 1):
            # The margin boxes' text comes first: the top's, then the bottom's.
            lines = [line.strip() for line in sheet.extract_text().splitlines()]
            assert lines[:2] == [MARKING, MARKING], (name, number, lines[:3])


def test_a_page_with_nothing_marked_prints_unmarked(page, context, live_server, plan_world):
    sign_in_quickly(context, live_server.url, plan_world.chair)
    visit(page, reverse("actions:plan-detail", args=[plan_world.plan.slug]), "unmarked-plan")
    for sheet in printed(page):
        assert MARKING not in sheet.extract_text()
