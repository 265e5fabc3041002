"""The annual cycle's own records: a roll-over of one year's plan into the next, and the
choices people made while taking in the VRU's new template."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from actions.models import Plan
from cspplan.constraints import dates_in_order, in_choices, not_blank

# ---- the roll-over (helper `rollover`) ------------------------------------------------------


class RolloverState(models.TextChoices):
    # The new plan is a Draft beside the old one, which carries on.
    DRAFT = "draft", "Draft"
    # The new plan is Active and the old one Closed.
    ACTIVATED = "activated", "Activated"
    # The new plan, and everything in it, was removed while it was a Draft.
    UNDONE = "undone", "Undone"


class Rollover(models.Model):
    """One roll-over of a plan into next year's: who made it and when, what it made, and
    where it stands (draft, then activated, or undone). The new plan's title, slug and
    period are kept here too, so that an undone roll-over still says what it had made."""

    State = RolloverState

    old_plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="rollovers")
    # Null once undone: the plan it made is gone.
    new_plan = models.OneToOneField(
        Plan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rolled_over_from",
    )
    title = models.CharField("new plan's title", max_length=300)
    slug = models.SlugField("new plan's slug", max_length=100)
    period_start = models.DateField()
    period_end = models.DateField()
    template_name = models.CharField(
        "template workbook",
        max_length=300,
        blank=True,
        help_text="The file name of the VRU template workbook taken in, if any.",
    )
    state = models.CharField(max_length=10, choices=RolloverState.choices, default="draft")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activated_at = models.DateTimeField(null=True, blank=True)
    updates_brought = models.PositiveIntegerField(
        default=0, help_text="How many progress updates activation brought across."
    )
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            in_choices("state", RolloverState, "rollover_state_valid"),
            not_blank("title", "rollover_title_required"),
            not_blank("slug", "rollover_slug_required"),
            dates_in_order("period_start", "period_end", "rollover_period_in_order"),
            # A plan is rolled over once: undo a roll-over to make another.
            models.UniqueConstraint(
                fields=["old_plan"],
                condition=~Q(state=RolloverState.UNDONE),
                name="rollover_one_live_per_plan",
            ),
            models.CheckConstraint(
                condition=~Q(state=RolloverState.ACTIVATED) | Q(activated_at__isnull=False),
                name="rollover_activated_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state=RolloverState.UNDONE) | Q(undone_at__isnull=False),
                name="rollover_undone_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.old_plan} → {self.title} ({self.get_state_display()})"


# ---- end of the roll-over -------------------------------------------------------------------
