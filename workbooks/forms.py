"""Forms for the plan pages."""

from django import forms

from actions.models import Plan
from workbooks.exports import XLSX_CONTENT_TYPE
from workbooks.presenter import in_sentence
from workbooks.safety import DEFAULT_LIMITS, MB
from workbooks.versions import KEEP_PLAN, TAKE_WORKBOOK


def too_large_message(size: int | None = None) -> str:
    """The size refusal, worded as the workbook checks word it (workbooks.safety)."""
    limit = f"{DEFAULT_LIMITS.max_file_bytes / MB:.0f} MB"
    size_text = f"The file is {size / MB:.1f} MB" if size else "The file is too large"
    return (
        f"{size_text}; the largest workbook accepted is {limit}. Remove unused sheets or images "
        "and try again."
    )


class LayoutField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=Plan.Layout.choices,
            # GOV.UK Frontend's class: includes/layout_radios.html renders each input as
            # Django does (ids id_layout_0, ...), which the error summary links to.
            widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
            error_messages={
                "required": "Choose the spreadsheet layout.",
                "invalid_choice": "Choose one of the layouts listed.",
            },
            **kwargs,
        )


class PlanExportForm(forms.Form):
    layout = LayoutField(label="Spreadsheet layout")
    leave_out_marked = forms.BooleanField(
        label="Leave out OFFICIAL-SENSITIVE items",
        required=False,
        help_text="The workbook is then OFFICIAL, with no marking, for readers who may not "
        "see them.",
    )


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label="Workbook",
        help_text=(
            f"An Excel workbook (.xlsx) of at most {DEFAULT_LIMITS.max_file_bytes // MB} MB, "
            "for example one exported from this plan and edited in Excel."
        ),
        error_messages={
            "required": "Choose the workbook to upload.",
            "empty": "The chosen file is empty. Choose the workbook to upload.",
            "invalid": "Choose the workbook to upload.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )
    layout = LayoutField(label="Spreadsheet layout")

    def __init__(self, *args, too_large: int | None = None, **kwargs):
        """`too_large`: the request size when the upload was stopped at the size limit, so
        the file never reached the form."""
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > DEFAULT_LIMITS.max_file_bytes:
            raise forms.ValidationError(too_large_message(upload.size))
        return upload

    def clean(self):
        if self.too_large is not None:
            # The file field's own "required" error would be wrong: the file was sent.
            self.errors.pop("file", None)
            self.add_error("file", too_large_message(self.too_large))
        return super().clean()


class ConflictChoicesForm(forms.Form):
    """For each conflict of an import preview (workbooks.versions), the side to keep: the
    plan's value or the workbook's. `conflicted` is the presenter's list of actions with
    conflicts (workbooks.presenter.describe)."""

    # The one choice for every conflict not listed on a summarised preview.
    REST = "conflicts_not_listed"

    def __init__(self, conflicted: list[dict], *args, listed: int | None = None, **kwargs):
        """`listed`: on a summarised preview, how many conflicted actions are listed, each
        conflict with its own choice; one choice then settles every conflict of the rest
        (listed in the preview's download). None: every one is listed."""
        super().__init__(*args, **kwargs)
        self.not_listed = conflicted[listed:] if listed is not None else []
        self.conflicted = conflicted[:listed] if listed is not None else conflicted
        for action in self.conflicted:
            which = f"action {action['ref']}" if action["ref"] else "the unnumbered action"
            for found in action["conflicts"]:
                self.fields[found["name"]] = forms.ChoiceField(
                    label=found["label"],
                    choices=[
                        (KEEP_PLAN, "Keep the plan's value"),
                        (TAKE_WORKBOOK, "Take the workbook's value"),
                    ],
                    widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
                    error_messages={
                        "required": f"Choose which {in_sentence(found['label'])} to keep for "
                        f"{which} in {action['theme']} (row {action['row']})",
                        "invalid_choice": "Choose the plan's value or the workbook's.",
                    },
                )

        if self.not_listed:
            count = len(self.not_listed)
            self.fields[self.REST] = forms.ChoiceField(
                label=f"For the {count} action{'s' if count != 1 else ''} with conflicts not "
                "listed here",
                choices=[
                    (KEEP_PLAN, "Keep the plan's values"),
                    (TAKE_WORKBOOK, "Take the workbook's values"),
                ],
                widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
                error_messages={
                    "required": f"Choose which value to keep for the {count} "
                    f"action{'s' if count != 1 else ''} with conflicts not listed",
                    "invalid_choice": "Choose the plan's values or the workbook's.",
                },
            )

    def clean(self):
        data = super().clean()
        rest = data.get(self.REST)
        if rest:
            # The one choice, as each of those conflicts' own (workbooks.settling.settle).
            for action in self.not_listed:
                for found in action["conflicts"]:
                    data[found["name"]] = rest
        return data

    def not_listed_field(self):
        return self[self.REST] if self.not_listed else None

    def actions(self) -> list[dict]:
        """The conflicted actions, each conflict with its form field, for the preview page."""
        return [
            {
                **action,
                "conflicts": [
                    {**found, "field": self[found["name"]]} for found in action["conflicts"]
                ],
            }
            for action in self.conflicted
        ]
