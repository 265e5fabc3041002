"""Two years of a plan compared: the page, the actions behind each of its numbers, and the
workbook. Anyone who may see both plans may open them; for anyone else they are not found."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from actions import selectors
from actions.filters import theme_label, theme_name
from actions.views.pagination import CountedPaginator, pagination
from actions.views.plans import rag_meanings
from rollover.compare import KINDS, comparison, counted, years
from rollover.compare_workbook import comparison_workbook, filename
from workbooks.exports import XLSX_CONTENT_TYPE

# Actions per page of a kind's list, as the plan page pages them.
PAGE_SIZE = 100


@require_safe
@login_required
def compare(request, slug, other_slug):
    older, newer = years(request.user, slug, other_slug)
    result = comparison(request.user, older, newer)
    return render(
        request,
        "rollover/compare.html",
        {
            "comparison": result,
            "older": older,
            "newer": newer,
            "rag_meanings": rag_meanings(),
            "page_marking": result.marking,
        },
    )


@require_safe
@login_required
def compare_actions(request, slug, other_slug, kind):
    older, newer = years(request.user, slug, other_slug)
    if kind not in KINDS:
        raise Http404("No such kind of action.")
    actions = counted(request.user, older, newer, kind).order_by(*selectors.reading_order())
    total = actions.count()
    page = CountedPaginator(actions, PAGE_SIZE, count=total).get_page(request.GET.get("page"))
    ids = list(actions.values_list("pk", flat=True)[page.start_index() - 1 : page.end_index()])
    rows = selectors.listed_actions(actions, ids, selectors.listed_updates(request.user))
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
                    "actions": [],
                }
            )
        sections[-1]["actions"].append(action)
    markings = [older.marking, newer.marking]
    markings += [selectors.effective_marking(action) for action in rows]
    markings += selectors.shown_update_markings(rows)
    the_kind = KINDS[kind]
    return render(
        request,
        "rollover/compare_actions.html",
        {
            "older": older,
            "newer": newer,
            "kind": the_kind,
            "plan": newer if the_kind.year == "newer" else older,
            "total": total,
            "page": page,
            "sections": sections,
            "pagination": pagination(page, request.GET),
            "page_marking": selectors.highest(markings),
        },
    )


@require_safe
@login_required
def compare_download(request, slug, other_slug):
    older, newer = years(request.user, slug, other_slug)
    result = comparison(request.user, older, newer)
    content = comparison_workbook(request.user, result)
    disposition = content_disposition_header(as_attachment=True, filename=filename(result))
    return HttpResponse(
        content, content_type=XLSX_CONTENT_TYPE, headers={"Content-Disposition": disposition}
    )
