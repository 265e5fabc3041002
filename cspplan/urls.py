from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

admin.site.site_header = "cspplan administration"
admin.site.site_title = "cspplan"
# No sidebar of every model beside each admin page: it took a quarter of a 1280 px screen
# from the lists, whose columns then ran out of view. The home page and breadcrumbs lead
# to every model.
admin.site.enable_nav_sidebar = False
admin.site.index_title = "Partnerships, boards and plans"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The accessibility statement: public, linked from every page's footer (base.html).
    path(
        "accessibility/",
        TemplateView.as_view(
            template_name="accessibility.html",
            extra_context={
                "operator": settings.SERVICE_OPERATOR,
                "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            },
        ),
        name="accessibility",
    ),
    # Sign in, sign out and password reset: Django's views with our templates
    # (templates/registration/). Changing a password has its own templates
    # (templates/accounts/), because the admin's page of the same name reads
    # registration/password_change_form.html and should keep the admin's look.
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(template_name="accounts/password_change_form.html"),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    # Password reset with limits on how often it sends, before Django's own view of the same
    # name; and the second factor's pages (accounts/).
    path("accounts/", include("accounts.password_urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("actions.urls")),
    path("", include("workbooks.urls")),
    path("", include("reporting.urls")),
    path("", include("rollover.urls")),
    path("", include("meetings.urls")),
    path("", include("meetings.pack_urls")),
    path("", include("audit.urls")),
]
