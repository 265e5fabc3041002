from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("<slug:slug>/export/", views.plan_export, name="plan-export"),
    path("<slug:slug>/import/", views.plan_import_upload, name="plan-import"),
    path("<slug:slug>/import/confirm/", views.plan_import_confirm, name="plan-import-confirm"),
]
