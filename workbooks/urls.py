from django.urls import path

from workbooks import views

app_name = "workbooks"

urlpatterns = [
    path("plans/<slug:slug>/export/", views.plan_export, name="plan-export"),
    path("plans/<slug:slug>/download.xlsx", views.plan_download, name="plan-download"),
    path("plans/<slug:slug>/import/", views.plan_import_upload, name="plan-import"),
    path(
        "plans/<slug:slug>/import/confirm/", views.plan_import_confirm, name="plan-import-confirm"
    ),
    path("plans/<slug:slug>/import/cancel/", views.plan_import_cancel, name="plan-import-cancel"),
    path("plans/<slug:slug>/import/rows.csv", views.plan_import_rows, name="plan-import-rows"),
]
