"""The pack's page and .docx state the highest protective marking of what they hold, at the
head and foot of every page, and can be produced without the marked items, at OFFICIAL with
no marking (issue 12, finding 6)."""

import io

import docx
from django.urls import reverse

from tests.factories import ProgressUpdateFactory
from tests.helpers import get

SECRET = "Protectively marked operation"  # bx2, the world's marked action
MARKING = "OFFICIAL-SENSITIVE"
BANNER = "OFFICIAL-SENSITIVE: this page contains sensitive information"


def pack_urls(world) -> list[tuple[str, str]]:
    return [
        (
            reverse("reporting:plan-pack", args=[world.plan.slug]),
            reverse("reporting:plan-pack-docx", args=[world.plan.slug]),
        ),
        (
            reverse("reporting:board-pack", args=[world.board.pk]),
            reverse("reporting:board-pack-docx", args=[world.board.pk]),
        ),
    ]


def document_of(response) -> docx.Document:
    return docx.Document(io.BytesIO(response.content))


def header_and_footer(document) -> list[tuple[str, str]]:
    """Each section's header and footer text, following a section linked to the one before
    as Word does."""
    texts = []
    for section in document.sections:
        header = "\n".join(p.text for p in section.header.paragraphs)
        footer = "\n".join(p.text for p in section.footer.paragraphs)
        if section.header.is_linked_to_previous and texts:
            header = texts[-1][0]
        if section.footer.is_linked_to_previous and texts:
            footer = texts[-1][1]
        texts.append((header, footer))
    return texts


def words(document) -> str:
    paragraphs = " ".join(p.text for p in document.paragraphs)
    cells = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    return f"{paragraphs} {cells}"


def test_a_pack_holding_a_marked_action_says_so_on_every_page(client, world):
    for page, document_url in pack_urls(world):
        query = {"contents": "everything"}
        html = get(client, world.chair, page, query).content.decode()
        assert SECRET in html and BANNER in html and "app-marked" in html
        assert f'{SECRET} <strong class="govuk-tag govuk-tag--orange' in html.replace(
            '</span><span class="app-pre-line"> </span>', " "
        )
        document = document_of(get(client, world.chair, document_url, query))
        assert f"{SECRET} {MARKING}" in words(document)
        sections = header_and_footer(document)
        assert len(sections) == 2  # portrait, then landscape for the wide tables
        for header, footer in sections:
            assert header == MARKING
            assert footer.startswith(MARKING) and "Page" in footer


def test_the_pack_can_be_produced_without_the_marked_items_at_official(client, world):
    ProgressUpdateFactory(action=world.a1, text="Informant says", marking="official-sensitive")
    for page, document_url in pack_urls(world):
        query = {"contents": "everything", "leave_out_marked": "on"}
        response = get(client, world.chair, page, query)
        html = response.content.decode()
        assert SECRET not in html and BANNER not in html and "Informant says" not in html
        assert "app-marked" not in html
        # The Word link keeps the choice.
        assert "leave_out_marked=on" in response.context["docx_url"]
        document = document_of(get(client, world.chair, document_url, query))
        assert SECRET not in words(document)
        for header, footer in header_and_footer(document):
            assert MARKING not in header and MARKING not in footer


def test_a_pack_for_a_reader_who_may_not_see_the_marked_items_is_unmarked(client, world):
    for page, document_url in pack_urls(world):
        html = get(client, world.officer, page).content.decode()
        assert BANNER not in html
        document = document_of(get(client, world.officer, document_url))
        for header, footer in header_and_footer(document):
            assert MARKING not in header and MARKING not in footer
