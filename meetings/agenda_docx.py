"""A meeting's agenda as a Word document (.docx), in the layout of the board's own (seed 004,
lines 1-40): the board's name as the heading, the date and time and the venue, then the
agenda as a table of number, item, presenter, time and pages, sub-items ("14(a)") in their
place, an item marked OFFICIAL-SENSITIVE headed RESTRICTED as the board writes it.

The page, its numbering and the marking at the head and foot of each page are the plans'
pack's (reporting.pack_docx), and the table is laid out by the same code, from the same
agenda table the meeting's pack shows (meetings.pack.agenda_table).
"""

import io

from docx import Document
from docx.shared import Pt

from actions.models import Marking
from cspplan.display import show_date
from meetings.models import Meeting
from meetings.pack import AgendaLine, agenda_table, meeting_when
from reporting.pack_docx import NOT_IN_XML, mark_pages, page_numbers, page_setup, word_table


def agenda_docx(meeting: Meeting, lines: list[AgendaLine], *, marking: str) -> bytes:
    """The agenda of `lines` (what the reader may see of it); `marking`, the highest
    marking among them, is stated at the head and foot of every page when above OFFICIAL."""
    document = Document()
    section = document.sections[0]
    page_setup(section, landscape=False)
    document.styles["Normal"].font.size = Pt(10)
    document.core_properties.title = f"{meeting.board.name}: agenda, {show_date(meeting.date)}"
    page_numbers(section)
    if marking == Marking.OFFICIAL_SENSITIVE:
        mark_pages(section, Marking.OFFICIAL_SENSITIVE.label)

    document.add_heading(NOT_IN_XML.sub(" ", meeting.board.name), level=0)
    facts = [("Date and Time", meeting_when(meeting)), ("Venue", meeting.venue or "Not set")]
    if meeting.chair_id:
        facts.append(("Chair", meeting.chair.name))
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(NOT_IN_XML.sub(" ", value))
    document.add_heading("AGENDA", level=1)
    if lines:
        word_table(
            document, agenda_table(lines, f"Agenda of the meeting on {show_date(meeting.date)}")
        )
    else:
        document.add_paragraph("The agenda has no items yet.")

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
