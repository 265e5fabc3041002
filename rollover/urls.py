from django.urls import path

from rollover import views

app_name = "rollover"

urlpatterns = [
    # ---- the roll-over (helper `rollover`) ----
    path("plans/<slug:slug>/rollover/", views.rollover_start, name="start"),
    path("plans/<slug:slug>/rollover/<int:pk>/", views.rollover_detail, name="detail"),
    path(
        "plans/<slug:slug>/rollover/<int:pk>/activate/",
        views.rollover_activate,
        name="activate",
    ),
    path("plans/<slug:slug>/rollover/<int:pk>/undo/", views.rollover_undo, name="undo"),
    # ---- end of the roll-over ----
]
