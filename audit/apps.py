from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The administrators' audit log: every recorded change and download, read from the
    change history of each model and the records of downloads and second factor changes
    (no copy of its own, so no models)."""

    name = "audit"
