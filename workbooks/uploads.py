"""Uploaded workbooks: the size limit while they arrive, and keeping them between the
import preview and its confirmation.

The browser is never trusted to send the file back: the bytes are kept in the database
(downloads.PendingUpload) under a random token, and the session records the token with the
plan, the user, the layout, the file's SHA-256 and a fingerprint of what the preview
showed. Confirming sends only the token, which counts only if this session kept it for this
plan; the bytes are checked against the session's hash before they are read again. The
database rather than a folder or the cache, so that every worker process of every app
server behind a load balancer sees the same uploads (sessions are in the database too),
and nothing uploaded is left on a server's disk.

The admin's import (django-import-export) keeps its upload the same way, through
AdminUploadStorage, rather than under its own name in /tmp: its confirm form sends the
name back, so the name is one of our random tokens, checked against those this session
was given. Every kept upload is removed when its import is confirmed or cancelled, and any
older than IMPORT_UPLOAD_MAX_AGE_MINUTES on each new upload and by the
clear_import_uploads command.
"""

import datetime
import hashlib
import re
import secrets
import time
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils import timezone
from import_export.tmp_storages import BaseStorage

from downloads.selectors import pending_upload_data, pending_upload_exists
from downloads.services import (
    pending_upload_create,
    pending_upload_delete,
    pending_upload_expire,
)
from workbooks.safety import DEFAULT_LIMITS

SESSION_KEY = "plan_imports"
ADMIN_SESSION_KEY = "admin_plan_imports"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


class Tampered(ValueError):
    """A form sent back a kept upload's token that we never gave out: not one that has
    merely been used or has expired, but one that cannot be ours."""


def max_age() -> float:
    """How long, in seconds, an upload is kept waiting for its confirmation."""
    return getattr(settings, "IMPORT_UPLOAD_MAX_AGE_MINUTES", 240) * 60


def well_formed(token) -> bool:
    return isinstance(token, str) and bool(TOKEN.match(token))


class WorkbookSizeLimit(FileUploadHandler):
    """Stops storing an uploaded file once it passes the workbook size limit, so a huge
    upload is refused with our message instead of filling the disk first. The rest of the
    form still arrives (the CSRF token, the layout); `too_large` tells the view."""

    def __init__(self, request=None, limit: int = DEFAULT_LIMITS.max_file_bytes):
        super().__init__(request)
        self.limit = limit
        self.received = 0  # over every file of the request: one workbook is expected
        self.too_large: int | None = None

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            # The request's size stands in for the file's: the file is not read to its end.
            self.too_large = int(self.request.META.get("CONTENT_LENGTH") or 0) or self.received
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) makes the file


@dataclass
class KeptUpload:
    token: str
    plan: int
    user: int
    layout: str
    name: str
    sha256: str
    fingerprint: str
    kept_at: float

    def read(self) -> bytes | None:
        """The bytes as uploaded, or None if they have gone or are not the ones kept."""
        data = pending_upload_data(self.token)
        if data is None or hashlib.sha256(data).hexdigest() != self.sha256:
            return None
        return data


def _entries(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def keep(request, *, plan, layout: str, name: str, data: bytes, fingerprint: str) -> KeptUpload:
    """Keep `data` for this session and plan, replacing an earlier upload for the plan."""
    sweep()
    entries = _entries(request)
    for token, entry in list(entries.items()):
        if entry["plan"] == plan.pk:
            _remove(token)
            del entries[token]
    kept = KeptUpload(
        token=secrets.token_urlsafe(32),
        plan=plan.pk,
        user=request.user.pk,
        layout=layout,
        name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        fingerprint=fingerprint,
        kept_at=time.time(),
    )
    pending_upload_create(token=kept.token, data=data)
    entries[kept.token] = {k: v for k, v in asdict(kept).items() if k != "token"}
    request.session[SESSION_KEY] = entries
    return kept


def find(request, token: str, plan) -> KeptUpload | None:
    """The upload this session kept for `plan` under `token`, if it did and it is fresh.
    Raises Tampered for a token that cannot be one of ours."""
    if not well_formed(token):
        raise Tampered(token)
    entry = _entries(request).get(token)
    if entry is None or entry["plan"] != plan.pk or entry["user"] != request.user.pk:
        return None
    kept = KeptUpload(token=token, **entry)
    if time.time() - kept.kept_at > max_age():
        discard(request, token)
        return None
    return kept


def refingerprint(request, kept: KeptUpload, fingerprint: str) -> None:
    """Record a new preview of the same file, shown after the plan changed."""
    entries = _entries(request)
    entries[kept.token]["fingerprint"] = fingerprint
    request.session[SESSION_KEY] = entries
    request.session.modified = True


def discard(request, token: str) -> None:
    entries = _entries(request)
    if entries.pop(token, None) is not None:
        request.session[SESSION_KEY] = entries
    _remove(token)


def _remove(token: str) -> None:
    if well_formed(token):
        pending_upload_delete(token=token)


def sweep() -> int:
    """Remove the uploads nobody confirmed or cancelled in time (their sessions may be long
    gone); how many were removed."""
    return pending_upload_expire(kept_before=timezone.now() - datetime.timedelta(seconds=max_age()))


# ---- the admin's import ------------------------------------------------------------------


class AdminUploadStorage(BaseStorage):
    """django-import-export's store for an upload between the admin's preview and its
    confirmation: the database, under a random token, instead of a file in /tmp named by
    the confirm form."""

    def save(self, data):
        sweep()
        self.name = secrets.token_urlsafe(32)
        pending_upload_create(token=self.name, data=data)

    def read(self):
        return pending_upload_data(self.name) if well_formed(self.name) else None

    def remove(self):
        _remove(self.name or "")


def admin_keep(request, token: str, plan, layout: str = "") -> None:
    """Record that this session previewed the admin upload `token` for `plan`, read in
    `layout` (for the preview's download)."""
    entries = request.session.get(ADMIN_SESSION_KEY, {})
    entries[token] = {
        "plan": plan.pk,
        "user": request.user.pk,
        "kept_at": time.time(),
        "layout": layout,
    }
    request.session[ADMIN_SESSION_KEY] = entries


def admin_read(request, token: str, plan) -> tuple[str, bytes] | None:
    """The layout and contents of the admin upload `token` this session previewed for
    `plan` (`admin_find`), or None. Raises Tampered for a token that cannot be one of ours."""
    if not admin_find(request, token, plan):
        return None
    layout = request.session[ADMIN_SESSION_KEY][token].get("layout", "")
    data = pending_upload_data(token)
    return None if data is None else (layout, data)


def admin_find(request, token, plan) -> bool:
    """Whether this session previewed the admin upload `token` for `plan`, recently enough,
    and the upload is still kept. Raises Tampered for a token that cannot be one of ours."""
    if not well_formed(token):
        raise Tampered(token)
    entry = request.session.get(ADMIN_SESSION_KEY, {}).get(token)
    return (
        entry is not None
        and entry["plan"] == plan.pk
        and entry["user"] == request.user.pk
        and time.time() - entry["kept_at"] <= max_age()
        and pending_upload_exists(token)
    )


def admin_discard(request, token: str) -> None:
    entries = request.session.get(ADMIN_SESSION_KEY, {})
    if entries.pop(token, None) is not None:
        request.session[ADMIN_SESSION_KEY] = entries
    _remove(token)
