"""Before a meeting: what moved since the last one, a plan's indicators, and the pre-meeting
pack as a printable page and as a Word document.

Each page works on a scope (reporting.scopes): a plan, or a board with its subgroups, whose
actions are already limited to what the user may see. A plan or board the user may not open
is "not found", so that its existence is not revealed.
"""

from dataclasses import replace
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from actions.history import indicators_history
from actions.models import IndicatorDirection, IndicatorValue
from actions.permissions import can_edit_indicators
from cspplan import clock
from cspplan.display import show_number
from downloads.models import Download
from downloads.services import download_record
from reporting.forms import PARTS, read_pack, read_since
from reporting.indicator_status import RULE_TEXT, indicator_status, trend_points
from reporting.pack import build_pack, changes_part
from reporting.pack_docx import CONTENT_TYPE, pack_docx
from reporting.scopes import Scope, plan_scope, scope_marking, without_marked
from reporting.since import last_meeting
from reporting.views.scoped import plan_and_board_views

# The trend line's box, in pixels: small enough to sit beside the numbers.
TREND_WIDTH, TREND_HEIGHT = 160, 48


def _context(scope: Scope) -> dict:
    """What every page of a scope shows around its content: the page it belongs to (the
    board's dashboard, or the plan's page), for the breadcrumbs and back links."""
    if scope.board:
        home = scope.url("dashboard")
    else:
        home = reverse("actions:plan-detail", args=[scope.plan.slug])
    return {"scope": scope, "home_url": home}


# ---- since the last meeting ------------------------------------------------------------------


def _last_meeting(request, scope: Scope, today) -> dict:
    """The date of the last held meeting of the scope's board (a plan's: its owning board's),
    where one is recorded: the since and pack pages' default date. Not looked up when the
    request gives a date."""
    if any(request.GET.get(name, "").strip() for name in ("since", *PARTS)):
        return {"default": None}
    board = scope.board or scope.plan.board
    return {"default": last_meeting(board, today)}


def _since_page(request, scope: Scope):
    today = clock.today()
    last = _last_meeting(request, scope, today)
    form, since = read_since(request.GET, today, **last)
    context = _context(scope) | {"form": form, "since": since, "last_meeting": last["default"]}
    if since is not None:
        part, changes = changes_part(scope, since)
        pack_url = f"{scope.url('pack')}?since={since.isoformat()}"
        context |= {"part": part, "changes": changes, "pack_url": pack_url}
        context["page_marking"] = scope_marking(scope)
    return render(request, "reporting/meeting_since.html", context)


plan_since, board_since = plan_and_board_views(_since_page)


# ---- indicators --------------------------------------------------------------------------


@require_safe
@login_required
def plan_indicators(request, slug):
    scope = plan_scope(request.user, slug)
    indicators = scope.plan.indicators.order_by("order", "pk").prefetch_related(
        Prefetch("values", queryset=IndicatorValue.objects.order_by("date"))
    )
    indicators = list(indicators)
    history = indicators_history(indicators)
    rows = []
    for indicator in indicators:
        values = list(indicator.values.all())  # by date, as the trend's points
        status = indicator_status(indicator, values)
        trend = trend_points(values, TREND_WIDTH, TREND_HEIGHT)
        latest = status.latest
        rows.append(
            {
                "indicator": indicator,
                "status": status,
                "trend": trend,
                # Each with its value's pk, for the link to correct it.
                "numbers": [
                    (point.period, show_number(point.value), value.pk)
                    for point, value in zip(trend.points, values, strict=True)
                ],
                "latest": latest
                and f"{show_number(latest.value)} ({latest.period or latest.date})",
                "baseline": show_number(indicator.baseline),
                "target": show_number(indicator.target),
                "lower_is_better": indicator.direction == IndicatorDirection.REDUCE,
                "history": history[indicator.pk],
            }
        )
    can_edit = can_edit_indicators(request.user, scope.plan)
    context = _context(scope) | {"rows": rows, "rule": RULE_TEXT, "can_edit": can_edit}
    return render(request, "reporting/meeting_indicators.html", context)


# ---- the pack ----------------------------------------------------------------------------


def _pack_page(request, scope: Scope):
    today = clock.today()
    form, since = read_pack(request.GET, today, **_last_meeting(request, scope, today))
    context = _context(scope) | {"form": form, "since": since}
    if since is not None:
        pack, scope = _pack(scope, form, since, today)
        context |= {"pack": pack, "page_marking": pack.marking}
        query = {"since": since.isoformat(), "contents": form.cleaned_data["contents"]}
        if form.leaves_out_marked:
            query["leave_out_marked"] = "on"
        context["docx_url"] = f"{scope.url('pack-docx')}?{urlencode(query)}"
        _record(request, scope, Download.Kind.PACK_PAGE, query, pack.marking)
    return render(request, "reporting/pack.html", context)


def _pack(scope: Scope, form, since, today):
    """The pack the form asks for, marked with the highest marking of what it holds (none
    when asked to leave marked items out), and the scope it was built from."""
    if form.leaves_out_marked:
        scope = without_marked(scope)
    pack = build_pack(scope, since=since, today=today, everything=form.everything)
    return replace(pack, marking=scope_marking(scope)), scope


def _pack_download(request, scope: Scope):
    today = clock.today()
    form, since = read_pack(request.GET, today, **_last_meeting(request, scope, today))
    if since is None:
        # The pack page says what is wrong, in GOV.UK's words and layout.
        query = request.GET.urlencode()
        return redirect(f"{scope.url('pack')}?{query}" if query else scope.url("pack"))
    pack, scope = _pack(scope, form, since, today)
    query = {"since": since.isoformat(), "contents": form.cleaned_data["contents"]}
    if form.leaves_out_marked:
        query["leave_out_marked"] = "on"
    _record(request, scope, Download.Kind.PACK_DOCUMENT, query, pack.marking)
    owner = scope.plan.slug if scope.plan else scope.board.slug
    response = HttpResponse(pack_docx(pack), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{owner}-pack-{today.isoformat()}.docx"'
    )
    return response


def _record(request, scope: Scope, kind: str, options: dict, marking) -> None:
    """The pack as taken by the user: the printable page counts as much as the document.
    Its marking is what the pack states: the highest of what it was built from (what the
    user may see, less the marked items when asked to leave them out)."""
    download_record(
        user=request.user,
        kind=kind,
        actions=scope.actions,
        marking=marking.label,
        subject=scope.title,
        plan_id=scope.plan.pk if scope.plan else None,
        board_id=scope.board.pk if scope.board else None,
        options=options,
    )


plan_pack, board_pack = plan_and_board_views(_pack_page)
plan_pack_docx, board_pack_docx = plan_and_board_views(_pack_download)
