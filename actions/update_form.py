"""The action update form: add a progress update and change the action's status, dates,
undated progress and comment in one go (the page is actions.views.action_pages.action_update).

One text box for the update and one RAG choice: the status the action has now, which a
written update records as the status it set. The action's undated progress text (which the
VRU workbook's Progress column shows before the dated updates) is shown folded away, and
only where the plan's layout has that column or the action has such text, so that officers
are not asked to write their update twice.

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
from django.utils.html import format_html

from actions.models import Action, Marking
from actions.rag import RAG
from actions.services import ACTION_UPDATE_FIELDS, action_version
from cspplan import clock
from cspplan.display import show_date

# The action's own fields this form changes (start_text and end_text follow their dates:
# see actions.services.action_update).
ACTION_FIELDS = ACTION_UPDATE_FIELDS


def _rag_choices() -> list:
    """Each status with what it means as its hint."""
    return [Choice(rag.value, rag.label, hint=rag.meaning) for rag in RAG]


# Who sees an update marked OFFICIAL-SENSITIVE (actions.permissions._marked_ok), in words.
MARKED_READERS = (
    "Only administrators, the action's named leads, and members of the board that owns the "
    "plan or monitors the action (or of a board above it) will see it."
)


def _marking_choices() -> list:
    return [
        Choice(
            Marking.OFFICIAL.value,
            "OFFICIAL",
            hint="Everyone who can see the action will see the update.",
        ),
        Choice(
            Marking.OFFICIAL_SENSITIVE.value,
            "OFFICIAL-SENSITIVE",
            hint=f"For police or safeguarding detail. {MARKED_READERS}",
        ),
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
        "changing the RAG status or the action's details.",
    )
    update_marking = forms.ChoiceField(
        label="Protective marking of the update",
        choices=_marking_choices(),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose who may see the update: one of the markings"},
    )
    rag = forms.ChoiceField(
        label="RAG status of the action",
        choices=_rag_choices(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the action's RAG status",
            "invalid_choice": "Choose one of the RAG statuses listed",
        },
    )
    start_date = GovukDateField(label="Start date", required=False)
    end_date = GovukDateField(label="End date", required=False)
    progress = forms.CharField(
        label="Undated progress text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Background that stays true from one update to the next. The VRU "
        "spreadsheet's Progress column shows it before the dated updates. Write what has "
        "happened as a progress update above, not here.",
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

    def __init__(
        self,
        data=None,
        *,
        action: Action,
        undated_progress: bool = True,
        sees_marked: bool = True,
        **kwargs,
    ):
        """`undated_progress`: whether to show the undated progress text (when not shown,
        the form leaves it as it is). `sees_marked`: whether the user may see the action's
        marked updates (`permissions.may_see_marked`), else the marking's hint warns them
        that they will not see one they mark."""
        self.action = action
        initial = {
            "update_date": clock.today(),
            "update_marking": Marking.OFFICIAL.value,
            "rag": action.rag,
            "start_date": action.start_date,
            "end_date": action.end_date,
            "progress": action.progress,
            "comment": action.comment,
            "version": action_version(action),
        }
        super().__init__(data, initial=initial, **kwargs)
        current = RAG(action.rag).label if action.rag in RAG.values else RAG.NOT_RATED.label
        self.fields["rag"].help_text = (
            f"The action is {current} now. The status you choose is the action's, and a "
            "progress update you write records it."
        )
        for name in ("start", "end"):
            self.fields[f"{name}_date"].help_text = self._date_hint(name)
        if not sees_marked:
            self.fields["update_marking"].help_text = (
                "You will not see it yourself if you mark it OFFICIAL-SENSITIVE, as you may "
                "not see this action's marked updates."
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> has the token
        # Headings rather than fieldsets around the two parts: the dates and radios are
        # fieldsets already, and fieldsets inside fieldsets confuse screen readers.
        self.helper.layout = Layout(
            HTML('<h2 class="govuk-heading-m">Add a progress update</h2>'),
            Field("update_date"),
            Field.textarea("update_text", rows=6),
            Field.radios("update_marking", legend_size="s"),
            Field.radios("rag"),
            HTML('<h2 class="govuk-heading-m">Change the action\'s details</h2>'),
            Field("start_date"),
            Field("end_date"),
            Field.textarea("comment", rows=4),
            *(self._undated_progress() if undated_progress else ()),
            Field("version"),
        )

    def _undated_progress(self) -> tuple:
        # Folded in a details component: most visits add an update and never need it. Open
        # when the form comes back with the text changed (an error, or someone else's save).
        sent = self.data.get(self.add_prefix("progress")) if self.is_bound else None
        opened = (
            " open" if sent is not None and _lines(sent).strip() != self.action.progress else ""
        )
        return (
            HTML(
                f'<details class="govuk-details"{opened}><summary class="govuk-details__summary">'
                '<span class="govuk-details__summary-text">Change the undated progress text'
                '</span></summary><div class="govuk-details__text">'
            ),
            Field.textarea("progress", rows=6),
            HTML("</div></details>"),
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
            elif date and date > clock.today():
                self.add_error("update_date", "The date of the update must be today or earlier")
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                f"The end date must be the same as or after the start date ({show_date(start)})",
            )
        if not self.errors and not text and not self.changes():
            self.add_error(
                "update_text",
                "Write a progress update or change one of the action's details: nothing has "
                "been changed",
            )
        return data

    # ---- what the form asks for (valid forms only) ----------------------------------------

    def changes(self) -> dict:
        """The action's fields that differ from the action as saved, with their new values."""
        data = self.cleaned_data
        if any(name not in data for name in ACTION_FIELDS):
            return {}  # a field is invalid: there is nothing to compare yet
        wanted = {name: data[name] for name in ACTION_FIELDS}
        return {
            name: value for name, value in wanted.items() if getattr(self.action, name) != value
        }

    def update(self) -> dict | None:
        """The progress update to add, if one was written."""
        data = self.cleaned_data
        if not data.get("update_text"):
            return None
        return {
            "date": data["update_date"],
            "text": data["update_text"],
            "rag": data["rag"],
            "marking": data.get("update_marking") or Marking.OFFICIAL,
        }

    # ---- showing errors -------------------------------------------------------------------

    def error_links(self) -> list[tuple[str, str]]:
        """(element id, message) for the error summary, in the order of the fields. Each
        links to the input to correct: a date's first wrong box (its day box if the whole
        date is wrong), a group of radios' first radio (templates/gds/layout/radio_item.html
        numbers them from 0, as Django does). An error about the whole form (its plan has
        closed, say) comes first, linked to the update's words."""
        links = [(self["update_text"].auto_id, message) for message in self.non_field_errors()]
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
