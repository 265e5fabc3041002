"""The checks every browser test relies on find what they are there to find: a page that
fails WCAG, a stylesheet that does not load. Without these, a clean run could mean that
axe never ran. Both use pages made up here, so they need neither the server nor the
database."""

import pytest

from tests.browser import pages


@pytest.fixture
def bare_page(browser, request):
    context = browser.new_context()
    page = context.new_page()
    pages.record(page, pages.artifact_dir(request.node.name))
    yield page
    context.close()


def test_axe_violations_fail_the_page_readably(bare_page):
    bare_page.set_content(
        '<html lang="en"><head><title>Bad</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<input type="text" id="unlabelled">'
        "</main></body></html>"
    )
    with pytest.raises(AssertionError) as failure:
        pages.check_page(bare_page, "bad-page")
    message = str(failure.value)
    assert "image-alt (critical)" in message
    assert "label (critical)" in message
    assert "at #unlabelled" in message


def test_a_missing_stylesheet_fails_the_page(bare_page):
    bare_page.route("https://cspplan.test/**", lambda route: route.fulfill(status=404))
    bare_page.set_content(
        '<html lang="en"><head><title>Fine</title>'
        '<link rel="stylesheet" href="https://cspplan.test/static/missing.css">'
        "</head><body><main><h1>Fine</h1></main></body></html>"
    )
    with pytest.raises(AssertionError, match=r"404 https://cspplan\.test/static/missing\.css"):
        pages.check_page(bare_page, "missing-stylesheet")
    # Reported once: the next page starts clean.
    bare_page.set_content(
        '<html lang="en"><head><title>Fine</title></head>'
        "<body><main><h1>Fine</h1></main></body></html>"
    )
    pages.check_page(bare_page, "fine-page")


def test_reflow_check_finds_what_scrolls_sideways(bare_page):
    bare_page.set_viewport_size({"width": 320, "height": 640})
    bare_page.set_content(
        '<!DOCTYPE html><main><div class="app-table-wrapper" style="overflow-x: auto">'
        '<table style="width: 600px"><tr><td>Wide, but scrolls by itself</td></tr></table>'
        "</div></main>"
    )
    pages.assert_reflows(bare_page, "scrolling-table")
    bare_page.set_content(
        '<!DOCTYPE html><main><p id="wide" style="width: 600px">Too wide</p></main>'
    )
    with pytest.raises(AssertionError, match=r"p#wide \(right edge at 6\d\d px\)"):
        pages.assert_reflows(bare_page, "wide-paragraph")
    # Absolutely positioned text (as in visually hidden text) in a wide table escapes a
    # scrolling wrapper that is not itself positioned, and the page scrolls sideways.
    hidden = "position: absolute; width: 1px; height: 1px; overflow: hidden"
    bare_page.set_content(
        '<!DOCTYPE html><main><div style="overflow-x: auto"><table style="width: 600px"><tr>'
        f'<td style="text-align: right">Update<span id="escapes" style="{hidden}"> Action 1'
        "</span></td></tr></table></div></main>"
    )
    with pytest.raises(AssertionError, match=r"span#escapes"):
        pages.assert_reflows(bare_page, "escaping-hidden-text")
