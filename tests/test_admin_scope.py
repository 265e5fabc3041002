"""Behind the door: only administrators enter the admin (tests/test_admin_entry.py), but
should it ever let in another staff user, its pages would still show them only what
actions.permissions lets them see, and let them change only what it lets them change: a
restricted action they may not see, or a plan of another partnership, cannot be found in
any list, page, history, autocomplete, filter or export. These tests open the door to staff
(the `admin_open_to_staff` fixture, Django's own rule) to check that second line; the first
test here checks that the door is shut without it."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from actions.models import Action, Plan, ProgressUpdate, Theme
from boards.models import Board, Person, Role
from tests.factories import (
    ActionFactory,
    BoardFactory,
    PartnershipFactory,
    PersonFactory,
    PlanFactory,
    ThemeFactory,
    UserFactory,
    user_in_role,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("admin_open_to_staff")]

SECRET = "Covert surveillance of the Eastbury estate"


@pytest.fixture
def world():
    """One partnership with a plan of two actions, one of them restricted (its plan's board
    sits above nobody on the staff); another partnership with a plan of its own."""
    here, elsewhere = PartnershipFactory(name="Here CSP"), PartnershipFactory(name="Far CSP")
    plan = PlanFactory(partnership=here, title="Here plan", board=BoardFactory(partnership=here))
    theme = ThemeFactory(plan=plan, name="Here theme")
    far_plan = PlanFactory(
        partnership=elsewhere, title="Far plan", board=BoardFactory(partnership=elsewhere)
    )
    far_theme = ThemeFactory(plan=far_plan, name="Far theme")
    far_lead = PersonFactory(name="Far Lead")
    far_action = ActionFactory(theme=far_theme, text="Far action")
    far_action.lead_people.add(far_lead)
    return {
        "here": here,
        "plan": plan,
        "theme": theme,
        "open": ActionFactory(theme=theme, text="Open action"),
        "secret": ActionFactory(theme=theme, text=SECRET, marking="official-sensitive"),
        "far_plan": far_plan,
        "far_theme": far_theme,
        "far_action": far_action,
        "far_lead": far_lead,
    }


def staff(role, partnership, **kwargs):
    """A staff user in `role`, with every Django permission on our models: what they may
    see and change is then only what their role allows."""
    user = user_in_role(role, partnerships=[partnership], **kwargs)
    user.is_staff = True
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["actions", "boards"])
    )
    return user


@pytest.fixture
def analyst(client, world):
    user = staff(Role.ANALYST, world["here"])
    client.force_login(user)
    return user


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def autocomplete(client, model, field, term=""):
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field,
            "term": term,
        },
    )
    assert response.status_code == 200
    return [result["text"] for result in json.loads(response.content)["results"]]


def not_found(response) -> bool:
    """As the admin answers for a record that does not exist: to the index, with a message."""
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CHAIR, Role.ANALYST])
def test_without_the_door_opened_a_staff_user_who_is_not_an_administrator_finds_no_admin(
    client, world, role, monkeypatch
):
    monkeypatch.undo()  # the admin as it is: administrators only
    client.force_login(staff(role, world["here"], boards=[world["plan"].board]))

    for page in (
        url(Action, "changelist"),
        url(Action, "change", world["open"].pk),
        url(Plan, "export_workbook", world["plan"].pk),
        reverse("admin:actions_action_import"),
    ):
        assert client.get(page).status_code == 404, page


def test_lists_and_searches_hold_only_what_the_user_may_see(client, world, analyst):
    actions = client.get(url(Action, "changelist")).content.decode()
    assert "Open action" in actions
    assert SECRET not in actions and "Far action" not in actions
    found = client.get(url(Action, "changelist"), {"q": "Eastbury"}).context["cl"]
    assert found.result_count == 0
    plans = client.get(url(Plan, "changelist")).content.decode()
    assert "Here plan" in plans and "Far plan" not in plans
    themes = client.get(url(Theme, "changelist")).content.decode()
    assert "Here theme" in themes and "Far theme" not in themes
    boards = client.get(url(Board, "changelist")).context["cl"].result_list
    assert {board.partnership for board in boards} == {world["here"]}
    people = client.get(url(Person, "changelist")).content.decode()
    assert "Far Lead" not in people


def test_counts_leave_out_what_the_user_may_not_see(client, world, analyst):
    plans = client.get(url(Plan, "changelist")).context["cl"].result_list
    assert [(plan.title, plan.action_count) for plan in plans] == [("Here plan", 1)]
    themes = client.get(url(Theme, "changelist")).context["cl"].result_list
    assert [(theme.name, theme.action_count) for theme in themes] == [("Here theme", 1)]


def test_filters_offer_only_what_the_user_may_see(client, world, analyst):
    page = client.get(url(Action, "changelist")).content.decode()
    assert "Here plan" in page
    assert "Far plan" not in page and "Far CSP" not in page and "Far theme" not in page


def test_a_hidden_record_is_not_found_as_a_missing_one_is(client, world, analyst):
    for model, obj in (
        (Action, world["secret"]),
        (Action, world["far_action"]),
        (Plan, world["far_plan"]),
        (Theme, world["far_theme"]),
        (Person, world["far_lead"]),
    ):
        assert not_found(client.get(url(model, "change", obj.pk))), (model, obj)
        assert not_found(client.get(url(model, "change", 999999)))
        assert client.get(url(model, "history", obj.pk)).status_code == 404
        assert client.get(url(model, "history", 999999)).status_code == 404
        assert not_found(client.get(url(model, "delete", obj.pk)))
        version = obj.history.first().history_id
        simple_history = url(model, "simple_history", obj.pk, version)
        assert client.get(simple_history).status_code == 404
    assert not_found(client.get(url(Plan, "export_workbook", world["far_plan"].pk)))
    # Nor is it chosen, or its layout given away, on the import page.
    importing = client.get(reverse("admin:actions_action_import"), {"plan": world["far_plan"].pk})
    assert not {"plan", "format"} & set(importing.context["form"].initial)


def test_autocomplete_offers_only_what_the_user_may_choose(client, world, analyst):
    open_theme = ThemeFactory(plan=PlanFactory(partnership=world["here"]), name="Open theme")

    actions = autocomplete(client, ProgressUpdate, "action")
    assert any("Open action" in text for text in actions)
    assert not any("Eastbury" in text or "Far action" in text for text in actions)
    assert autocomplete(client, ProgressUpdate, "action", "Eastbury") == []
    # A new action goes into a theme of a plan the user may change: not one of another
    # partnership, nor one of a plan with an action hidden from them.
    assert autocomplete(client, Action, "theme") == [open_theme.name]
    assert autocomplete(client, Theme, "plan") == [open_theme.plan.title]
    assert autocomplete(client, Action, "lead_people", "Far") == []


def test_a_hidden_choice_posted_anyway_is_refused(client, world, analyst):
    response = client.post(
        url(ProgressUpdate, "add"),
        {"action": world["far_action"].pk, "date": "2021-11-01", "text": "Sneaked in"},
    )

    assert response.status_code == 200
    assert "action" in response.context["adminform"].form.errors
    assert not ProgressUpdate.objects.exists()


def test_a_plan_with_an_action_hidden_from_the_user_may_be_seen_but_not_exported(
    client, world, analyst
):
    plan = world["plan"]
    assert client.get(url(Plan, "change", plan.pk)).status_code == 200
    response = client.get(url(Plan, "export_workbook", plan.pk), {"layout": "vru"})
    assert response.status_code == 403
    assert client.get(reverse("admin:actions_action_import"), {"plan": plan.pk}).status_code == 200


def test_what_the_user_may_see_but_not_change_is_shown_read_only(client, world):
    officer = staff(Role.OFFICER, world["here"])
    world["open"].lead_people.add(officer.person)
    other = ActionFactory(theme=world["theme"], text="Someone else's action")
    client.force_login(officer)

    led = client.get(url(Action, "change", world["open"].pk))
    seen = client.get(url(Action, "change", other.pk))
    refused = client.post(url(Action, "change", other.pk), {"text": "Rewritten"})

    assert led.context["has_change_permission"]
    # Those who lead an action but may not change its plan may not move it or unmark it.
    assert "theme" not in led.context["adminform"].form.fields
    assert "marking" not in led.context["adminform"].form.fields
    assert not seen.context["has_change_permission"]
    assert refused.status_code == 403
    other.refresh_from_db()
    assert other.text == "Someone else's action"
    board = Board.objects.filter(partnership=world["here"]).first()
    assert not client.get(url(Board, "change", board.pk)).context["has_change_permission"]
    assert client.get(url(Plan, "add")).status_code == 403  # plans are for analysts


def test_staff_with_no_person_see_nothing(client, world):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="actions"))
    client.force_login(user)

    assert client.get(url(Action, "changelist")).context["cl"].result_count == 0
    assert not_found(client.get(url(Action, "change", world["open"].pk)))


def test_administrators_see_everything(client, world):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(url(Action, "changelist")).content.decode()
    assert SECRET in page and "Far action" in page
    assert client.get(url(Action, "change", world["secret"].pk)).status_code == 200
    assert SECRET in " ".join(autocomplete(client, ProgressUpdate, "action", "Eastbury"))
    response = client.get(url(Plan, "export_workbook", world["plan"].pk), {"layout": "vru"})
    assert response.status_code == 200


def test_a_chair_of_the_board_sees_the_restricted_action_in_the_admin(client, world):
    board = world["plan"].board
    chair = staff(Role.CHAIR, world["here"], boards=[board])
    client.force_login(chair)

    assert SECRET in client.get(url(Action, "changelist")).content.decode()
    assert client.get(url(Action, "change", world["secret"].pk)).status_code == 200
