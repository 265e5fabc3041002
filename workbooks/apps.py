from django.apps import AppConfig


class WorkbooksConfig(AppConfig):
    """Spreadsheets in and out: the VRU, SGV and CSP layouts, reading and writing them,
    the import preview and service, and the pages, admin and commands for them. No models."""

    name = "workbooks"
