"""The forms of the template pages: the upload, and the choices its preview asks for."""

from django import forms

from rollover.template import TemplateChoices, TemplateProposal
from workbooks.forms import PlanImportForm

ADD_NEW = "new"
ADOPT, LEAVE_OUT = "adopt", "leave"
CONFIRM, REFUSE = "confirm", "refuse"


class TemplateUploadForm(PlanImportForm):
    """The import's file field and its size limit; a template is always in the VRU layout."""

    layout = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "Template workbook"
        self.fields["file"].help_text = (
            "The VRU's action plan template for the new year, as an Excel workbook (.xlsx) in "
            "the VRU layout."
        )


def _radios(label: str, choices, required: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
        error_messages={"required": required, "invalid_choice": required},
    )


class TemplateChoicesForm(forms.Form):
    """One question per theme the plan lacks (where it may rename one), per optional action
    (adopt or leave out) and per proposed match (the same action or not)."""

    def __init__(self, proposal: TemplateProposal, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        for theme in proposal.offered_themes:
            self.fields[f"theme_{theme.key}"] = _radios(
                f"'{theme.name}' is not a theme of the plan",
                [(ADD_NEW, "Add it as a new theme")]
                + [(str(old.pk), f"It is '{old.name}', renamed") for old in theme.candidates],
                f"Choose whether '{theme.name}' is a new theme or renames one of the plan's",
            )
        for action in proposal.optional_actions:
            self.fields[f"adopt_{action.key}"] = _radios(
                f"Optional action {action.ref} in {action.theme.name}".replace("  ", " "),
                [(ADOPT, "Adopt it"), (LEAVE_OUT, "Leave it out")],
                f"Choose whether to adopt or leave out optional action {action.ref} in "
                f"{action.theme.name} (row {action.row})",
            )
        for action in proposal.matches:
            self.fields[f"match_{action.key}"] = _radios(
                f"Is it the same action as {action.match.ref or 'the unnumbered one'} in "
                f"{action.match.theme.name}?",
                [
                    (CONFIRM, "Yes: merge them (the plan's action takes the template's words)"),
                    (REFUSE, "No: they are different actions"),
                ],
                f"Confirm or refuse the match of the template's action {action.ref} in "
                f"{action.theme.name} (row {action.row})",
            )

    def themes(self):
        return [(theme, self[f"theme_{theme.key}"]) for theme in self.proposal.offered_themes]

    def optional(self):
        """Each optional action with its question, and its match's if it has one."""
        return [
            (
                action,
                self[f"adopt_{action.key}"],
                self[f"match_{action.key}"] if action.match is not None else None,
            )
            for action in self.proposal.optional_actions
        ]

    def listed_matches(self):
        """The matches of the actions the template adds (the optional ones' are asked with
        them)."""
        return [
            (action, self[f"match_{action.key}"])
            for action in self.proposal.matches
            if not action.offered
        ]

    def choices(self) -> TemplateChoices:
        data = self.cleaned_data
        renamed = {}
        for theme in self.proposal.offered_themes:
            answer = data[f"theme_{theme.key}"]
            renamed[theme.key] = None if answer == ADD_NEW else int(answer)
        return TemplateChoices(
            adopted={
                action.key: data[f"adopt_{action.key}"] == ADOPT
                for action in self.proposal.optional_actions
            },
            confirmed={
                action.key: data[f"match_{action.key}"] == CONFIRM
                for action in self.proposal.matches
            },
            renamed=renamed,
        )
