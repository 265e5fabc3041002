"""The forms of the indicators page: a value of an indicator (added or corrected), and its
target. GOV.UK form pattern through crispy-forms-gds; the views are
actions.views.indicators."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms

from actions.models import Indicator, IndicatorValue
from actions.update_form import GovukDateField
from cspplan.display import show_date, show_number

NUMBER_EXAMPLE = "for example 120, 4.5 or -3"


def _number(label: str, *, required: bool) -> forms.DecimalField:
    # The model's size: 14 digits, 4 of them after the point.
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=4,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be a number, {NUMBER_EXAMPLE}",
            "max_digits": f"{label} must have no more than 14 digits",
            "max_decimal_places": f"{label} must have no more than 4 digits after the point",
            "max_whole_digits": f"{label} must have no more than 10 digits before the point",
        },
    )


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the page's <form> has the token
    helper.label_size = "s"
    helper.legend_size = "s"
    helper.layout = Layout(*fields)
    return helper


class IndicatorValueForm(forms.Form):
    """A value of `indicator`: the date its period ends, the period as written, the number
    and a note. `value` is the one being corrected, or None for a new one."""

    date = GovukDateField(
        label="End of the period",
        help_text="The last day the value covers, for example 31 3 2022",
    )
    period = forms.CharField(
        label="Period (optional)",
        required=False,
        max_length=100,
        help_text="As your reports write it, for example 2021/22 or Q3 2021/22",
    )
    value = _number("Value", required=True)
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="Where the number comes from, or anything a reader should know about it",
    )

    def __init__(self, *args, indicator: Indicator, value: IndicatorValue | None = None, **kw):
        if value is not None and not args and "initial" not in kw:
            kw["initial"] = {name: getattr(value, name) for name in self.base_fields}
        super().__init__(*args, **kw)
        self.indicator, self.existing = indicator, value
        self.helper = _helper(
            Field("date"),
            Field.text("period", field_width=10),
            Field.text("value", field_width=10),
            Field.textarea("note", rows=3),
        )

    def clean_period(self):
        return self.cleaned_data["period"].strip()

    def clean_note(self):
        return self.cleaned_data["note"].replace("\r\n", "\n").strip()

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date is None:
            raise forms.ValidationError("Enter the end of the period")
        other = IndicatorValue.objects.filter(indicator=self.indicator, date=date)
        if self.existing is not None:
            other = other.exclude(pk=self.existing.pk)
        other = other.first()
        if other is not None:
            shown = f"{show_number(other.value)}" + (f", {other.period}" if other.period else "")
            raise forms.ValidationError(
                f"There is already a value for the period ending {show_date(date)} ({shown}): "
                "change that one instead"
            )
        return date


class IndicatorTargetForm(forms.Form):
    """The indicator's target: its label, its number and its words as the plan writes it."""

    target_label = forms.CharField(
        label="What the target is for (optional)",
        required=False,
        max_length=100,
        help_text="For example, 2021/22 target",
    )
    target = _number("Target", required=False)
    target_text = forms.CharField(
        label="Target as written (optional)",
        required=False,
        max_length=200,
        help_text='As the plan words it, for example "Reduce" or "-5%"',
    )

    def __init__(self, *args, indicator: Indicator, **kw):
        if not args and "initial" not in kw:
            kw["initial"] = {name: getattr(indicator, name) for name in self.base_fields}
        super().__init__(*args, **kw)
        self.indicator = indicator
        self.fields["target"].help_text = (
            f"A number, {NUMBER_EXAMPLE}. The indicator is to "
            f"{indicator.get_direction_display().lower()}: its RAG status compares the "
            "latest value with this number. Leave it blank if there is no numeric target."
        )
        self.helper = _helper(
            Field.text("target_label", field_width="one-half"),
            Field.text("target", field_width=10),
            Field.text("target_text", field_width="one-half"),
        )

    def clean(self):
        cleaned = super().clean()
        for name in ("target_label", "target_text"):
            if name in cleaned:
                cleaned[name] = cleaned[name].strip()
        return cleaned
