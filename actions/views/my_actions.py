"""Home: the actions the signed-in person leads, in two lists, each action once: those that
name them as a lead, and those their organisation leads. Each list is counted on its own,
what needs the person first (overdue, no update for a while, red) at its top, every row with
all of its reasons."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_safe

from actions import selectors
from actions.permissions import is_administrator, person_of, role_of
from actions.rag import RAG
from actions.views.pagination import CountedPaginator, pagination
from actions.views.plans import PAGE_SIZE, rag_meanings
from boards.models import Membership, Role


def _weeks() -> str:
    """The stale period in words: "8 weeks", "1 week"."""
    weeks = settings.STALE_AFTER_WEEKS
    return f"{weeks} week{pluralize(weeks)}"


def _reasons(action) -> list[str]:
    """The words for why the action needs the user first, all of them."""
    if not action.needs_attention:
        return []
    reasons = []
    if action.is_overdue:
        reasons.append("overdue")
    if action.is_stale:
        reasons.append(f"no update in {_weeks()}")
    if action.rag == RAG.RED:
        reasons.append("red")
    return reasons


def _described(which: str, organisation) -> tuple[str, str]:
    """A list's heading and what it holds."""
    if which == "named":
        return "Actions you are named on", "You are a named lead of these actions."
    return (
        f"{organisation}'s actions",
        f"{organisation} leads these actions and they do not name you; as one of "
        f"{organisation}'s people you can update them.",
    )


def _list(request, actions, counts: dict, which: str, organisation) -> dict:
    """One of the page's two lists, paged on its own (?named_page=, ?organisation_page=)."""
    heading, description = _described(which, organisation)
    param = f"{which}_page"
    count = counts[which]
    page = CountedPaginator(
        actions.filter(selectors.my_list_filter(which)), PAGE_SIZE, count=count["total"]
    ).get_page(request.GET.get(param))
    rows = list(page.object_list)
    for action in rows:
        action.reasons = _reasons(action)
    return {
        "key": which,
        "heading": heading,
        "description": description,
        "count": count,
        "needs_you": [(group, count[group]) for group in selectors.ATTENTION],
        "page": page,
        "rows": rows,
        "pagination": pagination(page, request.GET, param=param, anchor=which),
    }


@require_safe
@login_required
def my_actions(request):
    person = person_of(request.user)
    if person is None:
        # A superuser needs no person to see the plans; anyone else sees nothing without one.
        context = {"has_person": False, "is_administrator": is_administrator(request.user)}
        return render(request, "actions/my_actions.html", context)
    actions = selectors.my_actions(request.user)
    counts = selectors.my_actions_counts(actions)
    organisation = person.organisation
    # Someone with no organisation leads only by name: no second list to explain.
    shown = [which for which in selectors.MY_LISTS if which == "named" or organisation]
    lists = [_list(request, actions, counts, which, organisation) for which in shown]
    total = sum(counts[which]["total"] for which in selectors.MY_LISTS)
    one_plan_rows = next((lst["rows"] for lst in lists if lst["rows"]), [])
    rows = [action for lst in lists for action in lst["rows"]]
    stale_weeks = _weeks()
    return render(
        request,
        "actions/my_actions.html",
        {
            "has_person": True,
            "total": total,
            # The highest marking of the actions listed and of the last updates they show.
            "page_marking": selectors.highest(
                [
                    selectors.highest_marking(rows),
                    *selectors.shown_update_markings(rows),
                ]
            ),
            "lists": lists,
            # With every action in one plan, the plan is named once rather than on each row.
            "one_plan": one_plan_rows[0].theme.plan if counts["plans"] == 1 else None,
            "flag_headings": {
                "overdue": "Overdue",
                "stale": f"No update in {stale_weeks}",
                "red": "Red",
            },
            "needs_attention": any(
                lst["count"][group] for lst in lists for group, _ in lst["needs_you"]
            ),
            "stale_weeks": stale_weeks,
            "stale_since": selectors.stale_cutoff(),
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
