"""Browser tests: Debian's chromium, driven by Playwright, against Django's live server.

The browser is started once per session (it takes a second or two); each test gets a fresh
context and page, so no cookies or storage leak from one test into the next.
"""

import datetime
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from actions.models import Action, Plan
from actions.rag import RAG
from boards.models import Board, Membership, Role
from tests.browser import pages
from tests.factories import (
    ActionFactory,
    BoardFactory,
    OrganisationFactory,
    PartnershipFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    user_in_role,
)

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
    context.set_default_timeout(5_000)
    yield context
    context.close()


@pytest.fixture
def page(context, request):
    page = context.new_page()
    pages.record(page, pages.artifact_dir(request.node.name))
    yield page
    page.close()


@dataclass
class PlanWorld:
    """A partnership's plan as its officer, board chair and analyst see it."""

    plan: Plan
    board: Board
    officers_action: Action  # Amber, led by the officer, with an earlier update
    others_red_action: Action  # Red, led by another organisation
    green_action: Action
    officer: object  # the users
    chair: object
    analyst: object


@pytest.fixture
def plan_world(transactional_db):
    partnership = PartnershipFactory()
    board = BoardFactory(partnership=partnership)
    plan = PlanFactory(
        partnership=partnership,
        board=board,
        period_start=datetime.date(2021, 4, 1),
        period_end=datetime.date(2022, 3, 31),
    )
    first, second = ThemeFactory(plan=plan), ThemeFactory(plan=plan)

    officer = user_in_role(Role.OFFICER, partnerships=[partnership])
    chair = user_in_role(Role.CHAIR, boards=[board])
    Membership.objects.filter(person__user=chair).update(role=Membership.Role.CHAIR)
    analyst = user_in_role(Role.ANALYST, partnerships=[partnership])

    officers_action = ActionFactory(theme=first, rag=RAG.AMBER, end_date=datetime.date(2022, 3, 31))
    officers_action.lead_people.add(officer.person)
    ProgressUpdateFactory(
        action=officers_action, rag=RAG.AMBER, author=officer.person, created_by=officer
    )
    others_red_action = ActionFactory(theme=first, rag=RAG.RED)
    others_red_action.lead_organisations.add(OrganisationFactory())
    ProgressUpdateFactory(action=others_red_action, rag=RAG.RED)
    green_action = ActionFactory(theme=first, rag=RAG.GREEN)
    ActionFactory(theme=second, rag=RAG.COMPLETE)
    ActionFactory(theme=second)  # not rated

    return PlanWorld(
        plan=plan,
        board=board,
        officers_action=officers_action,
        others_red_action=others_red_action,
        green_action=green_action,
        officer=officer,
        chair=chair,
        analyst=analyst,
    )
