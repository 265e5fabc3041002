"""The audit log's filters: whose changes, which kind of record, which record, which days.
Sent by GET, so that a filtered log can be bookmarked and shared."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.contrib.auth import get_user_model

from actions.update_form import GovukDateField
from audit.log import Filters, sources
from cspplan.display import user_name


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = user_name(obj)
        return name if name == obj.get_username() else f"{name} ({obj.get_username()})"


class AuditFilterForm(forms.Form):
    person = PersonChoice(
        label="Made by",
        required=False,
        empty_label="Anyone",
        queryset=get_user_model().objects.select_related("person").order_by("username"),
    )
    kind = forms.ChoiceField(label="Kind of record", required=False)
    object_id = forms.IntegerField(
        label="Record number",
        required=False,
        min_value=1,
        help_text="The number of one record of that kind, as the admin shows it in its "
        "address. For downloads, the plan's or board's number.",
        error_messages={"invalid": "Record number must be a whole number, like 12"},
    )
    on_or_after = GovukDateField(label="From", required=False, help_text="For example, 1 11 2021.")
    on_or_before = GovukDateField(label="To", required=False, help_text="For example, 30 11 2021.")

    def __init__(self, data):
        super().__init__(data)
        self.fields["kind"].choices = [
            ("", "Any kind"),
            *((key, source.label) for key, source in sources().items()),
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # a GET form changes nothing
        self.helper.legend_size = "s"
        self.helper.layout = Layout(
            Field("person"),
            Field("kind"),
            Field.text("object_id", field_width=5),
            Field("on_or_after"),
            Field("on_or_before"),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("on_or_after"), cleaned.get("on_or_before")
        if start and end and end < start:
            self.add_error("on_or_before", "To must be the same as or after From")
        return cleaned

    def filters(self) -> Filters | None:
        """The filters chosen, or None if the form has errors."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return Filters(
            user_id=data["person"].pk if data["person"] else None,
            source=data["kind"] or None,
            object_id=data["object_id"],
            on_or_after=data["on_or_after"],
            on_or_before=data["on_or_before"],
        )
