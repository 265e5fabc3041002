"""Recording a download."""

from django.db.models import Count, Q, QuerySet

from cspplan.history import history_user
from downloads.models import Download, Marking


def contents(actions: QuerySet) -> tuple[int, str]:
    """(how many actions, their highest protective marking), in one query.

    The one place that says which actions are marked: for now the `restricted` flag, which
    is OFFICIAL-SENSITIVE; when actions carry a `marking` field this reads that instead.
    `actions` is a queryset of actions.Action (passed in: this app sits below actions)."""
    counts = actions.order_by().aggregate(
        rows=Count("pk"), sensitive=Count("pk", filter=Q(restricted=True))
    )
    marking = Marking.OFFICIAL_SENSITIVE if counts["sensitive"] else Marking.OFFICIAL
    return counts["rows"], marking


def download_record(
    *,
    user,
    kind: str,
    actions: QuerySet,
    subject: str,
    plan_id: int | None = None,
    board_id: int | None = None,
    options: dict | None = None,
) -> Download:
    """Record that `user` (else the user of the request being served, or the command's:
    cspplan.history.history_user) took a `kind` of download of `actions`."""
    user = history_user(user)
    rows, marking = contents(actions)
    return Download.objects.create(
        user=user,
        username=user.get_username() if user else "",
        kind=kind,
        subject=subject[:300],
        plan_id=plan_id,
        board_id=board_id,
        options=options or {},
        marking=marking,
        rows=rows,
    )
