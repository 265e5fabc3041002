"""The roll-over pages: the form and its preview (`/plans/<slug>/rollover/`), then the
roll-over's own page (`.../rollover/<pk>/`) with what activation would bring across,
Activate and Undo. Who may use them: `rollover.permissions` (404 for anyone else)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from actions import selectors
from actions.models import Action, Plan, ProgressUpdate, SeniorLeader, Theme
from rollover import services
from rollover.forms import POSTED, RolloverForm
from rollover.models import Rollover
from rollover.permissions import plan_to_roll_over, rollover_of


def detail_url(rollover: Rollover) -> str:
    return reverse("rollover:detail", args=[rollover.old_plan.slug, rollover.pk])


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def rollover_start(request, slug):
    """The form (GET, or a POST to change it), its preview (a valid POST) and the roll-over
    itself (a valid POST with `confirm`). A plan already in a roll-over, as the old plan or
    the new, goes to that roll-over's page."""
    plan = plan_to_roll_over(request.user, slug)
    live = services.live_rollover(plan)
    if live is not None:
        return redirect(detail_url(live))
    if plan.status != Plan.Status.ACTIVE:
        return render(request, "rollover/not_active.html", {"plan": plan})
    if request.method == "GET" or "change" in request.POST:
        form = RolloverForm(request.POST if "change" in request.POST else None, plan=plan)
        return _form_page(request, plan, form)
    form = RolloverForm(request.POST, plan=plan)
    if not form.is_valid():
        return _form_page(request, plan, form)
    # The VRU's new template is taken into the Draft afterwards, on its own pages (linked
    # from the roll-over's), where each of its questions is answered one by one.
    if "confirm" not in request.POST:
        preview = services.rollover_preview(plan, **form.arguments(), user=request.user)
        return _preview_page(request, plan, form, preview)
    try:
        rollover = services.rollover_create(plan=plan, user=request.user, **form.arguments())
    except services.RolloverRefused as refused:  # rolled over by someone else meanwhile
        for message in refused.messages:
            form.add_error(None, message)
        return _form_page(request, plan, form)
    messages.success(
        request,
        f"{rollover.title} made as a Draft. {plan.title} carries on until it is activated.",
    )
    return redirect(detail_url(rollover))


def _form_page(request, plan, form):
    return render(
        request,
        "rollover/form.html",
        {"plan": plan, "form": form, "page_marking": plan.marking},
    )


def _preview_page(request, plan, form, preview):
    actions = [action for theme in preview.themes for action in theme.carried + theme.closing]
    marking = selectors.highest(
        [plan.marking]
        + [selectors.effective_marking(action) for action in actions]
        + selectors.shown_update_markings(actions)
    )
    context = {
        "plan": plan,
        "preview": preview,
        "posted": [(name, request.POST.get(name, "")) for name in POSTED],
        "page_marking": marking,
    }
    return render(request, "rollover/preview.html", context)


@require_http_methods(["GET"])
@login_required
@never_cache
def rollover_detail(request, slug, pk):
    """The roll-over: what it made, and while a draft what activation would bring across,
    with Activate and Undo."""
    rollover = rollover_of(request.user, slug, pk)
    brought = []
    if rollover.state == Rollover.State.DRAFT:
        brought = services.rollover_activation_preview(rollover)
    counts = {}
    if rollover.new_plan_id:
        counts = {
            "themes": Theme.objects.filter(plan=rollover.new_plan_id).count(),
            "actions": Action.objects.filter(theme__plan=rollover.new_plan_id).count(),
        }
    context = {
        "plan": rollover.old_plan,
        "rollover": rollover,
        "brought": brought,
        "counts": counts,
        "page_marking": selectors.highest(
            [rollover.old_plan.marking]
            + [selectors.effective_marking(item.update) for item in brought]
        ),
    }
    return render(request, "rollover/detail.html", context)


@require_POST
@login_required
def rollover_activate(request, slug, pk):
    rollover = rollover_of(request.user, slug, pk)
    chosen = request.POST.getlist("bring")
    try:
        rollover = services.rollover_activate(
            rollover=rollover,
            user=request.user,
            bring_updates=[pk for pk in chosen if pk.isdigit()],
        )
    except services.RolloverRefused as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(detail_url(rollover))
    brought = rollover.updates_brought
    messages.success(
        request,
        f"{rollover.title} is now Active and {rollover.old_plan.title} is Closed. "
        f"{brought} progress update{'' if brought == 1 else 's'} brought across.",
    )
    return redirect(detail_url(rollover))


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def rollover_undo(request, slug, pk):
    """GET: what undoing would remove, and a button to do it. POST: undo."""
    rollover = rollover_of(request.user, slug, pk)
    if request.method == "POST":
        try:
            rollover = services.rollover_undo(rollover=rollover, user=request.user)
        except services.RolloverRefused as refused:
            messages.error(request, " ".join(refused.messages))
            return redirect(detail_url(rollover))
        messages.success(
            request,
            f"The roll-over is undone: {rollover.title} and everything in it were removed. "
            f"{rollover.old_plan.title} is as it was.",
        )
        return redirect("actions:plan-detail", rollover.old_plan.slug)
    new_plan = rollover.new_plan_id
    context = {
        "plan": rollover.old_plan,
        "rollover": rollover,
        "can_undo": rollover.state == Rollover.State.DRAFT,
        "removed": {
            "actions": Action.objects.filter(theme__plan=new_plan).count(),
            "themes": Theme.objects.filter(plan=new_plan).count(),
            "updates": ProgressUpdate.objects.filter(action__theme__plan=new_plan).count(),
            "leaders": SeniorLeader.objects.filter(plan=new_plan).count(),
        },
        "page_marking": rollover.old_plan.marking,
    }
    return render(request, "rollover/undo.html", context)
