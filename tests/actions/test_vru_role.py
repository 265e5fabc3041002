"""The VRU role (actions/permissions.py): reads every partnership's plans in the VRU layout,
at OFFICIAL only, and changes nothing; what the existing pages give it."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions import permissions, selectors
from actions.models import Action, Marking, Plan, ProgressUpdate
from boards.models import Membership, Role
from meetings import permissions as meeting_permissions
from tests.factories import (
    ActionFactory,
    MembershipFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    user_in_role,
)
from tests.helpers import days_ago, get

pytestmark = pytest.mark.django_db


@pytest.fixture
def vru(world):
    """The world, with an SGV plan here, a marked update on a1 and a marked VRU plan
    elsewhere; and a VRU user who (to show none of it counts for the role) sits on the CSP
    board as its chair, is a named lead of the marked action bx2, belongs to the partnership
    here and is of the council, which leads a2."""
    sgv = PlanFactory(partnership=world.here, board=world.board, layout=Plan.Layout.SGV)
    world.sgv_action = ActionFactory(theme=ThemeFactory(plan=sgv), text="An SGV action")
    world.marked_update = ProgressUpdateFactory(
        action=world.a1,
        date=days_ago(1),
        text="A marked update",
        marking=Marking.OFFICIAL_SENSITIVE,
    )
    world.marked_plan = PlanFactory(
        partnership=world.elsewhere, marking=Marking.OFFICIAL_SENSITIVE, title="A marked plan"
    )
    ActionFactory(theme=ThemeFactory(plan=world.marked_plan), text="In a marked plan")
    user = user_in_role(
        Role.VRU, partnerships=[world.here], organisation=world.council, name="VRU account"
    )
    MembershipFactory(board=world.board, person=user.person, role=Membership.Role.CHAIR)
    world.bx2.lead_people.add(user.person)
    world.vru = user
    return world


def test_the_vru_sees_the_vru_plans_at_official_and_nothing_marked(vru):
    user = vru.vru
    plans = set(permissions.visible_plans(user))
    assert plans == set(Plan.objects.filter(layout=Plan.Layout.VRU, marking=Marking.OFFICIAL))
    assert vru.plan in plans and vru.far_action.theme.plan in plans
    actions = set(permissions.visible_actions(user))
    vru_actions = Action.objects.filter(theme__plan__layout=Plan.Layout.VRU)
    assert actions == set(vru_actions.filter(selectors.official_condition()))
    assert vru.bx2 not in actions and vru.sgv_action not in actions
    assert not permissions.visible_actions(user).filter(selectors.sensitive_condition()).exists()
    updates = permissions.visible_updates(user)
    assert vru.marked_update not in updates
    assert not updates.filter(marking=Marking.OFFICIAL_SENSITIVE).exists()
    assert vru.a1 in actions and not permissions.may_see_marked(user, vru.a1)
    assert vru.schools in permissions.visible_themes(user)  # bx1 is in it, at OFFICIAL
    listed = ProgressUpdate.objects.filter(permissions.marked_updates_ok(user))
    assert vru.marked_update not in listed


def test_the_vru_changes_leads_imports_and_exports_nothing(vru):
    user = vru.vru
    assert not permissions.editable_actions(user).exists()
    assert not permissions.actions_led_by(user).exists()
    assert not permissions.importable_plans(user).exists()
    assert not permissions.editable_plans(user).exists()
    assert not permissions.partnerships_for_new_plans(user).exists()
    assert not permissions.can_export_plan(user)
    assert not permissions.can_import_plan(user, vru.other_plan)
    assert not permissions.can_edit_indicators(user, vru.plan)
    assert not permissions.may_use_admin(user)
    assert not permissions.visible_boards(user).exists()
    assert not meeting_permissions.visible_meetings(user).exists()
    assert not meeting_permissions.can_manage_meetings(user, vru.board)
    assert not meeting_permissions.report_writable_subgroups(user, vru.board).exists()
    assert permissions.may_use_vru_view(user)


def test_what_the_pages_give_the_vru(client, vru):
    user = vru.vru
    # My actions: nothing, though an action names them and their organisation leads others.
    page = get(client, user, reverse("actions:my-actions"))
    assert "Protectively marked operation" not in page.content.decode()
    assert "Problem profile" not in page.content.decode()
    # The plans list: the VRU plans alone.
    page = get(client, user, reverse("actions:plan-list")).content.decode()
    assert "Test violence plan" in page and "Test far plan" in page
    assert "A marked plan" not in page
    # A plan page and its dashboard: read-only, without the marked action or update.
    for name in (
        "actions:plan-detail",
        "reporting:plan-dashboard",
        "reporting:plan-pack",
    ):
        page = get(client, user, reverse(name, args=[vru.plan.slug])).content.decode()
        assert "Daily violence meeting" in page
        assert "Protectively marked operation" not in page
        assert "A marked update" not in page
        assert "app-marking-banner" not in page  # nothing on it is marked
        assert reverse("actions:action-update", args=[vru.a1.pk]) not in page
        assert reverse("workbooks:plan-export", args=[vru.plan.slug]) not in page
    page = get(client, user, reverse("reporting:plan-since", args=[vru.plan.slug]))
    assert "A marked update" not in page.content.decode()
    assert "Protectively marked operation" not in page.content.decode()
    # An action's page: its updates and history, less the marked update.
    page = get(client, user, reverse("actions:action-detail", args=[vru.a1.pk])).content.decode()
    assert "Meeting moved to weekly" in page and "A marked update" not in page
    # The plan page's actions as a workbook (anyone who may see the plan): what they see.
    download = get(client, user, reverse("workbooks:plan-download", args=[vru.plan.slug]))
    book = load_workbook(io.BytesIO(download.content), read_only=True)
    cells = " ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    assert "Daily violence meeting" in cells
    assert "Protectively marked operation" not in cells and "A marked update" not in cells
    assert "OFFICIAL-SENSITIVE" not in cells
    # Another layout, a marked plan, the marked action, the update form: not theirs.
    get(
        client,
        user,
        reverse("actions:plan-detail", args=[vru.sgv_action.theme.plan.slug]),
        status=404,
    )
    get(client, user, reverse("actions:plan-detail", args=[vru.marked_plan.slug]), status=404)
    get(client, user, reverse("actions:action-detail", args=[vru.bx2.pk]), status=404)
    get(client, user, reverse("actions:action-update", args=[vru.a1.pk]), status=403)
    get(client, user, reverse("workbooks:plan-export", args=[vru.plan.slug]), status=403)
    # Boards, their dashboards and meetings: none, though they sit on the CSP board.
    get(client, user, reverse("reporting:board-dashboard", args=[vru.board.pk]), status=404)
    get(client, user, reverse("meetings:board-meetings", args=[vru.board.pk]), status=404)
    get(client, user, "/admin/", status=404)
