"""Home: the actions the signed-in person or their organisation leads, what needs them first
(overdue, no update for a while, red), then all of them."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from actions import selectors
from actions.permissions import is_administrator, person_of, role_of
from actions.rag import MEANINGS, RAG
from actions.views.pagination import CountedPaginator, pagination
from actions.views.plans import PAGE_SIZE, rag_meanings
from boards.models import Membership, Role
from cspplan.display import show_date

# Each "needs you first" group lists this many actions at most; the full list below puts
# them all first anyway.
GROUP_SIZE = 20


def _groups(actions, counts) -> list[dict]:
    weeks = settings.STALE_AFTER_WEEKS
    since = selectors.stale_cutoff()
    described = {
        "overdue": ("Overdue", "Past their end date and not complete."),
        "stale": (
            f"No update in the last {weeks} weeks",
            f"No progress update dated {show_date(since)} or later, and not complete.",
        ),
        "red": ("Red", MEANINGS[RAG.RED]),
    }
    return [
        {
            "key": key,
            "heading": described[key][0],
            "description": described[key][1],
            "count": counts[key],
            "actions": list(actions.filter(selectors.attention_filter(key))[:GROUP_SIZE])
            if counts[key]
            else [],
        }
        for key in selectors.ATTENTION
    ]


def _with_reasons(actions) -> list:
    """The actions, each with `reasons`: the words for why it needs the user first."""
    actions = list(actions)
    for action in actions:
        action.reasons = []
        if action.needs_attention:
            if action.is_overdue:
                action.reasons.append("overdue")
            if action.is_stale:
                action.reasons.append(f"no update in {settings.STALE_AFTER_WEEKS} weeks")
            if action.rag == RAG.RED:
                action.reasons.append("red")
    return actions


@require_safe
@login_required
def my_actions(request):
    if person_of(request.user) is None:
        # A superuser needs no person to see the plans; anyone else sees nothing without one.
        context = {"has_person": False, "is_administrator": is_administrator(request.user)}
        return render(request, "actions/my_actions.html", context)
    actions = selectors.my_actions(request.user)
    counts = selectors.attention_counts(actions)
    page = CountedPaginator(actions, PAGE_SIZE, count=counts["total"]).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "actions/my_actions.html",
        {
            "has_person": True,
            "total": counts["total"],
            # With every action in one plan, the plan is named once rather than on each row.
            "one_plan": counts["plans"] == 1,
            "groups": _groups(actions, counts),
            "needs_attention": any(counts[key] for key in selectors.ATTENTION),
            "page": page,
            "rows": _with_reasons(page.object_list),
            "pagination": pagination(page, request.GET),
            "stale_weeks": settings.STALE_AFTER_WEEKS,
            "rag_meanings": rag_meanings(),
            "seats": _seats(request.user),
        },
    )


def _seats(user) -> list[Membership]:
    """A chair's way to their boards' dashboards, which is what they come for."""
    if role_of(user) != Role.CHAIR:
        return []
    return list(
        Membership.objects.filter(person=person_of(user))
        .select_related("board")
        .order_by("board__order", "board__name")
    )
