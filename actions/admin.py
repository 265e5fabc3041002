"""The admin pages of plans, themes, actions, progress updates and indicators, and the
registration of every model's admin (boards' too) with what each user may see and change
there, from actions.permissions.

Who enters the admin: administrators (and superusers) only (actions.sites). Superusers see
and change everything there. A partnership's administrator sees and changes what their
role lets them everywhere: their partnerships' records (the `visible`, `editable` and
`choosable` hooks), as would anyone else, should the admin ever let them in.
Everything the admin writes goes through the services, in the signed-in user's name.
"""

from django.contrib import admin
from django.db.models import Count, Q

from actions import permissions, services
from actions.models import (
    Action,
    Indicator,
    IndicatorValue,
    Marking,
    PanelFeedback,
    Plan,
    ProgressUpdate,
    SeniorLeader,
    Theme,
)
from actions.rag import rag_label
from boards import admin as boards_admin
from boards.models import Board, Membership, Organisation, Partnership, Person
from cspplan.admin import ScopedAdmin, ScopedInline, Services, VisibleRelatedFilter

PLAN_SERVICES = Services.named(services, "plan")
SENIOR_LEADER_SERVICES = Services.named(services, "senior_leader")
THEME_SERVICES = Services.named(services, "theme")
PANEL_FEEDBACK_SERVICES = Services.named(services, "panel_feedback")
ACTION_SERVICES = Services.named(services, "action")
# An update added in the admin sets the action's RAG status and history as one added on
# the update form does: it is the same service.
PROGRESS_UPDATE_SERVICES = Services.named(services, "progress_update", "update")
INDICATOR_SERVICES = Services.named(services, "indicator")
INDICATOR_VALUE_SERVICES = Services.named(services, "indicator_value")


class Permitted:
    """The hooks of cspplan.admin.ScopedAdmin from actions.permissions: mixed in before
    an admin class, whose `visible` (and, where the user may change some records,
    `editable`) say which records."""

    def sees_everything(self, request) -> bool:
        return permissions.sees_everything(request.user)

    def role_decides(self, request) -> bool:
        return permissions.is_administrator(request.user)


class OfPlans(Permitted):
    """A plan, or something that belongs to one: changed, and added, by those who may
    change its plan (permissions.editable_plans)."""

    def may_add(self, request) -> bool:
        return self.sees_everything(request) or permissions.edits_any_plan(request.user)


class SeniorLeaderInline(ScopedInline, admin.TabularInline):
    services = SENIOR_LEADER_SERVICES
    model = SeniorLeader
    extra = 0
    fields = ["order", "name", "organisation", "role", "person"]
    autocomplete_fields = ["person"]


class ThemeInline(ScopedInline, admin.TabularInline):
    services = THEME_SERVICES
    model = Theme
    extra = 0
    fields = ["order", "ref", "name", "parent", "monitoring_board", "marking"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent", "monitoring_board")


def _actions_seen(request, path: str) -> Count:
    """A count of the actions at `path` that the user may see: a marked action they
    may not see is not counted, as its existence is not revealed."""
    if permissions.sees_everything(request.user):
        return Count(path)
    seen = permissions.visible_actions(request.user).values("pk")
    return Count(path, filter=Q(**{f"{path}__in": seen}))


class ShowsMarking:
    """A column with an item's own protective marking, blank for OFFICIAL (which need not
    be shown), as every list of marked items shows it."""

    @admin.display(description="marking", ordering="marking")
    def shown_marking(self, item):
        return item.get_marking_display() if item.marking != Marking.OFFICIAL else ""


class PlanAdmin(ShowsMarking, OfPlans, ScopedAdmin):
    services = PLAN_SERVICES
    list_display = [
        "title",
        "partnership",
        "board",
        "layout",
        "status",
        "period_start",
        "period_end",
        "action_count",
        "shown_marking",
    ]
    list_filter = [
        ("partnership", VisibleRelatedFilter),
        "layout",
        "status",
        "marking",
        ("board", VisibleRelatedFilter),
    ]
    list_select_related = ["partnership", "board"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["board", "predecessor"]
    inlines = [SeniorLeaderInline, ThemeInline]
    # The model's ordering, stated again: Django drops it from a query with a count in it,
    # and the autocomplete pages through the list unordered otherwise.
    ordering = Plan._meta.ordering

    def visible(self, request):
        return permissions.visible_plans(request.user)

    def editable(self, request):
        return permissions.editable_plans(request.user)

    def may_add(self, request) -> bool:
        return permissions.partnerships_for_new_plans(request.user).exists()

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(action_count=_actions_seen(request, "themes__actions"))
        )

    @admin.display(ordering="action_count", description="actions")
    def action_count(self, plan):
        return plan.action_count


class ThemeAdmin(ShowsMarking, OfPlans, ScopedAdmin):
    services = THEME_SERVICES
    list_display = ["name", "plan", "parent", "order", "action_count", "shown_marking"]
    list_filter = [
        ("plan__partnership", VisibleRelatedFilter),
        ("plan", VisibleRelatedFilter),
        "marking",
    ]
    list_select_related = ["plan", "parent"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["plan", "parent", "monitoring_board"]
    ordering = Theme._meta.ordering  # as PlanAdmin's

    def visible(self, request):
        return permissions.visible_themes(request.user)

    def editable(self, request):
        return Theme.objects.filter(plan__in=permissions.editable_plans(request.user))

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(action_count=_actions_seen(request, "actions"))
        )

    @admin.display(ordering="action_count", description="actions")
    def action_count(self, theme):
        return theme.action_count


class PanelFeedbackAdmin(OfPlans, ScopedAdmin):
    """The review panel's feedback per theme: who gave it and the year as written, left
    blank where the source does not say."""

    services = PANEL_FEEDBACK_SERVICES
    list_display = ["theme", "plan", "year", "given_by", "date"]
    list_filter = [
        ("theme__plan__partnership", admin.RelatedOnlyFieldListFilter),
        ("theme__plan", admin.RelatedOnlyFieldListFilter),
        "year",
    ]
    list_select_related = ["theme__plan"]
    search_fields = ["text", "given_by", "year", "theme__name"]
    autocomplete_fields = ["theme", "people"]
    fields = ["theme", "year", "date", "given_by", "people", "text", "order"]

    def visible(self, request):
        return permissions.visible_panel_feedback(request.user)

    def editable(self, request):
        return permissions.editable_panel_feedback(request.user)

    @admin.display(description="plan", ordering="theme__plan__title")
    def plan(self, feedback):
        return feedback.theme.plan


class ProgressUpdateInline(ScopedInline, admin.StackedInline):
    services = PROGRESS_UPDATE_SERVICES
    model = ProgressUpdate
    extra = 0
    fields = ["date", "period", "rag", "author", "marking", "text"]
    autocomplete_fields = ["author"]


class ActionAdmin(ShowsMarking, Permitted, ScopedAdmin):
    services = ACTION_SERVICES
    # The status beside the action, so that both are on screen on a phone.
    list_display = [
        "ref",
        "short_text",
        "rag_status",
        "theme_name",
        "plan",
        "origin",
        "leads",
        "end_date",
    ]
    list_display_links = ["ref", "short_text"]
    list_filter = [
        ("theme__plan__partnership", VisibleRelatedFilter),
        ("theme__plan", VisibleRelatedFilter),
        ("theme", VisibleRelatedFilter),
        "rag",
        "origin",
        "marking",
        ("lead_organisations", VisibleRelatedFilter),
        ("monitoring_board", VisibleRelatedFilter),
    ]
    list_select_related = ["theme__plan"]
    search_fields = ["ref", "text", "outcomes", "progress", "comment", "leads"]
    autocomplete_fields = [
        "theme",
        "lead_people",
        "lead_organisations",
        "supporting_organisations",
        "monitoring_board",
    ]
    inlines = [ProgressUpdateInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "theme",
                    "ref",
                    "order",
                    "origin",
                    "marking",
                    "text",
                    "outcomes",
                    "resources",
                ]
            },
        ),
        ("Status", {"fields": ["rag", "progress", "comment", "document_references"]}),
        ("When", {"fields": ["timescale", "start_date", "end_date"]}),
        (
            "Who",
            {
                "fields": [
                    "leads",
                    "lead_people",
                    "lead_organisations_text",
                    "lead_organisations",
                    "supporting_organisations_text",
                    "supporting_organisations",
                    "responsible_service",
                    "responsible_team",
                    "monitoring_board",
                ]
            },
        ),
    ]

    def visible(self, request):
        return permissions.visible_actions(request.user)

    def editable(self, request):
        return permissions.editable_actions(request.user)

    def may_add(self, request) -> bool:
        # A new action goes into a theme, and a plan's themes are changed by those who may
        # change the plan.
        return self.sees_everything(request) or permissions.edits_any_plan(request.user)

    def get_readonly_fields(self, request, obj=None):
        # Those who may change the action but not its plan (its leads) may not move it to
        # another theme, nor lift or set its protective marking.
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not self.sees_everything(request):
            plans = permissions.editable_plans(request.user)
            if not plans.filter(themes__actions=obj).exists():
                readonly += ["theme", "marking"]
        return readonly

    @admin.display(description="action", ordering="text")
    def short_text(self, action):
        # The marking leads the text, not a column of its own: at 1280 px a ninth column
        # was pushed out of view.
        marked = f"{action.get_marking_display()}: " if action.marking != Marking.OFFICIAL else ""
        return marked + (action.text if len(action.text) <= 90 else action.text[:89] + "…")

    # The theme by a method rather than the field: the admin keeps a related field's cells on
    # one line, and a theme's long name then pushed the other columns out of view.
    @admin.display(description="theme", ordering="theme__name")
    def theme_name(self, action):
        return action.theme.name

    @admin.display(description="plan", ordering="theme__plan__title")
    def plan(self, action):
        return action.theme.plan

    @admin.display(description="RAG status", ordering="rag")
    def rag_status(self, action):
        return rag_label(action.rag)


class ProgressUpdateAdmin(ShowsMarking, Permitted, ScopedAdmin):
    services = PROGRESS_UPDATE_SERVICES
    list_display = ["action", "date", "period", "rag_set", "author", "shown_marking"]
    list_filter = [
        ("action__theme__plan__partnership", VisibleRelatedFilter),
        ("action__theme__plan", VisibleRelatedFilter),
        "rag",
        "marking",
    ]
    list_select_related = ["action", "author"]
    search_fields = ["text", "action__text"]
    autocomplete_fields = ["action", "author"]
    date_hierarchy = "date"
    # Who typed an update in is who added it, recorded by the service.
    fields = ["action", "date", "period", "rag", "author", "marking", "text", "created_by"]
    readonly_fields = ["created_by"]

    def visible(self, request):
        return permissions.visible_updates(request.user)

    def editable(self, request):
        return ProgressUpdate.objects.filter(action__in=permissions.editable_actions(request.user))

    def may_add(self, request) -> bool:
        return self.sees_everything(request) or permissions.edits_any_action(request.user)

    def get_readonly_fields(self, request, obj=None):
        # An update stays on the action it was added to.
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + ["action"] if obj is not None else readonly

    @admin.display(description="RAG status set", ordering="rag")
    def rag_set(self, update):
        return rag_label(update.rag) if update.rag else "—"


class IndicatorValueInline(ScopedInline, admin.TabularInline):
    services = INDICATOR_VALUE_SERVICES
    model = IndicatorValue
    extra = 0


class IndicatorAdmin(OfPlans, ScopedAdmin):
    services = INDICATOR_SERVICES
    list_display = ["ref", "description", "plan", "category", "direction", "baseline", "target"]
    list_display_links = ["ref", "description"]
    list_filter = [
        ("plan__partnership", VisibleRelatedFilter),
        ("plan", VisibleRelatedFilter),
        "category",
        "direction",
    ]
    list_select_related = ["plan"]
    search_fields = ["description", "category"]
    inlines = [IndicatorValueInline]

    def visible(self, request):
        return permissions.visible_indicators(request.user)

    def editable(self, request):
        return Indicator.objects.filter(plan__in=permissions.editable_plans(request.user))


class SeniorLeaderAdmin(OfPlans, ScopedAdmin):
    services = SENIOR_LEADER_SERVICES
    list_display = ["name", "role", "organisation", "plan"]
    list_filter = [
        ("plan__partnership", VisibleRelatedFilter),
        ("plan", VisibleRelatedFilter),
    ]
    list_select_related = ["plan"]
    search_fields = ["name", "role", "organisation"]

    def visible(self, request):
        return permissions.visible_senior_leaders(request.user)

    def editable(self, request):
        return SeniorLeader.objects.filter(plan__in=permissions.editable_plans(request.user))


class IndicatorValueAdmin(OfPlans, ScopedAdmin):
    services = INDICATOR_VALUE_SERVICES
    list_display = ["indicator", "date", "period", "value"]
    list_filter = [
        ("indicator__plan__partnership", VisibleRelatedFilter),
        ("indicator__plan", VisibleRelatedFilter),
    ]
    list_select_related = ["indicator"]
    search_fields = ["indicator__description", "period", "note"]
    autocomplete_fields = ["indicator"]

    def visible(self, request):
        return permissions.visible_indicator_values(request.user)

    def editable(self, request):
        return IndicatorValue.objects.filter(
            indicator__plan__in=permissions.editable_plans(request.user)
        )


# ---- the partnership's structure (boards.admin's pages) --------------------------------------
# Seen as actions.permissions says; changed, and added, by administrators only.


class PartnershipAdmin(Permitted, boards_admin.PartnershipAdmin):
    def visible(self, request):
        return permissions.visible_partnerships(request.user)

    def editable(self, request):
        return permissions.administered_partnerships(request.user)

    def choosable(self, request):
        return permissions.partnerships_for_new_plans(request.user)


class OrganisationAdmin(Permitted, boards_admin.OrganisationAdmin):
    def visible(self, request):
        return permissions.visible_organisations(request.user)

    def editable(self, request):
        return permissions.administered_organisations(request.user)

    def may_add(self, request) -> bool:
        return permissions.administered_partnerships(request.user).exists()

    def choosable(self, request):
        return self.visible(request)


class PersonAdmin(Permitted, boards_admin.PersonAdmin):
    def visible(self, request):
        return permissions.visible_people(request.user)

    def editable(self, request):
        return permissions.administered_people(request.user)

    def may_add(self, request) -> bool:
        return permissions.administered_partnerships(request.user).exists()

    def choosable(self, request):
        return self.visible(request)


class BoardAdmin(Permitted, boards_admin.BoardAdmin):
    def visible(self, request):
        return permissions.visible_boards(request.user)

    def editable(self, request):
        return permissions.administered_boards(request.user)

    def may_add(self, request) -> bool:
        return permissions.administered_partnerships(request.user).exists()

    def choosable(self, request):
        return self.visible(request)


class MembershipAdmin(Permitted, boards_admin.MembershipAdmin):
    def visible(self, request):
        return permissions.visible_memberships(request.user)

    def editable(self, request):
        return Membership.objects.filter(board__in=permissions.administered_boards(request.user))

    def may_add(self, request) -> bool:
        return permissions.administered_partnerships(request.user).exists()


for model, model_admin in [
    (Partnership, PartnershipAdmin),
    (Organisation, OrganisationAdmin),
    (Person, PersonAdmin),
    (Board, BoardAdmin),
    (Membership, MembershipAdmin),
    (Plan, PlanAdmin),
    (Theme, ThemeAdmin),
    (PanelFeedback, PanelFeedbackAdmin),
    (Action, ActionAdmin),
    (ProgressUpdate, ProgressUpdateAdmin),
    (Indicator, IndicatorAdmin),
    (SeniorLeader, SeniorLeaderAdmin),
    (IndicatorValue, IndicatorValueAdmin),
]:
    admin.site.register(model, model_admin)
