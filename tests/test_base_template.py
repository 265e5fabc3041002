"""The page template every page extends (templates/base.html), the includes pages share, and
the built stylesheet (`make assets`)."""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import resolve, reverse

from actions.rag import RAG
from boards.models import Role
from tests.factories import ActionFactory, UserFactory, user_in_role

BUILD = Path(settings.BASE_DIR) / "static" / "build"
GOVUK_DIST = Path(settings.BASE_DIR) / "node_modules" / "govuk-frontend" / "dist" / "govuk"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


@dataclass
class Element:
    tag: str
    attrs: dict
    text: str = ""

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    @property
    def words(self) -> str:
        return " ".join(self.text.split())


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop().tag == tag:
                break

    def handle_data(self, data):
        for element in self.open:
            element.text += data


def elements(page: str, tag: str, css_class: str | None = None) -> list[Element]:
    """The page's `tag` elements (with `css_class`, if given), each with all the text in it."""
    parser = _Parser()
    parser.feed(page)
    return [
        element
        for element in parser.elements
        if element.tag == tag and (css_class is None or css_class in element.classes)
    ]


def navigation(page: str) -> list[Element]:
    return elements(page, "a", "govuk-service-navigation__link")


def render_page(rf, path: str, user=None) -> str:
    """base.html as the page at `path` renders it, for `user` (anonymous if None)."""
    request = rf.get(path)
    request.user = user or AnonymousUser()
    request.resolver_match = resolve(path)
    return render_to_string("base.html", request=request)


# The header


@pytest.mark.django_db
def test_a_signed_out_visitor_sees_the_service_name_and_only_sign_in(client):
    page = client.get(reverse("login")).content.decode()

    [home] = elements(page, "a", "govuk-generic-header__homepage-link")
    assert (home.words, home.attrs["href"]) == ("CSP action plans", "/")
    assert [(link.words, link.attrs["href"]) for link in navigation(page)] == [
        ("Sign in", reverse("login"))
    ]
    assert not elements(page, "form", "app-account__form")
    assert "<title>Sign in – CSP action plans</title>" in page


@pytest.mark.django_db
def test_a_signed_in_user_sees_the_pages_their_name_and_sign_out(client):
    client.force_login(UserFactory(first_name="Sam", last_name="Okafor"))

    page = client.get(reverse("password_change")).content.decode()

    assert [(link.words, link.attrs["href"]) for link in navigation(page)] == [
        ("My actions", reverse("actions:my-actions")),
        ("Plans", reverse("actions:plan-list")),
        ("Boards", reverse("reporting:board-list")),
    ]
    [account] = elements(page, "div", "app-account")
    assert "Signed in as Sam Okafor" in account.words
    [sign_out] = elements(page, "form", "app-account__form")
    assert (sign_out.attrs["method"], sign_out.attrs["action"]) == ("post", reverse("logout"))
    assert sign_out.words == "Sign out"
    assert "csrfmiddlewaretoken" in page
    assert "Change your password" in elements(page, "footer")[0].words


@pytest.mark.django_db
def test_a_user_without_a_full_name_is_shown_by_username(client):
    client.force_login(UserFactory(username="slead"))

    page = client.get(reverse("password_change")).content.decode()

    assert "Signed in as slead" in elements(page, "div", "app-account")[0].words


@pytest.mark.django_db
def test_administrators_also_see_admin_and_other_staff_do_not(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(reverse("password_change")).content.decode()

    links = [(link.words, link.attrs["href"]) for link in navigation(page)]
    assert links[-2:] == [("Admin", reverse("admin:index")), ("Audit log", reverse("audit:log"))]
    # Only administrators enter the admin (tests/test_admin_entry.py) and read the audit
    # log: no link to a 404.
    client.force_login(UserFactory(is_staff=True))
    page = client.get(reverse("password_change")).content.decode()
    words = [link.words for link in navigation(page)]
    assert "Admin" not in words and "Audit log" not in words


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, current",
    [
        ("/", {"My actions": "page"}),
        ("/plans/", {"Plans": "page"}),
        # A plan's own pages are within Plans.
        ("/plans/some-plan/", {"Plans": "true"}),
        ("/plans/some-plan/import/", {"Plans": "true"}),
        ("/accounts/password_change/", {}),
    ],
)
def test_the_navigation_marks_where_the_page_is(rf, path, current):
    page = render_page(rf, path, UserFactory(is_staff=True))

    marked = {
        link.words: link.attrs["aria-current"]
        for link in navigation(page)
        if "aria-current" in link.attrs
    }
    assert marked == current


def test_the_sign_in_page_is_marked_as_current_for_visitors(rf):
    page = render_page(rf, reverse("login"))

    assert [link.attrs.get("aria-current") for link in navigation(page)] == ["page"]


@pytest.mark.django_db
def test_pages_end_up_in_main_with_a_skip_link_to_it(client):
    page = client.get(reverse("login")).content.decode()

    [skip] = elements(page, "a", "govuk-skip-link")
    [main] = elements(page, "main")
    assert skip.attrs["href"] == "#" + main.attrs["id"]
    assert "Sign in" in elements(main_html := page[page.index("<main") :], "h1")[0].words
    assert main_html.index("<h1") < main_html.index("</main>")


# Messages


def test_messages_are_notification_banners_and_success_is_announced(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    messages.success(request, "Imported plan.xlsx: 2 created, 1 updated.")
    messages.error(request, "That import was not found.")
    messages.info(request, "The plan is closed.")

    page = render_to_string("base.html", request=request)

    banners = elements(page, "div", "govuk-notification-banner")
    assert [(b.attrs["role"], b.words) for b in banners] == [
        ("alert", "Success Imported plan.xlsx: 2 created, 1 updated."),
        ("alert", "Important That import was not found."),
        ("region", "Important The plan is closed."),
    ]
    assert "govuk-notification-banner--success" in banners[0].classes
    assert "govuk-notification-banner--success" not in banners[1].classes
    # Each banner is labelled by its own title.
    titles = {
        e.attrs["id"]: e.words for e in elements(page, "h2", "govuk-notification-banner__title")
    }
    assert [titles[b.attrs["aria-labelledby"]] for b in banners] == [
        "Success",
        "Important",
        "Important",
    ]


# RAG tags


def rag_tag(rag, label=None) -> Element:
    context = {"rag": rag} if label is None else {"rag": rag, "label": label}
    [tag] = elements(render_to_string("includes/rag_tag.html", context), "strong", "govuk-tag")
    return tag


def colour_class(tag: Element) -> str:
    [name] = [c for c in tag.classes if c.startswith("app-rag--")]
    return name


@pytest.mark.parametrize("rag", RAG)
def test_a_rag_tag_carries_its_word(rag):
    tag = rag_tag(rag.value, rag.label)

    assert tag.words == rag.label
    assert colour_class(tag) == "app-rag--" + rag.value.replace("_", "-")


def test_a_rag_tag_without_a_label_uses_the_statuss_own_word():
    assert [rag_tag(rag.value).words for rag in RAG] == [rag.label for rag in RAG]


@pytest.mark.parametrize("rag", ["", None, "purple"])
def test_a_missing_or_unknown_rag_status_shows_as_not_rated(rag):
    tag = rag_tag(rag)

    assert (tag.words, colour_class(tag)) == ("Not rated", "app-rag--not-rated")


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    lighter, darker = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_helper_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("rag", RAG)
def test_every_rag_colour_meets_wcag_aa_contrast(rag):
    css = built_stylesheet()
    name = colour_class(rag_tag(rag.value, rag.label))

    rule = re.search(
        rf"\.{name}\{{color:(#[0-9a-f]{{6}});background-color:(#[0-9a-f]{{6}})\}}", css
    )

    assert rule, f"no colours for .{name} in the stylesheet"
    assert contrast(*rule.groups()) >= 4.5


# Error summaries


class ChoicesForm(forms.Form):
    rag = forms.ChoiceField(choices=RAG.choices, widget=forms.RadioSelect)
    themes = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField()

    def clean(self):
        raise forms.ValidationError("Check the whole form.")


def test_crispy_forms_error_summary_links_reach_every_field():
    form = ChoicesForm(data={})
    page = Template(
        "{% load crispy_forms_tags crispy_forms_gds %}{% error_summary form %}"
        "{{ form.rag|as_crispy_field }}{{ form.themes|as_crispy_field }}"
        "{{ form.summary|as_crispy_field }}"
    ).render(Context({"form": form}))

    [summary] = elements(page, "div", "govuk-error-summary")
    links = [link.attrs["href"] for link in elements(page, "a")]
    # The form's own error, then one per field, each to an input on the page.
    assert len(links) == 4 and summary.words.startswith("There is a problem Check the whole form.")
    for href in links:
        assert [e for e in elements(page, "input") if e.attrs.get("id") == href[1:]], href


# The built assets


def built_stylesheet() -> str:
    path = BUILD / "main.css"
    assert path.exists(), f"{path} is missing: run `make assets`"
    return path.read_text()


def test_the_stylesheet_loads_no_gov_uk_font_or_crown():
    css = built_stylesheet()

    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert not re.search(r"\.woff2?\b", css)
    assert "crest" not in css and "crown" not in css
    assert "url(" not in css  # nothing else of GOV.UK's assets is fetched either
    assert ".govuk-service-navigation" in css and ".app-rag--red" in css  # it is built


def test_no_script_or_style_is_inline():
    # The Content-Security-Policy refuses them (tests/browser/test_content_security_policy.py
    # checks in the browser); this finds them in any template at once.
    inline = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = template.read_text()
        for pattern in [r"<script(?![^>]*\bsrc=)[^>]*>", r"<style\b", r"\sstyle=", r"\son[a-z]+="]:
            inline += [f"{template}: {match}" for match in re.findall(pattern, text)]
    assert not inline, "\n".join(inline)


def test_the_script_is_govuk_frontends_own():
    copied = BUILD / "govuk-frontend.min.js"

    assert copied.exists(), f"{copied} is missing: run `make assets`"
    assert copied.read_bytes() == (GOVUK_DIST / "govuk-frontend.min.js").read_bytes()


@pytest.mark.django_db
def test_the_page_asks_for_files_that_exist(client):
    page = client.get(reverse("login")).content.decode()
    wanted = [link.attrs["href"] for link in elements(page, "link")]
    wanted += [script.attrs["src"] for script in elements(page, "script")]

    # Icon, stylesheet, and the two scripts (body classes first, then the module).
    assert len(wanted) == 4
    for url in wanted:
        assert url.startswith(settings.STATIC_URL) or url.startswith("/" + settings.STATIC_URL)
        path = url.split(settings.STATIC_URL, 1)[1]
        assert finders.find(path), f"{url} is not a static file"


@pytest.mark.django_db
def test_refused_and_missing_pages_keep_the_service_around_them(client):
    action = ActionFactory()
    partnership = action.theme.plan.partnership
    # A chair of no board sees nothing of the partnership's plans: the action is not found.
    client.force_login(user_in_role(Role.CHAIR, partnerships=[partnership], name="Ada Chair"))
    missing = client.get(reverse("actions:action-detail", args=[action.pk]))
    assert missing.status_code == 404
    assert "Page not found" in missing.content.decode()
    assert "Ada Chair" in missing.content.decode()  # the header names the person

    # An officer sees the action but does not lead it: refused, with a way back.
    client.force_login(user_in_role(Role.OFFICER, partnerships=[partnership]))
    refused = client.get(reverse("actions:action-update", args=[action.pk]))
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "You cannot do this" in page and "Nothing has been changed" in page
    assert reverse("actions:my-actions") in page
