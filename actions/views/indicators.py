"""Entering a plan's indicator values and targets from its indicators page
(reporting.views.meeting.plan_indicators), for those who may change them
(`permissions.can_edit_indicators`): a value added or corrected, a target changed. Each
save goes through the services, so that the history says who changed what.

For anyone else each form is "not found", like a plan they may not see: the indicators page
itself is for everyone who sees the plan.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from actions import services
from actions.indicator_forms import IndicatorTargetForm, IndicatorValueForm
from actions.models import Indicator
from actions.permissions import can_edit_indicators, plan_or_404
from cspplan.display import show_date


def _indicator(request, slug: str, pk: int) -> Indicator:
    plan = plan_or_404(request.user, slug)
    if not can_edit_indicators(request.user, plan):
        raise Http404("No indicator form for this user")
    return get_object_or_404(plan.indicators.select_related("plan"), pk=pk)


def _back(indicator: Indicator) -> str:
    url = reverse("reporting:plan-indicators", args=[indicator.plan.slug])
    return f"{url}#indicator-{indicator.pk}"


def _page(request, indicator, form, *, heading: str, button: str, status=200):
    context = {
        "indicator": indicator,
        "plan": indicator.plan,
        "form": form,
        "heading": heading,
        "button": button,
        "back": _back(indicator),
    }
    return render(request, "actions/indicator_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def indicator_value(request, slug, pk, value_pk=None):
    """Add a value (no `value_pk`) or correct one."""
    indicator = _indicator(request, slug, pk)
    value = None
    if value_pk is not None:
        value = get_object_or_404(indicator.values, pk=value_pk)
    heading = "Add a value" if value is None else "Correct a value"
    if request.method == "GET":
        form = IndicatorValueForm(indicator=indicator, value=value)
        return _page(request, indicator, form, heading=heading, button="Save the value")
    form = IndicatorValueForm(request.POST, indicator=indicator, value=value)
    if not form.is_valid():
        return _page(request, indicator, form, heading=heading, button="Save the value")
    if value is None:
        saved = services.indicator_value_create(
            user=request.user, indicator=indicator, **form.cleaned_data
        )
        done = "added"
    else:
        saved = services.indicator_value_edit(
            indicator_value=value, user=request.user, **form.cleaned_data
        )
        done = "saved"
    when = saved.period or show_date(saved.date)
    messages.success(request, f"The value for {when} was {done}.")
    return redirect(_back(indicator))


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def indicator_target(request, slug, pk):
    indicator = _indicator(request, slug, pk)
    heading = "Change the target"
    if request.method == "GET":
        form = IndicatorTargetForm(indicator=indicator)
        return _page(request, indicator, form, heading=heading, button="Save the target")
    form = IndicatorTargetForm(request.POST, indicator=indicator)
    if not form.is_valid():
        return _page(request, indicator, form, heading=heading, button="Save the target")
    services.indicator_edit(indicator=indicator, user=request.user, **form.cleaned_data)
    messages.success(request, "The target was saved.")
    return redirect(_back(indicator))
