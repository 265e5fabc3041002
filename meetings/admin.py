"""The admin pages of meetings, standing items, agenda items, attendance, minuted actions and
subgroup reports.

As for every model (actions.admin): only administrators enter the admin (actions.sites);
superusers see and change everything there, a partnership's administrator their
partnerships' records (`Administered`). Beneath that, each page is narrowed to what
meetings.permissions lets a user see (a marked item, action or report to those who may see
it), and changed and added by administrators only, as the partnership's structure is;
the meetings pages are where a chair or analyst manages a board's meetings. Everything the
admin writes goes through meetings.services, the pages' writes, in the signed-in user's name.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from actions.admin import Permitted, ShowsMarking
from actions.models import Marking
from actions.permissions import administered_partnerships
from cspplan.admin import ScopedAdmin, ScopedInline, Services, VisibleRelatedFilter
from meetings import permissions, services
from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingAction,
    StandingItem,
    SubgroupReport,
)

# The admin writes as the pages do, through meetings.services, so that it keeps the same
# rules (a status that only moves on, an action marked as its item, people of the board's
# partnership...); a change they refuse is shown as the admin shows its own errors.
MEETING_SERVICES = Services(
    services.meeting_create, services.meeting_update, services.meeting_delete, "meeting"
)
STANDING_ITEM_SERVICES = Services(
    services.standing_item_add,
    services.standing_item_update,
    services.standing_item_remove,
    "item",
)
AGENDA_ITEM_SERVICES = Services(
    services.agenda_item_add, services.agenda_item_update, services.agenda_item_remove, "item"
)
ATTENDANCE_SERVICES = Services(
    services.attendance_add,
    services.attendance_update,
    services.attendance_remove,
    "attendance",
)
MEETING_ACTION_SERVICES = Services(
    services.meeting_action_add,
    services.meeting_action_update,
    services.meeting_action_remove,
    "action",
)
SUBGROUP_REPORT_SERVICES = Services(
    services.subgroup_report_add,
    services.subgroup_report_update,
    services.subgroup_report_remove,
    "report",
)


class StaysPut:
    """Once made, a record stays with the board or meeting it was made for (`stays`): the
    services refuse to move it (meetings.services._stays), so its page shows it rather than
    offer a change that would be refused."""

    stays: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + list(self.stays) if obj is not None else readonly


class Administered:
    """Changed, and added, by the administrators of the board's partnership (and
    superusers): `board_path` leads from the record to its board."""

    board_path = "meeting__board"

    def editable(self, request):
        partnerships = administered_partnerships(request.user)
        return self.visible(request).filter(**{f"{self.board_path}__partnership__in": partnerships})

    def may_add(self, request) -> bool:
        return administered_partnerships(request.user).exists()


class AgendaItemFormSet(BaseInlineFormSet):
    """The meeting's items: at most one of them ticked as taking matters arising. The
    services move the tick from item to item, so two ticked at once would leave it on
    whichever was saved last: refused instead, saying which."""

    def clean(self):
        super().clean()
        ticked = [
            form.cleaned_data.get("title") or "an item"
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("takes_matters_arising")
        ]
        if len(ticked) > 1:
            raise ValidationError(
                "Only one item takes matters arising, and "
                + " and ".join(f"“{title}”" for title in ticked)
                + " are both ticked: untick all but one."
            )


class AgendaItemInline(ScopedInline, admin.TabularInline):
    services = AGENDA_ITEM_SERVICES
    model = AgendaItem
    formset = AgendaItemFormSet
    extra = 0
    fields = [
        "order",
        "number",
        "title",
        "presenter_as_written",
        "presenters",
        "minutes_allowed",
        "pages",
        "marking",
        "takes_matters_arising",
    ]
    autocomplete_fields = ["presenters"]
    show_change_link = True  # the description, links and minutes are on the item's page


class AttendanceInline(ScopedInline, admin.TabularInline):
    services = ATTENDANCE_SERVICES
    model = Attendance
    extra = 0
    fields = ["name_as_written", "person", "kind", "role"]
    autocomplete_fields = ["person"]


class MeetingActionInline(ScopedInline, admin.TabularInline):
    services = MEETING_ACTION_SERVICES
    model = MeetingAction
    fk_name = "meeting"  # the meeting it was raised at, not the one that last set its status
    extra = 0
    fields = ["order", "agenda_item", "owners_as_written", "text", "status", "due_date", "marking"]
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # The item it was raised under is one of this meeting's.
        field = formset.form.base_fields["agenda_item"]
        field.queryset = field.queryset.filter(meeting=obj) if obj else field.queryset.none()
        return formset


class MeetingAdmin(StaysPut, Administered, Permitted, ScopedAdmin):
    stays = ("board",)
    board_path = "board"
    services = MEETING_SERVICES
    list_display = ["__str__", "date", "board", "status", "time_as_written", "venue", "chair"]
    list_filter = [
        ("board__partnership", VisibleRelatedFilter),
        ("board", VisibleRelatedFilter),
        "status",
        "online",
    ]
    list_select_related = ["board", "chair"]
    search_fields = ["board__name", "venue"]
    date_hierarchy = "date"
    autocomplete_fields = ["board", "chair"]
    inlines = [AgendaItemInline, AttendanceInline, MeetingActionInline]

    def visible(self, request):
        return permissions.visible_meetings(request.user)

    def choosable(self, request):
        return self.visible(request)


class StandingItemAdmin(ShowsMarking, StaysPut, Administered, Permitted, ScopedAdmin):
    stays = ("board",)
    board_path = "board"
    services = STANDING_ITEM_SERVICES
    list_display = ["title", "board", "presenter_as_written", "minutes_allowed", "shown_marking"]
    list_filter = [("board", VisibleRelatedFilter), "marking"]
    list_select_related = ["board"]
    search_fields = ["title"]
    autocomplete_fields = ["board"]

    def visible(self, request):
        return permissions.visible_standing_items(request.user)

    def choosable(self, request):
        return self.visible(request)


class AgendaItemAdmin(ShowsMarking, StaysPut, Administered, Permitted, ScopedAdmin):
    stays = ("meeting",)
    services = AGENDA_ITEM_SERVICES
    list_display = [
        "number",
        "title",
        "meeting",
        "presenter_as_written",
        "minutes_allowed",
        "pages",
        "shown_marking",
    ]
    list_display_links = ["number", "title"]
    list_filter = [
        ("meeting__board", VisibleRelatedFilter),
        ("meeting", VisibleRelatedFilter),
        "marking",
    ]
    list_select_related = ["meeting__board"]
    search_fields = ["title", "description", "presenter_as_written", "minutes"]
    autocomplete_fields = [
        "meeting",
        "presenters",
        "standing_item",
        "plan",
        "subgroup_report",
    ]

    def visible(self, request):
        return permissions.visible_items(request.user)

    def choosable(self, request):
        return self.visible(request)


class AttendanceAdmin(StaysPut, Administered, Permitted, ScopedAdmin):
    stays = ("meeting",)
    services = ATTENDANCE_SERVICES
    list_display = ["name_as_written", "person", "kind", "role", "meeting"]
    list_filter = [("meeting", VisibleRelatedFilter), "kind", "role"]
    list_select_related = ["person", "meeting__board"]
    search_fields = ["name_as_written", "person__name"]
    autocomplete_fields = ["meeting", "person"]

    def visible(self, request):
        return Attendance.objects.filter(meeting__in=permissions.visible_meetings(request.user))


class MeetingActionAdmin(ShowsMarking, StaysPut, Administered, Permitted, ScopedAdmin):
    stays = ("meeting",)
    services = MEETING_ACTION_SERVICES
    list_display = ["short_text", "owners_as_written", "status", "meeting", "due_date"]
    list_filter = [
        ("meeting__board", VisibleRelatedFilter),
        ("meeting", VisibleRelatedFilter),
        "status",
        "marking",
    ]
    list_select_related = ["meeting__board"]
    search_fields = ["text", "owners_as_written"]
    autocomplete_fields = [
        "meeting",
        "agenda_item",
        "owners",
        "status_meeting",
        "plan_action",
    ]

    def visible(self, request):
        return permissions.visible_meeting_actions(request.user)

    @admin.display(description="action", ordering="text")
    def short_text(self, action):
        # The marking leads the text, as in the plans' action list.
        marked = f"{action.get_marking_display()}: " if action.marking != Marking.OFFICIAL else ""
        return marked + (action.text if len(action.text) <= 90 else action.text[:89] + "…")


class SubgroupReportAdmin(ShowsMarking, StaysPut, Administered, Permitted, ScopedAdmin):
    stays = ("board", "meeting")
    services = SUBGROUP_REPORT_SERVICES
    list_display = ["__str__", "board", "meeting", "author", "shown_marking"]
    list_filter = [
        ("meeting__board", VisibleRelatedFilter),
        ("board", VisibleRelatedFilter),
        "marking",
    ]
    list_select_related = ["board", "meeting__board", "author"]
    search_fields = ["title", "author_as_written", "board__name"]
    autocomplete_fields = ["board", "meeting", "author"]

    def visible(self, request):
        return permissions.visible_subgroup_reports(request.user)

    def choosable(self, request):
        return self.visible(request)


for model, model_admin in [
    (Meeting, MeetingAdmin),
    (StandingItem, StandingItemAdmin),
    (AgendaItem, AgendaItemAdmin),
    (Attendance, AttendanceAdmin),
    (MeetingAction, MeetingActionAdmin),
    (SubgroupReport, SubgroupReportAdmin),
]:
    admin.site.register(model, model_admin)
