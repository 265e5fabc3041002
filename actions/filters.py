"""The plan page's filters (django-filter), and their GOV.UK form.

Every filter narrows with a condition on the action row or a subquery (`pk__in`), never a
join through a list of people or organisations, so an action is never listed twice and the
RAG counts of the filtered set stay right without DISTINCT.
"""

import datetime
import re

import django_filters
from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Div, Field, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from actions import permissions, selectors
from actions.models import Action, ActionOrigin, Plan
from actions.rag import MEANINGS, RAG

# The origin left blank in the model ("Not stated") needs a value that a query string and a
# checkbox can carry.
NOT_STATED = "not_stated"

# More words than this in a search are ignored: each one is a condition over five texts.
MAX_SEARCH_WORDS = 10

DATE_EXAMPLE = "for example, 1 11 2021"


class FilterDateField(DateInputField):
    """The GOV.UK date input (day, month, year), optional, with messages that say what to
    fix. A part left out or not a number is reported against that part."""

    def __init__(self, **kwargs):
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        for part, name in zip(self.fields, ("day", "month", "year"), strict=True):
            part.error_messages["incomplete"] = f"Enter the {name} as well ({DATE_EXAMPLE})"
            part.validators = [_number_validator(name)]

    def compress(self, data_list):
        if not data_list or not all(data_list):
            return None
        day, month, year = (value.strip() for value in data_list)
        if len(year) != 4:
            message = f"Enter the year as 4 digits ({DATE_EXAMPLE})"
            # On the year box too, as crispy-forms-gds marks a box's own errors, so that the
            # year alone is outlined rather than the whole date.
            year_box = self.fields[2].widget
            year_box.errors = [*getattr(year_box, "errors", []), message]
            raise ValidationError(message)
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"Enter a real date ({DATE_EXAMPLE})") from None


def _number_validator(name: str):
    def validate(value: str):
        if not re.fullmatch(r"\s*[0-9]{1,4}\s*", value or ""):
            raise ValidationError(f"Enter the {name} as a number ({DATE_EXAMPLE})")

    return validate


class DateInputFilter(django_filters.Filter):
    field_class = FilterDateField


class CheckboxFilter(django_filters.Filter):
    """A single checkbox: ticked filters, unticked does not."""

    field_class = forms.BooleanField


class ActionFilterForm(forms.Form):
    """Lays the filters out in GOV.UK style: crispy-forms-gds renders each field (labels,
    hints, errors beside the field); the template adds the <form> and its buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        # Sent by GET, so that the address is a link to the filtered plan: crispy-forms adds
        # a CSRF token to a POST form, which would then sit in every shared address.
        self.helper.form_method = "get"
        self.helper.label_size = "s"
        self.helper.legend_size = "s"
        self.helper.layout = Layout(
            Field.text("q", field_width="two-thirds"),
            _row(Field.select("theme"), Field.select("lead_person"), Field.select("lead_org")),
            _row(
                Field.select("supporting_org"),
                Field.select("monitoring_board"),
                Field("not_updated_since"),
            ),
            _row(
                Field.checkboxes("rag", small=True),
                Field.checkboxes("origin", small=True),
                # A heading like its neighbours' (RAG status, Origin), so that the box is
                # not a bare label under their headings.
                Fieldset(Field.checkbox("overdue", small=True), legend="Overdue", legend_size="s"),
            ),
        )


def _row(*fields) -> Div:
    return Div(
        *(Div(field, css_class="govuk-grid-column-one-third") for field in fields),
        css_class="govuk-grid-row",
    )


def _choice_error(what: str) -> dict:
    return {"invalid_choice": f"Choose {what} from the list"}


class ActionFilter(django_filters.FilterSet):
    """Filters for one plan's actions. Give it `plan_actions(plan, user)` as the queryset
    and the plan: the choices of theme, people, organisations and subgroups are only those
    that appear in the actions given, so a lead of an action the user may not see is not
    offered either."""

    q = django_filters.CharFilter(
        label="Search",
        method="filter_text",
        max_length=200,
        help_text="Words in the action, its outcomes, progress, progress updates or comment",
    )
    theme = django_filters.ChoiceFilter(
        label="Theme",
        method="filter_theme",
        empty_label="All themes",
        error_messages=_choice_error("a theme"),
    )
    lead_person = django_filters.ChoiceFilter(
        label="Lead person",
        method="filter_lead_person",
        empty_label="Anyone",
        error_messages=_choice_error("a lead person"),
    )
    lead_org = django_filters.ChoiceFilter(
        label="Lead organisation",
        method="filter_lead_organisation",
        empty_label="Any organisation",
        error_messages=_choice_error("a lead organisation"),
    )
    supporting_org = django_filters.ChoiceFilter(
        label="Supporting organisation",
        method="filter_supporting_organisation",
        empty_label="Any organisation",
        error_messages=_choice_error("a supporting organisation"),
    )
    monitoring_board = django_filters.ChoiceFilter(
        label="Monitoring subgroup",
        method="filter_monitoring_board",
        empty_label="Any subgroup",
        error_messages=_choice_error("a subgroup"),
        help_text="The action's own, or else its theme's",
    )
    not_updated_since = DateInputFilter(
        label="Not updated since",
        method="filter_not_updated_since",
        help_text=f"No progress update on or after this date ({DATE_EXAMPLE})",
    )
    rag = django_filters.MultipleChoiceFilter(
        label="RAG status",
        field_name="rag",
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[Choice(rag.value, rag.label, hint=MEANINGS[rag]) for rag in RAG],
        error_messages=_choice_error("RAG statuses"),
    )
    origin = django_filters.MultipleChoiceFilter(
        label="Origin",
        method="filter_origin",
        widget=forms.CheckboxSelectMultiple,
        choices=[(value or NOT_STATED, label) for value, label in ActionOrigin.choices],
        error_messages=_choice_error("origins"),
    )
    overdue = CheckboxFilter(
        label="Only overdue actions",
        method="filter_overdue",
        help_text="Past the end date and not complete",
    )

    class Meta:
        model = Action
        fields = []
        form = ActionFilterForm

    def __init__(self, data=None, queryset=None, *, plan: Plan, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        # The progress updates the user's lists read (`selectors.listed_updates`): the
        # filters that look at updates see no others, so that an update the user may not see
        # changes nothing they are shown.
        self.updates = selectors.listed_updates(user)
        actions = self.queryset
        # The plan's themes the user may see, in reading order, with their parents: the
        # theme choices, and (`themes`) what the plan page sorts and heads its actions by.
        themes = plan_themes(plan, user)
        self.themes = [theme for theme, _ in themes]
        choices = {
            "theme": [(str(theme.pk), label) for theme, label in themes],
            "lead_person": [
                (
                    str(person.pk),
                    f"{person.name} ({person.organisation})"
                    if person.organisation
                    else person.name,
                )
                for person in selectors.lead_people_of(actions).select_related("organisation")
            ],
            "lead_org": _organisation_choices(selectors.organisations_of(actions, "lead")),
            "supporting_org": _organisation_choices(
                selectors.organisations_of(actions, "supporting")
            ),
            "monitoring_board": [
                (str(board.pk), board.name)
                for board in selectors.monitoring_boards_of(
                    actions, [theme.pk for theme in self.themes]
                )
            ],
        }
        for name, options in choices.items():
            self.filters[name].extra["choices"] = options

    # Each method gets a cleaned, non-empty value.

    def filter_text(self, queryset: QuerySet, name, value: str):
        for word in value.split()[:MAX_SEARCH_WORDS]:
            in_updates = self.updates.filter(text__icontains=word).values("action_id")
            queryset = queryset.filter(
                Q(text__icontains=word)
                | Q(outcomes__icontains=word)
                | Q(progress__icontains=word)
                | Q(comment__icontains=word)
                | Q(pk__in=in_updates)
            )
        return queryset

    def filter_theme(self, queryset, name, value):
        # A theme with sub-themes stands for them too.
        return queryset.filter(Q(theme_id=value) | Q(theme__parent_id=value))

    def filter_lead_person(self, queryset, name, value):
        led = Action.lead_people.through.objects.filter(person_id=value)
        return queryset.filter(pk__in=led.values("action_id"))

    def filter_lead_organisation(self, queryset, name, value):
        led = Action.lead_organisations.through.objects.filter(organisation_id=value)
        return queryset.filter(pk__in=led.values("action_id"))

    def filter_supporting_organisation(self, queryset, name, value):
        supported = Action.supporting_organisations.through.objects.filter(organisation_id=value)
        return queryset.filter(pk__in=supported.values("action_id"))

    def filter_monitoring_board(self, queryset, name, value):
        return queryset.filter(selectors.monitored_by([value]))

    def filter_not_updated_since(self, queryset, name, value: datetime.date):
        return queryset.filter(selectors.not_updated_since(value, self.updates))

    def filter_origin(self, queryset, name, values: list[str]):
        origins = ["" if value == NOT_STATED else value for value in values]
        return queryset.filter(origin__in=origins)

    def filter_overdue(self, queryset, name, value: bool):
        return queryset.filter(selectors.overdue_condition()) if value else queryset


def _organisation_choices(organisations) -> list[tuple[str, str]]:
    return [
        (
            str(organisation.pk),
            f"{organisation.name} ({organisation.short_name})"
            if organisation.short_name
            else organisation.name,
        )
        for organisation in organisations
    ]


def plan_themes(plan: Plan, user) -> list[tuple[object, str]]:
    """The plan's themes that the user may see (`permissions.visible_themes_in_plan`) in
    reading order, each with a label that names its parent theme."""
    themes = (
        permissions.visible_themes_in_plan(user, plan)
        .select_related("parent")
        .annotate(
            top_order=Coalesce(F("parent__order"), F("order")),
            top_id=Coalesce(F("parent_id"), F("id")),
            level=Case(
                When(parent__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("top_order", "top_id", "level", "order", "pk")
    )
    return [(theme, theme_label(theme)) for theme in themes]


def theme_name(theme) -> str:
    """The theme's reference and name, e.g. "A Governance"."""
    return " ".join(part for part in (theme.ref, theme.name) if part)


def theme_label(theme) -> str:
    """The theme's name with its parent's in front, for a sub-theme: "Section: Objective"."""
    if theme.parent_id:
        return f"{theme_name(theme.parent)}: {theme_name(theme)}"
    return theme_name(theme)
