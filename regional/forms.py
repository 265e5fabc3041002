"""What the VRU view asks: the template year, and the date since which a borough counts as
not updated. By GET, so that the page can be bookmarked and shared; the export takes the
same query."""

import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms

from actions.rag import RAG
from actions.update_form import GovukDateField
from regional.selectors import TemplateYear

SINCE_LABEL = "Not updated since"
SINCE_PARTS = ("since_0", "since_1", "since_2")


class VruViewForm(forms.Form):
    year = forms.ChoiceField(label="Template year", required=False)
    since = GovukDateField(
        label=SINCE_LABEL,
        required=False,
        help_text="Boroughs and actions with no progress update on or after this day. "
        "For example, 1 9 2022.",
    )

    def __init__(self, data, *, years: list[TemplateYear], default_since: datetime.date):
        data = data.copy()
        # Links (and the export) may give the date as one ISO parameter, `since=2022-09-01`.
        iso = data.get("since", "").strip()
        if iso and not any(data.get(name, "").strip() for name in SINCE_PARTS):
            try:
                day = datetime.date.fromisoformat(iso)
            except ValueError:
                pass
            else:
                for name, part in zip(SINCE_PARTS, (day.day, day.month, day.year), strict=True):
                    data[name] = str(part)
        super().__init__(data)
        self.years = years
        self.default_since = default_since
        self.fields["year"].choices = [(year.value, year.label) for year in years]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # a GET form changes nothing
        self.helper.legend_size = "s"
        self.helper.label_size = "s"
        self.helper.layout = Layout(Field.select("year"), Field("since"))

    def chosen(self) -> tuple[TemplateYear | None, datetime.date | None]:
        """The year (the newest, if none is chosen) and the date (the default if none is
        given); (None, None) when what was given cannot be read (the form shows why)."""
        if not self.is_valid():
            return None, None
        value = self.cleaned_data["year"]
        year = TemplateYear.parse(value) if value else (self.years[0] if self.years else None)
        return year, self.cleaned_data["since"] or self.default_since


class CountedForm(forms.Form):
    """Which number of the VRU view a list of actions stands behind (`regional.selectors.
    count_condition`): a plan, and within it a theme, a RAG status, a date not updated since."""

    plan = forms.SlugField()
    theme = forms.IntegerField(required=False, min_value=1)
    rag = forms.ChoiceField(required=False, choices=[("", "Any"), *RAG.choices])
    not_updated_since = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
