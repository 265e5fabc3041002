from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from actions.models import (
    Action,
    Indicator,
    IndicatorValue,
    Plan,
    ProgressUpdate,
    SeniorLeader,
    Theme,
)
from actions.rag import rag_label


class SeniorLeaderInline(admin.TabularInline):
    model = SeniorLeader
    extra = 0
    fields = ["order", "name", "organisation", "role", "person"]
    autocomplete_fields = ["person"]


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    fields = ["order", "ref", "name", "parent", "monitoring_board"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent", "monitoring_board")


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "partnership",
        "board",
        "layout",
        "status",
        "period_start",
        "period_end",
        "action_count",
    ]
    list_filter = ["partnership", "layout", "status", ("board", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["partnership", "board"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["board", "predecessor"]
    inlines = [SeniorLeaderInline, ThemeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(action_count=Count("themes__actions"))

    @admin.display(ordering="action_count", description="actions")
    def action_count(self, plan):
        return plan.action_count


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "parent", "order", "action_count"]
    list_filter = ["plan__partnership", "plan"]
    list_select_related = ["plan", "parent"]
    search_fields = ["name", "description", "review_feedback"]
    autocomplete_fields = ["plan", "parent", "monitoring_board"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(action_count=Count("actions"))

    @admin.display(ordering="action_count", description="actions")
    def action_count(self, theme):
        return theme.action_count


class ProgressUpdateInline(admin.StackedInline):
    model = ProgressUpdate
    extra = 0
    fields = ["date", "period", "rag", "author", "text"]
    autocomplete_fields = ["author"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = [
        "ref",
        "short_text",
        "theme",
        "plan",
        "rag_status",
        "origin",
        "leads",
        "end_date",
    ]
    list_display_links = ["ref", "short_text"]
    list_filter = [
        "theme__plan__partnership",
        "theme__plan",
        ("theme", admin.RelatedOnlyFieldListFilter),
        "rag",
        "origin",
        "restricted",
        ("lead_organisations", admin.RelatedOnlyFieldListFilter),
        ("monitoring_board", admin.RelatedOnlyFieldListFilter),
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

    def save_formset(self, request, form, formset, change):
        # Updates added in the inline record who typed them in, as the update form does.
        for update in formset.save(commit=False):
            if update.pk is None:
                update.created_by = request.user
            update.save()
        for update in formset.deleted_objects:
            update.delete()
        formset.save_m2m()

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "theme",
                    "ref",
                    "order",
                    "origin",
                    "restricted",
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

    @admin.display(description="action", ordering="text")
    def short_text(self, action):
        return action.text if len(action.text) <= 90 else action.text[:89] + "…"

    @admin.display(description="plan", ordering="theme__plan__title")
    def plan(self, action):
        return action.theme.plan

    @admin.display(description="RAG status", ordering="rag")
    def rag_status(self, action):
        return rag_label(action.rag)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["action", "date", "period", "rag_set", "author"]
    list_filter = ["action__theme__plan__partnership", "action__theme__plan", "rag"]
    list_select_related = ["action", "author"]
    search_fields = ["text", "action__text"]
    autocomplete_fields = ["action", "author"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user  # who typed it in, beside the author it names
        super().save_model(request, obj, form, change)

    @admin.display(description="RAG status set", ordering="rag")
    def rag_set(self, update):
        return rag_label(update.rag) if update.rag else "—"


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["ref", "description", "plan", "category", "direction", "baseline", "target"]
    list_display_links = ["ref", "description"]
    list_filter = ["plan__partnership", "plan", "category", "direction"]
    list_select_related = ["plan"]
    search_fields = ["description", "category"]
    inlines = [IndicatorValueInline]


@admin.register(SeniorLeader)
class SeniorLeaderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "role", "organisation", "plan"]
    list_filter = ["plan__partnership", "plan"]
    list_select_related = ["plan"]
    search_fields = ["name", "role", "organisation"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "date", "period", "value"]
    list_filter = ["indicator__plan__partnership", "indicator__plan"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__description", "period", "note"]
    autocomplete_fields = ["indicator"]
