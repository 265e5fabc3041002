from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "cspplan administration"
admin.site.site_title = "cspplan"
admin.site.index_title = "Partnerships, boards and plans"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Sign in, sign out and password reset: Django's views with our templates
    # (templates/registration/).
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("actions.urls")),
]
