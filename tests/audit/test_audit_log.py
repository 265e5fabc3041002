"""The audit log page: superusers only, every recorded change and download, newest
first, filtered by who, what and when, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import SecondFactorEvent
from accounts.services import second_factor_event_record
from actions.models import Action
from actions.rag import RAG
from actions.services import action_delete, action_edit
from boards import services as board_services
from downloads.models import Download
from downloads.services import download_record
from tests.factories import ActionFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("audit:log")


@pytest.fixture
def admin_in(client, world):
    client.force_login(world.superuser)
    return client


def entries(response) -> list:
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.context["entries"]


@pytest.mark.parametrize(
    "who",
    [
        "officer",
        "chair",
        "analyst",
        "far_officer",
        "no_person",
        "council_officer",
        # A partnership's administrator: the log holds every partnership's (issue 15).
        "administrator",
    ],
)
def test_the_log_is_not_found_for_anyone_but_superusers(client, world, who):
    client.force_login(getattr(world, who))

    assert client.get(URL).status_code == 404


def test_signed_out_people_are_asked_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_change_shows_who_made_it_and_each_field_changed(admin_in, world):
    action_edit(action=world.a2, user=world.chair, rag=RAG.AMBER, text="Problem profile v2")

    newest = entries(admin_in.get(URL))[0]

    assert newest.kind == "Action" and newest.who == "Cath Chair"
    assert newest.happened == "Changed"
    assert newest.url == reverse("admin:actions_action_change", args=[world.a2.pk])
    shown = {(c.field, c.before, c.after) for c in newest.changes}
    assert shown == {
        ("Action", "Problem profile", "Problem profile v2"),
        ("RAG status", "Green", "Amber"),
    }


def test_accounts_second_factor_and_downloads_are_listed_newest_first(admin_in, world):
    board_services.person_edit(
        person=world.officer.person,
        user=world.superuser,
        partnerships=[world.here, world.elsewhere],
    )
    second_factor_event_record(
        user_id=world.officer.pk, what=SecondFactorEvent.What.CODES_MADE, by=world.superuser
    )
    download_record(
        user=world.analyst,
        kind=Download.Kind.WORKBOOK,
        marking="OFFICIAL-SENSITIVE",  # the plan holds bx2, so marked
        actions=Action.objects.filter(theme__plan=world.plan),
        subject=world.plan.title,
        plan_id=world.plan.pk,
        options={"layout": "vru"},
    )

    found = entries(admin_in.get(URL))[:3]

    assert [(e.kind, e.who) for e in found] == [
        ("Download", "Ana Analyst"),
        ("Second factor change", "Ada Superuser"),
        ("Person", "Ada Superuser"),
    ]
    assert "Marking: OFFICIAL-SENSITIVE" in found[0].details
    assert found[1].happened == "New recovery codes made"
    partnerships = found[2].changes[0]
    assert partnerships.before == "Test partnership here"
    assert partnerships.after == "Test partnership elsewhere, Test partnership here"


def test_a_deleted_record_is_listed_without_a_link(admin_in, world):
    action_delete(action=world.c1, user=world.superuser)

    newest = entries(admin_in.get(URL))[0]

    assert newest.happened == "Deleted" and newest.url == ""
    assert newest.what.startswith("Safer routes to school")


def test_filtered_by_person_kind_record_and_dates(admin_in, world):
    action_edit(action=world.a1, user=world.chair, rag=RAG.AMBER)
    action_edit(action=world.a2, user=world.chair, rag=RAG.RED)
    action_edit(action=world.a2, user=world.analyst, rag=RAG.AMBER)
    today = timezone.localdate()

    by_chair = entries(admin_in.get(URL, {"person": world.chair.pk}))
    one_action = entries(admin_in.get(URL, {"kind": "actions.action", "object_id": world.a2.pk}))
    dated = {
        "on_or_after_0": today.day,
        "on_or_after_1": today.month,
        "on_or_after_2": today.year,
    }
    today_actions = entries(admin_in.get(URL, {"kind": "actions.action", **dated}))
    tomorrow = today + datetime.timedelta(days=1)
    later = {
        "on_or_after_0": tomorrow.day,
        "on_or_after_1": tomorrow.month,
        "on_or_after_2": tomorrow.year,
    }

    assert [e.what.split(" (")[0] for e in by_chair] == [
        "Problem profile",
        "Daily violence meeting",
    ]
    assert [e.who for e in one_action][:2] == ["Ana Analyst", "Cath Chair"]
    assert {e.kind for e in one_action} == {"Action"}
    assert len(today_actions) == Action.history.count()
    assert entries(admin_in.get(URL, later)) == []


def test_a_wrong_date_range_is_explained_and_lists_nothing(admin_in):
    response = admin_in.get(
        URL,
        {
            "on_or_after_0": "2",
            "on_or_after_1": "11",
            "on_or_after_2": "2021",
            "on_or_before_0": "1",
            "on_or_before_1": "11",
            "on_or_before_2": "2021",
        },
    )

    assert response.status_code == 200
    assert "To must be the same as or after From" in response.content.decode()
    assert "entries" not in response.context


def test_the_page_takes_the_same_queries_however_long_the_log(admin_in, world):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_in.get(URL).status_code == 200
        print("\n".join(q["sql"][:150] for q in captured.captured_queries))
        print("=====")
        return len(captured)

    def more_of_everything(count: int):
        for n in range(count):
            action = ActionFactory(theme=world.governance)
            action_edit(action=action, user=world.chair, rag=RAG.RED, text=f"Changed {n}")
            partnership = PartnershipFactory()
            board_services.person_edit(
                person=world.officer.person,
                user=world.superuser,
                partnerships=[world.here, partnership],
            )
            UserFactory()
            second_factor_event_record(
                user_id=world.officer.pk, what=SecondFactorEvent.What.CODES_MADE
            )
            download_record(
                user=world.analyst,
                kind=Download.Kind.WORKBOOK,
                marking="OFFICIAL",
                actions=Action.objects.all(),
                subject="A plan",
            )

    # Enough for a page of these kinds of record (the queries depend on how many kinds a
    # page shows, a few each), then many more of the same.
    more_of_everything(10)
    few = queries()
    more_of_everything(40)
    many = queries()

    assert Action.history.count() > 100
    assert many == few


def test_the_navigation_links_the_log_for_superusers_only(client, world):
    client.force_login(world.superuser)
    assert f'href="{URL}"' in client.get(reverse("actions:plan-list")).content.decode()

    client.force_login(world.administrator)
    assert f'href="{URL}"' not in client.get(reverse("actions:plan-list")).content.decode()

    client.force_login(world.analyst)
    assert f'href="{URL}"' not in client.get(reverse("actions:plan-list")).content.decode()


def test_the_to_date_takes_in_the_whole_of_that_day(admin_in, world):
    action_edit(action=world.a1, user=world.chair, rag=RAG.AMBER)
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)

    def to(day) -> dict:
        return {"on_or_before_0": day.day, "on_or_before_1": day.month, "on_or_before_2": day.year}

    assert entries(admin_in.get(URL, {"person": world.chair.pk, **to(today)}))
    assert entries(admin_in.get(URL, {"person": world.chair.pk, **to(yesterday)})) == []
