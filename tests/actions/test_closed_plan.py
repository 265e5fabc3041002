"""A closed plan is read-only by every path (actions.closing): the services the admin and
the pages call, the update form, the admin, an import in the browser or by command. It
stays visible and exportable. Reopening it (its status alone) is the one change it takes."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from actions import services
from actions.closing import PlanClosed
from actions.models import (
    RAG,
    Action,
    Indicator,
    IndicatorValue,
    Plan,
    PlanStatus,
    ProgressUpdate,
    SeniorLeader,
    Theme,
)
from actions.permissions import can_edit_action, can_import_plan, editable_actions
from boards.models import Role
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PlanFactory,
    ProgressUpdateFactory,
    SeniorLeaderFactory,
    ThemeFactory,
    UserFactory,
    user_in_role,
)
from tests.helpers import update_form
from tests.workbooks.workbooks import export
from workbooks.layouts import read_workbook
from workbooks.preview import preview_import

pytestmark = pytest.mark.django_db

MODELS = (Plan, Theme, Action, ProgressUpdate, SeniorLeader, Indicator, IndicatorValue)


def everything() -> dict:
    """Every row of the plan's tables and of their history, to show nothing was written."""
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}
    rows |= {
        f"history of {model.__name__}": model.history.count()
        for model in MODELS
        if hasattr(model, "history")
    }
    return rows


@pytest.fixture
def closed():
    """A closed plan with one of everything in it, and the open plan that followed it."""
    plan = PlanFactory(title="Violence Reduction Plan 2021/22", layout="vru")
    theme = ThemeFactory(plan=plan, name="Theme 1")
    action = ActionFactory(theme=theme, ref="1", text="Hold the summit", rag=RAG.AMBER)
    ProgressUpdateFactory(action=action, text="Venue booked")
    SeniorLeaderFactory(plan=plan)
    IndicatorValueFactory(indicator=IndicatorFactory(plan=plan))
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.CLOSED)
    plan.refresh_from_db()
    successor = PlanFactory(
        title="Violence Reduction Plan 2022/23",
        partnership=plan.partnership,
        predecessor=plan,
        status=PlanStatus.ACTIVE,
    )
    return plan, successor


def writes(plan: Plan, user):
    """Each service that changes something in `plan`, ready to call."""
    theme = plan.themes.get()
    action = theme.actions.get()
    update = action.updates.get()
    leader = plan.senior_leaders.get()
    indicator = plan.indicators.get()
    value = indicator.values.get()
    today = datetime.date(2022, 1, 10)
    return {
        "plan_edit": lambda: services.plan_edit(plan=plan, user=user, title="Renamed"),
        "plan_delete": lambda: services.plan_delete(plan=plan, user=user),
        "theme_create": lambda: services.theme_create(user=user, plan=plan, name="New theme"),
        "theme_edit": lambda: services.theme_edit(theme=theme, user=user, name="Renamed"),
        "theme_delete": lambda: services.theme_delete(theme=theme, user=user),
        "action_create": lambda: services.action_create(user=user, theme=theme, text="New"),
        "action_edit": lambda: services.action_edit(action=action, user=user, text="Reworded"),
        "action_delete": lambda: services.action_delete(action=action, user=user),
        "action_update": lambda: services.action_update(
            action=action,
            user=user,
            expected_version=services.action_version(action),
            rag=RAG.GREEN,
        ),
        "progress_update_create": lambda: services.progress_update_create(
            action=action, user=user, date=today, text="Summit held"
        ),
        "progress_update_create, setting the RAG": lambda: services.progress_update_create(
            action=action, user=user, date=today, text="Summit held", rag=RAG.COMPLETE
        ),
        "progress_update_edit": lambda: services.progress_update_edit(
            update=update, user=user, text="Venue changed"
        ),
        "progress_update_delete": lambda: services.progress_update_delete(update=update, user=user),
        "senior_leader_create": lambda: services.senior_leader_create(
            user=user, plan=plan, name="Someone", order=5
        ),
        "senior_leader_edit": lambda: services.senior_leader_edit(
            senior_leader=leader, user=user, role="Chair"
        ),
        "senior_leader_delete": lambda: services.senior_leader_delete(
            senior_leader=leader, user=user
        ),
        "indicator_create": lambda: services.indicator_create(
            user=user, plan=plan, description="Knife crime", direction="reduce"
        ),
        "indicator_edit": lambda: services.indicator_edit(
            indicator=indicator, user=user, description="Reworded"
        ),
        "indicator_delete": lambda: services.indicator_delete(indicator=indicator, user=user),
        "indicator_value_create": lambda: services.indicator_value_create(
            user=user, indicator=indicator, date=today, value=3
        ),
        "indicator_value_edit": lambda: services.indicator_value_edit(
            indicator_value=value, user=user, value=4
        ),
        "indicator_value_delete": lambda: services.indicator_value_delete(
            indicator_value=value, user=user
        ),
    }


def write_names() -> list[str]:
    # The names of the writes, without a database: the keys of `writes` as written above.
    return [
        "plan_edit",
        "plan_delete",
        "theme_create",
        "theme_edit",
        "theme_delete",
        "action_create",
        "action_edit",
        "action_delete",
        "action_update",
        "progress_update_create",
        "progress_update_create, setting the RAG",
        "progress_update_edit",
        "progress_update_delete",
        "senior_leader_create",
        "senior_leader_edit",
        "senior_leader_delete",
        "indicator_create",
        "indicator_edit",
        "indicator_delete",
        "indicator_value_create",
        "indicator_value_edit",
        "indicator_value_delete",
    ]


@pytest.mark.parametrize("name", write_names())
def test_every_service_refuses_a_closed_plan_and_writes_nothing(closed, name):
    plan, _ = closed
    write = writes(plan, UserFactory())
    assert sorted(write) == sorted(write_names())
    before = everything()

    with pytest.raises(PlanClosed, match="is closed, so nothing in it can be changed"):
        write[name]()

    assert everything() == before


@pytest.mark.parametrize("name", write_names())
def test_the_same_services_write_to_an_open_plan(closed, name):
    """The refusals above are the closed plan's, not the services' own."""
    plan, _ = closed
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.ACTIVE)
    plan.refresh_from_db()
    before = everything()

    writes(plan, UserFactory())[name]()

    assert everything() != before


def test_the_refusal_names_the_plan_that_carries_its_actions_on(closed):
    plan, successor = closed
    with pytest.raises(PlanClosed) as refused:
        services.theme_create(user=UserFactory(), plan=plan, name="New theme")
    assert refused.value.messages == [
        "“Violence Reduction Plan 2021/22” is closed, so nothing in it can be changed: it is "
        "kept as the record of its year. Its unfinished actions carry on in “Violence "
        "Reduction Plan 2022/23”."
    ]


def test_nothing_moves_into_a_closed_plan(closed):
    plan, successor = closed
    open_theme = ThemeFactory(plan=successor, name="Theme 1")
    action = ActionFactory(theme=open_theme, text="Carried on")
    with pytest.raises(PlanClosed):
        services.action_edit(action=action, user=UserFactory(), theme=plan.themes.get())
    action.refresh_from_db()
    assert action.theme == open_theme


def test_reopening_is_the_one_change_a_closed_plan_takes(closed):
    plan, _ = closed
    user = UserFactory()
    with pytest.raises(PlanClosed):
        services.plan_edit(plan=plan, user=user, status=PlanStatus.ACTIVE, title="Renamed")

    services.plan_edit(plan=plan, user=user, status=PlanStatus.ACTIVE)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    assert plan.history.first().history_user == user
    services.theme_create(user=user, plan=plan, name="New theme")  # open again


# ---- the pages and the admin ---------------------------------------------------------------


@pytest.fixture
def analyst(closed):
    plan, _ = closed
    return user_in_role(Role.ANALYST, partnerships=[plan.partnership])


def test_nobody_may_edit_or_import_a_closed_plan(closed, analyst):
    plan, _ = closed
    action = Action.objects.get(theme__plan=plan)
    administrator = user_in_role(Role.ADMINISTRATOR, partnerships=[plan.partnership])
    for user in (analyst, administrator):
        assert not can_edit_action(user, action)
        assert not editable_actions(user).filter(theme__plan=plan).exists()
        assert not can_import_plan(user, plan)


def test_the_update_form_says_the_plan_is_closed(client, closed, analyst):
    plan, _ = closed
    action = Action.objects.get(theme__plan=plan)
    client.force_login(analyst)
    url = reverse("actions:action-update", args=[action.pk])

    response = client.get(url, follow=True)

    assert response.redirect_chain == [(reverse("actions:action-detail", args=[action.pk]), 302)]
    page = response.content.decode()
    assert "is closed, so nothing in it can be changed" in page
    assert "This plan is closed" in page
    assert "Update this action" not in page


def test_a_form_sent_to_a_closed_plan_keeps_its_words_and_writes_nothing(client, closed, analyst):
    plan, _ = closed
    action = Action.objects.get(theme__plan=plan)
    client.force_login(analyst)
    before = everything()

    response = client.post(
        reverse("actions:action-update", args=[action.pk]),
        update_form(action, update_text="The summit was held on 9 December", rag=RAG.COMPLETE),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "is closed, so nothing in it can be changed" in page
    assert "The summit was held on 9 December" in page
    assert everything() == before


def test_the_admin_shows_the_refusal_and_writes_nothing(client, closed):
    plan, _ = closed
    action = Action.objects.get(theme__plan=plan)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:actions_action_change", args=[action.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    data |= {
        "text": "Reworded in the admin",
        "lead_people": [],
        "lead_organisations": [],
        "supporting_organisations": [],
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
    }
    before = everything()

    response = client.post(url, data)

    assert response.status_code == 200
    assert "is closed, so nothing in it can be changed" in response.content.decode()
    assert everything() == before


def test_the_plan_page_says_it_is_closed_and_still_exports(client, closed, analyst):
    plan, successor = closed
    client.force_login(analyst)

    page = client.get(reverse("actions:plan-detail", args=[plan.slug])).content.decode()

    assert "This plan is closed" in page
    assert reverse("actions:plan-detail", args=[successor.slug]) in page
    assert reverse("workbooks:plan-export", args=[plan.slug]) in page
    assert reverse("workbooks:plan-import", args=[plan.slug]) not in page


# ---- imports --------------------------------------------------------------------------------


def test_an_import_preview_of_a_closed_plan_is_refused(closed):
    plan, _ = closed
    preview = preview_import(read_workbook(export(plan, "vru"), "vru"), plan)
    assert [str(problem) for problem in preview.problems][:1] == [PlanClosed(plan).messages[0]]


def test_the_import_command_refuses_a_closed_plan_and_writes_nothing(closed, tmp_path):
    plan, _ = closed
    rows = read_workbook(export(plan, "vru"), "vru")
    assert rows.actions  # a workbook that would import, were the plan open
    path = tmp_path / "plan.xlsx"
    path.write_bytes(export(plan, "vru"))
    before = everything()
    out = io.StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command(
            "import_plan", str(path), "--layout", "vru", "--plan", plan.slug, stdout=out, stderr=out
        )

    assert exit_.value.code == 1
    assert "is closed, so nothing in it can be changed" in out.getvalue()
    assert everything() == before


def test_the_import_page_of_a_closed_plan_is_not_offered(client, closed, analyst):
    plan, _ = closed
    client.force_login(analyst)
    response = client.get(reverse("workbooks:plan-import", args=[plan.slug]))
    assert response.status_code in (403, 404)
