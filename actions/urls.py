from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("", views.my_actions, name="my-actions"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/<slug:slug>/", views.plan_detail, name="plan-detail"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/update/", views.action_update, name="action-update"),
    path(
        "plans/<slug:slug>/indicators/<int:pk>/values/add/",
        views.indicator_value,
        name="indicator-value-add",
    ),
    path(
        "plans/<slug:slug>/indicators/<int:pk>/values/<int:value_pk>/",
        views.indicator_value,
        name="indicator-value-change",
    ),
    path(
        "plans/<slug:slug>/indicators/<int:pk>/target/",
        views.indicator_target,
        name="indicator-target",
    ),
]
