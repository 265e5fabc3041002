"""Partnerships kept apart, over every address (issue 15): for a user of partnership A in
each role, nothing of partnership B is reachable by any URL the project defines.

The URL patterns are read from the resolver (namespaces and the admin included), and each
pattern's parameters are filled with B's records by what they name (`value`), so a new page
is covered as soon as it is added, and a parameter this file does not know fails loudly
rather than being skipped. For every pattern:

- filled with B's records, every role of A gets 404 (or 405, for a page only posted to,
  which answers that before it looks anything up), on GET and on POST, and a POST writes
  nothing; nothing of B's is in any answer;
- filled with A's own records (and for the pages with no parameters: lists, searches,
  exports, documents), no answer to a user of A holds anything of B's: no name in a list, a
  form's choices, a search's results, a workbook or a document;
- filled with B's records, the site's superuser reaches them: the control that the
  addresses this file makes are B's real pages, so that a 404 above means something.

Every text of B's holds `B_WORD`, so an answer is searched for that word alone, in HTML,
CSV, and inside the .xlsx and .docx documents (`text_of`). B's own people and a person in
both partnerships are in tests/test_isolation_querysets.py and at the end here.
"""

import io
import re
import zipfile
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecondFactorEvent
from actions.models import Action
from tests.clients import Client
from tests.partnership_pair import A_ROLES, B_WORD, Side, build_pair

# The patterns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    route: str  # the whole route, as the access matrix names it
    name: str | None  # namespaced, for reverse()
    params: tuple[str, ...]  # named parameters, in order
    positional: int  # unnamed regex groups


def walk(patterns=None, prefix="", namespace="", params=()) -> list[Pattern]:
    """Every URL pattern of the project, with its full route, its namespaced name and the
    parameters of the pattern and of the includes above it."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        own = _params(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += walk(pattern.url_patterns, route, inner, params + own)
        else:
            assert isinstance(pattern, URLPattern)
            positional = pattern.pattern.regex.groups - len(pattern.pattern.regex.groupindex)
            name = f"{namespace}{pattern.name}" if pattern.name else None
            found.append(Pattern(route, name, params + own, positional))
    return found


def _params(pattern) -> tuple[str, ...]:
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters)
    assert isinstance(pattern, RegexPattern), pattern
    return tuple(sorted(pattern.regex.groupindex, key=pattern.regex.groupindex.get))


PATTERNS = {pattern.route: pattern for pattern in walk()}
ROUTES = sorted(PATTERNS)

# The posted-only pages that must not be posted to here: they would sign the client out.
SIGN_OUT = {"accounts/logout/", "admin/logout/"}

# Parameters that name no partnership's record: a page filled with them is judged as one
# with no parameters (nothing of B's in it).
NEUTRAL = {"uidb64", "token", "app_label", "url"}

# The admin's models, by label, and the record of a side each one's pages are asked about.
# Those whose records belong to no partnership (accounts, groups, sign-in records, second
# factors) are the site's superusers' alone: Django's own permissions refuse them (403) to
# everyone else, whatever the record.
SITE_WIDE = {
    "auth.group",
    "auth.user",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "otp_totp.totpdevice",
    "otp_static.staticdevice",
    "accounts.secondfactorevent",
}
ADMIN_RECORDS = {
    "boards.partnership": lambda s: s.partnership,
    "boards.organisation": lambda s: s.organisation,
    "boards.person": lambda s: s.person,
    "boards.board": lambda s: s.board,
    "boards.membership": lambda s: s.membership,
    "actions.plan": lambda s: s.plan,
    "actions.theme": lambda s: s.theme,
    "actions.action": lambda s: s.action,
    "actions.progressupdate": lambda s: s.update,
    "actions.indicator": lambda s: s.indicator,
    "actions.seniorleader": lambda s: s.leader,
    "actions.indicatorvalue": lambda s: s.indicator_value,
    "actions.panelfeedback": lambda s: s.panel_feedback,
    "meetings.meeting": lambda s: s.meeting,
    "meetings.standingitem": lambda s: s.standing_item,
    "meetings.agendaitem": lambda s: s.item,
    "meetings.attendance": lambda s: s.attendance,
    "meetings.meetingaction": lambda s: s.meeting_action,
    "meetings.subgroupreport": lambda s: s.report,
    "auth.group": lambda s: s.site_wide["group"],
    "auth.user": lambda s: s.users["analyst"],
    "axes.accessattempt": lambda s: s.site_wide["attempt"],
    "axes.accesslog": lambda s: s.site_wide["log"],
    "axes.accessfailurelog": lambda s: s.site_wide["failure"],
    "otp_totp.totpdevice": lambda s: s.site_wide["app"],
    "otp_static.staticdevice": lambda s: s.site_wide["codes"],
    "accounts.secondfactorevent": lambda s: s.site_wide["event"],
}

_ADMIN_MODEL = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/")


def admin_model(route: str) -> str | None:
    match = _ADMIN_MODEL.match(route)
    return f"{match['app']}.{match['model']}" if match else None


# A record's key named by the word before it in the address ("boards/<int:pk>/").
BY_SEGMENT = {
    ("pk", "boards"): lambda s: s.board.pk,
    ("pk", "actions"): lambda s: s.action.pk,
    ("pk", "indicators"): lambda s: s.indicator.pk,
    ("item_pk", "items"): lambda s: s.item.pk,
    ("item_pk", "standing-items"): lambda s: s.standing_item.pk,
    ("pk", "rollover"): lambda s: s.rollover.pk,
}
# A parameter that means the same wherever it is.
BY_NAME = {
    "slug": lambda s: s.plan.slug,
    "day": lambda s: s.meeting.date,
    "action_pk": lambda s: s.meeting_action.pk,
    "value_pk": lambda s: s.indicator_value.pk,
    "subgroup_pk": lambda s: s.subgroup.pk,
    # Two years of a plan compared: next year's Draft, and one of the comparison's lists.
    "other_slug": lambda s: s.next_plan.slug,
    "kind": lambda s: "carried",
    "uidb64": lambda s: "MQ",
    "token": lambda s: "not-a-token",
    "app_label": lambda s: "actions",
    "url": lambda s: f"{s.word}/",
    "content_type_id": lambda s: ContentType.objects.get_for_model(Action).pk,
}
# Where a page is about another record of the same kind than the rule above gives.
BY_ROUTE = {
    # Setting up a meeting from the forward plan: a planned one's.
    ("boards/<int:pk>/meetings/<day:day>/set-up/", "day"): lambda s: s.planned.date,
    ("admin/r/<path:content_type_id>/<path:object_id>/", "object_id"): lambda s: s.action.pk,
}


def _segment_before(route: str, param: str) -> str:
    before = route.split(f":{param}>")[0].rsplit("<", 1)[0]
    return before.rstrip("/").rsplit("/", 1)[-1]


def value(route: str, param: str, side: Side):
    """The value of `param` in `route` naming `side`'s record. Fails for a parameter this
    file does not know, so that a new kind of page cannot slip through unasked."""
    if (route, param) in BY_ROUTE:
        return BY_ROUTE[route, param](side)
    if param in {"object_id", "id"} and (model := admin_model(route)):
        if model not in ADMIN_RECORDS:
            pytest.fail(f"{route}: add the admin's model {model} to ADMIN_RECORDS")
        return ADMIN_RECORDS[model](side).pk
    key = (param, _segment_before(route, param))
    if key in BY_SEGMENT:
        return BY_SEGMENT[key](side)
    if param in BY_NAME:
        return BY_NAME[param](side)
    pytest.fail(f"{route}: the parameter {param!r} names nothing this test knows; add it")


def url_of(pattern: Pattern, side: Side) -> str:
    kwargs = {param: value(pattern.route, param, side) for param in pattern.params}
    args = []
    if pattern.positional:
        # django-simple-history's version of a record: the record, and one of its versions.
        model = admin_model(pattern.route)
        assert pattern.route.endswith("^([^/]+)/history/([^/]+)/$"), pattern.route
        record = ADMIN_RECORDS[model](side)
        args = [record.pk, record.history.first().history_id]
    if pattern.name is None:
        if pattern.route == "admin/(?P<url>.*)$":
            # The admin's last pattern, which answers every address it does not know.
            return f"/admin/{side.word}/"
        # A pattern with no name (the admin's old address of a record, sent on to its
        # change page): its route with the values put in.
        assert "(" not in pattern.route, f"{pattern.route}: no name, and not a simple route"
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m[1]]), pattern.route)
    return reverse(pattern.name, args=args or None, kwargs=kwargs or None)


def names_records(pattern: Pattern) -> bool:
    """Whether the pattern's address names a partnership's record."""
    return bool(pattern.positional) or any(param not in NEUTRAL for param in pattern.params)


# What an answer holds --------------------------------------------------------------------------


def text_of(response) -> str:
    """Everything an answer says, redirects it went through included: its HTML or CSV, or
    the XML inside an .xlsx or .docx document."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as document:
            body = b" ".join(document.read(name) for name in document.namelist())
    text = body.decode("utf-8", errors="replace")
    hops = " ".join(location for location, _ in getattr(response, "redirect_chain", []))
    return f"{hops} {text}".lower()


def shows_b(response) -> bool:
    return B_WORD in text_of(response)


def answer(response) -> object:
    """The status of an answer (followed through its redirects), or NOT_FOUND_IN_ADMIN for
    the admin's own answer to an address of a record it does not have (or will not show):
    back to its home page, saying it does not exist, as for a record that never did."""
    chain = response.redirect_chain
    if chain and response.status_code == 200 and chain[-1][0] == reverse("admin:index"):
        return NOT_FOUND_IN_ADMIN
    return response.status_code


NOT_FOUND_IN_ADMIN = "not found (admin)"


# The world --------------------------------------------------------------------------------------


def _site_wide_records(side: Side) -> None:
    """Records of `side` that belong to no partnership, for the admin's pages of them."""
    user = side.users["analyst"]
    sign_in = {"ip_address": "192.0.2.1", "user_agent": "test", "username": user.username}
    side.site_wide = {
        "group": Group.objects.create(name=f"{side.word} group"),
        "attempt": AccessAttempt.objects.create(failures_since_start=1, **sign_in),
        "log": AccessLog.objects.create(**sign_in),
        "failure": AccessFailureLog.objects.create(**sign_in),
        "app": TOTPDevice.objects.create(user=user, name=f"{side.word} app", confirmed=False),
        "codes": StaticDevice.objects.create(user=user, name=f"{side.word} codes"),
        "event": SecondFactorEvent.objects.create(
            user=user, username=user.username, what="codes-made"
        ),
    }


@pytest.fixture(scope="module")
def pair_once(django_db_setup, django_db_blocker):
    """The two partnerships, built once for this module (its tests only read, and what a
    post might write is rolled back after each), and a signed-in client for each user."""
    with django_db_blocker.unblock():
        pair = build_pair()
        for side in (pair.a, pair.b):
            _site_wide_records(side)
        clients = {}
        for role in A_ROLES:
            clients[role] = Client()
            clients[role].force_login(pair.user(role))
        for name, user in [
            ("superuser", pair.superuser),
            ("tri_borough", pair.tri_borough),
            ("b_analyst", pair.b.users["analyst"]),
            ("vru", pair.vru),
        ]:
            clients[name] = Client()
            clients[name].force_login(user)
        yield pair, clients
        call_command("flush", interactive=False, verbosity=0)


def written() -> tuple:
    """The rows of every table (the lists' tables too): what a refused post must leave as it
    was. In one query: asked twice for each of some 500 addresses."""
    tables = sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)})
    counts = ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return tuple(cursor.fetchone())


def pattern_of(route: str) -> Pattern:
    return PATTERNS[route]


# The tests --------------------------------------------------------------------------------------

RECORD_ROUTES = [route for route in ROUTES if names_records(PATTERNS[route])]


def test_the_patterns_are_all_read():
    # The walk finds the admin's pages and those in namespaces, not just the top level.
    assert "admin/actions/action/<path:object_id>/change/" in ROUTES
    assert "boards/<int:pk>/meetings/<day:day>/pack/" in ROUTES
    assert "plans/<slug:slug>/download.xlsx" in ROUTES
    assert len(RECORD_ROUTES) > 100


def test_an_unknown_parameter_fails_loudly():
    with pytest.raises(pytest.fail.Exception, match="names nothing this test knows"):
        value("plans/<slug:slug>/compare/<slug:other>/", "other", Side(word="x"))
    with pytest.raises(pytest.fail.Exception, match="ADMIN_RECORDS"):
        value("admin/rollover/choice/<path:object_id>/change/", "object_id", Side(word="x"))


@pytest.mark.django_db
@pytest.mark.parametrize("route", RECORD_ROUTES)
def test_nothing_of_b_is_reachable_by_a_user_of_a(route, pair_once):
    pair, clients = pair_once
    pattern = pattern_of(route)
    url = url_of(pattern, pair.b)
    model = admin_model(route)
    allowed = {404, 405, NOT_FOUND_IN_ADMIN} | ({403} if model in SITE_WIDE else set())
    got = {}
    for role in A_ROLES:
        response = clients[role].get(url, follow=True)
        got[role] = answer(response)
        assert not shows_b(response), f"GET {url} as A's {role} shows B's records"
    assert set(got.values()) <= allowed, f"GET {url}: {got}"
    if route in SIGN_OUT:
        return
    before = written()
    posted = {}
    for role in A_ROLES:
        # {"post": "yes"} confirms an admin deletion: were the page to let it through, the
        # record would go.
        response = clients[role].post(url, {"post": "yes"}, follow=True)
        posted[role] = answer(response)
        assert not shows_b(response), f"POST {url} as A's {role} shows B's records"
    assert set(posted.values()) <= allowed, f"POST {url}: {posted}"
    assert written() == before, f"POST {url} wrote something"


# Pages B's records reach only for those who may see everything: found by the superuser too.
# Every other pattern filled with B's records must be a real page of B's (not 404 to the
# superuser), or the test above would prove nothing about it.
NOT_FOUND_EVEN_TO_THE_SUPERUSER = {
    # Exists only while an authenticator app is being set up in the session.
    "accounts/second-factor/set-up/qr-code.svg",
    # No model of ours has a page of its own on the site to send to.
    "admin/r/<path:content_type_id>/<path:object_id>/",
    # The catch-all: no such admin page.
    "admin/(?P<url>.*)$",
}


@pytest.mark.django_db
@pytest.mark.parametrize("route", RECORD_ROUTES)
def test_b_addresses_are_b_pages(route, pair_once):
    pair, clients = pair_once
    url = url_of(pattern_of(route), pair.b)
    status = clients["superuser"].get(url).status_code
    if route in NOT_FOUND_EVEN_TO_THE_SUPERUSER:
        assert status == 404
    else:
        assert status != 404, f"{url} is not found even by the superuser: fix its parameters"


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_a_pages_show_nothing_of_b(route, pair_once):
    """A's own pages (its plan, board, meetings, admin records, forms with their choices,
    documents and workbooks), and every page with no parameters (lists, the audit log),
    searched too: nothing of B's to a user of A."""
    pair, clients = pair_once
    pattern = pattern_of(route)
    url = url_of(pattern, pair.a)
    # Lists searched too, for a word in nearly every name (not B_WORD: a page says back
    # what was searched for).
    queries = [{}] if names_records(pattern) else [{}, {"q": "a"}]
    for role in A_ROLES:
        for query in queries:
            response = clients[role].get(url, query, follow=True)
            assert response.status_code < 500, f"GET {url} as A's {role}"
            assert not shows_b(response), f"GET {url} {query} as A's {role} shows B's records"


# What the VRU's reader may open of a partnership's: its VRU plan's read-only pages (B's plan
# and next year's Draft are both in the VRU layout at OFFICIAL), and the list of what they
# see there as a workbook, which anyone who sees a plan may download.
VRU_READS = {
    "actions/<int:pk>/",
    "plans/<slug:slug>/",
    "plans/<slug:slug>/dashboard/",
    "plans/<slug:slug>/since/",
    "plans/<slug:slug>/indicators/",
    "plans/<slug:slug>/pack/",
    "plans/<slug:slug>/pack.docx",
    "plans/<slug:slug>/download.xlsx",
    "plans/<slug:slug>/compare/<slug:other_slug>/",
    "plans/<slug:slug>/compare/<slug:other_slug>/<slug:kind>/",
    "plans/<slug:slug>/compare/<slug:other_slug>/workbook.xlsx",
}
# Changes to what they can read: refused, not hidden (they know the plan and action exist).
# The rest naming a partnership's record is not found to them.
VRU_REFUSED = {
    "actions/<int:pk>/update/",
    "plans/<slug:slug>/export/",
    "plans/<slug:slug>/import/",
    "plans/<slug:slug>/import/rows.csv",
}


def shows_marked(response, side: Side) -> bool:
    return side.marked_action.text.lower() in text_of(response)


@pytest.mark.django_db
@pytest.mark.parametrize("route", RECORD_ROUTES)
def test_the_vru_reader_reaches_only_b_plans_official_pages(route, pair_once):
    """The VRU reads every partnership's VRU plan at OFFICIAL and nothing else: filled with
    B's records, an address answers them only if it is one of the plan's read-only pages
    (VRU_READS), never shows B's marked action, and a post to it writes nothing."""
    pair, clients = pair_once
    url = url_of(pattern_of(route), pair.b)
    response = clients["vru"].get(url, follow=True)
    assert not shows_marked(response, pair.b), f"GET {url} shows the VRU a marked action"
    if route in VRU_READS:
        assert answer(response) == 200, f"GET {url}: the VRU should read it"
    elif route in VRU_REFUSED:
        assert answer(response) == 403, f"GET {url} as the VRU: {answer(response)}"
    else:
        allowed = {404, 405, NOT_FOUND_IN_ADMIN}
        allowed |= {403} if admin_model(route) in SITE_WIDE else set()
        assert answer(response) in allowed, f"GET {url} as the VRU: {answer(response)}"
    if route in SIGN_OUT:
        return
    before = written()
    response = clients["vru"].post(url, {"post": "yes"}, follow=True)
    assert not shows_marked(response, pair.b), f"POST {url} shows the VRU a marked action"
    assert written() == before, f"POST {url} as the VRU wrote something"


@pytest.mark.django_db
@pytest.mark.parametrize("route", [route for route in ROUTES if route not in RECORD_ROUTES])
def test_the_vru_reader_finds_no_marked_action_in_any_list(route, pair_once):
    """Lists, searches, the VRU view and its workbook: neither partnership's marked action."""
    pair, clients = pair_once
    url = url_of(pattern_of(route), pair.b)
    for query in ({}, {"q": "operation"}):
        response = clients["vru"].get(url, query, follow=True)
        assert response.status_code < 500, f"GET {url} as the VRU"
        for side in (pair.a, pair.b):
            assert not shows_marked(response, side), f"GET {url} {query} shows a marked action"


def autocompletes() -> list[tuple[str, str, str]]:
    """(app, model, field) of every autocomplete field in the admin."""
    found = []
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.autocomplete_fields:
            found.append((model._meta.app_label, model._meta.model_name, name))
        for inline in model_admin.inlines:
            for name in inline.autocomplete_fields:
                found.append((inline.model._meta.app_label, inline.model._meta.model_name, name))
    return sorted(set(found))


@pytest.mark.django_db
@pytest.mark.parametrize("app,model,field", autocompletes())
def test_the_admin_autocomplete_finds_nothing_of_b(app, model, field, pair_once):
    pair, clients = pair_once
    query = {"app_label": app, "model_name": model, "field_name": field, "term": ""}
    for term in ("", B_WORD):
        response = clients["administrator"].get(
            reverse("admin:autocomplete"), query | {"term": term}
        )
        assert response.status_code in {200, 403}, (app, model, field)
        assert not shows_b(response), f"{app}.{model}.{field} offers B's records"


@pytest.mark.django_db
def test_someone_of_both_partnerships_sees_both(pair_once):
    """A tri-borough police lead, an officer in A and in B, sees both partnerships' plans,
    boards and actions."""
    pair, clients = pair_once
    client = clients["tri_borough"]
    for side in (pair.a, pair.b):
        for url in [
            reverse("actions:plan-detail", args=[side.plan.slug]),
            reverse("reporting:board-dashboard", args=[side.board.pk]),
            reverse("actions:action-detail", args=[side.action.pk]),
            reverse("meetings:board-meetings", args=[side.board.pk]),
        ]:
            response = client.get(url)
            assert response.status_code == 200, url
            assert side.word in text_of(response), url
    plans = text_of(client.get(reverse("actions:plan-list")))
    assert pair.a.plan.title.lower() in plans and pair.b.plan.title.lower() in plans
