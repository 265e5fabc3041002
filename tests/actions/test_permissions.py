"""The roles: who sees, edits, imports and exports what (actions/permissions.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from actions import permissions
from boards.models import Role
from tests.factories import (
    ActionFactory,
    BoardFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    PlanFactory,
    ThemeFactory,
    UserFactory,
    user_in_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two partnerships. In the first, a board with a subgroup under it and a second board;
    a plan owned by each board, one action in each plan, and a plan in the other
    partnership."""
    here, elsewhere = PartnershipFactory(), PartnershipFactory()
    board = BoardFactory(partnership=here)
    subgroup = BoardFactory(partnership=here, parent=board)
    other_board = BoardFactory(partnership=here)
    police = OrganisationFactory(name="Police")
    w = {
        "here": here,
        "elsewhere": elsewhere,
        "board": board,
        "subgroup": subgroup,
        "other_board": other_board,
        "police": police,
    }
    for name, plan_board, partnership in (
        ("board_plan", board, here),
        ("subgroup_plan", subgroup, here),
        ("other_plan", other_board, here),
        ("far_plan", None, elsewhere),
    ):
        plan = PlanFactory(partnership=partnership, board=plan_board)
        w[name] = plan
        w[name.replace("plan", "action")] = ActionFactory(theme=ThemeFactory(plan=plan))
    return w


def pks(queryset):
    return sorted(queryset.values_list("pk", flat=True))


def test_nobody_sees_anything_without_a_person_or_when_signed_out_or_inactive(world):
    inactive = user_in_role(Role.ANALYST, partnerships=[world["here"]])
    inactive.is_active = False
    for user in (AnonymousUser(), UserFactory(), inactive):
        assert permissions.role_of(user) is None
        assert not permissions.visible_plans(user).exists()
        assert not permissions.visible_actions(user).exists()
        assert not permissions.editable_actions(user).exists()
        assert not permissions.can_export_plan(user, world["board_plan"])
        assert not permissions.can_import_plan(user)


def test_an_officer_sees_their_partnerships_plans_and_edits_only_what_they_lead(world):
    officer = user_in_role(Role.OFFICER, partnerships=[world["here"]])
    person = officer.person
    world["board_action"].lead_people.add(person)
    mine = ActionFactory(theme=world["other_action"].theme)
    mine.lead_organisations.add(person.organisation)
    here = [world[k].pk for k in ("board_plan", "subgroup_plan", "other_plan")]
    assert pks(permissions.visible_plans(officer)) == sorted(here)
    assert world["far_action"].pk not in pks(permissions.visible_actions(officer))
    assert pks(permissions.editable_actions(officer)) == sorted([world["board_action"].pk, mine.pk])
    assert permissions.can_edit_action(officer, mine)
    assert not permissions.can_edit_action(officer, world["subgroup_action"])
    assert not permissions.can_export_plan(officer, world["board_plan"])
    assert not permissions.can_import_plan(officer, world["board_plan"])


def test_an_action_led_in_another_partnership_is_seen_and_edited_by_its_lead(world):
    officer = user_in_role(Role.OFFICER, partnerships=[world["here"]])
    world["far_action"].lead_people.add(officer.person)
    assert world["far_action"] in permissions.visible_actions(officer)
    assert world["far_plan"] in permissions.visible_plans(officer)
    assert permissions.can_edit_action(officer, world["far_action"])
    # ...but not the rest of that plan.
    other = ActionFactory(theme=world["far_action"].theme)
    assert other not in permissions.visible_actions(officer)


def test_an_action_led_by_person_and_organisation_is_listed_once(world):
    officer = user_in_role(Role.OFFICER, partnerships=[world["here"]])
    action = world["board_action"]
    action.lead_people.add(officer.person)
    action.lead_organisations.add(officer.person.organisation)
    assert list(permissions.actions_led_by(officer)) == [action]
    assert permissions.visible_actions(officer).filter(pk=action.pk).count() == 1


def test_a_chair_sees_their_boards_subgroups_and_what_they_monitor_and_edits_nothing(world):
    chair = user_in_role(Role.CHAIR, partnerships=[world["here"]], boards=[world["board"]])
    monitored = ActionFactory(theme=world["other_action"].theme, monitoring_board=world["subgroup"])
    assert pks(permissions.visible_plans(chair)) == sorted(
        [world["board_plan"].pk, world["subgroup_plan"].pk, world["other_plan"].pk]
    )
    assert pks(permissions.visible_actions(chair)) == sorted(
        [world["board_action"].pk, world["subgroup_action"].pk, monitored.pk]
    )
    assert world["other_action"] not in permissions.visible_actions(chair)
    assert not permissions.editable_actions(chair).exists()
    assert not permissions.can_export_plan(chair, world["board_plan"])


def test_a_chair_of_a_subgroup_does_not_see_the_board_above_it(world):
    chair = user_in_role(Role.CHAIR, boards=[world["subgroup"]])
    assert pks(permissions.visible_plans(chair)) == [world["subgroup_plan"].pk]


def test_a_chair_who_leads_an_action_may_edit_it(world):
    chair = user_in_role(Role.CHAIR, boards=[world["board"]])
    world["board_action"].lead_people.add(chair.person)
    assert pks(permissions.editable_actions(chair)) == [world["board_action"].pk]


def test_a_theme_monitored_by_the_chairs_subgroup_brings_its_actions(world):
    theme = world["other_action"].theme
    theme.monitoring_board = world["subgroup"]
    theme.save()
    chair = user_in_role(Role.CHAIR, boards=[world["subgroup"]])
    assert world["other_action"] in permissions.visible_actions(chair)


def test_an_analyst_edits_imports_and_exports_their_partnerships_plans_only(world):
    analyst = user_in_role(Role.ANALYST, partnerships=[world["here"]])
    assert permissions.can_edit_action(analyst, world["subgroup_action"])
    assert not permissions.can_edit_action(analyst, world["far_action"])
    assert world["far_plan"] not in permissions.visible_plans(analyst)
    assert permissions.can_export_plan(analyst, world["board_plan"])
    assert permissions.can_import_plan(analyst, world["other_plan"])
    assert permissions.can_import_plan(analyst)
    assert not permissions.can_export_plan(analyst, world["far_plan"])
    assert not permissions.can_import_plan(analyst, world["far_plan"])


def test_an_analyst_of_no_partnership_may_import_nothing(world):
    analyst = user_in_role(Role.ANALYST)
    assert not permissions.can_import_plan(analyst)
    assert not permissions.visible_plans(analyst).exists()


@pytest.mark.parametrize("make", ["superuser", "role"])
def test_administrators_may_do_everything(world, make):
    if make == "superuser":
        user = UserFactory(is_superuser=True, is_staff=True)
    else:
        user = user_in_role(Role.ADMINISTRATOR)
    assert permissions.is_administrator(user)
    assert permissions.visible_plans(user).count() == 4
    assert permissions.editable_actions(user).count() == 4
    assert permissions.can_import_plan(user, world["far_plan"])
    assert permissions.can_export_plan(user, world["far_plan"])


def test_a_person_without_an_organisation_leads_only_by_name(world):
    user = UserFactory()
    PersonFactory(user=user, organisation=None, role=Role.OFFICER)
    world["board_action"].lead_organisations.add(world["police"])
    assert not permissions.actions_led_by(user).exists()


# Restricted (protectively marked) actions


def test_a_restricted_action_is_hidden_from_those_who_only_see_its_plan(world):
    secret = ActionFactory(theme=world["board_action"].theme, restricted=True)
    officer = user_in_role(Role.OFFICER, partnerships=[world["here"]])
    analyst = user_in_role(Role.ANALYST, partnerships=[world["here"]])
    for user in (officer, analyst):
        assert world["board_plan"] in permissions.visible_plans(user)
        assert secret not in permissions.visible_actions(user)
        assert secret.pk not in pks(permissions.visible_actions(user))
        assert secret.pk not in pks(permissions.editable_actions(user))
    # A workbook carries every action, so the analyst may neither export nor import the plan.
    assert not permissions.can_export_plan(analyst, world["board_plan"])
    assert not permissions.can_import_plan(analyst, world["board_plan"])
    assert world["board_plan"] not in permissions.importable_plans(analyst)
    assert permissions.can_export_plan(analyst, world["other_plan"])


def test_a_restricted_action_is_seen_by_its_board_those_above_it_its_lead_and_admins(world):
    secret = ActionFactory(theme=world["subgroup_action"].theme, restricted=True)
    on_subgroup = user_in_role(
        Role.OFFICER, partnerships=[world["here"]], boards=[world["subgroup"]]
    )
    above = user_in_role(Role.CHAIR, boards=[world["board"]])
    lead = user_in_role(Role.OFFICER)
    secret.lead_people.add(lead.person)
    admin = UserFactory(is_superuser=True)
    for user in (on_subgroup, above, lead, admin):
        assert secret in permissions.visible_actions(user)
    assert permissions.can_edit_action(lead, secret)
    elsewhere = user_in_role(Role.CHAIR, boards=[world["other_board"]])
    assert secret not in permissions.visible_actions(elsewhere)


def test_leading_by_organisation_alone_does_not_open_a_restricted_action(world):
    secret = ActionFactory(theme=world["board_action"].theme, restricted=True)
    officer = user_in_role(Role.OFFICER, partnerships=[world["here"]])
    secret.lead_organisations.add(officer.person.organisation)
    assert secret not in permissions.visible_actions(officer)
    assert not permissions.can_edit_action(officer, secret)
    assert secret not in permissions.actions_led_by(officer)


def test_an_analyst_on_the_owning_board_may_export_a_plan_with_restricted_actions(world):
    ActionFactory(theme=world["board_action"].theme, restricted=True)
    analyst = user_in_role(Role.ANALYST, partnerships=[world["here"]], boards=[world["board"]])
    assert permissions.can_export_plan(analyst, world["board_plan"])
    assert permissions.can_import_plan(analyst, world["board_plan"])


def test_boards_whose_dashboards_each_role_may_open(world):
    chair = user_in_role(Role.CHAIR, boards=[world["board"]])
    officer = user_in_role(Role.OFFICER, partnerships=[world["here"]])
    assert pks(permissions.visible_boards(chair)) == sorted(
        [world["board"].pk, world["subgroup"].pk]
    )
    assert pks(permissions.visible_boards(officer)) == sorted(
        [world["board"].pk, world["subgroup"].pk, world["other_board"].pk]
    )
    assert not permissions.visible_boards(UserFactory()).exists()
    assert permissions.visible_boards(user_in_role(Role.ADMINISTRATOR)).count() == 3


def test_an_actions_own_monitoring_board_wins_over_its_themes(world):
    theme = world["other_action"].theme
    theme.monitoring_board = world["subgroup"]
    theme.save()
    named_elsewhere = ActionFactory(theme=theme, monitoring_board=world["other_board"])
    subgroup_chair = user_in_role(Role.CHAIR, boards=[world["subgroup"]])
    other_chair = user_in_role(Role.CHAIR, boards=[world["other_board"]])
    assert world["other_action"] in permissions.visible_actions(subgroup_chair)
    assert named_elsewhere not in permissions.visible_actions(subgroup_chair)
    assert named_elsewhere in permissions.visible_actions(other_chair)
