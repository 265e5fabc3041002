"""A board meeting's pre-meeting pack (a printable page and a Word document) and its agenda
as a Word document. A meeting the user may not see is not found; what the pack holds is what
they may see (meetings.pack), and each one taken is recorded (downloads), with the marking
it states."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from actions import selectors as action_selectors
from actions.models import Action, Marking
from cspplan import clock
from downloads.models import Download
from downloads.services import download_record
from meetings import permissions
from meetings.agenda_docx import agenda_docx
from meetings.pack import agenda_lines, build_meeting_pack, meeting_items
from meetings.reports import meeting_for
from reporting.pack_docx import CONTENT_TYPE, pack_docx

LEAVE_OUT = "leave_out_marked"


def _leaves_out_marked(request) -> bool:
    return request.GET.get(LEAVE_OUT) == "on"


def _urls(meeting, leave_out: bool) -> dict:
    args = [meeting.board_id, meeting.date.isoformat()]
    query = f"?{urlencode({LEAVE_OUT: 'on'})}" if leave_out else ""
    return {
        "docx_url": reverse("meetingpack:pack-docx", args=args) + query,
        "agenda_url": reverse("meetingpack:agenda-docx", args=args) + query,
        "since_url": reverse("reporting:board-since", args=[meeting.board_id]),
    }


def _record(request, meeting, kind, actions, marking, options) -> None:
    download_record(
        user=request.user,
        kind=kind,
        actions=actions,
        marking=Marking(marking).label,
        subject=str(meeting),
        board_id=meeting.board_id,
        options={"meeting": meeting.date.isoformat()} | options,
    )


@require_safe
@login_required
def meeting_pack(request, pk, day):
    meeting = meeting_for(request.user, pk, day)
    leave_out = _leaves_out_marked(request)
    built = build_meeting_pack(
        request.user, meeting, today=clock.today(), leave_out_marked=leave_out
    )
    options = {LEAVE_OUT: "on"} if leave_out else {}
    _record(request, meeting, Download.Kind.PACK_PAGE, built.actions, built.pack.marking, options)
    # Those who may write a subgroup's report are shown where to write the missing ones.
    writable = set(
        permissions.report_writable_subgroups(request.user, meeting.board).values_list(
            "pk", flat=True
        )
    )
    writable = [board for board in built.not_reported if board.pk in writable]
    context = {
        "built": built,
        "pack": built.pack,
        "meeting": meeting,
        "page_marking": built.pack.marking,
        "leave_out_marked": leave_out,
        "writable": writable,
        "home_url": reverse("reporting:board-dashboard", args=[meeting.board_id]),
    } | _urls(meeting, leave_out)
    if built.previous:
        context["since_url"] += f"?since={built.since.isoformat()}"
    return render(request, "meetings/pack.html", context)


@require_safe
@login_required
def meeting_pack_docx(request, pk, day):
    meeting = meeting_for(request.user, pk, day)
    leave_out = _leaves_out_marked(request)
    today = clock.today()
    built = build_meeting_pack(request.user, meeting, today=today, leave_out_marked=leave_out)
    options = {LEAVE_OUT: "on"} if leave_out else {}
    _record(
        request, meeting, Download.Kind.PACK_DOCUMENT, built.actions, built.pack.marking, options
    )
    response = HttpResponse(pack_docx(built.pack), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{meeting.board.slug}-meeting-{meeting.date.isoformat()}-pack.docx"'
    )
    return response


@require_safe
@login_required
def meeting_agenda_docx(request, pk, day):
    meeting = meeting_for(request.user, pk, day)
    leave_out = _leaves_out_marked(request)
    items = meeting_items(request.user, meeting, official_only=leave_out)
    marking = action_selectors.highest(item.marking for item in items)
    # Recorded as a pack document (downloads has no kind of its own for an agenda), told
    # apart by its options; it holds no plan actions.
    options = {"document": "agenda"} | ({LEAVE_OUT: "on"} if leave_out else {})
    _record(request, meeting, Download.Kind.PACK_DOCUMENT, Action.objects.none(), marking, options)
    document = agenda_docx(meeting, agenda_lines(meeting, items), marking=marking)
    response = HttpResponse(document, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{meeting.board.slug}-agenda-{meeting.date.isoformat()}.docx"'
    )
    return response
