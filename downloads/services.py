"""Recording a download."""

from django.db.models import QuerySet

from cspplan.history import history_user
from downloads.models import Download, Marking


def download_record(
    *,
    user,
    kind: str,
    actions: QuerySet,
    subject: str,
    plan_id: int | None = None,
    board_id: int | None = None,
    marking: str,
    options: dict | None = None,
) -> Download:
    """Record that `user` (else the user of the request being served, or the command's:
    cspplan.history.history_user) took a `kind` of download of `actions` (a queryset of
    actions.Action, counted here: this app sits below actions), which states `marking` (the
    protective marking's words, OFFICIAL or OFFICIAL-SENSITIVE, as the document states it)."""
    user = history_user(user)
    rows = actions.order_by().count()
    return Download.objects.create(
        user=user,
        username=user.get_username() if user else "",
        kind=kind,
        subject=subject[:300],
        plan_id=plan_id,
        board_id=board_id,
        options=options or {},
        marking=Marking(marking),
        rows=rows,
    )
