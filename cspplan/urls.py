from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "cspplan administration"
admin.site.site_title = "cspplan"
admin.site.index_title = "Partnerships, boards and plans"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("plans/", include("actions.urls")),
    # Until the officers' pages exist, the administration is the way in.
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
