"""The pages that take the VRU's new template into a Draft plan (rollover.views.template)."""

from django.urls import path

from rollover.views import template

app_name = "template"

urlpatterns = [
    path("plans/<slug:slug>/template/", template.template_upload, name="upload"),
    path("plans/<slug:slug>/template/confirm/", template.template_confirm, name="confirm"),
    path("plans/<slug:slug>/template/cancel/", template.template_cancel, name="cancel"),
]
