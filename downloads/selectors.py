"""Reading the workbooks held for import (models.PendingUpload)."""

import hashlib

from downloads.models import PendingUpload


def pending_upload_data(token: str) -> bytes | None:
    """The bytes held under `token`, or None if there are none or they are not what was
    uploaded (their SHA-256 no longer matches)."""
    row = PendingUpload.objects.filter(token=token).values_list("data", "sha256").first()
    if row is None:
        return None
    data = bytes(row[0])  # PostgreSQL hands a bytea over as a memoryview
    return data if hashlib.sha256(data).hexdigest() == row[1] else None


def pending_upload_exists(token: str) -> bool:
    return PendingUpload.objects.filter(token=token).exists()
