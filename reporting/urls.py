from django.urls import path

from reporting.views import dashboards, meeting

app_name = "reporting"

urlpatterns = [
    path("plans/<slug:slug>/dashboard/", dashboards.plan_dashboard, name="plan-dashboard"),
    path("plans/<slug:slug>/since/", meeting.plan_since, name="plan-since"),
    path("plans/<slug:slug>/indicators/", meeting.plan_indicators, name="plan-indicators"),
    path("plans/<slug:slug>/pack/", meeting.plan_pack, name="plan-pack"),
    path("plans/<slug:slug>/pack.docx", meeting.plan_pack_docx, name="plan-pack-docx"),
    path("boards/", dashboards.board_list, name="board-list"),
    path("boards/<int:pk>/", dashboards.board_dashboard, name="board-dashboard"),
    path("boards/<int:pk>/since/", meeting.board_since, name="board-since"),
    path("boards/<int:pk>/pack/", meeting.board_pack, name="board-pack"),
    path("boards/<int:pk>/pack.docx", meeting.board_pack_docx, name="board-pack-docx"),
]
