"""A subgroup's update report for a board meeting: written and changed by those who may
(`permissions.can_write_subgroup_report`), read by others who may see it, a 404 for
everyone else (a marked report follows `permissions.visible_subgroup_reports`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from actions.models import Marking
from meetings import permissions, reports, services
from meetings.report_form import SubgroupReportForm


def report_url(meeting, subgroup) -> str:
    return reverse(
        "meetingpack:report", args=[meeting.board_id, meeting.date.isoformat(), subgroup.pk]
    )


def pack_url(meeting) -> str:
    return reverse("meetingpack:pack", args=[meeting.board_id, meeting.date.isoformat()])


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def subgroup_report(request, pk, day, subgroup_pk):
    meeting, subgroup = reports.report_place(request.user, pk, day, subgroup_pk)
    report = reports.report_for(request.user, meeting, subgroup)
    may_write = permissions.can_write_subgroup_report(request.user, subgroup)
    if report is None and reports.report_exists(meeting, subgroup):
        # Marked beyond what the user may see: it does not exist for them, and they may not
        # overwrite what they cannot read.
        raise Http404("No such report.")
    if not may_write:
        if report is None:
            raise Http404("No such report.")
        if request.method == "POST":
            raise PermissionDenied
        return _page(request, meeting, subgroup, report, form=None)
    form = SubgroupReportForm(request.POST if request.method == "POST" else None, report=report)
    if request.method != "POST" or not form.is_valid():
        return _page(request, meeting, subgroup, report, form=form)
    try:
        services.subgroup_report_save(
            meeting=meeting, subgroup=subgroup, user=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, meeting, subgroup, report, form=form)
    messages.success(request, f"The {subgroup.name} update report is saved.")
    # To the meeting's pack, which lists it, for those who may see the board's meetings.
    if permissions.visible_meetings(request.user).filter(pk=meeting.pk).exists():
        return redirect(pack_url(meeting))
    return redirect(report_url(meeting, subgroup))


def _page(request, meeting, subgroup, report, *, form):
    marking = report.marking if report is not None else Marking.OFFICIAL
    context = {
        "meeting": meeting,
        "subgroup": subgroup,
        "report": report,
        "form": form,
        "headings": [
            (label, getattr(report, name) if report else "") for name, label in reports.HEADINGS
        ],
        # The pack, for those who may see the board's meetings.
        "pack_url": pack_url(meeting)
        if permissions.visible_meetings(request.user).filter(pk=meeting.pk).exists()
        else "",
        "page_marking": marking,
    }
    return render(request, "meetings/report.html", context)
