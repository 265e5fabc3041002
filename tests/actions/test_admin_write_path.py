"""The admin writes through the services: a progress update added there sets the action's
RAG status and history as one added on the update form does, a change to an action and its
lists is one history row, and every record added, changed or deleted is recorded in the
name of the administrator who did it."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from actions.models import Action, Indicator, IndicatorValue, Plan, ProgressUpdate, Theme
from actions.rag import RAG
from actions.services import BROWSER_REASON, progress_update_create
from boards.models import Board, Membership
from cspplan.admin import ScopedAdmin, ScopedInline
from tests.factories import (
    ActionFactory,
    BoardFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OrganisationFactory,
    PersonFactory,
    PlanFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2021, 11, 1)


@pytest.fixture
def administrator():
    return UserFactory(is_staff=True, is_superuser=True, first_name="Ada", last_name="Admin")


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def form_data(client, address, **changes) -> dict:
    """The admin's form at `address` as it stands (with its inlines, none added), and
    `changes`."""
    response = client.get(address)
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(
            {
                f"{formset.prefix}-{key}": value
                for key, value in formset.management_form.initial.items()
            }
        )
        for row in formset.initial_forms:
            data.update(
                {
                    row.add_prefix(name): "" if row[name].value() is None else row[name].value()
                    for name in row.fields
                }
            )
    data.update(changes)
    return data


def post(client, address, data):
    response = client.post(address, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def test_every_admin_and_inline_of_ours_writes_through_services_and_is_narrowed():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("boards", "actions", "meetings"):
            continue
        assert isinstance(model_admin, ScopedAdmin), model
        assert model_admin.services, model
        for inline in model_admin.inlines:
            assert issubclass(inline, ScopedInline), inline
            assert inline.services, inline


def test_an_update_added_on_the_action_page_sets_its_rag_as_the_update_form_does(
    admin_client, administrator
):
    action = ActionFactory(rag=RAG.GREEN)
    author = PersonFactory(name="DCI Smith")
    address = url(Action, "change", action.pk)
    data = form_data(admin_client, address)
    data |= {
        "updates-TOTAL_FORMS": "1",
        "updates-0-date": "2021-11-01",
        "updates-0-period": "November 2021",
        "updates-0-rag": RAG.RED,
        "updates-0-author": author.pk,
        "updates-0-text": "Funding withdrawn",
        "updates-0-marking": "official",
    }

    post(admin_client, address, data)

    action.refresh_from_db()
    assert action.rag == RAG.RED
    update = action.updates.get()
    assert (update.text, update.period, update.rag) == ("Funding withdrawn", "November 2021", "red")
    assert (update.author, update.created_by) == (author, administrator)
    # The same history as an update added on the update form: the action's RAG status,
    # then the update, each in the administrator's name, saying how it was made.
    set_by_update = action.history.first()
    assert (set_by_update.rag, set_by_update.history_user) == (RAG.RED, administrator)
    assert set_by_update.history_change_reason == BROWSER_REASON
    added = update.history.get()
    assert (added.history_user, added.history_change_reason) == (administrator, BROWSER_REASON)
    on_the_form = progress_update_create(
        action=ActionFactory(rag=RAG.GREEN), user=administrator, date=DAY, text="x", rag="red"
    )
    assert on_the_form.history.get().history_change_reason == added.history_change_reason


def test_an_update_added_on_its_own_admin_page_sets_the_actions_rag_too(
    admin_client, administrator
):
    action = ActionFactory(rag=RAG.GREEN)

    post(
        admin_client,
        url(ProgressUpdate, "add"),
        {
            "action": action.pk,
            "date": "2021-12-01",
            "rag": RAG.AMBER,
            "text": "Slipping",
            "marking": "official",
        },
    )

    action.refresh_from_db()
    assert action.rag == RAG.AMBER
    update = action.updates.get()
    assert (update.created_by, update.author) == (administrator, None)  # no author named
    assert action.history.first().history_user == administrator


def test_correcting_an_update_leaves_the_actions_rag_and_the_update_on_its_action(
    admin_client, administrator
):
    action = ActionFactory(rag=RAG.GREEN)
    update = progress_update_create(action=action, user=None, date=DAY, text="Frist", rag="")
    address = url(ProgressUpdate, "change", update.pk)
    data = form_data(admin_client, address, text="First", rag=RAG.RED)
    data["action"] = ActionFactory().pk  # not a field of the change page: ignored

    post(admin_client, address, data)

    update.refresh_from_db()
    assert (update.text, update.rag, update.action) == ("First", RAG.RED, action)
    action.refresh_from_db()
    assert action.rag == RAG.GREEN
    latest = update.history.first()
    assert (latest.history_type, latest.history_user) == ("~", administrator)


def test_a_change_to_an_action_and_its_lists_is_one_history_row_in_the_admins_name(
    admin_client, administrator
):
    action = ActionFactory(comment="")
    lead, police = PersonFactory(name="DCI Smith"), OrganisationFactory(name="Police")
    rows = action.history.count()
    address = url(Action, "change", action.pk)
    data = form_data(admin_client, address, comment="Agreed at the board")
    data |= {"lead_people": [lead.pk], "supporting_organisations": [police.pk]}

    post(admin_client, address, data)

    assert action.history.count() == rows + 1
    latest = action.history.first()
    assert (latest.comment, latest.history_user) == ("Agreed at the board", administrator)
    assert [row.person for row in latest.lead_people.all()] == [lead]
    assert [row.organisation for row in latest.supporting_organisations.all()] == [police]


def test_saving_an_unchanged_action_writes_no_history(admin_client):
    action = ActionFactory()
    rows = action.history.count()
    address = url(Action, "change", action.pk)

    post(admin_client, address, form_data(admin_client, address))

    assert action.history.count() == rows


def test_a_plan_added_with_its_themes_and_leaders_is_recorded_in_the_admins_name(
    admin_client, administrator
):
    board = BoardFactory()
    data = form_data(
        admin_client,
        url(Plan, "add"),
        partnership=board.partnership.pk,
        board=board.pk,
        title="Knife crime plan",
        slug="knife-crime",
        layout="vru",
        status="draft",
        marking="official",
    )
    data |= {
        "senior_leaders-TOTAL_FORMS": "1",
        "senior_leaders-0-order": "0",
        "senior_leaders-0-name": "Chief Superintendent",
        "themes-TOTAL_FORMS": "2",
        "themes-0-order": "0",
        "themes-0-name": "Governance",
        "themes-0-marking": "official",
        "themes-1-order": "1",
        "themes-1-name": "Weapons",
        "themes-1-marking": "official",
    }

    post(admin_client, url(Plan, "add"), data)

    plan = Plan.objects.get(slug="knife-crime")
    assert [theme.name for theme in plan.themes.order_by("order")] == ["Governance", "Weapons"]
    assert plan.senior_leaders.get().name == "Chief Superintendent"
    for record in (plan, *plan.themes.all(), plan.senior_leaders.get()):
        [created] = record.history.all()
        assert (created.history_type, created.history_user) == ("+", administrator)
    message = LogEntry.objects.get(object_id=str(plan.pk)).get_change_message()
    assert "Added" in message


def test_themes_changed_and_deleted_on_the_plan_page_are_recorded(admin_client, administrator):
    plan = PlanFactory()
    keep = ThemeFactory(plan=plan, name="Governance", order=0)
    drop = ThemeFactory(plan=plan, name="Old theme", order=1)
    address = url(Plan, "change", plan.pk)
    data = form_data(admin_client, address)
    index = {data[f"themes-{i}-id"]: i for i in range(2)}
    data[f"themes-{index[keep.pk]}-name"] = "Governance and partnership"
    data[f"themes-{index[drop.pk]}-DELETE"] = "on"

    post(admin_client, address, data)

    keep.refresh_from_db()
    assert keep.name == "Governance and partnership"
    assert not Theme.objects.filter(pk=drop.pk).exists()
    assert keep.history.first().history_user == administrator
    deleted = Theme.history.filter(id=drop.pk).first()
    assert (deleted.history_type, deleted.history_user) == ("-", administrator)
    message = LogEntry.objects.get(object_id=str(plan.pk)).get_change_message()
    assert "Changed" in message and "Deleted" in message


def test_a_theme_under_a_theme_of_another_plan_is_refused(admin_client):
    theme, elsewhere = ThemeFactory(), ThemeFactory()
    address = url(Theme, "change", theme.pk)
    data = form_data(admin_client, address, parent=elsewhere.pk)

    response = admin_client.post(address, data)

    assert response.status_code == 200
    assert "same plan" in str(response.context["adminform"].form.errors)
    theme.refresh_from_db()
    assert theme.parent is None


def test_indicator_values_and_memberships_added_inline_are_recorded(admin_client, administrator):
    indicator = IndicatorFactory()
    IndicatorValueFactory(indicator=indicator, date=datetime.date(2017, 3, 31), value=10)
    address = url(Indicator, "change", indicator.pk)
    data = form_data(admin_client, address, target="5")
    data |= {
        "values-TOTAL_FORMS": "2",
        "values-1-date": "2018-03-31",
        "values-1-period": "2017/18",
        "values-1-value": "8",
    }
    post(admin_client, address, data)
    indicator.refresh_from_db()
    assert indicator.target == 5
    added = IndicatorValue.objects.get(indicator=indicator, date=datetime.date(2018, 3, 31))
    assert added.history.get().history_user == administrator

    board, person = BoardFactory(), PersonFactory()
    address = url(Board, "change", board.pk)
    data = form_data(admin_client, address)
    data |= {
        "memberships-TOTAL_FORMS": "1",
        "memberships-0-person": person.pk,
        "memberships-0-role": "chair",
    }
    post(admin_client, address, data)
    membership = Membership.objects.get(board=board, person=person)
    assert membership.history.get().history_user == administrator


def test_an_indicator_values_number_corrected_inline_is_recorded(admin_client, administrator):
    # The service's keyword for the record is not `value`, the name of the number itself.
    indicator = IndicatorFactory()
    value = IndicatorValueFactory(indicator=indicator, date=datetime.date(2017, 3, 31), value=10)
    address = url(Indicator, "change", indicator.pk)
    data = form_data(admin_client, address)
    data |= {"values-0-value": "12"}
    post(admin_client, address, data)
    value.refresh_from_db()
    assert value.value == 12
    record = value.history.latest("history_date")
    assert (record.history_type, record.history_user) == ("~", administrator)


def test_deleting_in_the_admin_is_recorded_in_the_admins_name(admin_client, administrator):
    one, two, three = ActionFactory.create_batch(3)

    post(admin_client, url(Action, "delete", one.pk), {"post": "yes"})
    post(
        admin_client,
        url(Action, "changelist"),
        {"action": "delete_selected", "_selected_action": [two.pk, three.pk], "post": "yes"},
    )

    assert not Action.objects.filter(pk__in=[one.pk, two.pk, three.pk]).exists()
    for action in (one, two, three):
        deleted = Action.history.filter(id=action.pk).first()
        assert (deleted.history_type, deleted.history_user) == ("-", administrator)


def test_reverting_to_an_earlier_version_is_refused_and_writes_nothing(admin_client):
    action = ActionFactory(comment="First")
    first = action.history.get()
    action.comment = "Second"
    action.save()
    address = reverse("admin:actions_action_simple_history", args=[action.pk, first.pk])

    version = admin_client.get(address)  # the version can still be seen, not reverted to
    assert version.status_code == 200
    assert version.context["title"].startswith("View ")
    assert 'name="_save"' not in version.content.decode()
    data = {"theme": action.theme_id, "text": action.text, "comment": "First", "order": 0}
    assert admin_client.post(address, data).status_code == 403

    action.refresh_from_db()
    assert action.comment == "Second"
