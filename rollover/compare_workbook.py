"""The comparison of two years as a workbook (.xlsx, written write-only): a summary of the
four kinds of action, the RAG status of each theme side by side, and a sheet listing the
actions of each kind. It holds what the reader's comparison page shows (rollover.compare),
states its highest protective marking at the head of every sheet and on every printed
page, and is recorded as downloaded (downloads.services)."""

import io
import re

from django.db.models import QuerySet
from openpyxl import Workbook

from actions import selectors
from actions.filters import theme_label
from actions.models import Action, Marking
from actions.rag import RAG
from downloads.models import Download
from downloads.services import download_record
from rollover.compare import KINDS, Comparison, counted
from workbooks.writing import SheetWriter

ACTION_COLUMNS = [
    ("Theme", 30),
    ("Ref", 8),
    ("Action", 60),
    ("RAG status", 12),
    ("End date", 14),
    ("Carried forward from", 40),
    ("Protective marking", 20),
]


def filename(comparison: Comparison) -> str:
    return f"{comparison.older.slug}-compared-with-{comparison.newer.slug}.xlsx"


def kind_actions(user, comparison: Comparison, kind: str) -> QuerySet[Action]:
    """A kind's actions, as its sheet lists them: in reading order, with their themes, the
    action each was carried from and its theme, and their effective marking."""
    actions = selectors.with_marking(counted(user, comparison.older, comparison.newer, kind))
    # The action carried from, for the carried alone: it is in the older plan and the reader
    # may see it. (An added action may be carried from one they may not see.)
    related = ["theme__parent", *(["carried_from__theme__parent"] if kind == "carried" else [])]
    return actions.select_related(*related).order_by(*selectors.reading_order())


def comparison_workbook(user, comparison: Comparison) -> bytes:
    """The workbook, recorded as downloaded by `user`: five queries to read the actions, one
    to count them for the record."""
    marking = Marking(comparison.marking)
    workbook = Workbook(write_only=True)
    title = f"{comparison.older.title} compared with {comparison.newer.title}"
    _summary(workbook, comparison, title, marking)
    _themes(workbook, comparison, marking)
    held = Action.objects.none()
    for slug, kind in KINDS.items():
        actions = kind_actions(user, comparison, slug)
        held = held | counted(user, comparison.older, comparison.newer, slug)
        _actions_sheet(workbook, kind.title, list(actions), marking, carried=slug == "carried")
    stream = io.BytesIO()
    workbook.save(stream)
    download_record(
        user=user,
        kind=Download.Kind.COMPARISON,
        actions=held,
        subject=title,
        plan_id=comparison.newer.pk,
        options={"older": comparison.older.slug, "newer": comparison.newer.slug},
        marking=marking.label,
    )
    return stream.getvalue()


def _sheet(workbook, title: str, widths: list[float], marking: Marking, header_row: int):
    sheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", title)[:31])
    out = SheetWriter(sheet)
    out.set_widths(widths)
    out.set_page(title=title, header_row=header_row, marking=marking)
    return out


def _marking_rows(out: SheetWriter, marking: Marking) -> list[list]:
    """A first row stating the marking, as the plan's workbook has one, for a marked one."""
    return [[out.cell(marking.label, "heading")]] if marking != Marking.OFFICIAL else []


def _finish(out: SheetWriter, rows: list[list], widths: list[float]) -> None:
    out.set_size(len(rows), max(len(row) for row in rows))
    out.fit_heights(rows, widths)
    out.write_rows(rows)


def _summary(workbook, comparison: Comparison, title: str, marking: Marking) -> None:
    widths = [22, 60, 12, 60]
    header_row = _offset(marking) + 4
    out = _sheet(workbook, "Summary", widths, marking, header_row)
    rows = [
        *_marking_rows(out, marking),
        [out.cell(title, "title")],
        [out.cell("Older plan", "heading"), out.cell(comparison.older.title, "plain")],
        [out.cell("Newer plan", "heading"), out.cell(comparison.newer.title, "plain")],
        [out.cell(name, "header") for name in ("Actions", "Plan", "Number", "What it means")],
    ]
    for item in comparison.kinds:
        kind = item["kind"]
        rows.append(
            [
                out.cell(kind.title),
                out.cell(item["plan"].title),
                out.cell(item["count"]),
                out.cell(kind.meaning),
            ]
        )
    _finish(out, rows, widths)


def _offset(marking: Marking) -> int:
    """How many rows the marking takes at the head of a sheet (`_marking_rows`)."""
    return 0 if marking == Marking.OFFICIAL else 1


def _themes(workbook, comparison: Comparison, marking: Marking) -> None:
    columns = [rag.label for rag in RAG] + ["Total"]
    widths = [40] + [10] * (2 * len(columns))
    header_row = _offset(marking) + 2
    out = _sheet(workbook, "RAG by theme", widths, marking, header_row)
    rows = [
        *_marking_rows(out, marking),
        [out.cell("", "header")]
        + [out.cell(comparison.older.title, "header")]
        + [None] * (len(columns) - 1)
        + [out.cell(comparison.newer.title, "header")]
        + [None] * (len(columns) - 1),
        [out.cell("Theme", "header")] + [out.cell(name, "header") for name in columns * 2],
    ]
    for row in comparison.themes:
        cells = [out.cell(row.label, "theme")]
        for side in (row.older, row.newer):
            if side.theme is None:
                cells += [out.cell("No such theme")] + [out.cell("")] * (len(columns) - 1)
            else:
                cells += [out.cell(side.counts[rag.value]) for rag in RAG]
                cells.append(out.cell(side.total, "heading"))
        rows.append(cells)
    _finish(out, rows, widths)


def _actions_sheet(
    workbook, title: str, actions: list[Action], marking: Marking, *, carried: bool
) -> None:
    widths = [width for _, width in ACTION_COLUMNS]
    header_row = _offset(marking) + 1
    out = _sheet(workbook, title, widths, marking, header_row)
    rows = [
        *_marking_rows(out, marking),
        [out.cell(name, "header") for name, _ in ACTION_COLUMNS],
    ]
    for action in actions:
        source = action.carried_from if carried else None
        came_from = f"{theme_label(source.theme)} {source.ref}: {source.text}" if source else ""
        rag = RAG(action.rag) if action.rag in RAG.values else RAG.NOT_RATED
        rows.append(
            [
                out.cell(theme_label(action.theme)),
                out.cell(action.ref),
                out.cell(action.text),
                out.cell(rag.label, f"rag:{rag}"),
                out.cell(action.end_date or action.end_text),
                out.cell(came_from),
                out.cell(Marking(action.effective_marking).label),
            ]
        )
    _finish(out, rows, widths)
