from django.urls import path

from rollover.views import compare

app_name = "rollover"

urlpatterns = [
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
