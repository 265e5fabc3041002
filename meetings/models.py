"""A board's meetings: agendas (with standing and marked items), attendance, minutes, the
meeting action log carried from meeting to meeting, and subgroups' update reports.

The forward plan is not a model of its own: it is the board's planned meetings and their
agenda items. Text is kept as people wrote it (a presenter "Chris Lyons and Jade Hodgson",
a time "10.00-13.00pm", an action's owners "CSP Board Chairs"), with the people it names
linked beside it where they are known.
"""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from actions.models import Action, Marking, Plan, marking_field
from boards.models import Board, Person
from cspplan.constraints import in_choices, not_blank


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    AGENDA_PUBLISHED = "agenda_published", "Agenda published"
    HELD = "held", "Held"
    MINUTES_APPROVED = "minutes_approved", "Minutes approved"


# A meeting that has taken place: "since the last meeting" counts from the newest of these.
HELD_STATUSES = (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED)


class Meeting(models.Model):
    """One meeting of a board, planned or held. One a day per board: a meeting is known
    by its board and date ("the 8 December 2021 board")."""

    Status = MeetingStatus

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    time_as_written = models.CharField(
        "time",
        max_length=100,
        blank=True,
        help_text='As the agenda gives it: "10:00 am - 1:00 pm".',
    )
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    venue = models.CharField(
        max_length=300,
        blank=True,
        help_text='The room and building, or how it meets online ("MS Teams").',
    )
    online = models.BooleanField(default=False)
    chair = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings_chaired"
    )
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "date"]
        constraints = [
            models.UniqueConstraint(fields=["board", "date"], name="meeting_board_date_unique"),
            in_choices("status", MeetingStatus, "meeting_status_valid"),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gte=models.F("start_time")),
                name="meeting_times_in_order",
                violation_error_message="A meeting cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.board} {self.date:%-d %B %Y}"

    @property
    def held(self) -> bool:
        return self.status in HELD_STATUSES


# The item of an agenda under which the open actions of earlier meetings are taken ("matters
# arising"): the board's "Minutes" or "Minutes and Actions from previous meeting" (seed 004,
# lines 13 and 1389). Said by the item, not guessed from its title; at most one a meeting.
MATTERS_ARISING_HELP = (
    "The open actions of earlier meetings are listed under this item; at most one item "
    "of a meeting takes them, else they are listed after the agenda."
)


class StandingItem(models.Model):
    """An item a board sets once and every new meeting's agenda carries (the VRU asks boards
    to keep violence performance, repeat knife carriers, community tensions, and stop and
    search as standing items)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="standing_items")
    title = models.CharField(max_length=500)
    presenter_as_written = models.CharField("presenter", max_length=300, blank=True)
    minutes_allowed = models.PositiveSmallIntegerField(null=True, blank=True)
    marking = marking_field()
    takes_matters_arising = models.BooleanField(
        "matters arising are taken under this item",
        default=False,
        help_text=MATTERS_ARISING_HELP + " Carried to the agenda of each new meeting.",
    )
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "order", "pk"]
        constraints = [
            not_blank("title", "standingitem_title_not_blank"),
            in_choices("marking", Marking, "standingitem_marking_valid"),
            # One item of a board's standing items takes the matters arising, if any does.
            models.UniqueConstraint(
                fields=["board"],
                condition=Q(takes_matters_arising=True),
                name="standingitem_one_matters_arising",
                violation_error_message="Another standing item already takes matters arising.",
            ),
        ]

    def __str__(self):
        return self.title


class AgendaItem(models.Model):
    """An item on a meeting's agenda, and its minutes once the meeting is held."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.CharField(max_length=20, blank=True, help_text='As numbered: "3", "14(a)".')
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    presenter_as_written = models.CharField("presenter", max_length=300, blank=True)
    presenters = models.ManyToManyField(Person, blank=True, related_name="agenda_items")
    minutes_allowed = models.PositiveSmallIntegerField(null=True, blank=True)
    pages = models.CharField(max_length=50, blank=True, help_text='"5 - 16", or "Verbal".')
    marking = marking_field()
    standing_item = models.ForeignKey(
        StandingItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )
    # What the item presents, where it is in the application.
    report = models.CharField(
        max_length=500, blank=True, help_text="The paper's title, as written."
    )
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )
    subgroup_report = models.ForeignKey(
        "SubgroupReport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    minutes = models.TextField(blank=True)
    takes_matters_arising = models.BooleanField(
        "matters arising are taken under this item", default=False, help_text=MATTERS_ARISING_HELP
    )
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(m2m_fields=["presenters"])

    class Meta:
        ordering = ["meeting", "order", "pk"]
        constraints = [
            not_blank("title", "agendaitem_title_not_blank"),
            in_choices("marking", Marking, "agendaitem_marking_valid"),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(takes_matters_arising=True),
                name="agendaitem_one_matters_arising",
                violation_error_message="Another item of the meeting already takes matters "
                "arising.",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}" if self.number else self.title


class AttendanceKind(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ADDITIONAL = "additional", "Additional attendee"


class AttendanceRole(models.TextChoices):
    NONE = "", "None"
    CHAIR = "chair", "Chair"
    NOTE_TAKER = "note_taker", "Note taker"


class Attendance(models.Model):
    """Who was at a meeting, sent apologies or attended in addition to the members."""

    Kind = AttendanceKind
    Role = AttendanceRole

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="attendance"
    )
    name_as_written = models.CharField(
        "name", max_length=200, help_text='As the minutes give it: "Kevin McKambe".'
    )
    kind = models.CharField(max_length=20, choices=AttendanceKind.choices)
    role = models.CharField(max_length=20, choices=AttendanceRole.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "kind", "name_as_written"]
        verbose_name_plural = "attendance"
        constraints = [
            not_blank("name_as_written", "attendance_name_not_blank"),
            in_choices("kind", AttendanceKind, "attendance_kind_valid"),
            in_choices("role", AttendanceRole, "attendance_role_valid", blank_ok=True),
            models.UniqueConstraint(
                fields=["meeting", "name_as_written"], name="attendance_name_unique"
            ),
        ]

    def __str__(self):
        return self.name_as_written


class MeetingActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    CARRIED_FORWARD = "carried_forward", "Carried forward"
    COMPLETED = "completed", "Completed"
    CLOSED = "closed", "Closed"


# Still to be done: listed under the next meeting's minutes ("matters arising").
OUTSTANDING = (MeetingActionStatus.OPEN, MeetingActionStatus.CARRIED_FORWARD)


class MeetingAction(models.Model):
    """An "ACTION: owner to do X" line of a meeting's minutes, carried from meeting to meeting
    until it is completed or closed. `status_meeting` is the meeting at which its status was
    last set, so its history says where each change was made."""

    Status = MeetingActionStatus

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="actions_raised",
        help_text="The meeting at which it was raised.",
    )
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    owners_as_written = models.CharField("owners", max_length=300, blank=True)
    owners = models.ManyToManyField(Person, blank=True, related_name="meeting_actions")
    text = models.TextField(help_text="As the minutes give it.")
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=MeetingActionStatus.choices, default=MeetingActionStatus.OPEN
    )
    status_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The meeting at which the status was last set.",
    )
    plan_action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting_actions"
    )
    marking = marking_field()
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(m2m_fields=["owners"])

    class Meta:
        ordering = ["meeting", "order", "pk"]
        constraints = [
            not_blank("text", "meetingaction_text_not_blank"),
            in_choices("status", MeetingActionStatus, "meetingaction_status_valid"),
            in_choices("marking", Marking, "meetingaction_marking_valid"),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def outstanding(self) -> bool:
        return self.status in OUTSTANDING


class SubgroupReport(models.Model):
    """A subgroup's update report to its board for one meeting, under the pack's four
    headings."""

    board = models.ForeignKey(
        Board,
        on_delete=models.PROTECT,
        related_name="subgroup_reports",
        help_text="The subgroup reporting.",
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="subgroup_reports")
    title = models.CharField(max_length=300, blank=True, help_text="As the report heads itself.")
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="subgroup_reports"
    )
    author_as_written = models.CharField("author", max_length=300, blank=True)
    brief_update = models.TextField(blank=True)
    key_challenges = models.TextField(blank=True)
    emerging_trends = models.TextField(blank=True)
    support_required = models.TextField("support required from the board", blank=True)
    marking = marking_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "board"]
        constraints = [
            models.UniqueConstraint(fields=["board", "meeting"], name="subgroupreport_unique"),
            in_choices("marking", Marking, "subgroupreport_marking_valid"),
        ]

    def __str__(self):
        return self.title or f"{self.board} update"


class ReminderKind(models.TextChoices):
    ACTIONS = "actions", "Actions to update"
    REPORT = "report", "Subgroup update report due"


class Reminder(models.Model):
    """A reminder emailed before a meeting (meetings.reminders): to an action lead about the
    actions of theirs that need an update, or to a subgroup's chair about its report. Kept so
    that none is sent twice for the same meeting. A record of what was sent, written once and
    never changed, so it keeps no history of its own."""

    Kind = ReminderKind

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reminders")
    subgroup = models.ForeignKey(
        Board,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The subgroup whose report is due (a report reminder).",
    )
    email = models.EmailField(help_text="The address it was sent to.")
    actions = models.ManyToManyField(Action, blank=True, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "sent_at", "pk"]
        constraints = [
            in_choices("kind", ReminderKind, "reminder_kind_valid"),
            # A report reminder names its subgroup; an actions reminder does not.
            models.CheckConstraint(
                condition=Q(kind=ReminderKind.REPORT, subgroup__isnull=False)
                | Q(kind=ReminderKind.ACTIONS, subgroup__isnull=True),
                name="reminder_subgroup_for_reports",
            ),
            # One of each to each person for each meeting.
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(kind=ReminderKind.ACTIONS),
                name="reminder_actions_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "person", "subgroup"],
                condition=Q(kind=ReminderKind.REPORT),
                name="reminder_report_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.email} for {self.meeting}"
