"""The roles: who sees, edits, imports and exports what (actions/permissions.py), over the
shared world (tests/conftest.py) and a plan of the subgroup's own."""

import pytest
from django.contrib.auth.models import AnonymousUser

from actions import permissions
from boards.models import Role
from tests.factories import (
    ActionFactory,
    PersonFactory,
    PlanFactory,
    ThemeFactory,
    UserFactory,
    user_in_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def subgroup_action(world):
    """The one action of a plan the violence subgroup owns."""
    plan = PlanFactory(partnership=world.here, board=world.subgroup, title="Test subgroup plan")
    return ActionFactory(theme=ThemeFactory(plan=plan))


def pks(queryset):
    return sorted(queryset.values_list("pk", flat=True))


def test_nobody_sees_anything_without_a_person_or_when_signed_out_or_inactive(world):
    inactive = world.analyst
    inactive.is_active = False
    for user in (AnonymousUser(), world.no_person, inactive):
        assert permissions.role_of(user) is None
        assert not permissions.visible_plans(user).exists()
        assert not permissions.visible_actions(user).exists()
        assert not permissions.editable_actions(user).exists()
        assert not permissions.can_export_plan(user, world.other_plan)
        assert not permissions.can_import_plan(user)


def test_an_officer_sees_their_partnerships_plans_and_edits_only_what_they_lead(
    world, subgroup_action
):
    officer = world.officer  # of the police, which leads a1 and b1
    world.a2.lead_people.add(officer.person)
    mine = ActionFactory(theme=world.licensing)
    mine.lead_organisations.add(world.police)
    here = [world.plan.pk, subgroup_action.theme.plan_id, world.other_plan.pk]
    assert pks(permissions.visible_plans(officer)) == sorted(here)
    assert world.far_action.pk not in pks(permissions.visible_actions(officer))
    assert pks(permissions.editable_actions(officer)) == sorted(
        [world.a1.pk, world.a2.pk, world.b1.pk, mine.pk]
    )
    assert permissions.can_edit_action(officer, mine)
    assert not permissions.can_edit_action(officer, subgroup_action)
    assert not permissions.can_export_plan(officer, world.other_plan)
    assert not permissions.can_import_plan(officer, world.other_plan)


def test_an_action_led_in_another_partnership_is_seen_and_edited_by_its_lead(world):
    officer = world.officer
    world.far_action.lead_people.add(officer.person)
    assert world.far_action in permissions.visible_actions(officer)
    assert world.far_plan in permissions.visible_plans(officer)
    assert permissions.can_edit_action(officer, world.far_action)
    # ...but not the rest of that plan.
    other = ActionFactory(theme=world.far_action.theme)
    assert other not in permissions.visible_actions(officer)


def test_an_action_led_by_person_and_organisation_is_listed_once(world):
    officer = world.council_officer  # of the council, which leads a2 and b1
    world.a2.lead_people.add(officer.person)
    assert pks(permissions.actions_led_by(officer)) == sorted([world.a2.pk, world.b1.pk])
    assert permissions.visible_actions(officer).filter(pk=world.a2.pk).count() == 1


def test_a_chair_sees_their_boards_subgroups_and_what_they_monitor_and_edits_nothing(
    world, subgroup_action
):
    chair = world.chair  # of the CSP board
    monitored = ActionFactory(theme=world.licensing, monitoring_board=world.subgroup)
    assert pks(permissions.visible_plans(chair)) == sorted(
        [world.plan.pk, subgroup_action.theme.plan_id, world.other_plan.pk]
    )
    # The board's plan (the restricted bx2 too: the plan is the board's), the subgroup's,
    # and in the other plan what the subgroup monitors: m1 by its theme (not m2, which names
    # the other board) and `monitored` by its own monitoring board.
    board_plan = [world.a1, world.a2, world.b1, world.bx1, world.bx2, world.c1]
    assert pks(permissions.visible_actions(chair)) == sorted(
        a.pk for a in [*board_plan, subgroup_action, world.m1, monitored]
    )
    assert world.u1 not in permissions.visible_actions(chair)
    assert not permissions.editable_actions(chair).exists()
    assert not permissions.can_export_plan(chair, world.plan)


def test_a_chair_of_a_subgroup_does_not_see_the_board_above_it(world, subgroup_action):
    chair = user_in_role(Role.CHAIR, boards=[world.subgroup])
    # Its own plan, and the other plan for what it monitors there; not the board's plan.
    assert pks(permissions.visible_plans(chair)) == sorted(
        [subgroup_action.theme.plan_id, world.other_plan.pk]
    )


def test_a_chair_who_leads_an_action_may_edit_it(world):
    chair = world.chair
    world.a1.lead_people.add(chair.person)
    assert pks(permissions.editable_actions(chair)) == [world.a1.pk]


def test_a_theme_monitored_by_the_chairs_subgroup_brings_its_actions(world):
    chair = user_in_role(Role.CHAIR, boards=[world.subgroup])
    assert world.u1 not in permissions.visible_actions(chair)
    world.licensing.monitoring_board = world.subgroup
    world.licensing.save()
    assert world.u1 in permissions.visible_actions(chair)


def test_an_analyst_edits_imports_and_exports_their_partnerships_plans_only(world, subgroup_action):
    analyst = world.analyst
    assert permissions.can_edit_action(analyst, subgroup_action)
    assert not permissions.can_edit_action(analyst, world.far_action)
    assert world.far_plan not in permissions.visible_plans(analyst)
    assert permissions.can_export_plan(analyst, subgroup_action.theme.plan)
    assert permissions.can_import_plan(analyst, world.other_plan)
    assert permissions.can_import_plan(analyst)
    assert not permissions.can_export_plan(analyst, world.far_plan)
    assert not permissions.can_import_plan(analyst, world.far_plan)


def test_an_analyst_of_no_partnership_may_import_nothing(world):
    analyst = user_in_role(Role.ANALYST)
    assert not permissions.can_import_plan(analyst)
    assert not permissions.visible_plans(analyst).exists()


@pytest.mark.parametrize("make", ["superuser", "role"])
def test_administrators_may_do_everything(world, subgroup_action, make):
    """A superuser everywhere; a partnership's administrator everything of their own
    partnership (here), and nothing of another (issue 15)."""
    user = world.superuser if make == "superuser" else world.administrator
    assert permissions.is_administrator(user)
    if make == "superuser":
        # The world's three plans and the subgroup's; their 6, 3, 1 and 1 actions.
        assert permissions.visible_plans(user).count() == 4
        assert permissions.editable_actions(user).count() == 11
        assert permissions.can_import_plan(user, world.far_plan)
        assert permissions.can_export_plan(user, world.far_plan)
        return
    # Here's two plans and the subgroup's; their 6, 3 and 1 actions, the marked bx2 too.
    assert permissions.visible_plans(user).count() == 3
    assert permissions.editable_actions(user).count() == 10
    assert world.bx2 in permissions.visible_actions(user)
    assert permissions.can_import_plan(user, world.plan)
    assert not permissions.can_import_plan(user, world.far_plan)
    assert not permissions.can_export_plan(user, world.far_plan)


def test_a_person_without_an_organisation_leads_only_by_name(world):
    # The world's actions are led by organisations (a1 and b1 by the police), none by them.
    user = UserFactory()
    PersonFactory(user=user, organisation=None, role=Role.OFFICER)
    assert not permissions.actions_led_by(user).exists()


# Restricted (protectively marked) actions


def test_a_restricted_action_is_hidden_from_those_who_only_see_its_plan(world):
    secret = world.bx2  # restricted, in the board's plan
    for user in (world.officer, world.analyst):
        assert world.plan in permissions.visible_plans(user)
        assert secret not in permissions.visible_actions(user)
        assert secret.pk not in pks(permissions.visible_actions(user))
        assert secret.pk not in pks(permissions.editable_actions(user))
    # A workbook carries every action, so the analyst may neither export nor import the plan.
    analyst = world.analyst
    assert not permissions.can_export_plan(analyst, world.plan)
    assert not permissions.can_import_plan(analyst, world.plan)
    assert world.plan not in permissions.importable_plans(analyst)
    assert permissions.can_export_plan(analyst, world.other_plan)


def test_a_restricted_action_is_seen_by_its_board_those_above_it_its_lead_and_admins(
    world, subgroup_action
):
    secret = ActionFactory(theme=subgroup_action.theme, marking="official-sensitive")
    on_subgroup = user_in_role(Role.OFFICER, partnerships=[world.here], boards=[world.subgroup])
    lead = world.far_officer  # of another partnership
    secret.lead_people.add(lead.person)
    for user in (on_subgroup, world.chair, lead, world.superuser):
        assert secret in permissions.visible_actions(user)
    assert permissions.can_edit_action(lead, secret)
    assert secret not in permissions.visible_actions(world.other_chair)


def test_leading_by_organisation_alone_does_not_open_a_restricted_action(world):
    officer, secret = world.council_officer, world.bx2  # the council leads bx2
    assert secret not in permissions.visible_actions(officer)
    assert not permissions.can_edit_action(officer, secret)
    assert secret not in permissions.actions_led_by(officer)


def test_an_analyst_on_the_owning_board_may_export_a_plan_with_restricted_actions(world):
    analyst = user_in_role(Role.ANALYST, partnerships=[world.here], boards=[world.board])
    assert permissions.can_export_plan(analyst, world.plan)
    assert permissions.can_import_plan(analyst, world.plan)


def test_boards_whose_dashboards_each_role_may_open(world):
    assert pks(permissions.visible_boards(world.chair)) == sorted(
        [world.board.pk, world.subgroup.pk]
    )
    assert pks(permissions.visible_boards(world.officer)) == sorted(
        [world.board.pk, world.subgroup.pk, world.other_board.pk]
    )
    assert not permissions.visible_boards(world.no_person).exists()
    assert permissions.visible_boards(world.superuser).count() == 4  # with the far board
    assert permissions.visible_boards(world.administrator).count() == 3  # here's alone


def test_an_actions_own_monitoring_board_wins_over_its_themes(world):
    # The subgroup monitors the Exploitation theme; its m2 names the other board.
    subgroup_chair = user_in_role(Role.CHAIR, boards=[world.subgroup])
    assert world.m1 in permissions.visible_actions(subgroup_chair)
    assert world.m2 not in permissions.visible_actions(subgroup_chair)
    assert world.m2 in permissions.visible_actions(world.other_chair)
