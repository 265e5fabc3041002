"""The administration: every model's list, search, filters and edit page, for staff only."""

import datetime
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.urls import reverse

from actions.models import Action, ProgressUpdate
from actions.rag import COLOURS
from boards.models import Board
from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingAction,
    StandingItem,
    SubgroupReport,
)
from tests.factories import (
    ActionFactory,
    IndicatorValueFactory,
    MembershipFactory,
    OrganisationFactory,
    PanelFeedbackFactory,
    PlanFactory,
    ProgressUpdateFactory,
    SeniorLeaderFactory,
    ThemeFactory,
    UserFactory,
)
from tests.helpers import admin_change

pytestmark = pytest.mark.django_db

# The records people keep and change. Not the log of reminders sent (meetings.Reminder),
# which is written once by send_reminders and never changed, as downloads are logged.
OUR_MODELS = [
    model
    for app in ("boards", "actions", "meetings")
    for model in apps.get_app_config(app).get_models()
    if model._meta.label != "meetings.Reminder"
]


@pytest.fixture
def one_of_everything():
    action = ActionFactory(rag="red")
    action.lead_organisations.add(OrganisationFactory())
    ProgressUpdateFactory(action=action, rag="amber")
    MembershipFactory(board=action.theme.plan.board)
    SeniorLeaderFactory(plan=action.theme.plan)
    PanelFeedbackFactory(theme=action.theme, year="2020/21")
    IndicatorValueFactory(indicator__plan=action.theme.plan)
    _a_meeting_of(action.theme.plan.board)
    return action


def _a_meeting_of(board):
    """A meeting of `board` with one of each of its records (meetings' admin pages)."""
    subgroup = Board.objects.create(
        partnership=board.partnership, parent=board, name="Test subgroup", slug="test-subgroup"
    )
    meeting = Meeting.objects.create(board=board, date=datetime.date(2021, 12, 8))
    StandingItem.objects.create(board=board, title="Community tensions")
    item = AgendaItem.objects.create(meeting=meeting, number="11", title="Heathway Tensions")
    Attendance.objects.create(meeting=meeting, name_as_written="Ann", kind="present")
    MeetingAction.objects.create(meeting=meeting, agenda_item=item, text="Ann to write.")
    SubgroupReport.objects.create(board=subgroup, meeting=meeting, title="Subgroup update")


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_is_registered_with_history():
    for model in OUR_MODELS:
        if model.__name__.startswith("Historical"):
            continue
        assert model in admin.site._registry, model
        assert hasattr(admin.site._registry[model], "history_view"), model


@pytest.mark.parametrize(
    "model", [m for m in OUR_MODELS if not m.__name__.startswith("Historical")], ids=str
)
def test_list_add_change_and_history_pages_render(admin_client, one_of_everything, model):
    assert admin_client.get(_url(model, "changelist")).status_code == 200
    assert admin_client.get(_url(model, "changelist"), {"q": "a"}).status_code == 200
    assert admin_client.get(_url(model, "add")).status_code == 200
    obj = model.objects.first()
    assert admin_client.get(_url(model, "change", obj.pk)).status_code == 200
    assert admin_client.get(_url(model, "history", obj.pk)).status_code == 200


def test_signed_out_users_are_sent_to_sign_in_and_others_find_no_admin(client, one_of_everything):
    url = _url(Action, "changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
    # Staff or not, only administrators enter (tests/test_admin_entry.py).
    for user in (UserFactory(is_staff=False), UserFactory(is_staff=True)):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_action_list_shows_rag_as_a_labelled_colour(admin_client, one_of_everything):
    response = admin_client.get(_url(Action, "changelist"))
    content = response.content.decode()
    assert 'class="admin-rag admin-rag--red">Red</span>' in content
    # The colour comes from the admin lists' stylesheet, which the page links and which
    # colours each status as actions.rag.COLOURS says (the spreadsheets and pack use those).
    assert "css/admin-lists.css" in content
    css = finders.find("css/admin-lists.css")
    rules = Path(css).read_text()
    for rag, (background, foreground) in COLOURS.items():
        rule = re.search(r"\.admin-rag--" + rag.value.replace("_", "-") + r" \{([^}]*)\}", rules)
        assert rule, f"no rule for {rag}"
        assert f"background: {background};" in rule.group(1)
        assert f"color: {foreground};" in rule.group(1)


def test_action_list_filters_by_plan_rag_and_lead_organisation(admin_client):
    red = ActionFactory(rag="red", text="The red one")
    ActionFactory(rag="green", text="The green one", theme__plan=red.theme.plan)
    organisation = OrganisationFactory()
    red.lead_organisations.add(organisation)
    url = _url(Action, "changelist")
    by_rag = admin_client.get(
        url, {"rag__exact": "red", "theme__plan__id__exact": red.theme.plan_id}
    )
    assert "The red one" in by_rag.content.decode()
    assert "The green one" not in by_rag.content.decode()
    by_org = admin_client.get(url, {"lead_organisations__id__exact": organisation.pk})
    assert "The red one" in by_org.content.decode()
    assert "The green one" not in by_org.content.decode()


def test_action_list_query_count_does_not_grow_with_actions(
    admin_client, django_assert_max_num_queries
):
    theme = ThemeFactory()
    ActionFactory.create_batch(5, theme=theme)
    url = _url(Action, "changelist")
    with django_assert_max_num_queries(100) as few:
        admin_client.get(url)
    ActionFactory.create_batch(60, theme=ThemeFactory(plan=theme.plan))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(url)
    assert response.status_code == 200


def test_plan_page_shows_its_themes_inline(admin_client):
    plan = PlanFactory()
    ThemeFactory(plan=plan, name="Reducing Access to Weapons")
    response = admin_client.get(_url(type(plan), "change", plan.pk))
    assert "Reducing Access to Weapons" in response.content.decode()


def test_editing_an_action_in_the_admin_is_recorded_with_who_and_what_before(admin_client):
    action = ActionFactory(rag="amber", end_date=datetime.date(2022, 12, 10))
    response = admin_change(admin_client, action, rag="red")
    latest, before = action.history.all()[:2]
    assert latest.rag == "red" and before.rag == "amber"
    assert latest.history_user == response.wsgi_request.user


def test_an_update_added_in_the_admin_records_who_typed_it_in(client):
    administrator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(administrator)
    action = ActionFactory()

    admin_change(
        client,
        action,
        **{
            "updates-TOTAL_FORMS": "1",
            "updates-0-date": "2021-11-01",
            "updates-0-rag": "amber",
            "updates-0-text": "Meets every morning",
            "updates-0-marking": "official",
        },
    )

    [update] = action.updates.all()
    assert (update.text, update.created_by) == ("Meets every morning", administrator)
    added = client.post(
        _url(ProgressUpdate, "add"),
        {"action": action.pk, "date": "2021-12-01", "text": "More", "marking": "official"},
    )
    assert added.status_code == 302
    assert action.updates.get(text="More").created_by == administrator


def test_the_admin_home_asks_once_whether_a_partnership_administrator_may_change_plans(
    world, client, monkeypatch
):
    """Its home page and menu list every model, and each whose records belong to a plan
    asks whether the user may change any plan: a query that reads every action they may not
    see. Answered once per request (permissions.edits_any_plan)."""
    from actions import permissions

    asked = []
    editable_plans = permissions.editable_plans

    def counted(user):
        asked.append(user)
        return editable_plans(user)

    monkeypatch.setattr(permissions, "editable_plans", counted)
    client.force_login(world.administrator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert len(asked) == 1
    page = response.content.decode()
    # The plans' records may still be added: the one answer is used for each of them.
    for model in ("theme", "action", "indicator", "seniorleader"):
        assert reverse(f"admin:actions_{model}_add") in page, model
