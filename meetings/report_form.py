"""The subgroup update report's form: the pack's four headings and the protective marking."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms

from actions.models import Marking
from meetings.models import SubgroupReport
from meetings.reports import FIELDS, HEADINGS

HINTS = {
    "brief_update": "What the subgroup has done since the last meeting.",
    "key_challenges": "What is getting in the way.",
    "emerging_trends": "What the subgroup is starting to see.",
    "support_required": "What the subgroup asks the board to do.",
}


class SubgroupReportForm(forms.Form):
    marking = forms.ChoiceField(
        label="Protective marking",
        choices=Marking.choices,
        widget=forms.RadioSelect,
        help_text="OFFICIAL-SENSITIVE (RESTRICTED in the pack): only the board's members and "
        "administrators may then read the report, in the pack and here.",
        error_messages={
            "required": "Choose the report's protective marking",
            "invalid_choice": "Choose one of the markings listed",
        },
    )

    def __init__(self, data=None, *, report: SubgroupReport | None = None):
        initial = {"marking": Marking.OFFICIAL}
        if report is not None:
            initial = {name: getattr(report, name) for name in (*FIELDS, "marking")}
        super().__init__(data, initial=initial)
        for name, label in HEADINGS:
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=HINTS[name],
            )
        self.order_fields([*FIELDS, "marking"])
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> has the token
        self.helper.layout = Layout(
            *(Field.textarea(name, rows=6) for name in FIELDS),
            Field.radios("marking", small=True),
        )

    def clean(self):
        cleaned = super().clean()
        if not any((cleaned.get(name) or "").strip() for name in FIELDS):
            # Shown against the first heading, where the summary links to.
            self.add_error(FIELDS[0], "Write the report under at least one of its headings")
        return cleaned
