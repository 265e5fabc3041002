"""The one RAG status scale used by actions, progress updates and indicators."""

from django.db import models
from django.utils.html import format_html


class RAG(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"
    NOT_RATED = "not_rated", "Not rated"

    @property
    def meaning(self) -> str:
        return MEANINGS[self]


# What each status means, shown beside the status wherever people choose or read one.
MEANINGS = {
    RAG.RED: "Off track: the action will not be delivered as planned without help.",
    RAG.AMBER: "At risk: there are problems, but the lead expects to recover them.",
    RAG.GREEN: "On track: being delivered as planned.",
    RAG.COMPLETE: "Complete: the action has been delivered.",
    RAG.NOT_RATED: "Not rated: no status has been given yet.",
}

# Background and text colours; Complete is blue by partnership convention. The pairs meet
# WCAG AA contrast for normal text.
COLOURS = {
    RAG.RED: ("#d4351c", "#ffffff"),
    RAG.AMBER: ("#ffdd00", "#0b0c0c"),
    RAG.GREEN: ("#00703c", "#ffffff"),
    RAG.COMPLETE: ("#1d70b8", "#ffffff"),
    RAG.NOT_RATED: ("#b1b4b6", "#0b0c0c"),
}


def rag_label(value: str):
    """The status as a coloured label that carries its word (never colour alone), for the
    admin's lists. The colours are COLOURS, in static/css/admin-lists.css as classes: the
    Content-Security-Policy allows no style attribute."""
    rag = RAG(value) if value in RAG.values else RAG.NOT_RATED
    return format_html(
        '<span title="{}" class="admin-rag admin-rag--{}">{}</span>',
        rag.meaning,
        rag.value.replace("_", "-"),
        rag.label,
    )
