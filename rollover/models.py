"""The annual cycle's own records: a roll-over of one year's plan into the next, and the
choices people made while taking in the VRU's new template."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from actions.models import Action, Plan, Theme
from cspplan.constraints import dates_in_order, in_choices, not_blank

# ---- the roll-over -------------------------------------------------------------------------


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


# ---- Taking in the VRU's new template (rollover.template, rollover.template_services) ----
# Kept apart from the roll-over's own records: a template is taken into a Draft plan, and
# each choice the user made in its preview is recorded with who made it and when. (No link
# to the roll-over record: the plan is the link.)


class TemplateTaking(models.Model):
    """One VRU template workbook taken into a Draft plan: what it did, by whom, when."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="template_takings")
    file_name = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField("SHA-256 of the workbook", max_length=64)
    themes_added = models.PositiveIntegerField(default=0)
    themes_renamed = models.PositiveIntegerField(default=0)
    actions_added = models.PositiveIntegerField(default=0)
    actions_merged = models.PositiveIntegerField(default=0)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_at = models.DateTimeField()

    class Meta:
        ordering = ["plan", "-taken_at", "-pk"]

    def __str__(self):
        return f"{self.file_name or 'A template'} taken into {self.plan}"


class TemplateChoiceKind(models.TextChoices):
    OPTIONAL = "optional", "Optional action"
    MATCH = "match", "Match with an action in the plan"
    THEME = "theme", "Theme not in the plan"


class TemplateDecision(models.TextChoices):
    ADOPTED = "adopted", "Adopted"
    LEFT_OUT = "left_out", "Left out"
    CONFIRMED = "confirmed", "Confirmed: the same action"
    REFUSED = "refused", "Refused: a different action"
    RENAMED = "renamed", "Renames a theme of the plan"
    ADDED = "added", "Added as a new theme"


# Which decisions answer which kind of question.
DECISIONS_FOR = {
    TemplateChoiceKind.OPTIONAL: (TemplateDecision.ADOPTED, TemplateDecision.LEFT_OUT),
    TemplateChoiceKind.MATCH: (TemplateDecision.CONFIRMED, TemplateDecision.REFUSED),
    TemplateChoiceKind.THEME: (TemplateDecision.RENAMED, TemplateDecision.ADDED),
}


class TemplateChoice(models.Model):
    """One choice made in a template's preview: an optional action adopted or left out, a
    match with an action in the plan confirmed or refused, a theme the plan lacked said to
    rename one of its themes or added as new. The template's words are kept as they were,
    beside the records they led to (which may later change or go)."""

    Kind = TemplateChoiceKind
    Decision = TemplateDecision

    taking = models.ForeignKey(TemplateTaking, on_delete=models.CASCADE, related_name="choices")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="template_choices")
    kind = models.CharField(max_length=10, choices=TemplateChoiceKind.choices)
    decision = models.CharField(max_length=10, choices=TemplateDecision.choices)
    template_theme = models.CharField("theme in the template", max_length=300)
    template_row = models.PositiveIntegerField("row in the template", null=True, blank=True)
    template_ref = models.CharField("action number in the template", max_length=20, blank=True)
    template_text = models.TextField("action in the template", blank=True)
    action = models.ForeignKey(
        Action,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="template_choices",
        help_text="The plan's action: the one matched, or the optional one adopted.",
    )
    theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="template_choices",
        help_text="The plan's theme: the one renamed, or the one added.",
    )
    previous_name = models.CharField(
        "the theme's name before", max_length=300, blank=True, help_text="For a renamed theme."
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField()

    class Meta:
        ordering = ["taking", "pk"]
        constraints = [
            in_choices("kind", TemplateChoiceKind, "template_choice_kind_valid"),
            in_choices("decision", TemplateDecision, "template_choice_decision_valid"),
            models.CheckConstraint(
                condition=Q(
                    *(
                        Q(kind=kind, decision__in=decisions)
                        for kind, decisions in DECISIONS_FOR.items()
                    ),
                    _connector=Q.OR,
                ),
                name="template_choice_decision_fits_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_decision_display()}"
