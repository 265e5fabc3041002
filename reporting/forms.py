"""The date of the last meeting, for the "since the last meeting" page and the pack.

Asked with GOV.UK's date input (boxes since_0, since_1, since_2 for day, month and year), by
GET so that the page can be bookmarked and shared. Links from other pages may give the date
as one ISO parameter instead, `?since=2021-11-10`. No date means the default: the board's last
held meeting, where the view knows one (reporting.since.last_meeting), else four weeks before
today (reporting.since.default_since).
"""

import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms

from actions.update_form import GovukDateField
from reporting.since import default_since

LABEL = "Date of the last meeting"
PARTS = ("since_0", "since_1", "since_2")


class SinceForm(forms.Form):
    since = GovukDateField(
        label=LABEL,
        required=False,
        help_text="Changes made on or after this day are shown. For example, 10 11 2021.",
    )

    def __init__(self, data, *, today: datetime.date, default: datetime.date | None = None):
        self.today = today
        self.default = default or default_since(today)
        data = data.copy()
        self.unreadable_iso = False
        iso = data.get("since", "").strip()
        if iso and not any(data.get(name, "").strip() for name in PARTS):
            try:
                day = datetime.date.fromisoformat(iso)
            except ValueError:
                self.unreadable_iso = True
            else:
                for name, part in zip(PARTS, (day.day, day.month, day.year), strict=True):
                    data[name] = str(part)
        super().__init__(data)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # a GET form changes nothing
        self.helper.legend_size = "s"
        self.helper.layout = Layout(Field("since"))

    def clean_since(self):
        day = self.cleaned_data.get("since")
        if self.unreadable_iso:
            raise forms.ValidationError(f"{LABEL} must be a real date, for example 10 11 2021")
        if day and day > self.today:
            raise forms.ValidationError(f"{LABEL} must be today or in the past")
        return day

    @property
    def date(self) -> datetime.date | None:
        """The date to show changes since: the one given, else the default; None when what
        was given is not a date (the form then has errors to show)."""
        if not self.is_valid():
            return None
        return self.cleaned_data["since"] or self.default


def read_since(
    query, today: datetime.date, default: datetime.date | None = None
) -> tuple[SinceForm, datetime.date | None]:
    form = SinceForm(query, today=today, default=default)
    since = form.date
    if since is not None and not form.data.get(PARTS[0]):
        # Show the date used in the boxes, so that people see what "the last meeting" was.
        form = SinceForm({"since": since.isoformat()}, today=today, default=default)
        form.is_valid()
    return form, since


# What the pack holds: the short pack a chair reads first, or everything.
EXCEPTIONS, EVERYTHING = "exceptions", "everything"
CONTENTS = [
    (EXCEPTIONS, "The summary, the exceptions and the changes"),
    (EVERYTHING, "Everything: also every action, theme by theme"),
]


class PackForm(SinceForm):
    """The pack's date, and what it holds (`contents`: EXCEPTIONS unless EVERYTHING is
    asked for)."""

    contents = forms.ChoiceField(
        label="What to include",
        choices=CONTENTS,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose what to include: one of the two listed"},
    )
    leave_out_marked = forms.BooleanField(
        label="Leave out OFFICIAL-SENSITIVE items",
        required=False,
        help_text="The pack is then OFFICIAL, with no marking, for readers who may not see them.",
    )

    def __init__(self, data, *, today: datetime.date, default: datetime.date | None = None):
        super().__init__(data, today=today, default=default)
        if not self.data.get("contents"):
            self.data["contents"] = EXCEPTIONS  # so that the first radio shows as chosen
        self.helper.layout = Layout(
            Field("since"),
            Field.radios("contents", small=True),
            Field.checkbox("leave_out_marked", small=True),
        )

    @property
    def everything(self) -> bool:
        return self.is_valid() and self.cleaned_data["contents"] == EVERYTHING

    @property
    def leaves_out_marked(self) -> bool:
        return self.is_valid() and self.cleaned_data["leave_out_marked"]


def read_pack(
    query, today: datetime.date, default: datetime.date | None = None
) -> tuple[PackForm, datetime.date | None]:
    """The pack's form and date, as `read_since` reads the since page's."""
    form = PackForm(query, today=today, default=default)
    since = form.date
    if since is not None and not form.data.get(PARTS[0]):
        kept = {"since": since.isoformat(), "contents": form.data["contents"]}
        if form.data.get("leave_out_marked"):
            kept["leave_out_marked"] = form.data["leave_out_marked"]
        form = PackForm(kept, today=today, default=default)
        form.is_valid()
    return form, since
