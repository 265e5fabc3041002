"""Partnerships kept apart, over every answer the permissions give (issue 15): for a user of
partnership A in each role, nothing any permissions function returns holds anything of
partnership B's.

The functions are read from the modules (`inspect`), so a new one is covered when it is
written: each is called with A's user and, for its other parameters, B's records (`ARGS`,
by parameter name), and what it returns is judged by its annotation: a queryset holds no
row of B's (`b_rows`), a yes-or-no is no, a scope or an access names nothing of B's. A
parameter or an annotation this file does not know fails the test, so nothing new slips
through unjudged. The admin's querysets (every registered model's list, and what it offers
to change and choose) and the reminders' recipients are checked the same way.
"""

import datetime
import inspect
import types
import typing

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db.models import Q, QuerySet
from django.http import Http404
from django.test import RequestFactory

import actions.permissions
import meetings.permissions
import reporting.scopes
from actions.models import (
    Action,
    Indicator,
    IndicatorValue,
    Marking,
    PanelFeedback,
    Plan,
    ProgressUpdate,
    SeniorLeader,
    Theme,
)
from actions.permissions import Access
from boards.models import Board, Membership, Organisation, Partnership, Person, Role
from cspplan.admin import ScopedAdmin
from meetings import reminders
from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingAction,
    StandingItem,
    SubgroupReport,
)
from reporting.scopes import Scope
from tests.partnership_pair import A_ROLES, build_pair

MODULES = [actions.permissions, meetings.permissions, reporting.scopes]

# How each model's rows lead to their partnership.
TO_PARTNERSHIP = {
    Partnership: "pk",
    Board: "partnership",
    Membership: "board__partnership",
    Plan: "partnership",
    Theme: "plan__partnership",
    Action: "theme__plan__partnership",
    ProgressUpdate: "action__theme__plan__partnership",
    Indicator: "plan__partnership",
    SeniorLeader: "plan__partnership",
    IndicatorValue: "indicator__plan__partnership",
    PanelFeedback: "theme__plan__partnership",
    Meeting: "board__partnership",
    StandingItem: "board__partnership",
    AgendaItem: "meeting__board__partnership",
    Attendance: "meeting__board__partnership",
    MeetingAction: "meeting__board__partnership",
    SubgroupReport: "board__partnership",
}


def b_rows(model, pair) -> QuerySet:
    """B's rows of `model`: those of B's partnership; for people and organisations, which
    may work with several, those of B's and not of A's (the shared police are both)."""
    b, a = pair.b.partnership, pair.a.partnership
    if model in (Person, Organisation):
        return model.objects.filter(partnerships=b).exclude(partnerships=a)
    if model not in TO_PARTNERSHIP:
        pytest.fail(f"{model.__name__}: say how its rows lead to a partnership (TO_PARTNERSHIP)")
    return model.objects.filter(**{TO_PARTNERSHIP[model]: b.pk})


def assert_none_of_b(queryset: QuerySet, pair, what: str) -> None:
    leaked = list(queryset.filter(pk__in=b_rows(queryset.model, pair).values("pk")))
    assert leaked == [], f"{what} holds B's {queryset.model.__name__}: {leaked}"


# The arguments, by parameter name: B's records, for a user of A.
ARGS = {
    "plan": lambda pair, user: pair.b.plan,
    "action": lambda pair, user: pair.b.marked_action,
    "board": lambda pair, user: pair.b.board,
    "subgroup": lambda pair, user: pair.b.subgroup,
    "boards": lambda pair, user: [pair.b.board.pk, pair.b.subgroup.pk],
    "plans": lambda pair, user: [pair.b.plan, pair.b.next_plan],
    "slug": lambda pair, user: pair.b.plan.slug,
    "pk": lambda pair, user: pair.b.board.pk,
    # A scope is made for what the user may see: A's plan, whose parts must hold no B.
    "scope": lambda pair, user: reporting.scopes.plan_scope(user, pair.a.plan.slug),
}

# Conditions to be combined with a scope, not scopes themselves: who may see a marked item
# (on the records already in the user's scope), which of a scope's actions are marked.
CONDITIONS = {"marking_ok", "marked_updates_ok", "marked_condition", "marked_on_their_own"}

# Not about a user: what a function takes apart or the request's machinery.
NOT_ABOUT_A_USER = {"once_per_request"}

# A yes that refuses (the plan holds marked items hidden from the user): asked only about
# a plan the user may see, and saying nothing of a plan's contents to one who may not.
REFUSALS = {"hidden_in_plan"}

# Whether the user may open a plan: the VRU's reader opens every VRU plan at OFFICIAL, B's
# included, so for them its yes is `visible_plans`'s (that the two agree for every role:
# tests/actions/test_plan_scoped_rules.py).
VRU_OPENS = {"may_open_plan"}


def functions() -> list[tuple[str, object]]:
    """The public functions each permissions module defines (not those it imports)."""
    found = []
    for module in MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                found.append((f"{module.__name__}.{name}", function))
    return found


def judge(result, annotation, pair, what: str, about_b: bool = True) -> None:
    """Fail if `result` (annotated `annotation`) holds anything of B's."""
    origin = typing.get_origin(annotation) or annotation
    if origin is typing.Union or isinstance(annotation, types.UnionType):
        if result is None:
            return
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        origin = typing.get_origin(annotation) or annotation
    if origin is QuerySet:
        assert_none_of_b(result, pair, what)
    elif origin is bool:
        # About the user alone (may they use the admin?) when asked about no record of B's.
        assert result is False or not about_b, f"{what} says yes about B's record"
    elif origin is Scope:
        # Not its `updates`: the rule of which progress updates its lists may read (those
        # marked on their own only for those who may see them), only ever applied to its
        # actions' updates.
        for part in ("actions", "plans", "themes"):
            assert_none_of_b(getattr(result, part), pair, f"{what}.{part}")
    elif origin is Access:
        b_boards = set(b_rows(Board, pair).values_list("pk", flat=True))
        assert not result.partnership_ids & {pair.b.partnership.pk}, what
        assert not result.home_ids & {pair.b.partnership.pk}, what
        assert not result.board_ids & b_boards, what
    elif origin is Person:
        assert not b_rows(Person, pair).filter(pk=result.pk).exists(), what
    elif origin in (Role, Marking):
        pass  # a word, naming nothing
    else:
        pytest.fail(f"{what}: returns {annotation!r}, which this test cannot judge; teach it")


@pytest.fixture(scope="module")
def pair(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield build_pair()
        call_command("flush", interactive=False, verbosity=0)


FUNCTIONS = functions()


def test_the_functions_are_found():
    names = {name.rsplit(".", 1)[1] for name, _ in FUNCTIONS}
    assert {"visible_plans", "visible_meetings", "plan_scope", "editable_actions"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("name,function", FUNCTIONS, ids=[name for name, _ in FUNCTIONS])
@pytest.mark.parametrize("role", A_ROLES)
def test_no_permissions_function_gives_a_user_of_a_anything_of_b(name, function, role, pair):
    short = name.rsplit(".", 1)[1]
    if short in CONDITIONS or short in NOT_ABOUT_A_USER or short in REFUSALS:
        return
    user = pair.user(role)
    signature = inspect.signature(function)
    kwargs = {}
    for parameter in signature.parameters.values():
        if parameter.name == "user":
            kwargs["user"] = user
        elif parameter.name in ARGS:
            kwargs[parameter.name] = ARGS[parameter.name](pair, user)
        elif parameter.default is not inspect.Parameter.empty:
            continue  # asked about no record in particular: the user's whole scope
        else:
            pytest.fail(f"{name}: the parameter {parameter.name!r} is new here; add it to ARGS")
    annotation = typing.get_type_hints(function).get("return", signature.return_annotation)
    if annotation is inspect.Signature.empty:
        pytest.fail(f"{name}: annotate what it returns, so that this test can judge it")
    try:
        result = function(**kwargs)
    except Http404:
        return  # B's record is not found: as it should be
    judge(result, annotation, pair, f"{name} for A's {role}", about_b=len(kwargs) > 1)
    # And about nothing in particular, where it may be asked so: the user's whole scope.
    optional = {
        key: value
        for key, value in kwargs.items()
        if signature.parameters[key].default is None and key != "user"
    }
    if optional:
        result = function(user=user)
        if annotation is not bool and typing.get_origin(annotation) is not bool:
            judge(result, annotation, pair, f"{name}() for A's {role}")


@pytest.mark.django_db
@pytest.mark.parametrize("role", A_ROLES)
def test_a_scope_of_a_holds_nothing_of_b(role, pair):
    user = pair.user(role)
    for scope in [
        reporting.scopes.plan_scope(user, pair.a.plan.slug),
        reporting.scopes.board_scope(user, pair.a.board.pk),
    ]:
        judge(scope, Scope, pair, f"{scope.title} for A's {role}")
        judge(reporting.scopes.without_marked(scope), Scope, pair, "without marked")


ADMINS = sorted(
    (
        (f"{model._meta.app_label}.{model._meta.model_name}", model_admin)
        for model, model_admin in admin.site._registry.items()
    ),
    key=lambda pair: pair[0],
)


@pytest.mark.django_db
@pytest.mark.parametrize("label,model_admin", ADMINS, ids=[label for label, _ in ADMINS])
def test_the_admin_lists_nothing_of_b(label, model_admin, pair):
    """Every registered model's admin list, and what it offers to change and to choose,
    for A's administrator (the only one of A's users who enters the admin)."""
    request = RequestFactory().get("/admin/")
    request.user = pair.user("administrator")
    if not isinstance(model_admin, ScopedAdmin):
        # Django's own (accounts, sign-in records, second factors): its permissions alone,
        # which a partnership's administrator does not have.
        assert not model_admin.has_view_permission(request), label
        return
    for hook in ("get_queryset", "visible", "editable", "choosable"):
        judge(getattr(model_admin, hook)(request), QuerySet, pair, f"{label} admin {hook}")


@pytest.mark.django_db
def test_the_reminders_of_a_meeting_of_a_go_to_a_and_name_nothing_of_b(pair):
    today = datetime.date.today()
    for meeting in (pair.a.meeting, pair.a.planned):
        by_person = reminders.actions_needing_update(meeting, today)
        assert by_person, "A's lead is reminded of A's red, overdue action"
        people = Person.objects.filter(pk__in=[person.pk for person in by_person])
        assert_none_of_b(people, pair, "reminders' recipients")
        listed = [item.action.pk for items in by_person.values() for item in items]
        assert_none_of_b(Action.objects.filter(pk__in=listed), pair, "reminders' actions")
        chairs = reminders.report_chairs(meeting)
        boards = Board.objects.filter(pk__in=[board.pk for board, _ in chairs])
        assert_none_of_b(boards, pair, "report reminders' subgroups")
        people = Person.objects.filter(pk__in=[person.pk for _, person in chairs])
        assert_none_of_b(people, pair, "report reminders' chairs")


@pytest.mark.django_db
def test_b_rows_are_found(pair):
    """The control: B's rows exist for every model above, so that "none of B's" means
    something."""
    for model in [*TO_PARTNERSHIP, Person, Organisation]:
        assert b_rows(model, pair).exists(), model.__name__


def test_an_unknown_annotation_fails_loudly():
    with pytest.raises(pytest.fail.Exception, match="cannot judge"):
        judge(Q(), Q, None, "a condition")


@pytest.mark.django_db
def test_someone_of_both_partnerships_sees_both(pair):
    user = pair.tri_borough
    plans = actions.permissions.visible_plans(user)
    assert {pair.a.plan, pair.b.plan} <= set(plans)
    assert {pair.a.board, pair.b.board} <= set(actions.permissions.visible_boards(user))
    assert {pair.a.meeting, pair.b.meeting} <= set(meetings.permissions.visible_meetings(user))
    actions_seen = actions.permissions.visible_actions(user)
    assert {pair.a.action, pair.b.action} <= set(actions_seen)


# What the VRU's reader (in no partnership) may never be given, of any partnership: a board,
# a seat on one, or anything of a meeting. What they do read, the VRU plans at OFFICIAL, must
# never hold a marked action.
VRU_NOTHING = {
    Board,
    Membership,
    Meeting,
    StandingItem,
    AgendaItem,
    Attendance,
    MeetingAction,
    SubgroupReport,
}


@pytest.mark.django_db
@pytest.mark.parametrize("name,function", FUNCTIONS, ids=[name for name, _ in FUNCTIONS])
def test_no_permissions_function_gives_the_vru_a_marked_action_or_a_meeting(name, function, pair):
    short = name.rsplit(".", 1)[1]
    if short in CONDITIONS or short in NOT_ABOUT_A_USER or short in REFUSALS:
        return
    signature = inspect.signature(function)
    kwargs = {}
    for parameter in signature.parameters.values():
        if parameter.name == "user":
            kwargs["user"] = pair.vru
        elif parameter.name in ARGS:
            kwargs[parameter.name] = ARGS[parameter.name](pair, pair.vru)
    annotation = typing.get_type_hints(function).get("return", signature.return_annotation)
    try:
        result = function(**kwargs)
    except Http404:
        return
    origin = typing.get_origin(annotation) or annotation
    if origin is Scope:
        assert not result.actions.filter(pk=pair.a.marked_action.pk).exists(), name
    elif origin is QuerySet:
        model = result.model
        if model in VRU_NOTHING:
            assert list(result) == [], f"{name} gives the VRU {model.__name__}s"
        if model is Action:
            marked = {pair.a.marked_action.pk, pair.b.marked_action.pk}
            assert not result.filter(pk__in=marked).exists(), f"{name}: a marked action"
    elif short in VRU_OPENS:
        plan = kwargs["plan"]
        assert plan.layout == Plan.Layout.VRU and plan.marking == Marking.OFFICIAL
        assert result is actions.permissions.visible_plans(pair.vru).filter(pk=plan.pk).exists()
    elif origin is bool and "user" in kwargs and len(kwargs) > 1:
        # Asked about a record (B's marked action, plan or board): the VRU changes nothing
        # and sees no marked action, so every such yes-or-no is no.
        assert result is False, f"{name} says yes to the VRU about B's record"
