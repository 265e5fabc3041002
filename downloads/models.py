"""A record of each download of a plan or a pack, for the audit log."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from cspplan.constraints import in_choices


class Marking(models.TextChoices):
    """Protective markings (Government Security Classifications), lowest first."""

    OFFICIAL = "OFFICIAL", "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"


class DownloadKind(models.TextChoices):
    WORKBOOK = "workbook", "Plan workbook"
    FILTERED_WORKBOOK = "filtered-workbook", "Plan workbook of filtered actions"
    PACK_PAGE = "pack-page", "Pre-meeting pack (page)"
    PACK_DOCUMENT = "pack-document", "Pre-meeting pack (Word document)"
    VRU_VIEW = "vru-view", "VRU view across boroughs (workbook)"
    COMPARISON = "comparison", "Two years of a plan compared (workbook)"


class Download(models.Model):
    Kind = DownloadKind
    Marking = Marking

    # Ids without foreign key constraints, with the names beside them: the record outlives
    # the account, plan and board it names.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=20, choices=DownloadKind.choices)
    plan_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    board_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    subject = models.CharField(max_length=300, help_text="The plan's title or board's name.")
    options = models.JSONField(
        default=dict, blank=True, help_text="The layout, filters or pack contents chosen."
    )
    marking = models.CharField(max_length=20, choices=Marking.choices)
    rows = models.PositiveIntegerField(help_text="How many actions it held.")

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            in_choices("kind", DownloadKind, "download_kind_valid"),
            in_choices("marking", Marking, "download_marking_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


class PendingUpload(models.Model):
    """A workbook uploaded for import, held between the import's preview and its
    confirmation (workbooks.uploads decides who may use it, and for how long).

    In the database rather than on the app server's disk, so that the confirmation finds it
    whichever app server behind the load balancer serves it, and nothing an officer uploaded
    is left on a server. Here, beside the record of files going out, because this app sits
    below every app that reads or writes workbooks and the workbooks app keeps no models.
    The bytes alone: whose upload it is, for which plan, lives in the uploader's session."""

    # A random name (secrets.token_urlsafe), the only way to it: the forms send it back.
    token = models.CharField(max_length=64, unique=True)
    data = models.BinaryField()
    # Of `data` as uploaded: a row changed since is not read.
    sha256 = models.CharField(max_length=64)
    kept_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(token=""), name="pending_upload_token_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return f"Upload kept for import at {self.kept_at:%Y-%m-%d %H:%M}"
