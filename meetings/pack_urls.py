"""A board meeting's pack, agenda document and subgroup update reports. The meeting is known
by its board and date (2021-12-08); a date that is not one is not found (meetings.reports).
Its own namespace: meetings/urls.py holds the meetings pages."""

from django.urls import path

from meetings import converters  # noqa: F401 (registers the "day" converter)
from meetings.views import pack, reports

app_name = "meetingpack"

MEETING = "boards/<int:pk>/meetings/<day:day>/"

urlpatterns = [
    path(f"{MEETING}pack/", pack.meeting_pack, name="pack"),
    path(f"{MEETING}pack.docx", pack.meeting_pack_docx, name="pack-docx"),
    path(f"{MEETING}agenda.docx", pack.meeting_agenda_docx, name="agenda-docx"),
    path(
        f"{MEETING}reports/<int:subgroup_pk>/",
        reports.subgroup_report,
        name="report",
    ),
]
