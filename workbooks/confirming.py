"""Confirming a previewed upload, the steps every confirm page takes alike (the plan's
import, and the new year's template in rollover/): find the upload the user previewed by
its token, refuse a token we never gave out, say so when the upload is gone, and do the
confirmation's work inside the plan's lock, so that nothing saved since the preview the
user saw (or while it runs) is written over. What the work is, and the pages it answers
with, are each page's own.
"""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from workbooks import uploads
from workbooks.services import PlanBusy, plan_locked

BUSY = (
    "Someone else is importing into this plan or saving one of its actions right now, so "
    "nothing was written. Wait a minute, then confirm again."
)


def confirm_kept_upload(
    request,
    plan,
    *,
    tampered: Callable[[], HttpResponse],
    gone: str,
    upload_again: str,
    confirm: Callable[[uploads.KeptUpload, bytes], HttpResponse],
    busy: Callable[[uploads.KeptUpload, bytes], HttpResponse],
) -> HttpResponse:
    """Run `confirm(kept, data)` on the user's previewed upload inside the plan's lock.

    `tampered()` answers a token we never gave out; `gone` is what the user is told, on the
    way back to `upload_again`, when the upload is no longer kept; `busy(kept, data)` is
    the page shown, after saying nothing was written, when someone else holds the lock.
    """
    try:
        kept = uploads.find(request, request.POST.get("token", ""), plan)
    except uploads.Tampered:
        return tampered()
    data = kept.read() if kept else None
    if data is None:
        messages.error(request, gone)
        return redirect(upload_again)
    try:
        with plan_locked(plan):
            return confirm(kept, data)
    except PlanBusy:
        messages.error(request, BUSY)
        return busy(kept, data)
