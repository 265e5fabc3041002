"""Uploaded workbooks: the size limit while they arrive, and keeping them on the server
between the import preview and its confirmation.

The browser is never trusted to send the file back: the bytes are written to a private
folder under a random token, and the session records the token with the plan, the user,
the layout, the file's SHA-256 and a fingerprint of what the preview showed. Confirming
sends only the token, which counts only if this session kept it for this plan; the file is
checked against its hash before it is read again. A folder rather than the cache, so that
every worker process of one server sees it (several servers need a shared folder:
IMPORT_UPLOAD_DIR).
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

from workbooks.safety import DEFAULT_LIMITS

SESSION_KEY = "plan_imports"
KEEP_SECONDS = 24 * 60 * 60
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


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
        return folder() / f"{self.token}.xlsx"

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


def _entries(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def keep(request, *, plan, layout: str, name: str, data: bytes, fingerprint: str) -> KeptUpload:
    """Keep `data` for this session and plan, replacing an earlier upload for the plan."""
    _sweep()
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
    folder().mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(kept.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)
    entries[kept.token] = {k: v for k, v in asdict(kept).items() if k != "token"}
    request.session[SESSION_KEY] = entries
    return kept


def find(request, token: str, plan) -> KeptUpload | None:
    """The upload this session kept for `plan` under `token`, if it did and it is fresh."""
    if not isinstance(token, str) or not TOKEN.match(token):
        return None
    entry = _entries(request).get(token)
    if entry is None or entry["plan"] != plan.pk or entry["user"] != request.user.pk:
        return None
    kept = KeptUpload(token=token, **entry)
    if time.time() - kept.kept_at > KEEP_SECONDS:
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
    if TOKEN.match(token):
        (folder() / f"{token}.xlsx").unlink(missing_ok=True)


def _sweep() -> None:
    """Remove uploads nobody confirmed within a day (their sessions may be long gone)."""
    try:
        files = list(folder().glob("*.xlsx"))
    except OSError:
        return
    cutoff = time.time() - KEEP_SECONDS
    for path in files:
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue
