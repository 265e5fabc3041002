"""The action page (every field, its progress updates and its change history) and the
update form (a progress update and the action's status, dates, progress and comment).

Who may do what is decided by actions.permissions: an action the user may not see is "not
found" (its existence is not revealed); one they may see but not change gives 403 on the
update form, for GET and POST alike, and a refused POST writes nothing.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from actions import selectors, services
from actions.closing import PlanClosed
from actions.history import action_history, since_version
from actions.models import Action, Plan, PlanStatus
from actions.permissions import (
    can_edit_action,
    may_see_marked,
    visible_actions,
    visible_updates,
)
from actions.rag import RAG
from actions.services import ActionChanged, action_version
from actions.update_form import ACTION_FIELDS, ActionUpdateForm
from boards.models import Person
from cspplan.display import show_date

# Pages a person comes to an action from, whose address (with its filters) the update form
# returns to when the referring page did not say so itself with ?next=.
RETURN_TO_VIEWS = {"actions:my-actions", "actions:plan-detail", "actions:plan-list"}


@require_safe
@login_required
@never_cache
def action_detail(request, pk):
    queryset = _visible(request).prefetch_related(
        Prefetch("lead_people", queryset=Person.objects.select_related("organisation")),
        "lead_organisations",
        "supporting_organisations",
    )
    action = get_object_or_404(queryset, pk=pk)
    updates = (
        visible_updates(request.user)
        .filter(action=action)
        .select_related("author")
        .order_by(*selectors.NEWEST_FIRST)
    )
    updates = list(updates)
    carried_from, carried_updates = _carried_from(request, action)
    context = {
        "action": action,
        "page_marking": selectors.highest(
            [selectors.effective_marking(action)]
            + [update.marking for update in updates + carried_updates]
            + ([selectors.effective_marking(carried_from)] if carried_from else [])
        ),
        # The annual roll-over's links: the action last year's one became, and its updates
        # (its history is on its own page); the action this one became next year.
        "carried_from": carried_from,
        "carried_updates": carried_updates,
        "carried_to": list(
            visible_actions(request.user)
            .filter(carried_from=action)
            .select_related("theme__parent", "theme__plan")
        ),
        "monitoring_board": selectors.monitoring_board(action),
        "rag_meaning": _meaning(action.rag),
        "updates": updates,
        "history": action_history(action, marked_updates=may_see_marked(request.user, action)),
        "can_edit": can_edit_action(request.user, action),
        "next": _next_for_action_page(request),
    }
    return render(request, "actions/action_detail.html", context)


def _carried_from(request, action: Action) -> tuple[Action | None, list]:
    """The action this one was carried forward from, if the user may see it, and its
    progress updates they may see, newest first."""
    if action.carried_from_id is None:
        return None, []
    carried_from = (
        visible_actions(request.user)
        .select_related("theme__parent", "theme__plan")
        .filter(pk=action.carried_from_id)
        .first()
    )
    if carried_from is None:
        return None, []
    updates = (
        visible_updates(request.user)
        .filter(action=carried_from)
        .select_related("author")
        .order_by(*selectors.NEWEST_FIRST)
    )
    return carried_from, list(updates)


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def action_update(request, pk):
    action = get_object_or_404(_visible(request), pk=pk)
    if action.theme.plan.status == PlanStatus.CLOSED:
        return _closed(request, action)
    if not can_edit_action(request.user, action):
        raise PermissionDenied
    if request.method == "GET":
        next_url = _safe_next(request, request.GET.get("next"))
        form = ActionUpdateForm(
            action=action,
            undated_progress=_shows_progress(action),
            sees_marked=may_see_marked(request.user, action),
        )
        return _update_page(request, action, form, next_url)
    next_url = _safe_next(request, request.POST.get("next"))
    # The form is checked against the action as its sender saw it, so that what they
    # changed is told apart from what someone else changed since (and nothing is saved).
    since = None
    posted_version = request.POST.get("version", "")
    if posted_version != action_version(action):
        since = since_version(
            action, posted_version, marked_updates=may_see_marked(request.user, action)
        )
    seen = since.base if since and since.base is not None else action
    form = ActionUpdateForm(
        request.POST,
        action=seen,
        undated_progress=_shows_progress(action),
        sees_marked=may_see_marked(request.user, action),
    )
    if not form.is_valid():
        return _update_page(request, action, form, next_url)
    if since is not None:
        return _conflict_page(request, form, action, since, next_url)
    before_rag = action.rag
    try:
        saved = _save(request, action, form)
    except ActionChanged as changed:  # saved by someone else since the check above
        since = since_version(
            changed.action,
            posted_version,
            marked_updates=may_see_marked(request.user, changed.action),
        )
        return _conflict_page(request, form, changed.action, since, next_url)
    messages.success(request, _saved_message(form, saved, before_rag))
    return redirect(next_url or reverse("actions:action-detail", args=[action.pk]))


def _closed(request, action: Action):
    """The action's plan is closed (actions.closing): say so. A form sent in is shown again
    with its words, so that nothing typed is lost, and saves nothing."""
    refused = PlanClosed(action.theme.plan).messages[0]
    if request.method == "GET":
        messages.error(request, refused)
        return redirect("actions:action-detail", pk=action.pk)
    form = ActionUpdateForm(
        request.POST,
        action=action,
        undated_progress=_shows_progress(action),
        sees_marked=may_see_marked(request.user, action),
    )
    form.is_valid()
    form.add_error(None, refused)
    return _update_page(request, action, form, _safe_next(request, request.POST.get("next")))


# ---- loading and saving ------------------------------------------------------------------


def _visible(request):
    return visible_actions(request.user).select_related(
        "theme__plan", "theme__parent", "theme__monitoring_board", "monitoring_board"
    )


def _save(request, action: Action, form: ActionUpdateForm) -> Action:
    # The view has the service's name (actions.urls and views.__init__ use it).
    return services.action_update(
        action=action,
        user=request.user,
        expected_version=form.cleaned_data["version"],
        update=form.update(),
        **form.changes(),
    )


def _shows_progress(action: Action) -> bool:
    """Whether the update form shows the action's undated progress text: where the plan's
    layout has a Progress column for it (VRU), or the action has some to keep editable."""
    return action.theme.plan.layout == Plan.Layout.VRU or bool(action.progress)


def _meaning(rag: str) -> str:
    return RAG(rag).meaning if rag in RAG.values else RAG.NOT_RATED.meaning


def _saved_message(form: ActionUpdateForm, saved: Action, before_rag: str) -> str:
    changes = form.changes()
    done = []
    if form.update() is not None:
        done.append("progress update added")
    if saved.rag != before_rag:
        done.append(f"RAG status changed from {RAG(before_rag).label} to {RAG(saved.rag).label}")
    others = [form.fields[name].label.lower() for name in ACTION_FIELDS if name in changes]
    others = [label for label in others if not label.startswith("rag")]
    if others:
        listed = others[0] if len(others) == 1 else f"{', '.join(others[:-1])} and {others[-1]}"
        done.append(f"{listed} changed")
    name = f"Action {saved.ref}" if saved.ref else "The action"
    return f"{name} saved: {'; '.join(done)}."


# ---- pages -------------------------------------------------------------------------------


def _update_page(request, action, form, next_url, *, conflict=None, status=200):
    context = {
        "action": action,
        "form": form,
        "next": next_url,
        "error_links": form.error_links() if form.is_bound else [],
        "conflict": conflict,
        "page_marking": selectors.effective_marking(action),
    }
    return render(request, "actions/action_update.html", context, status=status)


def _conflict_page(request, form: ActionUpdateForm, current: Action, since, next_url: str):
    """Someone saved the action after this form was filled in; nothing was written. Show
    the form again with this person's words, what the other person changed, and, in the
    inputs this person left alone, the other person's saved values, so that sending the
    form again keeps both people's changes. `form` was checked against the version its
    sender saw (since.base) when that version is still in the history."""
    data, base = form.cleaned_data, since.base
    carried, clashes = {}, []
    for name in ACTION_FIELDS:
        saved = getattr(current, name)
        if base is not None and data[name] == getattr(base, name):
            carried[name] = saved  # this person left it alone: take the saved value
    for name, yours in form.changes().items():
        saved = getattr(current, name)
        if yours != saved and (base is None or saved != getattr(base, name)):
            clashes.append(
                {
                    "label": form.fields[name].label,
                    "saved": _shown(name, saved),
                    "yours": _shown(name, yours),
                }
            )
    again = ActionUpdateForm(
        form.with_data(**carried, version=action_version(current)),
        action=current,
        undated_progress=_shows_progress(current),
        sees_marked=may_see_marked(request.user, current),
    )
    conflict = {"since": since, "clashes": clashes}
    return _update_page(request, current, again, next_url, conflict=conflict, status=409)


def _shown(name: str, value) -> str:
    if name == "rag":
        return RAG(value).label
    if name.endswith("_date"):
        return show_date(value)
    return value or ""


# ---- where to go back to -----------------------------------------------------------------


def _safe_next(request, url: str | None) -> str:
    """`url` if it stays on this site (not another host, not javascript:), else ""."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _next_for_action_page(request) -> str:
    """Where the update form should return to: the ?next= the action page was given, or
    the My actions or plan page (with its filters) the person came from."""
    given = _safe_next(request, request.GET.get("next"))
    if given:
        return given
    referer = _safe_next(request, request.headers.get("referer"))
    if not referer:
        return ""
    parts = urlsplit(referer)
    try:
        view = resolve(parts.path).view_name
    except Resolver404:
        return ""
    if view not in RETURN_TO_VIEWS:
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")
