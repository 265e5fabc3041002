"""Helpers for the browser tests: visit a page, check it with axe-core, keep a screenshot.

Every page a browser test visits goes through `visit` (or `check_page` after a click or a
form submission), so each one is checked against WCAG 2.2 AA and leaves a full-page
screenshot in test-artifacts/screenshots/<test name>/ for people to look at.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from weakref import WeakKeyDictionary

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, Response
from playwright.sync_api import Error as PlaywrightError

from tests.clients import Client

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what UK public sector sites must meet.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"

# The password tests/factories.py gives every user.
PASSWORD = "test-password"


@dataclass
class PageRecord:
    """What one test's page has produced so far: numbered screenshots, broken requests and
    script errors seen since the last check."""

    directory: Path
    count: int = 0
    broken: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)


_records: WeakKeyDictionary[Page, PageRecord] = WeakKeyDictionary()


def artifact_dir(test_name: str) -> Path:
    """test-artifacts/screenshots/<test name>/, emptied: screenshots from an earlier run of
    the same test would pass for this run's."""
    directory = SCREENSHOTS / re.sub(r"[^A-Za-z0-9_.\[\]-]+", "-", test_name)
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.png"):
        old.unlink(missing_ok=True)  # another run of the suite may be cleaning up too
    return directory


# Injected by the test (not by the page) before any of the page's own code: hands each
# Content-Security-Policy violation to the test through a function Playwright exposes.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", event => {
  window.__reportCspViolation(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`
    + (event.sample ? ` (${event.sample})` : "")
  );
});
"""


def record(page: Page, directory: Path) -> None:
    """Start keeping screenshots and problems for this page (the `page` fixture does it)."""
    rec = PageRecord(directory)
    _records[page] = rec
    # Every page the tests visit must keep to the Content-Security-Policy (settings.py): an
    # inline script or style attribute it refuses is a page that works differently in use.
    page.expose_function(
        "__reportCspViolation", lambda violation: rec.csp_violations.append(violation)
    )
    page.add_init_script(_CSP_LISTENER)

    def on_response(response: Response) -> None:
        # A stylesheet, script or image the page asks for and does not get makes it look or
        # work differently from what people see; the page's own status is checked by visit.
        if response.status >= 400 and response.request.resource_type != "document":
            rec.broken.append(f"{response.status} {response.url}")

    def on_request_failed(request) -> None:
        # ERR_ABORTED is the browser itself dropping a request, e.g. the favicon when the
        # user moves on to the next page before it arrived: nothing the server did wrong.
        if request.failure != "net::ERR_ABORTED":
            rec.broken.append(f"failed ({request.failure}) {request.url}")

    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    page.on("pageerror", lambda error: rec.script_errors.append(str(error)))


def visit(
    page: Page, url_or_path: str, name: str, *, status: int = 200, axe: bool = True
) -> Response:
    """Open a URL (or a path on the live server), expect the HTTP status, and check the page
    (`axe=False`: everything but axe-core's WCAG checks, for pages that are not ours to fix,
    such as the admin's change forms; templates/accessibility.html lists them)."""
    response = page.goto(url_or_path)
    assert response is not None, f"no response for {url_or_path}"
    assert response.status == status, (
        f"{url_or_path} answered {response.status}, expected {status} "
        f"(screenshot: {screenshot(page, name)})"
    )
    check_page(page, name, axe=axe)
    return response


def check_page(page: Page, name: str, *, axe: bool = True) -> None:
    """Check the page now showing, e.g. after a click or a form submission: save a screenshot,
    then fail on any axe-core WCAG 2.2 AA violation, broken subresource, script error or
    Content-Security-Policy violation."""
    page.wait_for_load_state("load")
    path = screenshot(page, name)
    rec = _records[page]
    _let_reports_arrive(page)
    problems = (
        [f"  {line}" for line in rec.broken]
        + [f"  script error: {error}" for error in rec.script_errors]
        + [f"  Content-Security-Policy: {violation}" for violation in rec.csp_violations]
    )
    rec.broken.clear()
    rec.script_errors.clear()
    rec.csp_violations.clear()
    assert not problems, f"{name} ({page.url}, {path}):\n" + "\n".join(problems)

    if not axe:
        return
    violations = axe_violations(page)
    # axe-core adds a <style> of its own to some pages while it checks them, which the
    # policy refuses: the test's doing, not the page's.
    _let_reports_arrive(page)
    rec.csp_violations.clear()
    assert not violations, (
        f"axe-core found {len(violations)} WCAG 2.2 AA violation(s) on {name} "
        f"({page.url}, screenshot {path}):\n" + format_violations(violations)
    )


def _let_reports_arrive(page: Page) -> None:
    """Wait for the page's queued events (a policy violation is reported in a task of its own)
    and for their reports to reach the test, which come before this evaluation's answer."""
    page.evaluate("() => new Promise(resolve => setTimeout(resolve, 20))")


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as <nn>-<name>.png in the test's directory."""
    rec = _records[page]
    rec.count += 1
    path = rec.directory / f"{rec.count:02d}-{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core on the page as it is now, limited to WCAG 2.2 A and AA rules."""
    # Evaluated by the browser's debugging protocol, which the page's Content-Security-Policy
    # does not govern: a <script> element added to the page would be refused (inline) and
    # reported as the page's violation.
    if not page.evaluate("() => typeof axe === 'object'"):
        page.evaluate(_axe_source() + "\n;undefined")
    result = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    return result["violations"]


@cache
def _axe_source() -> str:
    return AXE_JS.read_text()


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            # A target is a list of selectors when the element sits inside an iframe.
            lines.append("    at " + " ".join(str(part) for part in node["target"]))
            if node.get("failureSummary"):
                lines.append("       " + node["failureSummary"].replace("\n", "\n       "))
    return "\n".join(lines)


# Whether the whole page scrolls sideways, and which elements stick out past the window's
# right edge without a scrolling box to hold them (a table in its scrolling wrapper may be
# wide). A box's overflow only holds descendants whose containing block is inside it, so an
# absolutely positioned element escapes every static box between it and a positioned one.
_SIDEWAYS_JS = """() => {
  const width = document.documentElement.clientWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth <= width) return null;
  const held = element => {
    for (let box = element; box && box !== document.body; ) {
      const position = getComputedStyle(box).position;
      if (position === "fixed") return false;
      let up = box.parentElement;
      if (position === "absolute") {
        while (up && up !== document.body && getComputedStyle(up).position === "static") {
          up = up.parentElement;
        }
      }
      if (!up || up === document.body) return false;
      if (getComputedStyle(up).overflowX !== "visible") return true;
      box = up;
    }
    return false;
  };
  const describe = element => element.tagName.toLowerCase()
    + (element.id ? "#" + element.id : "")
    + [...element.classList].map(name => "." + name).join("")
    + " (right edge at " + Math.round(element.getBoundingClientRect().right) + " px)";
  const wide = [...document.body.querySelectorAll("*")]
    .filter(element => element.getBoundingClientRect().right > width + 1 && !held(element))
    .slice(0, 10)
    .map(describe);
  return {scrollWidth, width, wide};
}"""


def assert_reflows(page: Page, name: str) -> None:
    """WCAG 1.4.10 Reflow, which axe cannot judge: at the page's current width (320 CSS
    pixels is the criterion's) the page does not scroll sideways."""
    sideways = page.evaluate(_SIDEWAYS_JS)
    assert sideways is None, (
        f"{name} ({page.url}) scrolls sideways: {sideways['scrollWidth']} px wide in a "
        f"{sideways['width']} px window. Sticking out:\n  "
        + ("\n  ".join(sideways["wide"]) or "(no element found; a pseudo-element?)")
    )


def sign_in(
    page: Page,
    username: str,
    password: str = PASSWORD,
    *,
    name: str = "sign-in",
    login_path: str | None = None,
) -> None:
    """Sign in through the sign-in form, as a person would, checking the form page too."""
    login_path = login_path or reverse("login")
    visit(page, login_path, name)
    form = page.locator("form:has([name=username])")
    form.locator("[name=username]").fill(username)
    form.locator("[name=password]").fill(password)
    # A <button> without a type submits too (GOV.UK Frontend's buttons have none).
    with page.expect_navigation():
        form.locator(":is(button:not([type]), button[type=submit], input[type=submit])").click()
    assert login_path not in page.url, f"signing in as {username} failed: still on {page.url}"


def submit(page: Page, form_selector: str = "main form") -> None:
    """Send the form by its submit button, and wait for the page that answers. A button
    that sends the form elsewhere (formaction: the import preview's "Cancel import") is
    not the form's own."""
    form = page.locator(form_selector)
    buttons = ":is(button:not([type]), button[type=submit], input[type=submit])"
    with page.expect_navigation():
        form.locator(f"{buttons}:not([formaction])").click()


def sign_in_quickly(context: BrowserContext, base_url: str, user) -> None:
    """Sign a user in by giving the browser a session cookie made by Django's test client:
    for tests about a page, not about signing in."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": base_url, "httpOnly": True}]
    )


class PageChecks:
    """Check several pages in one test and report every page that fails, not only the first:
    each browser test costs seconds, so one test covers a user's pages, and a broken page
    should not hide the state of the others.

        checks = PageChecks()
        with checks.page("plans"):
            visit(page, "/plans/", "plans")
        checks.assert_all_passed()
    """

    def __init__(self):
        self.failures: list[str] = []

    @contextmanager
    def page(self, name: str):
        try:
            yield
        except (AssertionError, PlaywrightError) as error:
            self.failures.append(f"--- {name}:\n{error}")

    def assert_all_passed(self) -> None:
        assert not self.failures, f"{len(self.failures)} page(s) failed:\n" + "\n\n".join(
            self.failures
        )
