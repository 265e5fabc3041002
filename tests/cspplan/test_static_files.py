"""Static files without DEBUG (issue 12, finding 8): `collectstatic` gathers them with hashed
names, and whitenoise serves them from the application.

The rest of the suite renders pages with Django's plain static storage (tests/conftest.py
says why); these tests run the real `collectstatic` into a temporary STATIC_ROOT once and
check the production storage against it.
"""

import io
import re

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tests.clients import Client
from tests.factories import UserFactory

HASHED = r"\.[0-9a-f]{12}\."


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """A STATIC_ROOT that `collectstatic` has filled with the production storage, once for
    the module (it takes a few seconds)."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=production_storages()):
        call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())
    return root


def production_storages() -> dict:
    """The STORAGES of cspplan/settings.py, which tests/conftest.py replaces for other tests."""
    from cspplan import settings as project_settings

    return project_settings.STORAGES


@pytest.fixture
def production_static(collected, settings):
    settings.STATIC_ROOT = collected
    settings.STORAGES = production_storages()
    return collected


def stylesheet_href(page: str) -> str:
    match = re.search(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert match, "the page links no stylesheet"
    return match.group(1)


@pytest.mark.django_db
def test_without_debug_the_stylesheet_has_a_hashed_name_and_is_served(production_static):
    assert not django_settings.DEBUG
    # A new client, so that the application (and whitenoise in it) starts with these settings.
    client = Client()
    href = stylesheet_href(client.get(reverse("login")).content.decode())
    assert re.search(rf"^/static/build/main{HASHED}css$", href), href

    response = client.get(href)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    body = b"".join(response.streaming_content)
    assert body == (production_static / href.removeprefix("/static/")).read_bytes()
    # A hashed name never changes content, so browsers may keep it for as long as they like.
    assert "immutable" in response["Cache-Control"]


@pytest.mark.django_db
def test_every_file_a_page_asks_for_is_in_the_manifest_and_served(production_static):
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    pages = [reverse("login"), reverse("actions:my-actions"), reverse("admin:index")]
    for url in pages:
        page = client.get(url).content.decode()
        assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
        assert assets, f"{url} asks for no static file"
        for asset in assets:
            assert re.search(HASHED, asset), f"{url}: {asset} has no hashed name"
            assert client.get(asset).status_code == 200, f"{url}: {asset} is not served"


def test_the_module_script_imports_govuk_frontend_by_its_hashed_name(production_static):
    # The browser fetches what an ES module imports by the name written in it, so the
    # storage must rewrite that name too, or a new release would run against an old cache.
    [init] = (production_static / "js").glob("govuk-init.*.js")
    imports = re.findall(r'from\s*"([^"]+)"', init.read_text())
    assert imports and all(re.search(rf"govuk-frontend\.min{HASHED}js$", i) for i in imports)
