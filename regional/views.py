"""The VRU view across boroughs (`/vru/`), the actions behind each of its numbers, and its
workbook. For the VRU role alone (`permissions.may_use_vru_view`); anyone else is told the
pages do not exist (404). What they show is read in regional/selectors.py."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from actions import permissions, selectors
from actions.models import Marking
from actions.rag import RAG
from actions.views.plans import rag_meanings
from cspplan import clock
from downloads.models import Download
from downloads.services import download_record
from regional import export
from regional.forms import CountedForm, VruViewForm
from regional.selectors import (
    TemplateYear,
    counted_actions,
    template_years,
    theme_label,
    vru_plans,
    vru_view,
    year_actions,
    year_plans,
)

RAGS = list(RAG)


def _vru_only(user) -> None:
    if not permissions.may_use_vru_view(user):
        raise Http404


def actions_href(plan, *, theme=None, rag=None, since=None) -> str:
    """The VRU actions page listing what one number counts."""
    query = {"plan": plan.slug}
    if theme is not None:
        query["theme"] = theme.pk
    if rag is not None:
        query["rag"] = rag
    if since is not None:
        query["not_updated_since"] = since.isoformat()
    return f"{reverse('regional:vru-actions')}?{urlencode(query)}"


def _cells(plan, counts, *, theme=None, since=None) -> dict:
    """One row of counts for a template: each RAG status's count and the list behind it,
    the total, and how many are not updated since `since`."""
    return {
        "rags": [
            {
                "label": rag.label,
                "count": counts.counts[rag.value],
                "href": actions_href(plan, theme=theme, rag=rag.value)
                if counts.counts[rag.value]
                else None,
            }
            for rag in RAGS
        ],
        "total": counts.total,
        "total_href": actions_href(plan, theme=theme) if counts.total else None,
        "not_updated": counts.not_updated,
        "not_updated_href": actions_href(plan, theme=theme, since=since)
        if counts.not_updated
        else None,
    }


def _read(request):
    years = template_years(request.user)
    form = VruViewForm(
        request.GET, years=years, default_since=selectors.stale_cutoff(clock.today())
    )
    year, since = form.chosen()
    if year is not None and year not in years:
        # A year with no VRU plan the user may see: nothing to show, as for no year.
        form.add_error("year", "Choose a template year from the list")
        year = None
    return form, year, since


@require_safe
@login_required
def vru_view_page(request):
    _vru_only(request.user)
    form, year, since = _read(request)
    mandated_theme = request.GET.get("theme") or "first"
    view = None
    if year is not None and since:
        view = vru_view(request.user, year, since, mandated_theme)
    boroughs, themes, mandated = [], [], []
    if view:
        boroughs = [
            {"borough": borough, **_cells(borough.plan, borough.total, since=since)}
            for borough in view.boroughs
        ]
        for row in view.themes:
            themes.append(
                {
                    "label": row.label,
                    "boroughs": [
                        {
                            "borough": borough,
                            **_cells(
                                borough.plan,
                                borough.by_theme[row.themes[borough.plan.pk].pk],
                                theme=row.themes[borough.plan.pk],
                                since=since,
                            ),
                        }
                        for borough in view.boroughs
                        if borough.plan.pk in row.themes
                    ],
                }
            )
        for row in view.mandated:
            mandated.append(
                {
                    "row": row,
                    "boroughs": [
                        {"borough": borough, "action": row.actions.get(borough.plan.pk)}
                        for borough in view.boroughs
                    ],
                }
            )
    query = {"year": year.value, "since": since.isoformat()} if view else {}
    # The mandated actions one template theme at a time (regional.selectors.vru_view).
    theme_links = [
        {
            "label": row.label,
            "href": f"{reverse('regional:vru-view')}?{urlencode({**query, 'theme': row.key})}"
            + "#mandated",
            "current": view.mandated_theme is not None and row.key == view.mandated_theme.key,
        }
        for row in (view.themes if view else [])
    ]
    return render(
        request,
        "regional/vru_view.html",
        {
            "form": form,
            "view": view,
            "boroughs": boroughs,
            "themes": themes,
            "mandated": mandated,
            "theme_links": theme_links,
            "rags": RAGS,
            "export_href": f"{reverse('regional:vru-export')}?{urlencode(query)}",
            "rag_meanings": rag_meanings(),
            "page_marking": Marking.OFFICIAL,
        },
    )


@require_safe
@login_required
def vru_actions_page(request):
    """The actions one number of the VRU view counts."""
    _vru_only(request.user)
    form = CountedForm(request.GET)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    plan = get_object_or_404(
        vru_plans(request.user).select_related("partnership"), slug=data["plan"]
    )
    theme = None
    if data["theme"]:
        theme = get_object_or_404(
            permissions.visible_themes(request.user).filter(plan=plan, parent__isnull=True),
            pk=data["theme"],
        )
    rag = data["rag"] or None
    since = data["not_updated_since"]
    actions = list(
        counted_actions(request.user, plan, theme=theme, rag=rag, not_updated_since=since)
    )
    year = TemplateYear.of(plan.period_start)
    described = []
    if theme is not None:
        described.append(f"in {theme_label(theme)}")
    if rag is not None:
        described.append(RAG(rag).label.lower())
    if since is not None:
        described.append(f"not updated since {since:%-d %B %Y}")
    return render(
        request,
        "regional/vru_actions.html",
        {
            "plan": plan,
            "actions": actions,
            "described": ", ".join(described),
            "back_href": f"{reverse('regional:vru-view')}?{urlencode({'year': year.value})}",
            "rag_meanings": rag_meanings(),
            "page_marking": Marking.OFFICIAL,
        },
    )


@require_safe
@login_required
def vru_export(request):
    """The VRU view as a workbook (.xlsx), recorded as a download."""
    _vru_only(request.user)
    form, year, since = _read(request)
    if year is None or since is None:
        raise Http404
    view = vru_view(request.user, year, since, mandated_theme=None)
    held = year_actions(request.user, year_plans(request.user, year))
    marking = selectors.highest_marking(held)
    content = export.workbook(view, marking)
    download_record(
        user=request.user,
        kind=Download.Kind.VRU_VIEW,
        actions=held,
        subject=f"VRU view across boroughs, {year.label}",
        marking=marking.label,
        options={"year": year.value, "not_updated_since": since.isoformat()},
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"vru-view-{year.value}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
