"""The forms of a board's meetings pages: a meeting (new, from its forward-plan entry, or
changed), an agenda or standing item, attendance, an item's minutes and an action of the
log. GOV.UK form pattern through crispy-forms-gds; the views are meetings.views.meetings.

People are offered from the board's members (and whoever is linked already): a
partnership's list of people runs to hundreds, and the words as written are always there
for anyone else.
"""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.db.models import Q, QuerySet

from actions.models import Marking
from actions.update_form import GovukDateField
from boards.models import Board, Person
from meetings.models import AgendaItem, Attendance, Meeting, MeetingStatus

MARKING_CHOICES = [
    Choice(Marking.OFFICIAL.value, "OFFICIAL", hint="Seen by everyone who sees the meeting."),
    Choice(
        Marking.OFFICIAL_SENSITIVE.value,
        "OFFICIAL-SENSITIVE (RESTRICTED in the pack)",
        hint="Seen only by those who sit on the board or a board above it, and administrators.",
    ),
]
TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]
ATTENDING = (Attendance.Kind.PRESENT, Attendance.Kind.ADDITIONAL)


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the page's <form> has the token
    helper.label_size = "s"
    helper.legend_size = "s"
    helper.layout = Layout(*fields)
    return helper


def _text(text: str) -> str:
    # Browsers send CRLF line ends; what is stored has LF.
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def people_for(board: Board, *linked) -> QuerySet[Person]:
    """The people a form offers to link: the board's members, and those already linked."""
    pks = {person.pk for person in linked}
    return (
        Person.objects.filter(partnerships=board.partnership_id)
        .filter(Q(memberships__board=board) | Q(pk__in=pks))
        .distinct()
        .order_by("name")
    )


def _time(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=f"{label} (optional)",
        required=False,
        input_formats=TIME_FORMATS,
        # A plain text box: GOV.UK's input styles are for text inputs.
        widget=forms.TextInput,
        help_text="In 24-hour time, for example 10:00 or 13:30",
        error_messages={"invalid": f"{label} must be a time such as 10:00 or 13:30"},
    )


class MeetingForm(forms.Form):
    """A meeting's date, time, venue and chair; its status too when it is changed."""

    date = GovukDateField(label="Date of the meeting", help_text="For example 8 12 2021")
    time_as_written = forms.CharField(
        label="Time as written (optional)",
        required=False,
        max_length=100,
        help_text='As the agenda gives it, for example "10:00 am - 1:00 pm"',
    )
    start_time = _time("Start time")
    end_time = _time("End time")
    venue = forms.CharField(
        label="Venue (optional)",
        required=False,
        max_length=300,
        help_text="The room and building, or how it meets online",
    )
    online = forms.BooleanField(label="The meeting is held online", required=False)
    chair = forms.ModelChoiceField(
        label="Chair (optional)", required=False, queryset=Person.objects.none()
    )
    status = forms.ChoiceField(
        label="Status", choices=MeetingStatus.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, board: Board, meeting: Meeting | None = None, status=True, **kw):
        if meeting is not None and "initial" not in kw:
            kw["initial"] = {
                name: getattr(meeting, name) for name in self.base_fields if name not in ("chair",)
            } | {"chair": meeting.chair_id}
        super().__init__(*args, **kw)
        linked = [meeting.chair] if meeting is not None and meeting.chair else []
        self.fields["chair"].queryset = people_for(board, *linked)
        layout = [
            Field("date"),
            Field.text("time_as_written", field_width="one-half"),
            Field.text("start_time", field_width=5),
            Field.text("end_time", field_width=5),
            Field.text("venue", field_width="two-thirds"),
            Field.checkbox("online"),
            Field.select("chair"),
        ]
        if status:
            layout.append(Field.radios("status", legend_size="s"))
        else:
            del self.fields["status"]
        self.helper = _helper(*layout)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end < start:
            self.add_error("end_time", "The end time must be after the start time")
        for name in ("time_as_written", "venue"):
            if name in cleaned:
                cleaned[name] = cleaned[name].strip()
        return cleaned

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date is None:
            raise forms.ValidationError("Enter the date of the meeting")
        return date


class ItemForm(forms.Form):
    """An agenda item, or (standing=True) a standing item of the board. The marking is
    offered only to those who may see marked items: an item marked by someone who may not
    see it would vanish from their page."""

    number = forms.CharField(
        label="Number (optional)",
        required=False,
        max_length=20,
        help_text="As the agenda numbers it, for example 3 or 14(a)",
    )
    title = forms.CharField(label="Title", max_length=500)
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea
    )
    presenter_as_written = forms.CharField(
        label="Presenter as written (optional)",
        required=False,
        max_length=300,
        help_text='As the agenda gives it, for example "Chris Lyons and Jade Hodgson" or "Chair"',
    )
    presenters = forms.ModelMultipleChoiceField(
        label="Presenters who are members of the board (optional)",
        required=False,
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    minutes_allowed = forms.IntegerField(
        label="Minutes allowed (optional)",
        required=False,
        min_value=1,
        max_value=600,
        error_messages={
            "invalid": "Minutes allowed must be a whole number, for example 15",
            "min_value": "Minutes allowed must be 1 or more",
            "max_value": "Minutes allowed must be 600 or fewer",
        },
    )
    pages = forms.CharField(
        label="Pages (optional)",
        required=False,
        max_length=50,
        help_text='Its pages in the pack, for example "5 - 16", or "Verbal"',
    )
    report = forms.CharField(
        label="Report (optional)",
        required=False,
        max_length=500,
        help_text="The paper's title, as written",
    )
    marking = forms.ChoiceField(
        label="Protective marking", choices=Marking.choices, widget=forms.RadioSelect
    )
    takes_matters_arising = forms.BooleanField(
        label="Take the matters arising under this item",
        required=False,
        help_text="The open actions of earlier meetings are listed under it, as under "
        '"Minutes". Only one item of a meeting takes them: ticking this takes them from '
        "the item that had them.",
    )

    STANDING = (
        "title",
        "presenter_as_written",
        "minutes_allowed",
        "marking",
        "takes_matters_arising",
    )

    def __init__(self, *args, board: Board, item=None, may_mark: bool, standing=False, **kw):
        if item is not None and "initial" not in kw:
            names = self.STANDING if standing else self.base_fields
            kw["initial"] = {name: getattr(item, name) for name in names if name != "presenters"}
            if not standing:
                kw["initial"]["presenters"] = list(item.presenters.all())
        super().__init__(*args, **kw)
        if standing:
            for name in set(self.fields) - set(self.STANDING):
                del self.fields[name]
        else:
            linked = list(item.presenters.all()) if item is not None else []
            self.fields["presenters"].queryset = people_for(board, *linked)
            if not self.fields["presenters"].queryset.exists():
                del self.fields["presenters"]  # nobody to tick: the words as written remain
        if not may_mark:
            del self.fields["marking"]
        names = [name for name in self.fields]
        layout = []
        for name in names:
            if name in ("description",):
                layout.append(Field.textarea(name, rows=3))
            elif name == "presenters":
                layout.append(Field.checkboxes(name, small=True, legend_size="s"))
            elif name == "marking":
                layout.append(Field.radios(name, legend_size="s"))
            elif name == "minutes_allowed":
                layout.append(Field.text(name, field_width=4))
            elif name == "takes_matters_arising":
                layout.append(Field.checkbox(name))
            else:
                layout.append(Field.text(name, field_width="two-thirds"))
        self.helper = _helper(*layout)
        if "marking" in self.fields:
            self.fields["marking"].choices = MARKING_CHOICES

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                cleaned[name] = _text(value)
        return cleaned

    def clean_title(self):
        title = _text(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError("Enter the title")
        return title

    def values(self) -> dict:
        return dict(self.cleaned_data)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label="Minutes",
        required=False,
        widget=forms.Textarea,
        help_text="What the board discussed and decided. Record actions below, one at a time.",
    )

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.helper = _helper(Field.textarea("minutes", rows=10))

    def clean_minutes(self):
        return _text(self.cleaned_data["minutes"])


class AttendanceForm(forms.Form):
    """Who was present, sent apologies or attended in addition, one name a line as the
    minutes write it; and who chaired and who took the notes. A name that is exactly the
    name of one person of the partnership is linked to them."""

    present = forms.CharField(
        label="Present",
        required=False,
        widget=forms.Textarea,
        help_text=(
            "One name a line, as the minutes give it. A name written exactly as the "
            "partnership knows one of its people is linked to them."
        ),
    )
    apologies = forms.CharField(
        label="Apologies",
        required=False,
        widget=forms.Textarea,
        help_text="One name a line",
    )
    additional = forms.CharField(
        label="Additional attendees",
        required=False,
        widget=forms.Textarea,
        help_text="Those who attended but are not members, one name a line",
    )
    chair = forms.CharField(
        label="Chair (optional)",
        required=False,
        max_length=200,
        help_text="One of the names present, as written above",
    )
    note_taker = forms.CharField(
        label="Note taker (optional)",
        required=False,
        max_length=200,
        help_text="One of the names present, as written above",
    )

    KINDS = {
        "present": Attendance.Kind.PRESENT,
        "apologies": Attendance.Kind.APOLOGIES,
        "additional": Attendance.Kind.ADDITIONAL,
    }

    def __init__(self, *args, meeting: Meeting, **kw):
        if "initial" not in kw:
            rows = list(meeting.attendance.all())
            kw["initial"] = {
                field: "\n".join(row.name_as_written for row in rows if row.kind == kind)
                for field, kind in self.KINDS.items()
            }
            for role, field in ((Attendance.Role.CHAIR, "chair"), ("note_taker", "note_taker")):
                named = [row.name_as_written for row in rows if row.role == role]
                kw["initial"][field] = named[0] if named else ""
        super().__init__(*args, **kw)
        self.meeting = meeting
        self.helper = _helper(
            Field.textarea("present", rows=8),
            Field.textarea("apologies", rows=4),
            Field.textarea("additional", rows=4),
            Field.text("chair", field_width="one-half"),
            Field.text("note_taker", field_width="one-half"),
        )

    @staticmethod
    def _names(text: str) -> list[str]:
        return [" ".join(line.split()) for line in _text(text).split("\n") if line.strip()]

    def clean(self):
        cleaned = super().clean()
        entries, kinds = [], {}
        for field, kind in self.KINDS.items():
            for name in self._names(cleaned.get(field, "")):
                if name.casefold() in kinds:
                    self.add_error(field, f"{name} is listed more than once")
                    continue
                if len(name) > 200:
                    self.add_error(field, f"A name must be 200 characters or fewer: {name[:40]}…")
                    continue
                kinds[name.casefold()] = kind
                entries.append({"name_as_written": name, "kind": kind, "role": ""})
        for field, role in (("chair", "chair"), ("note_taker", "note_taker")):
            name = " ".join(cleaned.get(field, "").split())
            if not name:
                continue
            if kinds.get(name.casefold()) not in ATTENDING:
                self.add_error(field, f"{name} is not among those present: add them above first")
                continue
            for entry in entries:
                if entry["name_as_written"].casefold() == name.casefold():
                    entry["role"] = role
        self.entries = self._linked(entries)
        return cleaned

    def _linked(self, entries: list[dict]) -> list[dict]:
        """Each entry with the partnership's person of exactly its name, if only one has it;
        else, for a name already listed, the person it was linked to (AttendancePeopleForm),
        so that saving the names again keeps the links made by hand."""
        names = {entry["name_as_written"] for entry in entries}
        people = Person.objects.filter(
            partnerships=self.meeting.board.partnership_id, name__in=names
        )
        by_name = {}
        for person in people:
            by_name.setdefault(person.name, []).append(person)
        linked_before = {
            row.name_as_written.casefold(): row.person
            for row in self.meeting.attendance.select_related("person")
        }
        return [
            {
                **entry,
                "person": found[0]
                if len(found) == 1
                else linked_before.get(entry["name_as_written"].casefold()),
            }
            for entry in entries
            for found in [by_name.get(entry["name_as_written"], [])]
        ]


class AttendancePeopleForm(forms.Form):
    """Which of the partnership's people each name of the attendance is: for the names
    written otherwise than the partnership knows them ("Cllr Mullane"), which the
    attendance form could not link by itself. One choice a name, in the order listed."""

    def __init__(self, *args, meeting: Meeting, **kw):
        super().__init__(*args, **kw)
        self.rows = list(meeting.attendance.select_related("person").order_by("kind", "pk"))
        people = Person.objects.filter(partnerships=meeting.board.partnership_id).order_by("name")
        for row in self.rows:
            self.fields[f"person_{row.pk}"] = forms.ModelChoiceField(
                label=f"{row.name_as_written} ({row.get_kind_display().lower()})",
                queryset=people,
                required=False,
                initial=row.person,
                empty_label="Not one of the partnership's people",
            )
        self.helper = _helper(*(Field.select(name) for name in self.fields))

    def links(self) -> list[tuple[Attendance, Person | None]]:
        """The rows whose person was changed, each with its person now."""
        return [
            (row, self.cleaned_data[f"person_{row.pk}"])
            for row in self.rows
            if self.cleaned_data[f"person_{row.pk}"] != row.person
        ]


class MeetingActionForm(forms.Form):
    """An "ACTION: owner to do X" line of the minutes."""

    text = forms.CharField(
        label="Action",
        widget=forms.Textarea,
        error_messages={"required": "Enter the action"},
        help_text='As the minutes give it, for example "Jade Hodgson to update the forward plan"',
    )
    owners_as_written = forms.CharField(
        label="Owners as written (optional)",
        required=False,
        max_length=300,
        help_text='For example "Jade Hodgson" or "CSP Board Chairs"',
    )
    owners = forms.ModelMultipleChoiceField(
        label="Owners who are members of the board (optional)",
        required=False,
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    due_date = GovukDateField(
        label="Due date (optional)", required=False, help_text="For example 30 3 2022"
    )
    agenda_item = forms.ModelChoiceField(
        label="Agenda item (optional)",
        required=False,
        queryset=AgendaItem.objects.none(),
        help_text="An action raised under an OFFICIAL-SENSITIVE item is marked with it",
    )
    marking = forms.ChoiceField(
        label="Protective marking", choices=Marking.choices, widget=forms.RadioSelect
    )

    EDITED = ("text", "owners_as_written", "due_date", "agenda_item", "marking")

    def __init__(self, *args, meeting: Meeting, items, may_mark: bool, action=None, **kw):
        if action is not None and "initial" not in kw:
            kw["initial"] = {name: getattr(action, name) for name in self.EDITED}
            kw["initial"]["owners"] = list(action.owners.all())
        super().__init__(*args, **kw)
        self.fields["owners"].queryset = people_for(meeting.board)
        self.fields["agenda_item"].queryset = items
        layout = [
            Field.textarea("text", rows=3),
            Field.text("owners_as_written", field_width="two-thirds"),
            Field.checkboxes("owners", small=True, legend_size="s"),
            Field("due_date"),
            Field.select("agenda_item"),
        ]
        if not self.fields["owners"].queryset.exists():
            del self.fields["owners"]  # nobody to tick: the words as written remain
            del layout[2]
        if may_mark:
            self.fields["marking"].choices = MARKING_CHOICES
            layout.append(Field.radios("marking", legend_size="s"))
            if action is None:
                self.fields["marking"].initial = Marking.OFFICIAL
        else:
            del self.fields["marking"]
        self.helper = _helper(*layout)

    def clean_text(self):
        text = _text(self.cleaned_data["text"])
        if not text:
            raise forms.ValidationError("Enter the action")
        return text

    def clean_owners_as_written(self):
        return _text(self.cleaned_data["owners_as_written"])
