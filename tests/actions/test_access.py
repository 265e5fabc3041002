"""What decides what a user sees (actions/permissions.py's `Access`): resolved to ids once
per request, never kept on a model instance, and its shortcuts for one plan or one board's
scope give exactly `visible_actions` narrowed to them, for every role."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.urls import reverse

from actions import permissions, selectors
from actions.models import Action, Plan, ProgressUpdate, Theme
from boards.models import Role
from boards.selectors import with_subgroups
from tests.factories import (
    ActionFactory,
    BoardFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    UserFactory,
    user_in_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two partnerships. Here: a board, its subgroup, a second board; a plan of each, with
    plain, restricted, monitored (by the subgroup, its own or through its theme) and led
    actions. Elsewhere: a plan whose restricted action the subgroup monitors, and one led by
    the police. Users of every role, some sitting on boards, some leading actions."""
    here, elsewhere = PartnershipFactory(), PartnershipFactory()
    board = BoardFactory(partnership=here)
    subgroup = BoardFactory(partnership=here, parent=board)
    second = BoardFactory(partnership=here)
    far_board = BoardFactory(partnership=elsewhere)
    police = OrganisationFactory(name="Police")
    plans = {
        "board": PlanFactory(partnership=here, board=board),
        "subgroup": PlanFactory(partnership=here, board=subgroup),
        "second": PlanFactory(partnership=here, board=second),
        "unowned": PlanFactory(partnership=here, board=None),
        "far": PlanFactory(partnership=elsewhere, board=far_board),
    }
    for plan in plans.values():
        plain = ThemeFactory(plan=plan)
        watched = ThemeFactory(plan=plan, monitoring_board=subgroup)
        ActionFactory(theme=plain)
        ActionFactory(theme=plain, marking="official-sensitive")
        ActionFactory(theme=plain, monitoring_board=subgroup)
        ActionFactory(theme=plain, monitoring_board=subgroup, marking="official-sensitive")
        ActionFactory(theme=watched)
        ActionFactory(theme=watched, marking="official-sensitive", monitoring_board=second)
        led = ActionFactory(theme=plain, marking="official-sensitive")
        led.lead_organisations.add(police)
    users = {
        "anonymous": AnonymousUser(),
        "no person": UserFactory(),
        "superuser": UserFactory(is_superuser=True),
        "administrator": user_in_role(Role.ADMINISTRATOR),
        "chair of the board": user_in_role(Role.CHAIR, boards=[board]),
        "chair of the subgroup": user_in_role(Role.CHAIR, boards=[subgroup]),
        "chair elsewhere": user_in_role(Role.CHAIR, boards=[far_board], partnerships=[here]),
        "officer": user_in_role(Role.OFFICER, partnerships=[here]),
        "officer of the police": user_in_role(
            Role.OFFICER, partnerships=[here], organisation=police
        ),
        "officer on the subgroup": user_in_role(
            Role.OFFICER, partnerships=[here], boards=[subgroup]
        ),
        "officer on a board elsewhere": user_in_role(
            Role.OFFICER, partnerships=[here], boards=[far_board]
        ),
        "analyst": user_in_role(Role.ANALYST, partnerships=[here, elsewhere]),
        "analyst on the board": user_in_role(Role.ANALYST, partnerships=[here], boards=[board]),
    }
    # A named lead of a restricted action in a plan they do not otherwise see.
    far_secret = Action.objects.filter(
        theme__plan=plans["far"], marking="official-sensitive"
    ).first()
    far_secret.lead_people.add(users["officer"].person)
    return {"plans": plans, "boards": [board, subgroup, second, far_board], "users": users}


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_a_plans_visible_actions_are_visible_actions_in_the_plan(world):
    for (who, user), plan in itertools.product(world["users"].items(), world["plans"].values()):
        expected = pks(permissions.visible_actions(user).filter(theme__plan=plan))
        assert pks(permissions.visible_in_plan(user, plan)) == expected, (who, plan.board)


def test_a_plans_visible_themes_are_visible_themes_in_the_plan(world):
    # The plans each user may open (the page asks only of those), with a marked theme and an
    # empty one among their themes.
    for plan in world["plans"].values():
        ThemeFactory(plan=plan, name="Marked, no actions", marking="official-sensitive")
        ThemeFactory(plan=plan, name="No actions")
    for (who, user), plan in itertools.product(world["users"].items(), world["plans"].values()):
        if not permissions.visible_plans(user).filter(pk=plan.pk).exists():
            continue
        expected = pks(permissions.visible_themes(user).filter(plan=plan))
        assert pks(permissions.visible_themes_in_plan(user, plan)) == expected, (who, plan.board)


def test_a_boards_visible_actions_are_visible_actions_of_its_scope(world):
    for (who, user), board in itertools.product(world["users"].items(), world["boards"]):
        boards = with_subgroups([board.pk])
        owned_or_monitored = Q(theme__plan__board_id__in=boards) | selectors.monitored_by(boards)
        expected = pks(permissions.visible_actions(user).filter(owned_or_monitored))
        assert pks(permissions.visible_in_boards(user, boards)) == expected, (who, board)


def test_several_plans_visible_themes_are_visible_themes_in_them(world):
    # A board's plans, as its scope reads their themes: for each user, the plans they may
    # open, with a marked theme and an empty one in each; some seen whole, some in part.
    for plan in world["plans"].values():
        ThemeFactory(plan=plan, name="Marked, no actions", marking="official-sensitive")
        ThemeFactory(plan=plan, name="No actions")
    for who, user in world["users"].items():
        plans = list(permissions.visible_plans(user))
        expected = pks(permissions.visible_themes(user).filter(plan__in=plans))
        assert pks(permissions.visible_themes_in_plans(user, plans)) == expected, who
        for plan in plans:
            expected = pks(permissions.visible_themes(user).filter(plan=plan))
            assert pks(permissions.visible_themes_in_plans(user, [plan])) == expected, (who, plan)


def _marked_updates(world):
    """A progress update marked on its own on every action, beside one at OFFICIAL; and a
    marked theme with no actions in every plan."""
    for plan in world["plans"].values():
        ThemeFactory(plan=plan, name="Marked, no actions", marking="official-sensitive")
    for action in Action.objects.all():
        ProgressUpdateFactory(action=action)
        ProgressUpdateFactory(action=action, marking="official-sensitive")


def test_one_who_sees_a_whole_plan_sees_all_of_it_marked_updates_included(world):
    _marked_updates(world)
    answers = set()
    for (who, user), plan in itertools.product(world["users"].items(), world["plans"].values()):
        whole = permissions.sees_whole_plan(user, plan)
        answers.add(whole)
        if not whole:
            continue
        actions = Action.objects.filter(theme__plan=plan)
        assert pks(permissions.visible_actions(user).filter(theme__plan=plan)) == pks(actions)
        assert pks(permissions.visible_themes(user).filter(plan=plan)) == pks(
            Theme.objects.filter(plan=plan)
        ), (who, plan.board)
        every = ProgressUpdate.objects.filter(action__in=actions)
        listed = selectors.listed_updates(user).filter(action__in=actions)
        assert pks(listed) == pks(every), (who, plan.board)
    assert answers == {True, False}


def test_one_who_sees_a_whole_boards_scope_sees_all_of_it_marked_updates_included(world):
    _marked_updates(world)
    answers = set()
    for (who, user), board in itertools.product(world["users"].items(), world["boards"]):
        boards = with_subgroups([board.pk])
        whole = permissions.sees_whole_boards(user, boards)
        answers.add(whole)
        if not whole:
            continue
        actions = Action.objects.filter(selectors.owned_or_monitored(boards))
        visible = permissions.visible_actions(user).filter(selectors.owned_or_monitored(boards))
        assert pks(visible) == pks(actions), (who, board)
        every = ProgressUpdate.objects.filter(action__in=actions)
        listed = selectors.listed_updates(user).filter(action__in=actions)
        assert pks(listed) == pks(every), (who, board)
        # Every plan holding an action of the scope is one they may open.
        held = Plan.objects.filter(pk__in=actions.values("theme__plan_id"))
        assert pks(held) <= pks(permissions.visible_plans(user)), (who, board)
    assert answers == {True, False}


def test_the_plans_offered_for_import_are_those_that_may_be_imported(world):
    for who, user in world["users"].items():
        offered = set(permissions.importable_plans(user))
        allowed = {plan for plan in Plan.objects.all() if permissions.can_import_plan(user, plan)}
        assert offered == allowed, who
    # The analyst on the board sees the restricted actions of its plan, but not all of those
    # of the second board's plan: only that one of the two is theirs to import.
    analyst = world["users"]["analyst on the board"]
    plans = world["plans"]
    assert plans["board"] in permissions.importable_plans(analyst)
    assert plans["second"] not in permissions.importable_plans(analyst)


def test_a_restricted_action_no_board_monitors_keeps_its_plan_from_import():
    # Hidden from an analyst who sits on another board: no board owns or monitors it that
    # they sit on (the test of "monitored by" is false for it, not unknown).
    here = PartnershipFactory()
    analyst = user_in_role(Role.ANALYST, partnerships=[here], boards=[BoardFactory()])
    plan = PlanFactory(partnership=here, board=BoardFactory(partnership=here))
    ActionFactory(theme=ThemeFactory(plan=plan), marking="official-sensitive")
    assert not permissions.can_import_plan(analyst, plan)
    assert plan not in permissions.importable_plans(analyst)


def test_the_shortcuts_take_nothing_a_chair_or_officer_may_not_see(world):
    # The equivalences above would hold trivially if everyone saw everything.
    users = world["users"]
    plan = world["plans"]["board"]
    for who in ("chair of the subgroup", "officer on the subgroup"):
        in_plan = permissions.visible_in_plan(users[who], plan)
        assert in_plan.count() < Action.objects.filter(theme__plan=plan).count()
        assert in_plan.filter(marking="official-sensitive").exists()  # those the subgroup monitors
    assert not permissions.visible_in_plan(users["officer"], plan).filter(
        marking="official-sensitive"
    )


def test_access_is_ids_resolved_once_and_the_querysets_use_them(world, django_assert_num_queries):
    chair = world["users"]["chair of the board"]
    access = permissions.access_for(chair)
    board = world["boards"][0]
    assert access == permissions.Access(
        role=Role.CHAIR,
        person_id=chair.person.pk,
        organisation_id=chair.person.organisation_id,
        partnership_ids=frozenset(),
        board_ids=frozenset(with_subgroups([board.pk])),
        # The partnership of the board they sit on: where their organisation's actions count.
        home_ids=frozenset([board.partnership_id]),
    )
    with pytest.raises(AttributeError):
        access.board_ids = frozenset()  # immutable
    # No subquery of memberships: the boards are a list of ids.
    sql = str(permissions.visible_actions(chair).order_by().query)
    assert "boards_membership" not in sql
    with permissions.once_per_request():
        permissions.access_for(chair)
        with django_assert_num_queries(0):
            assert permissions.access_for(chair) is permissions.access_for(chair)


def test_nothing_is_kept_on_the_person_so_a_new_seat_counts_at_once(world):
    # Outside a request every call resolves afresh: nothing about what the person may see
    # is cached on their model instance, where a later change would not reach it.
    officer = world["users"]["officer"]
    person_attributes = set(vars(officer.person))
    seen = pks(permissions.visible_actions(officer))
    assert set(vars(officer.person)) == person_attributes
    # A seat on the second board: its plan's restricted actions, and those it monitors.
    MembershipFactory(person=officer.person, board=world["boards"][2])
    assert pks(permissions.visible_actions(officer)) > seen


def test_a_request_resolves_the_users_access_once(client, world, monkeypatch):
    calls = []
    resolve = permissions._resolve
    monkeypatch.setattr(permissions, "_resolve", lambda user: calls.append(user) or resolve(user))
    chair = world["users"]["chair of the board"]
    client.force_login(chair)
    plan = world["plans"]["board"]
    for url in (
        reverse("actions:plan-detail", args=[plan.slug]),
        reverse("reporting:plan-dashboard", args=[plan.slug]),
        reverse("reporting:board-dashboard", args=[plan.board_id]),
    ):
        calls.clear()
        assert client.get(url).status_code == 200
        assert len(calls) == 1, url
