"""The admin site, entered by administrators only (actions.permissions.may_use_admin).

Django lets in any active staff user and leaves the rest to its model permissions; here the
role decides, as on every other page. A signed-out visitor is sent to the site's sign-in
page (settings.LOGIN_URL: one sign-in page for the whole site, so one set of checks on
signing in) and brought back. Anyone signed in who may not use the admin is answered
404 on every admin page, its sign-in page included: for them there is no admin, as there
is no page about something they may not see.
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from actions.permissions import may_use_admin


class PartnershipAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        return may_use_admin(request.user)

    def admin_view(self, view, cacheable=False):
        django_checks = super().admin_view(view, cacheable)

        def inner(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise Http404
            return django_checks(request, *args, **kwargs)

        return update_wrapper(inner, django_checks)

    def login(self, request, extra_context=None):
        """Not a second sign-in form: the site's own, then back to where the visitor was
        going in the admin."""
        index = reverse("admin:index", current_app=self.name)
        wanted = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            wanted = index
        if not request.user.is_authenticated:
            return redirect_to_login(wanted or index)
        if not self.has_permission(request):
            raise Http404
        return HttpResponseRedirect(wanted or index)
