from django.apps import AppConfig


class DownloadsConfig(AppConfig):
    """The record of every plan and pack that leaves the application (a workbook, a pack
    page or document): who took it, when, what it held and its highest protective marking.
    Below actions, so that both workbooks and reporting write to it. It also holds the
    workbooks uploaded for import between their preview and confirmation (PendingUpload), in
    the database so that several app servers behave as one."""

    name = "downloads"
    default_auto_field = "django.db.models.BigAutoField"
