"""The chairs' pages each come twice, for a plan and for a board with its subgroups: one
function of a scope (reporting.scopes) makes both views."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_safe

from reporting.scopes import board_scope, plan_scope


def plan_and_board_views(page):
    """(view of a plan by slug, view of a board by pk) for `page(request, scope)`. A plan or
    board the user may not open is not found, so that its existence is not revealed."""

    @require_safe
    @login_required
    def plan_view(request, slug):
        return page(request, plan_scope(request.user, slug))

    @require_safe
    @login_required
    def board_view(request, pk):
        return page(request, board_scope(request.user, pk))

    for view, kind in ((plan_view, "plan"), (board_view, "board")):
        view.__name__ = f"{kind}_{page.__name__.strip('_')}"
        view.__doc__ = page.__doc__
    return plan_view, board_view
