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
