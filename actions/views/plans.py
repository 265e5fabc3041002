"""The plans the user may see, and a plan's page: its themes in order with their actions,
filtered, counted by RAG status and paged."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from actions import selectors
from actions.display import panel_feedback_sections
from actions.filters import ActionFilter, theme_label, theme_name
from actions.permissions import (
    can_export_plan,
    can_import_plan,
    may_open_plan,
    person_of,
    plan_or_404,
    visible_themes_in_plan,
)
from actions.rag import MEANINGS, RAG
from actions.views.pagination import CountedPaginator, pagination, query_with

# Actions per page of a plan; themes carry on from one page to the next.
PAGE_SIZE = 100


def rag_meanings() -> list[dict]:
    return [{"rag": rag.value, "label": rag.label, "meaning": MEANINGS[rag]} for rag in RAG]


@require_safe
@login_required
def plan_list(request):
    plans, counts = selectors.plans_with_counts(request.user)
    rows = []
    for plan in plans:
        plan_counts = counts.get(plan.pk, dict.fromkeys(RAG.values, 0))
        rows.append(
            {
                "plan": plan,
                "counts": [plan_counts[rag] for rag in RAG.values],
                "total": sum(plan_counts.values()),
            }
        )
    return render(
        request,
        "actions/plan_list.html",
        {
            "rows": rows,
            "rags": RAG.choices,
            "has_person": person_of(request.user) is not None,
            "rag_meanings": rag_meanings(),
            # The plans' own markings: their actions are only counted here.
            "page_marking": selectors.highest(row["plan"].marking for row in rows),
        },
    )


@require_safe
@login_required
def plan_detail(request, slug):
    # A plan the user may not see is not found, so that its existence is not revealed.
    plan = plan_or_404(request.user, slug, related=("partnership", "board"))
    actions = selectors.plan_actions(plan, request.user)
    filters = ActionFilter(request.GET, queryset=actions, plan=plan, user=request.user)
    context = {
        "plan": plan,
        "filters": filters,
        "filtered": any(
            value.strip()
            for name, values in request.GET.lists()
            if name != "page"
            for value in values
        ),
        "can_export": can_export_plan(request.user, plan),
        "can_import": can_import_plan(request.user, plan),
        "rag_meanings": rag_meanings(),
        "panel_feedback": panel_feedback_sections(
            selectors.panel_feedback_of(visible_themes_in_plan(request.user, plan))
        ),
        # Last year's plan and next year's, where the user may see them: the years compared.
        "other_years": [
            other
            for other in selectors.years_either_side(plan)
            if may_open_plan(request.user, other)
        ],
    }
    # Invalid filters show what to fix and no actions: showing them unfiltered, or filtered
    # by the valid filters alone, would answer a question that was not asked.
    if filters.is_valid():
        context.update(_results(request, filters.qs, plan, filters.themes))
    # The highest marking of what the page shows: the plan, the actions listed and the
    # themes whose panel feedback it shows.
    feedback_themes = [section["theme"] for section in context["panel_feedback"]]
    context["page_marking"] = selectors.highest(
        [
            plan.marking,
            *context.get("shown_markings", []),
            *(selectors.effective_marking(theme) for theme in feedback_themes),
        ]
    )
    return render(request, "actions/plan_detail.html", context)


def _results(request, actions, plan, themes) -> dict:
    """The filtered `actions`' counts and their page, theme by theme: `themes` are the
    plan's the user may see, in reading order, with their parents."""
    counts = selectors.rag_counts(actions)
    total = sum(counts.values())
    paginator = CountedPaginator(actions, PAGE_SIZE, count=total)
    page = paginator.get_page(request.GET.get("page"))
    # The page's actions by id first (a narrow sort of the filtered actions, by a rank per
    # theme, as the themes are known), then their details for this page alone. The row
    # before the page comes too: its theme says whether the page's first theme carries on
    # from the page before.
    first = max(page.start_index() - 1, 0)
    before = 1 if first else 0
    in_order = actions.order_by(*selectors.reading_order_by_theme([t.pk for t in themes]))
    ids = list(in_order.values_list("pk", "theme_id")[first - before : page.end_index()])
    previous_theme = ids[0][1] if before and ids else None
    updates = selectors.listed_updates(request.user)
    for theme in themes:
        theme.plan = plan
    rows = selectors.listed_actions(
        actions, [pk for pk, _ in ids[before:]], updates, {theme.pk: theme for theme in themes}
    )
    page.object_list = rows
    markings = [selectors.effective_marking(action) for action in rows]
    markings += selectors.shown_update_markings(rows)
    sections = []
    for action in rows:
        if not sections or sections[-1]["theme"].pk != action.theme_id:
            theme = action.theme
            sections.append(
                {
                    "theme": theme,
                    "own_label": theme_name(theme),
                    "parent_label": theme_name(theme.parent) if theme.parent_id else "",
                    "label": theme_label(theme),
                    "continued": not sections and action.theme_id == previous_theme,
                    "actions": [],
                }
            )
        sections[-1]["actions"].append(action)
    return {
        "total": total,
        "rag_counts": [
            {
                "rag": rag.value,
                "label": rag.label,
                "count": counts[rag.value],
                "href": query_with(request.GET, rag=rag.value, page=None),
            }
            for rag in RAG
        ],
        "page": page,
        "sections": sections,
        "shown_markings": markings,
        # The same filters, for the workbook of these actions (workbooks:plan-download).
        "download_query": query_with(request.GET, page=None),
        "pagination": pagination(page, request.GET),
    }
