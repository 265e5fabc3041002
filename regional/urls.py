from django.urls import path

from regional import views

app_name = "regional"

urlpatterns = [
    path("vru/", views.vru_view_page, name="vru-view"),
    path("vru/actions/", views.vru_actions_page, name="vru-actions"),
    path("vru/export.xlsx", views.vru_export, name="vru-export"),
]
