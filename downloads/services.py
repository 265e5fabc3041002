"""Recording a download, and holding a workbook uploaded for import until it is confirmed."""

import datetime
import hashlib

from django.db import transaction
from django.db.models import QuerySet

from cspplan.history import history_user
from downloads.models import Download, Marking, PendingUpload


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


@transaction.atomic
def pending_upload_create(*, token: str, data: bytes) -> PendingUpload:
    """Hold `data` under `token` (a new random token: never over an existing upload, which
    the unique constraint refuses)."""
    return PendingUpload.objects.create(
        token=token, data=data, sha256=hashlib.sha256(data).hexdigest()
    )


@transaction.atomic
def pending_upload_delete(*, token: str) -> None:
    PendingUpload.objects.filter(token=token).delete()


@transaction.atomic
def pending_upload_expire(*, kept_before: datetime.datetime) -> int:
    """Delete the uploads held since before `kept_before`; how many."""
    removed, _ = PendingUpload.objects.filter(kept_at__lt=kept_before).delete()
    return removed
