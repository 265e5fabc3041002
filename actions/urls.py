from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("", views.my_actions, name="my-actions"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/<slug:slug>/", views.plan_detail, name="plan-detail"),
    path("plans/<slug:slug>/export/", views.plan_export, name="plan-export"),
    path("plans/<slug:slug>/import/", views.plan_import_upload, name="plan-import"),
    path(
        "plans/<slug:slug>/import/confirm/", views.plan_import_confirm, name="plan-import-confirm"
    ),
    path("plans/<slug:slug>/dashboard/", views.plan_dashboard, name="plan-dashboard"),
    path("plans/<slug:slug>/since/", views.plan_since, name="plan-since"),
    path("plans/<slug:slug>/indicators/", views.plan_indicators, name="plan-indicators"),
    path("plans/<slug:slug>/pack/", views.plan_pack, name="plan-pack"),
    path("plans/<slug:slug>/pack.docx", views.plan_pack_docx, name="plan-pack-docx"),
    path("boards/", views.board_list, name="board-list"),
    path("boards/<int:pk>/", views.board_dashboard, name="board-dashboard"),
    path("boards/<int:pk>/since/", views.board_since, name="board-since"),
    path("boards/<int:pk>/pack/", views.board_pack, name="board-pack"),
    path("boards/<int:pk>/pack.docx", views.board_pack_docx, name="board-pack-docx"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/update/", views.action_update, name="action-update"),
]
