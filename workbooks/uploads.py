"""Uploaded workbooks: the size limit while they arrive, and keeping them on the server
between the import preview and its confirmation.

The browser is never trusted to send the file back: the bytes are written to a private
folder under a random token, and the session records the token with the plan, the user,
the layout, the file's SHA-256 and a fingerprint of what the preview showed. Confirming
sends only the token, which counts only if this session kept it for this plan; the file is
checked against its hash before it is read again. A folder rather than the cache, so that
every worker process of one server sees it (several servers need a shared folder:
IMPORT_UPLOAD_DIR).

The admin's import (django-import-export) keeps its upload in the same folder, through
AdminUploadStorage, rather than under its own name in /tmp: its confirm form sends the
name back, so the name is one of our random tokens, checked against those this session
was given. Every kept file is removed when its import is confirmed or cancelled, and any
older than IMPORT_UPLOAD_MAX_AGE_MINUTES on each new upload and by the
clear_import_uploads command.
"""

import hashlib
import os
import re
import secrets
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from import_export.tmp_storages import BaseStorage

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

    @property
    def path(self) -> Path:
        return path_of(self.token)

    def read(self) -> bytes | None:
        """The bytes as uploaded, or None if the file has gone or is not the one kept."""
        try:
            data = self.path.read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == self.sha256 else None


def folder() -> Path:
    return Path(
        getattr(settings, "IMPORT_UPLOAD_DIR", None)
        or Path(tempfile.gettempdir()) / "cspplan-imports"
    )


def path_of(token: str) -> Path:
    if not well_formed(token):
        raise Tampered(token)
    return folder() / f"{token}.xlsx"


def _write(token: str, data: bytes) -> None:
    """The file, readable by this server's user alone, never over an existing one."""
    folder().mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path_of(token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)


def _entries(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def keep(request, *, plan, layout: str, name: str, data: bytes, fingerprint: str) -> KeptUpload:
    """Keep `data` for this session and plan, replacing an earlier upload for the plan."""
    sweep()
    entries = _entries(request)
    for token, entry in list(entries.items()):
        if entry["plan"] == plan.pk:
            _remove_file(token)
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
    _write(kept.token, data)
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
    _remove_file(token)


def _remove_file(token: str) -> None:
    if well_formed(token):
        path_of(token).unlink(missing_ok=True)


def sweep() -> int:
    """Remove the uploads nobody confirmed or cancelled in time (their sessions may be long
    gone); how many were removed."""
    try:
        files = list(folder().glob("*.xlsx"))
    except OSError:
        return 0
    cutoff = time.time() - max_age()
    removed = 0
    for path in files:
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
        except OSError:
            continue
    return removed


# ---- the admin's import ------------------------------------------------------------------


class AdminUploadStorage(BaseStorage):
    """django-import-export's store for an upload between the admin's preview and its
    confirmation: our folder, under a random token, instead of a file in /tmp named by
    the confirm form."""

    def save(self, data):
        sweep()
        self.name = secrets.token_urlsafe(32)
        _write(self.name, data)

    def read(self):
        try:
            return path_of(self.name).read_bytes()
        except OSError:
            return None

    def remove(self):
        _remove_file(self.name or "")


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
    try:
        return layout, path_of(token).read_bytes()
    except OSError:
        return None


def admin_find(request, token, plan) -> bool:
    """Whether this session previewed the admin upload `token` for `plan`, recently enough,
    and the file is still there. Raises Tampered for a token that cannot be one of ours."""
    if not well_formed(token):
        raise Tampered(token)
    entry = request.session.get(ADMIN_SESSION_KEY, {}).get(token)
    return (
        entry is not None
        and entry["plan"] == plan.pk
        and entry["user"] == request.user.pk
        and time.time() - entry["kept_at"] <= max_age()
        and path_of(token).exists()
    )


def admin_discard(request, token: str) -> None:
    entries = request.session.get(ADMIN_SESSION_KEY, {})
    if entries.pop(token, None) is not None:
        request.session[ADMIN_SESSION_KEY] = entries
    _remove_file(token)
