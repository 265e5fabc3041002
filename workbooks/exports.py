"""Exporting a plan as a workbook: the one path the plan's export page, the admin's export
page and the export_plan command all take."""

import io
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from actions.models import Plan
from workbooks.layouts import write_workbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Export:
    plan: Plan
    layout: str
    content: bytes

    @property
    def filename(self) -> str:
        return f"{self.plan.slug}-{self.layout}.xlsx"


def plan_export(plan: Plan, layout: str | None = None) -> Export:
    """The plan as an .xlsx workbook in `layout` (by default the plan's own)."""
    layout = layout or plan.layout
    stream = io.BytesIO()
    write_workbook(plan, layout, stream)
    return Export(plan=plan, layout=layout, content=stream.getvalue())


def download(export: Export) -> HttpResponse:
    """The workbook as a file to save."""
    disposition = content_disposition_header(as_attachment=True, filename=export.filename)
    return HttpResponse(
        export.content,
        content_type=XLSX_CONTENT_TYPE,
        headers={"Content-Disposition": disposition},
    )
