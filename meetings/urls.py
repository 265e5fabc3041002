from django.urls import path

from meetings import converters  # noqa: F401 (registers the "day" converter)
from meetings.views import meetings as views

app_name = "meetings"


BOARD = "boards/<int:pk>/meetings/"
MEETING = BOARD + "<day:day>/"

urlpatterns = [
    path(BOARD, views.board_meetings, name="board-meetings"),
    path(BOARD + "add/", views.meeting_add, name="meeting-add"),
    path(BOARD + "actions/", views.action_log, name="action-log"),
    path(BOARD + "standing-items/", views.standing_items, name="standing-items"),
    path(
        BOARD + "standing-items/<int:item_pk>/",
        views.standing_item_edit,
        name="standing-item-edit",
    ),
    path(
        BOARD + "standing-items/<int:item_pk>/remove/",
        views.standing_item_remove,
        name="standing-item-remove",
    ),
    path(MEETING, views.meeting_detail, name="meeting"),
    path(MEETING + "agenda/", views.agenda_print, name="agenda-print"),
    path(MEETING + "set-up/", views.meeting_set_up, name="meeting-set-up"),
    path(MEETING + "edit/", views.meeting_edit, name="meeting-edit"),
    path(MEETING + "attendance/", views.attendance, name="attendance"),
    path(MEETING + "attendance/people/", views.attendance_people, name="attendance-people"),
    path(MEETING + "items/add/", views.item_add, name="item-add"),
    path(MEETING + "items/<int:item_pk>/", views.item_edit, name="item-edit"),
    path(MEETING + "items/<int:item_pk>/remove/", views.item_remove, name="item-remove"),
    path(MEETING + "items/<int:item_pk>/move/", views.item_move, name="item-move"),
    path(MEETING + "items/<int:item_pk>/minutes/", views.item_minutes, name="item-minutes"),
    path(MEETING + "actions/add/", views.action_add, name="action-add"),
    path(MEETING + "remove/", views.meeting_remove, name="meeting-remove"),
    path(MEETING + "actions/<int:action_pk>/", views.action_edit, name="action-edit"),
    path(MEETING + "actions/<int:action_pk>/remove/", views.action_remove, name="action-remove"),
    path(MEETING + "actions/<int:action_pk>/status/", views.action_status, name="action-status"),
]
