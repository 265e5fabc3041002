"""Exported workbooks as people print them: each seed plan's export printed to PDF by
LibreOffice Calc, its pages counted and read.

Every sheet prints landscape on A4, fitted to the page's width (every column on every page),
with the header row repeated at the top of each page and the plan's title in the page
header; wrapped rows are tall enough for their text (no line of one cell runs into the next
row's, as they did when rows were left one line tall and LibreOffice does not fit them).
"""

import io
from collections import defaultdict
from itertools import pairwise

import pytest
from pypdf import PdfReader

from actions.models import Plan
from tests.libreoffice import print_to_pdf
from workbooks.exports import plan_export
from workbooks.layouts import layout_named

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]

# Printed pages of the B&D VRU plan's export: 16 portrait pages before page setup, with
# columns split across pages and rows one line tall.
DEMO_PLAN_MOST_PAGES = 7
A4_LANDSCAPE = (842, 595)  # points


def words(text: str) -> str:
    return " ".join(text.split())


def text_lines(page) -> list[tuple[float, float, float, str]]:
    """Each piece of text on the page: its left edge, baseline, size (points) and words."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((round(x, 1), y, size * (abs(tm[3] * cm[3]) or 1), text))

    page.extract_text(visitor_text=visit)
    return found


def overlapping_lines(page) -> list:
    """Lines starting at the same left edge (one column) closer than a line's height: the
    text of a row too short for it, running into the row below."""
    by_edge = defaultdict(list)
    for x, y, size, text in text_lines(page):
        by_edge[x].append((y, size, text))
    found = []
    for lines in by_edge.values():
        lines.sort()
        for (y1, size1, text1), (y2, size2, text2) in pairwise(lines):
            if 0 < y2 - y1 < 0.8 * min(size1, size2):
                found.append((text1, text2))
    return found


@pytest.mark.parametrize("slug", ["bd-vru-2021-22", "havering-sgv-2019-22", "havering-csp-2017-20"])
def test_each_layouts_export_prints_on_landscape_a4_fitted_to_the_width(slug, tmp_path):
    plan = Plan.objects.get(slug=slug)
    export = plan_export(plan)
    pdf = PdfReader(io.BytesIO(print_to_pdf(export.content, "xlsx", tmp_path)))
    headers = [c.header for c in layout_named(export.layout).columns if not c.hidden]

    for number, page in enumerate(pdf.pages, start=1):
        size = tuple(round(float(side)) for side in page.mediabox[2:])
        text = words(page.extract_text())
        assert size == A4_LANDSCAPE, f"page {number}"
        assert words(plan.title) in text, f"page {number}"  # in the page header
        if words(f"{plan.title}: performance measures") in text:
            continue  # the CSP layout's measures sheet, its own columns (as the test below)
        # Every column on every page, under the repeated header row.
        missing = [header for header in headers if words(header) not in text]
        assert missing == [], f"page {number} lacks {missing}"
        assert overlapping_lines(page) == [], f"page {number}"
    if slug == "bd-vru-2021-22":
        assert len(pdf.pages) <= DEMO_PLAN_MOST_PAGES


def test_the_measures_sheet_prints_its_header_on_every_page(tmp_path):
    plan = Plan.objects.get(slug="havering-csp-2017-20")
    pdf = PdfReader(io.BytesIO(print_to_pdf(plan_export(plan).content, "xlsx", tmp_path)))
    title = words(f"{plan.title}: performance measures")

    measures = [page for page in pdf.pages if title in words(page.extract_text())]

    assert measures
    for page in measures:
        assert "Ref" in page.extract_text() and "Description" in page.extract_text()
        assert overlapping_lines(page) == []
