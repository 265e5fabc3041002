"""The accessibility statement (/accessibility/): public, linked from every page's footer, in
the sections a UK public sector body's statement has, and true about how it was tested."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory
from tests.test_base_template import elements

pytestmark = pytest.mark.django_db

SECTIONS = [
    "How accessible this service is",
    "What to do if you cannot use parts of this service",
    "Reporting accessibility problems with this service",
    "Enforcement procedure",
    "Technical information about this service’s accessibility",
    "Compliance status",
    "Non-accessible content",
    "What we’re doing to improve accessibility",
    "Preparation of this accessibility statement",
    "How we tested this service",
]


def test_anyone_can_read_it_without_signing_in(client):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    page = response.content.decode()
    headings = [h.words for tag in ("h1", "h2", "h3") for h in elements(page, tag)]
    assert "Accessibility statement for CSP action plans" in headings
    for section in SECTIONS:
        assert section in headings, f"no section {section!r}"
    words = " ".join(page.split())
    assert "Equality and Human Rights Commission" in words
    assert "Equality Commission for Northern Ireland" in words
    assert "partially compliant" in words and "2.2" in words
    assert "No manual accessibility testing has been done yet" in words


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_every_page_links_it_from_the_footer(client, signed_in):
    if signed_in:
        client.force_login(UserFactory())
        url = reverse("actions:my-actions")
    else:
        url = reverse("login")
    [footer] = elements(client.get(url).content.decode(), "footer")
    page = client.get(url).content.decode()
    links = [(a.words, a.attrs["href"]) for a in elements(page, "a", "app-footer__link")]
    assert ("Accessibility statement", reverse("accessibility")) in links
    assert ("Change your password" in footer.words) is signed_in


def test_it_names_the_operator_and_contact_the_installation_sets(client, settings):
    # extra_context is read when the URLconf is built, so check the view's own context.
    response = client.get(reverse("accessibility"))
    assert response.context["operator"] == settings.SERVICE_OPERATOR
    assert response.context["contact_email"] == settings.ACCESSIBILITY_CONTACT_EMAIL


def test_the_pages_it_says_are_checked_are_in_the_browser_accessibility_test():
    # The statement says the automated checks cover these; the test must keep visiting them.
    test = Path(settings.BASE_DIR, "tests", "browser", "test_accessibility.py").read_text()
    for url_name in [
        "login",
        "password_reset",
        "accessibility",
        "actions:my-actions",
        "actions:plan-list",
        "actions:plan-detail",
        "actions:action-detail",
        "actions:action-update",
        "workbooks:plan-export",
        "workbooks:plan-import",
    ]:
        assert re.search(rf'reverse\("{url_name}"', test), f"{url_name} is not checked"
