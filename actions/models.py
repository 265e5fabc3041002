"""Plans, their themes and actions, progress updates and performance indicators."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from actions.rag import RAG
from boards.models import Board, Organisation, Partnership, Person
from cspplan.constraints import dates_in_order, in_choices, not_blank


class PlanLayout(models.TextChoices):
    VRU = "vru", "VRU action plan template"
    SGV = "sgv", "Serious group violence action plan"
    CSP = "csp", "Community safety partnership plan"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class Marking(models.TextChoices):
    """A protective marking (the Government Security Classifications): OFFICIAL, the
    default, which need not be shown, or OFFICIAL-SENSITIVE, seen only by those
    `actions.permissions` allows. A plan's or theme's marking covers everything in it
    (`actions.selectors.effective_marking`)."""

    OFFICIAL = "official", "OFFICIAL"
    OFFICIAL_SENSITIVE = "official-sensitive", "OFFICIAL-SENSITIVE"


MARKING_HELP = (
    "OFFICIAL-SENSITIVE: shown only to administrators, the named leads of the actions it "
    "covers, and those who sit on the board that owns the plan or monitors the action (or a "
    "board above that one). A plan's or theme's marking covers everything in it."
)


def marking_field():
    return models.CharField(
        "protective marking",
        max_length=20,
        choices=Marking.choices,
        default=Marking.OFFICIAL,
        help_text=MARKING_HELP,
    )


class Plan(models.Model):
    Layout = PlanLayout
    Status = PlanStatus

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="plans")
    board = models.ForeignKey(
        Board,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        help_text="The board that owns the plan.",
    )
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, unique=True)
    layout = models.CharField(max_length=10, choices=PlanLayout.choices)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    predecessor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
        help_text="Last year's plan, where this one rolls it over.",
    )
    summary = models.TextField(blank=True)
    source = models.CharField(
        max_length=300, blank=True, help_text="Where the plan came from (document, meeting)."
    )
    marking = marking_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "-period_start", "title"]
        constraints = [
            in_choices("layout", PlanLayout, "plan_layout_valid"),
            in_choices("status", PlanStatus, "plan_status_valid"),
            in_choices("marking", Marking, "plan_marking_valid"),
            dates_in_order("period_start", "period_end", "plan_period_in_order"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.board_id and self.board.partnership_id != self.partnership_id:
            raise ValidationError({"board": "The board must belong to the plan's partnership."})


class SeniorLeader(models.Model):
    """The senior leadership list at the head of a VRU plan, as written in the plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="senior_leaders")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]

    def __str__(self):
        return ", ".join(part for part in (self.name, self.role) if part) or "(not named)"


class Theme(models.Model):
    """An ordered section of a plan: a VRU theme, an SGV section or objective, a focus area.

    Layouts with two levels (section and strategy objective) put a theme under a parent.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    ref = models.CharField(max_length=20, blank=True)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    progress = models.TextField(blank=True, help_text="An update written for the theme as a whole.")
    monitoring_board = models.ForeignKey(
        Board,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="monitored_themes",
        help_text="The subgroup that monitors this theme's actions.",
    )
    order = models.PositiveIntegerField(default=0)
    marking = marking_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            in_choices("marking", Marking, "theme_marking_valid"),
            models.UniqueConstraint(
                fields=["plan", "name"],
                condition=Q(parent__isnull=True),
                name="theme_top_level_name_unique",
            ),
            models.UniqueConstraint(
                fields=["parent", "name"],
                condition=Q(parent__isnull=False),
                name="theme_child_name_unique",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.parent.plan_id != self.plan_id:
            raise ValidationError({"parent": "A sub-theme must belong to the same plan."})
        if self.plan_id:
            _monitored_within(self.monitoring_board, self.plan.partnership_id)


def _monitored_within(board, partnership_id: int) -> None:
    """A theme or action is monitored by a board of its own plan's partnership: a board of
    another would open the plan's actions to that partnership's chairs (issue 15)."""
    if board is not None and board.partnership_id != partnership_id:
        raise ValidationError(
            {"monitoring_board": "The monitoring board must belong to the plan's partnership."}
        )


class ActionOrigin(models.TextChoices):
    VRU_MANDATED = "vru_mandated", "VRU mandated action"
    VRU_NEW = "vru_new", "New VRU action"
    VRU_OPTIONAL = "vru_optional", "Optional VRU action"
    LOCAL = "local", "Local action"
    # The source does not say (an unlabelled action in a VRU template, say).
    NOT_STATED = "", "Not stated"


# An action's lists of people and organisations. Its history keeps each list with every
# change (below), the history page compares them, and an import writes them in bulk.
ACTION_LIST_FIELDS = ("lead_people", "lead_organisations", "supporting_organisations")


class Action(models.Model):
    """The unit of work in a plan.

    Wherever parsing can lose something, the words people wrote are kept beside the parsed
    values (timescale beside start and end dates, leads as written beside lead people and
    organisations), so that an export gives back what was imported.
    """

    Origin = ActionOrigin

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="actions")
    ref = models.CharField(
        max_length=20, blank=True, help_text='The action number within its theme, e.g. "1", "7b".'
    )
    text = models.TextField()
    outcomes = models.TextField(blank=True)
    resources = models.TextField(blank=True)
    timescale = models.CharField(
        max_length=300, blank=True, help_text='As written, e.g. "Started April 2019 - 2022".'
    )
    start_date = models.DateField(null=True, blank=True)
    start_text = models.CharField(
        "start date as written",
        max_length=100,
        blank=True,
        help_text='The start cell as written when it was words, e.g. "April 2019" or "TBC".',
    )
    end_date = models.DateField(null=True, blank=True)
    end_text = models.CharField(
        "end date as written",
        max_length=100,
        blank=True,
        help_text='The end cell as written when it was words, e.g. "March 2022" or "Ongoing".',
    )
    leads = models.CharField(
        "named lead(s)", max_length=500, blank=True, help_text="The named lead(s), as written."
    )
    lead_people = models.ManyToManyField(Person, blank=True, related_name="led_actions")
    lead_organisations_text = models.CharField(
        "lead organisations (as written)", max_length=500, blank=True
    )
    lead_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="led_actions"
    )
    supporting_organisations_text = models.CharField(
        "supporting organisations (as written)", max_length=500, blank=True
    )
    supporting_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="supported_actions"
    )
    responsible_service = models.CharField(max_length=500, blank=True)
    responsible_team = models.CharField(max_length=500, blank=True)
    progress = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    document_references = models.TextField(blank=True)
    rag = models.CharField("RAG status", max_length=10, choices=RAG.choices, default=RAG.NOT_RATED)
    origin = models.CharField(
        max_length=20, choices=ActionOrigin.choices, default=ActionOrigin.NOT_STATED, blank=True
    )
    monitoring_board = models.ForeignKey(
        Board,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="monitored_actions",
        help_text="The subgroup that monitors this action.",
    )
    marking = marking_field()
    # The annual roll-over carries an unfinished action into next year's plan as a new
    # action; this links it to the one it came from (and so to that one's history and
    # updates). Null for an action first written in this plan.
    carried_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
        help_text="The action in last year's plan that this one carries forward.",
    )
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        m2m_fields=[lead_people, lead_organisations, supporting_organisations]
    )

    class Meta:
        ordering = ["theme", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "ref"], condition=~Q(ref=""), name="action_ref_unique_in_theme"
            ),
            not_blank("text", "action_text_required"),
            in_choices("rag", RAG, "action_rag_valid"),
            in_choices("origin", ActionOrigin, "action_origin_valid"),
            in_choices("marking", Marking, "action_marking_valid"),
            dates_in_order("start_date", "end_date", "action_dates_in_order"),
        ]
        indexes = [
            models.Index(fields=["rag"]),
            models.Index(fields=["end_date"]),
            # What the chairs' counts and lists read of each action, beside the texts that
            # make a row wide: read from this alone (on PostgreSQL, which keeps the INCLUDE
            # columns; SQLite indexes the two fields), in the order the counts group them,
            # a plan's dashboard counts its actions in half the time (benchmarks/README.md).
            models.Index(
                fields=["theme", "origin"],
                include=["id", "rag", "end_date", "marking", "order"],
                name="action_counted",
            ),
        ]

    def __str__(self):
        return f"{self.ref} {self.text[:60]}".strip()

    def clean(self):
        if self.theme_id:
            _monitored_within(self.monitoring_board, self.theme.plan.partnership_id)


class ProgressUpdate(models.Model):
    """A dated update on an action ("November 2021: ..."), with the RAG it set, if any."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(help_text="The date of the update, or the first day of its period.")
    period = models.CharField(
        max_length=100, blank=True, help_text='The period as written, e.g. "November 2021".'
    )
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="updates"
    )
    text = models.TextField()
    rag = models.CharField(
        "RAG status set", max_length=10, choices=RAG.choices, blank=True, default=""
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    marking = marking_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "-date", "-created_at"]
        constraints = [
            in_choices("marking", Marking, "update_marking_valid"),
            not_blank("text", "update_text_required"),
            in_choices("rag", RAG, "update_rag_valid", blank_ok=True),
        ]
        # Every page that shows an action's latest update looks it up in this order
        # (benchmarks/README.md: dashboards, with and without it).
        indexes = [
            models.Index(
                fields=["action", "-date", "-created_at", "-id"], name="progressupdate_newest"
            ),
            # The few updates marked OFFICIAL-SENSITIVE on their own: whether a plan holds
            # any its reader may not see (`permissions.hidden_in_plan`, asked by an
            # analyst's plan page) is then a look at these rather than a read of every
            # update (benchmarks/README.md, the load test).
            models.Index(
                fields=["action"],
                condition=Q(marking=Marking.OFFICIAL_SENSITIVE),
                name="progressupdate_marked",
            ),
        ]

    def __str__(self):
        return f"{self.period or self.date}: {self.text[:60]}"


class IndicatorDirection(models.TextChoices):
    REDUCE = "reduce", "Reduce"
    INCREASE = "increase", "Increase"


class Indicator(models.Model):
    """A performance measure of a plan, with a baseline, a target and dated values."""

    Direction = IndicatorDirection

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    ref = models.CharField(max_length=20, blank=True)
    category = models.CharField(max_length=200, blank=True)
    description = models.TextField()
    direction = models.CharField(max_length=10, choices=IndicatorDirection.choices)
    baseline_label = models.CharField(max_length=100, blank=True)
    baseline = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    target_label = models.CharField(max_length=100, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    target_text = models.CharField(
        max_length=200, blank=True, help_text='The target as written, e.g. "Reduce" or "-5%".'
    )
    link_to_corporate_vision = models.CharField(max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            in_choices("direction", IndicatorDirection, "indicator_direction_valid"),
            not_blank("description", "indicator_description_required"),
        ]

    def __str__(self):
        return self.description[:80]


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    date = models.DateField(help_text="The end of the period the value covers.")
    period = models.CharField(max_length=100, blank=True, help_text='As written, e.g. "2016/17".')
    value = models.DecimalField(max_digits=14, decimal_places=4)
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "date"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "date"], name="indicator_value_unique"),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.period or self.date})"


class PanelFeedback(models.Model):
    """What the VRU's review panel said about a theme of the plan it reviewed, for the year
    it reviewed (a plan's themes are that year's). Who gave it and the year are kept as
    written ("VRU, MPS and London Councils review panel", "2020/21"), and left blank where
    the source does not say: a date or author is never guessed."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="panel_feedback")
    year = models.CharField(
        "year reviewed",
        max_length=50,
        blank=True,
        help_text='The year the panel reviewed, as written, e.g. "2020/21".',
    )
    date = models.DateField(null=True, blank=True, help_text="When the panel gave it.")
    given_by = models.CharField(
        "given by (as written)",
        max_length=300,
        blank=True,
        help_text='Who gave it, as written, e.g. "VRU, MPS and London Councils review panel".',
    )
    people = models.ManyToManyField(
        Person,
        blank=True,
        related_name="panel_feedback",
        help_text="The people who gave it, where they are known.",
    )
    text = models.TextField("feedback")
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(m2m_fields=[people])

    class Meta:
        ordering = ["theme", "order", "date", "pk"]
        verbose_name = "review panel feedback"
        verbose_name_plural = "review panel feedback"
        constraints = [not_blank("text", "panel_feedback_text_required")]

    def __str__(self):
        year = f" ({self.year})" if self.year else ""
        return f"{self.theme}{year}: {self.text[:60]}"
