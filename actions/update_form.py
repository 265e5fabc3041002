"""The action update form: add a progress update and change the action's status, dates,
progress and comment in one go (the page is actions.views.action_pages.action_update).

Rendered with crispy-forms-gds, so that fields, hints and errors take GOV.UK Frontend's
markup. The error summary links come from `error_links`, which knows which box of a date
is wrong, so that the link goes to that box rather than always to the day.
"""

import datetime

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Layout
from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.html import format_html

from actions.models import Action
from actions.rag import RAG
from actions.services import ACTION_UPDATE_FIELDS, action_version
from cspplan.display import show_date

# The action's own fields this form changes (start_text and end_text follow their dates:
# see actions.services.action_update).
ACTION_FIELDS = ACTION_UPDATE_FIELDS


def _rag_choices(*, hints: bool) -> list:
    return [
        Choice(rag.value, rag.label, hint=rag.meaning) if hints else (rag.value, rag.label)
        for rag in RAG
    ]


def _lines(text: str) -> str:
    # Browsers send text areas with CRLF line ends; the database holds what was imported or
    # typed before with LF. Without this, an untouched text area would count as a change.
    return text.replace("\r\n", "\n").replace("\r", "\n")


class GovukDateField(DateInputField):
    """A GOV.UK date input (day, month and year boxes) whose errors name the date and the
    part that is wrong, as the GOV.UK date input guidance words them."""

    def __init__(self, *, label: str, **kwargs):
        # require_all_fields=False: otherwise a date with a box left empty is taken as no
        # date at all, without a word, when the date is optional.
        super().__init__(label=label, require_all_fields=False, **kwargs)
        self.name_in_errors = name = label
        for part, word in zip(self.fields, ("day", "month", "year"), strict=True):
            part.error_messages["incomplete"] = f"{name} must include a {word}"
            # In place of crispy-forms-gds's own number check, whose message names no date.
            part.validators = [
                *(v for v in part.validators if not isinstance(v, RegexValidator)),
                RegexValidator(
                    r"^[0-9]+$", f"{name} must be a real date: the {word} is not a number"
                ),
            ]
        self.error_messages["required"] = f"Enter the {name.lower()}"
        self.error_messages["incomplete"] = f"Enter the {name.lower()}"

    def compress(self, data_list):
        day, month, year = (str(part).strip() if part else "" for part in data_list)
        if not (day and month and year):
            return None
        if len(year) != 4:
            message = f"{self.name_in_errors}: the year must include 4 numbers"
            # Marked on the year box, as crispy-forms-gds marks a box's own errors, so that
            # the box is outlined and the error summary links to it.
            year_box = self.fields[2].widget
            year_box.errors = [*getattr(year_box, "errors", []), message]
            raise forms.ValidationError(message)
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                f"{self.name_in_errors} must be a real date, for example 27 3 2022"
            ) from None


class ActionUpdateForm(forms.Form):
    """`action`: the action as its user saw it: the action as saved when the form is shown,
    and when it is sent, the action's history record of the version it was filled in from
    (what the user changed is worked out against that)."""

    update_date = GovukDateField(
        label="Date of the update",
        required=False,
        help_text="For example, 27 3 2022. Today's date is filled in.",
    )
    update_text = forms.CharField(
        label="Progress update",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What has happened since the last update. Leave this blank if you are only "
        "changing the action's details below.",
    )
    update_rag = forms.ChoiceField(
        label="RAG status this update sets",
        choices=_rag_choices(hints=True),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the RAG status this update sets",
            "invalid_choice": "Choose one of the RAG statuses listed",
        },
    )
    rag = forms.ChoiceField(
        label="RAG status of the action",
        choices=_rag_choices(hints=False),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the action's RAG status",
            "invalid_choice": "Choose one of the RAG statuses listed",
        },
    )
    start_date = GovukDateField(label="Start date", required=False)
    end_date = GovukDateField(label="End date", required=False)
    progress = forms.CharField(
        label="Progress",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The progress summary shown in the plan and its spreadsheets.",
    )
    comment = forms.CharField(
        label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    # The version of the action the form was filled in from (actions.services.action_version):
    # if the action has changed since, nothing is saved and the person is shown what changed.
    version = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": "Open the action's update page again: the form was incomplete"},
    )

    def __init__(self, data=None, *, action: Action, **kwargs):
        self.action = action
        initial = {
            "update_date": timezone.localdate(),
            "update_rag": action.rag,
            "rag": action.rag,
            "start_date": action.start_date,
            "end_date": action.end_date,
            "progress": action.progress,
            "comment": action.comment,
            "version": action_version(action),
        }
        super().__init__(data, initial=initial, **kwargs)
        current = RAG(action.rag).label if action.rag in RAG.values else RAG.NOT_RATED.label
        self.fields["update_rag"].help_text = (
            f"The action's status is {current} now. An update with a different status changes "
            "the action's status to it too."
        )
        self.fields["rag"].help_text = (
            "Change this to set the status without writing an update. With an update, the "
            "status chosen for the update is used."
        )
        for name in ("start", "end"):
            self.fields[f"{name}_date"].help_text = self._date_hint(name)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> has the token
        # Headings rather than fieldsets around the two parts: the dates and radios are
        # fieldsets already, and fieldsets inside fieldsets confuse screen readers.
        self.helper.layout = Layout(
            HTML('<h2 class="govuk-heading-m">Add a progress update</h2>'),
            Field("update_date"),
            Field.textarea("update_text", rows=6),
            Field.radios("update_rag"),
            HTML('<h2 class="govuk-heading-m">Change the action\'s details</h2>'),
            Field.radios("rag", small=True),
            Field("start_date"),
            Field("end_date"),
            Field.textarea("progress", rows=6),
            Field.textarea("comment", rows=4),
            Field("version"),
        )

    def _date_hint(self, name: str):
        words = getattr(self.action, f"{name}_text")
        example = "For example, 1 4 2022. Leave it blank if there is no date."
        if not words:
            return example
        # crispy-forms-gds prints hints unescaped: the words from the plan are escaped here.
        return format_html(
            '{} The plan says "{}"; changing the date replaces those words with the date.',
            example,
            words,
        )

    # ---- validation ------------------------------------------------------------------------

    def clean_update_text(self):
        return _lines(self.cleaned_data["update_text"]).strip()

    def clean_progress(self):
        return _lines(self.cleaned_data["progress"]).strip()

    def clean_comment(self):
        return _lines(self.cleaned_data["comment"]).strip()

    def clean(self):
        data = super().clean()
        text = data.get("update_text")
        date = data.get("update_date")
        if text:
            if date is None and "update_date" not in self.errors:
                self.add_error("update_date", "Enter the date of the update")
            elif date and date > timezone.localdate():
                self.add_error("update_date", "The date of the update must be today or earlier")
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                f"The end date must be the same as or after the start date ({show_date(start)})",
            )
        self._check_rag(data, text)
        if not self.errors and not text and not self.changes():
            self.add_error(
                "update_text",
                "Write a progress update or change one of the action's details: nothing has "
                "been changed",
            )
        return data

    def _check_rag(self, data: dict, text: str) -> None:
        """The update's status and the action's must agree (see `final_rag`)."""
        update_rag, rag, current = data.get("update_rag"), data.get("rag"), self.action.rag
        if update_rag is None or rag is None:
            return
        if not text and update_rag != current and update_rag != rag:
            self.add_error(
                "update_text",
                f"Write the progress update that goes with the status {RAG(update_rag).label}, "
                "or set the status under the action's details instead",
            )
        elif text and update_rag != rag and update_rag != current and rag != current:
            self.add_error(
                "rag",
                f"You chose {RAG(update_rag).label} for the update and {RAG(rag).label} for "
                "the action: choose the same status for both, or change only one of them",
            )

    # ---- what the form asks for (valid forms only) ----------------------------------------

    def final_rag(self) -> str:
        """The action's status once saved. With an update, whichever of the two statuses was
        changed from the action's current one (both, if changed, must agree: _check_rag)."""
        data, current = self.cleaned_data, self.action.rag
        if not data.get("update_text"):
            return data["rag"]
        return data["rag"] if data["rag"] != current else data["update_rag"]

    def changes(self) -> dict:
        """The action's fields that differ from the action as saved, with their new values."""
        data = self.cleaned_data
        if any(name not in data for name in ACTION_FIELDS + ("update_rag",)):
            return {}  # a field is invalid: there is nothing to compare yet
        wanted = {name: data[name] for name in ACTION_FIELDS}
        wanted["rag"] = self.final_rag()
        return {
            name: value for name, value in wanted.items() if getattr(self.action, name) != value
        }

    def update(self) -> dict | None:
        """The progress update to add, if one was written."""
        data = self.cleaned_data
        if not data.get("update_text"):
            return None
        return {"date": data["update_date"], "text": data["update_text"], "rag": self.final_rag()}

    # ---- showing errors -------------------------------------------------------------------

    def error_links(self) -> list[tuple[str, str]]:
        """(element id, message) for the error summary, in the order of the fields. Each
        links to the input to correct: a date's first wrong box (its day box if the whole
        date is wrong), a group of radios' first radio (templates/gds/layout/radio_item.html
        numbers them from 0, as Django does)."""
        links = []
        for name, field in self.fields.items():
            bound = self[name]
            for message in self.errors.get(name, []):
                target = bound.auto_id
                if isinstance(field, DateInputField):
                    parts = [getattr(part.widget, "errors", []) for part in field.fields]
                    wrong = [index for index, errors in enumerate(parts) if message in errors]
                    target = f"{bound.auto_id}_{wrong[0] if wrong else 0}"
                elif isinstance(field.widget, forms.RadioSelect):
                    target = f"{bound.auto_id}_0"
                elif field.widget.is_hidden:
                    target = self["update_text"].auto_id
                links.append((target, message))
        return links

    def with_data(self, **values) -> dict:
        """The form's data with `values` (field name: value) put in as a person would type
        them, e.g. to carry someone else's saved values into a form sent again."""
        data = self.data.copy()
        for name, value in values.items():
            field = self.fields[name]
            if isinstance(field, DateInputField):
                for index, part in enumerate(field.widget.decompress(value)):
                    data[f"{self.add_prefix(name)}_{index}"] = "" if part is None else str(part)
            else:
                data[self.add_prefix(name)] = "" if value is None else value
        return data
