"""The admin pages of partnerships, organisations, people, boards and memberships: what
they list, filter and search, and the services that write each model.

They are registered by actions.admin, with what each user may see and change there from
actions.permissions (which this app, below actions, cannot import).
"""

from django.contrib import admin
from django.db.models import Count

from boards import services
from boards.models import Board, Membership
from cspplan.admin import ScopedAdmin, ScopedInline, Services, VisibleRelatedFilter

PARTNERSHIP_SERVICES = Services.named(services, "partnership")
ORGANISATION_SERVICES = Services.named(services, "organisation")
PERSON_SERVICES = Services.named(services, "person")
BOARD_SERVICES = Services.named(services, "board")
MEMBERSHIP_SERVICES = Services.named(services, "membership")


class PartnershipAdmin(ScopedAdmin):
    services = PARTNERSHIP_SERVICES
    list_display = ["name", "short_name", "slug"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}


class OrganisationAdmin(ScopedAdmin):
    services = ORGANISATION_SERVICES
    list_display = ["name", "short_name", "kind"]
    list_filter = [("partnerships", VisibleRelatedFilter), "kind"]
    search_fields = ["name", "short_name", "aliases"]
    # A shared body (the MPS) is linked to each partnership it works with: imports into a
    # partnership's plans name only its own organisations.
    filter_horizontal = ["partnerships"]


class PersonAdmin(ScopedAdmin):
    services = PERSON_SERVICES
    list_display = ["name", "post_title", "organisation", "email", "user", "role"]
    list_filter = [
        ("boards__partnership", VisibleRelatedFilter),
        "role",
        ("organisation", VisibleRelatedFilter),
    ]
    list_select_related = ["organisation", "user"]
    search_fields = ["name", "post_title", "email", "organisation__name"]
    autocomplete_fields = ["organisation", "user"]
    filter_horizontal = ["partnerships"]

    # The form's `user` is the person's account, which the services take as `account`
    # (their `user` is who makes the change).
    def write_create(self, request, values: dict):
        return super().write_create(request, _account_renamed(values))

    def write_edit(self, request, obj, values: dict) -> None:
        super().write_edit(request, obj, _account_renamed(values))


def _account_renamed(values: dict) -> dict:
    if "user" not in values:
        return values
    values = dict(values)
    values["account"] = values.pop("user")
    return values


class MembershipInline(ScopedInline, admin.TabularInline):
    services = MEMBERSHIP_SERVICES
    model = Membership
    extra = 0
    autocomplete_fields = ["person"]


class BoardAdmin(ScopedAdmin):
    services = BOARD_SERVICES
    list_display = ["name", "partnership", "kind", "parent", "member_count"]
    list_filter = [
        ("partnership", VisibleRelatedFilter),
        "kind",
        ("parent", VisibleRelatedFilter),
    ]
    list_select_related = ["partnership", "parent"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]
    # The model's ordering, stated again: Django drops it from a query with a count in it,
    # and the autocomplete pages through the list unordered otherwise.
    ordering = Board._meta.ordering

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(ordering="member_count", description="members")
    def member_count(self, board):
        return board.member_count


class MembershipAdmin(ScopedAdmin):
    services = MEMBERSHIP_SERVICES
    list_display = ["person", "role", "interim", "board", "partnership"]
    list_filter = [
        ("board__partnership", VisibleRelatedFilter),
        "role",
        "interim",
        ("board", VisibleRelatedFilter),
    ]
    list_select_related = ["person", "board__partnership"]
    search_fields = ["person__name", "board__name"]
    autocomplete_fields = ["person", "board"]

    @admin.display(ordering="board__partnership__name")
    def partnership(self, membership):
        return membership.board.partnership
