"""The years compared and the review panel's feedback, as pages people use: clean under
axe-core's WCAG 2.2 AA rules, readable on a phone, and the comparison's numbers lead on to
the actions they count (issue 14, items 4 and 5)."""

import datetime

from django.urls import reverse

from actions import services
from actions.rag import RAG
from tests.browser.pages import PageChecks, assert_reflows, check_page, sign_in_quickly, visit
from tests.factories import ActionFactory, PlanFactory, ThemeFactory


def _next_year(plan_world):
    """Next year's plan, rolled over from the world's, with one action carried and one new,
    and the panel's feedback on last year's first theme."""
    old = plan_world.plan
    themes = list(old.themes.order_by("order"))
    new = PlanFactory(
        partnership=old.partnership,
        board=old.board,
        title="Next year's plan",
        slug="next-year",
        period_start=datetime.date(2022, 4, 1),
        period_end=datetime.date(2023, 3, 31),
        predecessor=old,
    )
    theme = ThemeFactory(plan=new, name=themes[0].name, order=0)
    carried = old.themes.get(pk=themes[0].pk).actions.exclude(rag=RAG.COMPLETE).first()
    ActionFactory(theme=theme, rag=RAG.AMBER, carried_from=carried, text="Carried forward")
    ActionFactory(theme=ThemeFactory(plan=new, name="VAWG", order=1), text="A new action")
    services.panel_feedback_create(
        user=None,
        theme=themes[0],
        text="Comprehensive set of actions and progress.",
        year="2021/22",
        given_by="VRU, MPS and London Councils review panel",
    )
    return new


def test_the_comparison_and_the_feedback(page, context, live_server, plan_world):
    new = _next_year(plan_world)
    old = plan_world.plan
    sign_in_quickly(context, live_server.url, plan_world.chair)
    checks = PageChecks()
    with checks.page("plan page with panel feedback and a link to compare"):
        visit(page, reverse("actions:plan-detail", args=[old.slug]), "plan-with-feedback")
        assert page.get_by_role("heading", name="Review panel feedback").is_visible()
        page.get_by_role("link", name="Compare with next year's plan").click()
        check_page(page, "compare-years")
        assert page.get_by_role("heading", name="Compare the years", level=1).is_visible()
    with checks.page("a number of the comparison leads to its actions"):
        page.get_by_role("link", name="1 added: show them").click()
        check_page(page, "compare-added")
        assert page.get_by_role("link", name="A new action").is_visible()
    with checks.page("the dashboard's feedback"):
        visit(page, reverse("reporting:plan-dashboard", args=[old.slug]), "dashboard-feedback")
        assert page.get_by_text("VRU, MPS and London Councils review panel").is_visible()
    with checks.page("the comparison on a phone"):
        page.set_viewport_size({"width": 320, "height": 640})
        visit(page, reverse("rollover:compare", args=[old.slug, new.slug]), "compare-320")
        assert_reflows(page, "compare-320")
    checks.assert_all_passed()
