"""Browser tests: Debian's chromium, driven by Playwright, against Django's live server.

The browser is started once per session (it takes a second or two); each test gets a fresh
context and page, so no cookies or storage leak from one test into the next.
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import pages

# Playwright's sync API keeps an asyncio event loop running in the test thread, and Django
# refuses ORM calls (factories, assertions) from a thread with a running loop unless told
# that this is safe. It is here: the loop only waits on the browser, and the ORM is only
# used synchronously from this one thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).parent


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives headless chromium against the live server (tests/browser/)"
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # tryfirst: marks must be there before `-m browser` / `-m "not browser"` selects.
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail(
            "The browser tests need Debian's chromium: run `bash scripts/chromium-up` "
            "(installs it with apt-get; needs root or sudo).",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    if not pages.AXE_JS.exists():
        pytest.fail(
            f"{pages.AXE_JS} is missing: run `make assets` (npm ci) to install axe-core.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        # /dev/shm is small in containers, and chromium crashes tabs when it runs out.
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=["--disable-dev-shm-usage"]
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1024, "height": 768})
    # Long enough for a slow CI machine, short enough that a missing element fails the test
    # in seconds rather than Playwright's default 30.
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context, request):
    page = context.new_page()
    pages.record(page, pages.artifact_dir(request.node.name))
    yield page
    page.close()
