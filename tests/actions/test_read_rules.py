"""The rules chairs act on, each tested against its one definition in actions/selectors.py:
an action's newest update, overdue, stale, "monitored by" (in SQL and in Python) and the
RAG counts. Every page, pack and dashboard reads them from there."""

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from actions import selectors
from actions.models import Action, Theme
from actions.rag import RAG
from boards.models import Board
from tests.factories import (
    ActionFactory,
    BoardFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


# The newest update -------------------------------------------------------------------------


def test_the_newest_update_is_the_latest_date_then_the_one_written_last():
    theme = ThemeFactory()
    today = timezone.localdate()
    later_date = ActionFactory(theme=theme)
    ProgressUpdateFactory(action=later_date, date=today, text="newest by date")
    ProgressUpdateFactory(action=later_date, date=today - DAY, text="older")  # written later
    same_date = ActionFactory(theme=theme)
    ProgressUpdateFactory(action=same_date, date=today, text="written first")
    ProgressUpdateFactory(action=same_date, date=today, text="written last")
    never = ActionFactory(theme=theme)

    actions = selectors.with_details(Action.objects.filter(theme=theme))
    found = {action.pk: (action.last_update, action.last_update_text) for action in actions}

    assert found == {
        later_date.pk: (today, "newest by date"),
        same_date.pk: (today, "written last"),
        never.pk: (None, None),
    }


def test_listed_actions_keep_the_order_asked_for_with_their_newest_update_and_leads():
    theme = ThemeFactory()
    first, second = ActionFactory(theme=theme), ActionFactory(theme=theme)
    ProgressUpdateFactory(action=second, date=timezone.localdate(), text="Done")

    listed = selectors.listed_actions(Action.objects.all(), [second.pk, first.pk])

    assert [action.pk for action in listed] == [second.pk, first.pk]
    assert listed[0].last_update_text == "Done" and listed[1].last_update is None
    assert listed[0].lead_people_names == [] and listed[0].lead_organisation_names == []
    assert selectors.listed_actions(Action.objects.all(), []) == []


# Overdue and stale -------------------------------------------------------------------------


def test_overdue_is_past_the_end_date_and_not_complete():
    theme = ThemeFactory()
    today = timezone.localdate()
    overdue = ActionFactory(theme=theme, end_date=today - DAY, rag=RAG.RED)
    ActionFactory(theme=theme, end_date=today, rag=RAG.RED)  # ends today: not yet
    ActionFactory(theme=theme, end_date=today - DAY, rag=RAG.COMPLETE)
    ActionFactory(theme=theme, end_date=None, end_text="Ongoing", rag=RAG.AMBER)

    assert pks(Action.objects.filter(selectors.overdue_condition(today))) == {overdue.pk}
    flagged = selectors.with_progress(Action.objects.all(), today).filter(is_overdue=True)
    assert pks(flagged) == {overdue.pk}
    # The same rule in Python, for actions already loaded.
    assert {a.pk for a in Action.objects.all() if selectors.is_overdue(a, today)} == {overdue.pk}


def test_stale_is_no_update_since_the_cutoff_and_not_complete():
    # Updated on the cutoff, the day before and after it, never; each red and complete.
    theme = ThemeFactory()
    today = timezone.localdate()
    cutoff = selectors.stale_cutoff(today)
    expected = set()
    for days in (-1, 0, 1, None):
        for rag in (RAG.RED, RAG.COMPLETE):
            action = ActionFactory(theme=theme, rag=rag)
            if days is not None:
                ProgressUpdateFactory(action=action, date=cutoff + days * DAY)
            if rag != RAG.COMPLETE and (days is None or days < 0):
                expected.add(action.pk)

    assert pks(Action.objects.filter(selectors.stale_condition(today))) == expected
    flagged = selectors.with_progress(Action.objects.all(), today).filter(is_stale=True)
    assert pks(flagged) == expected


def test_an_older_update_does_not_hide_a_recent_one():
    action = ActionFactory(rag=RAG.GREEN)
    today = timezone.localdate()
    ProgressUpdateFactory(action=action, date=today)
    ProgressUpdateFactory(action=action, date=today - 400 * DAY)
    assert not Action.objects.filter(selectors.stale_condition(today)).exists()
    assert Action.objects.filter(selectors.not_updated_since(today + DAY)).exists()


# Monitored by ------------------------------------------------------------------------------


@pytest.fixture
def monitoring():
    """Actions monitored by their own board, by their theme's, by their own over their
    theme's, and by neither."""
    plan = PlanFactory()
    own, themes_board = BoardFactory(), BoardFactory()
    monitored_theme = ThemeFactory(plan=plan, monitoring_board=themes_board)
    plain_theme = ThemeFactory(plan=plan)
    return {
        "own": own,
        "theme's": themes_board,
        "actions": {
            "own": ActionFactory(theme=plain_theme, monitoring_board=own),
            "theme's": ActionFactory(theme=monitored_theme),
            "own over theme's": ActionFactory(theme=monitored_theme, monitoring_board=own),
            "neither": ActionFactory(theme=plain_theme),
        },
    }


def test_monitored_by_is_the_actions_own_board_else_its_themes(monitoring):
    own, themes_board, actions = monitoring["own"], monitoring["theme's"], monitoring["actions"]
    by_own = {actions["own"].pk, actions["own over theme's"].pk}
    by_theme = {actions["theme's"].pk}

    assert pks(Action.objects.filter(selectors.monitored_by([own.pk]))) == by_own
    assert pks(Action.objects.filter(selectors.monitored_by([themes_board.pk]))) == by_theme
    # Never NULL, so that excluding them leaves exactly the others, unmonitored ones included.
    others = pks(Action.objects.exclude(selectors.monitored_by([own.pk])))
    assert others == pks(Action.objects.all()) - by_own
    # As a form gives it, text.
    assert pks(Action.objects.filter(selectors.monitored_by([str(own.pk)]))) == by_own
    assert not Action.objects.filter(selectors.monitored_by([])).exists()
    boards = selectors.monitoring_boards_of(
        Action.objects.all(), Theme.objects.values_list("pk", flat=True)
    )
    assert set(boards) == {own, themes_board}


def test_the_boards_monitoring_some_actions_are_those_of_monitor_id(monitoring):
    """`monitoring_boards_of`, written for the indexes, against `monitor_id` itself, for
    every set of the four actions: a theme's board only where one of the set's actions in
    it names no board of its own."""
    actions = list(monitoring["actions"].values())
    themes = [action.theme_id for action in actions]
    for chosen in itertools.chain.from_iterable(
        itertools.combinations(actions, n) for n in range(len(actions) + 1)
    ):
        some = Action.objects.filter(pk__in=[action.pk for action in chosen])
        expected = Board.objects.filter(pk__in=some.values(board=selectors.monitor_id()))
        assert set(selectors.monitoring_boards_of(some, themes)) == set(expected), chosen
    alone = Action.objects.filter(pk=monitoring["actions"]["own over theme's"].pk)
    assert list(selectors.monitoring_boards_of(alone, themes)) == [monitoring["own"]]


def test_monitored_by_in_python_agrees_with_sql(monitoring):
    in_sql = dict(
        Action.objects.annotate(monitor=selectors.monitor_id()).values_list("pk", "monitor")
    )
    for action in Action.objects.select_related("monitoring_board", "theme__monitoring_board"):
        board = selectors.monitoring_board(action)
        assert (board.pk if board else None) == in_sql[action.pk]
    assert {name: in_sql[action.pk] for name, action in monitoring["actions"].items()} == {
        "own": monitoring["own"].pk,
        "theme's": monitoring["theme's"].pk,
        "own over theme's": monitoring["own"].pk,
        "neither": None,
    }


# RAG counts --------------------------------------------------------------------------------


def test_rag_counts_name_every_status_zero_included_overall_and_grouped():
    first, second = ThemeFactory(), ThemeFactory()
    for theme, rags in ((first, [RAG.RED, RAG.RED, RAG.GREEN]), (second, [RAG.COMPLETE])):
        for rag in rags:
            ActionFactory(theme=theme, rag=rag)
    actions = Action.objects.filter(theme__in=[first, second])

    overall = selectors.rag_counts(actions)
    assert overall == {"red": 2, "amber": 0, "green": 1, "complete": 1, "not_rated": 0}
    grouped = selectors.rag_counts_by(actions, "theme_id")
    assert grouped == {
        first.pk: {"red": 2, "amber": 0, "green": 1, "complete": 0, "not_rated": 0},
        second.pk: {"red": 0, "amber": 0, "green": 0, "complete": 1, "not_rated": 0},
    }
    total = selectors.zero_counts()
    for counts in grouped.values():
        selectors.add_counts(total, counts)
    assert total == overall


def test_the_action_page_names_the_board_that_monitors_it(client, monitoring):
    client.force_login(UserFactory(is_superuser=True))
    actions, own, themes_board = monitoring["actions"], monitoring["own"], monitoring["theme's"]
    expected = {
        "own": own.name,
        "theme's": f"{themes_board.name} (the subgroup that monitors its theme)",
        "own over theme's": own.name,
        "neither": "Not given",
    }
    for name, action in actions.items():
        page = client.get(reverse("actions:action-detail", args=[action.pk]))
        assert page.context["monitoring_board"] == selectors.monitoring_board(action)
        row = page.content.decode().split("Monitoring subgroup", 1)[1].split("</dd>", 1)[0]
        assert " ".join(row.split()).endswith(expected[name]), name
