from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """What chairs read: dashboards, since the last meeting, indicators and the pack.
    No models."""

    name = "reporting"
