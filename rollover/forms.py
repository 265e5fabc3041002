"""The roll-over form: the new plan's title, slug and period (GOV.UK form pattern through
crispy-forms-gds). Its checks are the service's (`rollover.services.rollover_check`), shown
against the fields they are about."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms

from actions.models import Plan
from actions.update_form import GovukDateField
from rollover import services

# The names the form posts, which the preview page sends again with its confirmation.
POSTED = ("title", "slug", "start_0", "start_1", "start_2", "end_0", "end_1", "end_2")


class RolloverForm(forms.Form):
    title = forms.CharField(label="Title of the new plan", max_length=300)
    slug = forms.SlugField(
        label="Short name for its address",
        max_length=100,
        help_text="Letters, numbers and hyphens, for example bd-vru-2022-23",
    )
    start = GovukDateField(label="Start of the new period", help_text="For example 11 12 2022")
    end = GovukDateField(label="End of the new period", help_text="For example 10 12 2023")

    def __init__(self, *args, plan: Plan, **kwargs):
        start, end = services.next_period(plan)
        kwargs.setdefault(
            "initial",
            {
                "title": services.suggested_title(plan),
                "slug": services.suggested_slug(plan),
                "start": start,
                "end": end,
            },
        )
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> has the token
        self.helper.label_size = "s"
        self.helper.legend_size = "s"
        self.helper.layout = Layout(
            Field.text("title"),
            Field.text("slug", field_width="one-half"),
            Field("start"),
            Field("end"),
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            services.rollover_check(self.plan, **self.arguments())
        except services.RolloverRefused as refused:
            for name, messages in refused.message_dict.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        return cleaned

    def arguments(self) -> dict:
        """The service's arguments: title, slug, start, end."""
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "slug": data["slug"],
            "start": data["start"],
            "end": data["end"],
        }
