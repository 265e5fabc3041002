from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from boards.models import Board, Membership, Organisation, Partnership, Person


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "slug"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "aliases"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "post_title", "organisation", "email", "user", "role"]
    list_filter = [
        ("boards__partnership", admin.RelatedOnlyFieldListFilter),
        "role",
        "organisation",
    ]
    list_select_related = ["organisation", "user"]
    search_fields = ["name", "post_title", "email", "organisation__name"]
    autocomplete_fields = ["organisation", "user"]
    filter_horizontal = ["partnerships"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Board)
class BoardAdmin(SimpleHistoryAdmin):
    list_display = ["name", "partnership", "kind", "parent", "member_count"]
    list_filter = ["partnership", "kind", ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["partnership", "parent"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(ordering="member_count", description="members")
    def member_count(self, board):
        return board.member_count


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "role", "board", "partnership"]
    list_filter = ["board__partnership", "role", "board"]
    list_select_related = ["person", "board__partnership"]
    search_fields = ["person__name", "board__name"]
    autocomplete_fields = ["person", "board"]

    @admin.display(ordering="board__partnership__name")
    def partnership(self, membership):
        return membership.board.partnership
