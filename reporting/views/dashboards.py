"""The chairs' dashboards: the boards the user may open, and where a board (with its
subgroups) or a plan stands. What they count is read in reporting/dashboards.py, from a scope
(reporting/scopes.py) that holds only what the user may see."""

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from actions import selectors
from actions.display import panel_feedback_sections
from actions.permissions import person_of
from actions.views.plans import rag_meanings
from reporting.dashboards import board_tree, dashboard
from reporting.scopes import Scope
from reporting.views.scoped import plan_and_board_views


@require_safe
@login_required
def board_list(request):
    return render(
        request,
        "reporting/board_list.html",
        {
            "partnerships": board_tree(request.user),
            "has_person": person_of(request.user) is not None,
            "rag_meanings": rag_meanings(),
        },
    )


def _dashboard(request, scope: Scope):
    dash = dashboard(scope)
    if scope.plan:
        # The plan as a single row, named for what it counts.
        summaries = [replace(dash.total, label="All the plan's actions")]
        pages = [
            (
                "All the plan's actions, with filters",
                reverse("actions:plan-detail", args=[scope.plan.slug]),
            )
        ]
    else:
        summaries = [group.summary for group in dash.groups]
        pages = []
    pages += [("What changed since the last meeting", scope.url("since"))]
    if scope.plan:
        pages += [("Performance indicators", scope.url("indicators"))]
    pages += [
        ("The pre-meeting pack (a page to print)", scope.url("pack")),
        ("The pre-meeting pack as a Word document (.docx)", scope.url("pack-docx")),
    ]
    # The review panel's feedback on the plan's themes (a plan's dashboard: a board's holds
    # several plans, each with its own).
    feedback = (
        panel_feedback_sections(selectors.panel_feedback_of(scope.themes)) if scope.plan else []
    )
    return render(
        request,
        "reporting/dashboard.html",
        {
            "scope": scope,
            "dash": dash,
            "partnership": (scope.board or scope.plan).partnership,
            "summaries": summaries,
            "several_plans": len(dash.groups) > 1,
            "pages": [{"text": text, "href": href} for text, href in pages],
            "lists": [dash.lists[kind] for kind in ("red", "amber", "overdue", "stale")],
            "rag_meanings": rag_meanings(),
            "panel_feedback": feedback,
            # The themes shown with their feedback are the scope's, which the marking counts.
            "page_marking": dash.marking,
        },
    )


plan_dashboard, board_dashboard = plan_and_board_views(_dashboard)
