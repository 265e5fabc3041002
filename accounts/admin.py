"""The second factor in the admin: administrators see who has an authenticator app and
recovery codes, and can remove them (someone who lost their phone then sets up anew at
their next sign-in), but cannot add one or see its key: a second factor is set up by its
owner. Every change is listed under Second factor changes."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecondFactorEvent

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class RemoveOnlyAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TOTPDevice)
class AuthenticatorAppAdmin(RemoveOnlyAdmin):
    pass


@admin.register(StaticDevice)
class RecoveryCodesAdmin(RemoveOnlyAdmin):
    pass


@admin.register(SecondFactorEvent)
class SecondFactorEventAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "what", "by_username"]
    list_filter = ["what", "at"]
    search_fields = ["username", "by_username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
