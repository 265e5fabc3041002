"""Exporting a plan as a workbook: the one path the plan's export page, the admin's export
page and the export_plan command all take; and the plan page's actions, as filtered, for
anyone who may see them. Each is recorded as downloaded (downloads.services)."""

import io
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from actions.models import Action, Marking, Plan
from actions.selectors import official_condition
from downloads.models import Download
from downloads.services import download_record
from workbooks.layouts import write_workbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Export:
    plan: Plan
    layout: str
    content: bytes
    filtered: bool = False  # some of the plan's actions, as its page showed them
    # The highest protective marking of what it holds, which the workbook states (for a log
    # of downloads too).
    marking: Marking = Marking.OFFICIAL

    @property
    def filename(self) -> str:
        part = "-filtered" if self.filtered else ""
        return f"{self.plan.slug}-{self.layout}{part}.xlsx"


def plan_export(
    plan: Plan, layout: str | None = None, *, user=None, leave_out_marked=False
) -> Export:
    """The plan as an .xlsx workbook in `layout` (by default the plan's own); with
    `leave_out_marked`, without its OFFICIAL-SENSITIVE items, at OFFICIAL. Recorded as
    downloaded by `user` (by default the user of the request or command)."""
    layout = layout or plan.layout
    stream = io.BytesIO()
    marking = write_workbook(plan, layout, stream, leave_out_marked=leave_out_marked)
    options = {"layout": layout} | ({"leave_out_marked": True} if leave_out_marked else {})
    held = Action.objects.filter(theme__plan=plan)
    if leave_out_marked:
        held = held.filter(official_condition())
    _record(user, Download.Kind.WORKBOOK, plan, held, options, marking)
    return Export(plan=plan, layout=layout, content=stream.getvalue(), marking=marking)


def filtered_export(
    plan: Plan, actions: QuerySet[Action], *, user=None, filters: dict | None = None
) -> Export:
    """The `actions` of the plan that its page shows with the user's filters (already
    limited to what the user may see), in the plan's own layout, under their themes;
    recorded as downloaded by `user` with `filters` (the page's query, as lists)."""
    stream = io.BytesIO()
    marking = write_workbook(plan, plan.layout, stream, actions)
    _record(user, Download.Kind.FILTERED_WORKBOOK, plan, actions, filters or {}, marking)
    return Export(
        plan=plan,
        layout=plan.layout,
        content=stream.getvalue(),
        filtered=True,
        marking=marking,
    )


def _record(
    user, kind: str, plan: Plan, actions: QuerySet[Action], options: dict, marking: Marking
) -> None:
    download_record(
        user=user,
        kind=kind,
        actions=actions,
        marking=marking.label,
        subject=plan.title,
        plan_id=plan.pk,
        options=options,
    )


def download(export: Export) -> HttpResponse:
    """The workbook as a file to save."""
    disposition = content_disposition_header(as_attachment=True, filename=export.filename)
    return HttpResponse(
        export.content,
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": disposition},
    )
