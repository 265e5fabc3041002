from django.urls import path

from rollover.views import compare, rollover

app_name = "rollover"

urlpatterns = [
    path("plans/<slug:slug>/rollover/", rollover.rollover_start, name="start"),
    path("plans/<slug:slug>/rollover/<int:pk>/", rollover.rollover_detail, name="detail"),
    path(
        "plans/<slug:slug>/rollover/<int:pk>/activate/",
        rollover.rollover_activate,
        name="activate",
    ),
    path("plans/<slug:slug>/rollover/<int:pk>/undo/", rollover.rollover_undo, name="undo"),
    path("plans/<slug:slug>/compare/<slug:other_slug>/", compare.compare, name="compare"),
    path(
        "plans/<slug:slug>/compare/<slug:other_slug>/workbook.xlsx",
        compare.compare_download,
        name="compare-download",
    ),
    path(
        "plans/<slug:slug>/compare/<slug:other_slug>/<slug:kind>/",
        compare.compare_actions,
        name="compare-actions",
    ),
]
