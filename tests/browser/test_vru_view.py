"""The VRU view across boroughs in the browser: the page, one number's list and the page with
an error, each clean under axe-core's WCAG 2.2 AA rules, and reflowing on a phone."""

import datetime

from django.urls import reverse

from actions.models import ActionOrigin
from actions.rag import RAG
from boards.models import Role
from tests.browser.pages import PageChecks, assert_reflows, check_page, sign_in_quickly, visit
from tests.factories import (
    ActionFactory,
    BoardFactory,
    PartnershipFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    user_in_role,
)


def _borough(name, rags):
    partnership = PartnershipFactory(name=name)
    plan = PlanFactory(
        partnership=partnership,
        board=BoardFactory(partnership=partnership),
        period_start=datetime.date(2021, 6, 1),
    )
    theme = ThemeFactory(plan=plan, name="Governance", order=0)
    for ref, rag in enumerate(rags, start=1):
        action = ActionFactory(theme=theme, ref=str(ref), rag=rag, origin=ActionOrigin.VRU_MANDATED)
        ProgressUpdateFactory(action=action, date=datetime.date(2021, 11, 1))
    return plan


def test_the_vru_view_pages(page, context, live_server, transactional_db):
    _borough("Alpha CSP", [RAG.RED, RAG.GREEN])
    plan = _borough("Beta CSP", [RAG.AMBER, RAG.NOT_RATED])
    user = user_in_role(Role.VRU)
    sign_in_quickly(context, live_server.url, user)
    checks = PageChecks()
    view = reverse("regional:vru-view")
    with checks.page("vru view"):
        visit(page, f"{view}?year=2021&since=2021-12-01", "vru-view")
        assert page.locator("h1").inner_text() == "VRU view across boroughs: 2021/22"
        page.set_viewport_size({"width": 320, "height": 640})
        assert_reflows(page, "vru-view-narrow")
        page.set_viewport_size({"width": 1024, "height": 768})
    with checks.page("a number's list"):
        page.locator(f"a[href*='plan={plan.slug}'][href*='rag=amber']").first.click()
        page.wait_for_load_state("load")
        check_page(page, "vru-actions")
        assert page.locator("h1").inner_text().startswith("1 action")
    with checks.page("vru view with an error"):
        visit(page, f"{view}?since_0=31&since_1=2&since_2=2022", "vru-view-error")
        assert page.locator(".govuk-error-summary").is_visible()
    checks.assert_all_passed()
