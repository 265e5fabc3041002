"""An import writes exactly the values its preview shows, whatever characters they hold.

plan_import sends its rows to the database in bulk, on PostgreSQL as one array literal per
column (cspplan.bulk.array_literal), so the quoting of that literal is tested here on its own
and through real imports: run these on PostgreSQL as well as SQLite.
"""

import datetime
import decimal
import sqlite3
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import Action
from cspplan.bulk import array_literal, insert_records
from tests.factories import ActionFactory, PersonFactory, PlanFactory, ThemeFactory
from tests.workbooks.workbooks import export
from workbooks.layouts import read_workbook
from workbooks.preview import preview_import
from workbooks.services import plan_import

pytestmark = pytest.mark.django_db

# What an array literal gives meaning to (quotes, backslashes, braces, commas, the word
# NULL, white space) and what SQL does (an apostrophe), each where it could be misread.
AWKWARD = [
    'She said "yes"',
    "back\\slash",
    "\\",
    '\\"',
    '"',
    '""',
    "{braces, and commas}",
    "}",
    "NULL",
    "null",
    "It's the partnership's",
    "'; DROP TABLE actions_action; --",
    "line one\nline two\r\nline three",
    "tab\tseparated",
    "Üñíçödé — 你好 — 🚓",
    "ends with a backslash \\",
    "ARRAY['x']",
]
TEXT_FIELDS = ("text", "outcomes", "progress", "comment", "leads", "start_text")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL array literals")
@pytest.mark.parametrize(
    "db_type, values",
    [
        ("text", [*AWKWARD, "", " ", None, "NULL"]),
        ("varchar", ["a", None, ""]),
        ("integer", [1, -7, None, 0]),
        ("bigint", [2**40, None]),
        ("boolean", [True, False, None]),
        ("date", [datetime.date(2021, 12, 11), None, datetime.date(1, 1, 1)]),
        (
            "timestamp with time zone",
            [
                timezone.now(),
                None,
                datetime.datetime(2022, 3, 31, 23, 59, 59, 999999, datetime.UTC),
            ],
        ),
    ],
)
def test_an_array_literal_reads_back_as_the_values_it_was_made_from(db_type, values):
    literal = array_literal(values)
    assert isinstance(literal, str)  # sent as one literal, not as ARRAY[...]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (%s)::{db_type}[]", [literal])
        [(back,)] = cursor.fetchall()
    assert back == values


def test_a_value_of_another_kind_leaves_the_column_to_the_driver():
    column = ("a", decimal.Decimal("1.5"))
    assert array_literal(column) == ["a", decimal.Decimal("1.5")]


def test_awkward_text_is_written_as_the_preview_shows_it_when_created_and_changed():
    plan = PlanFactory(layout="vru")
    theme = ThemeFactory(plan=plan, name="GOVERNANCE")
    for number, text in enumerate(AWKWARD, start=1):
        ActionFactory(
            theme=theme,
            ref=str(number),
            text=f"Action {number}: {text}",
            outcomes=text,
            progress=text,
            comment=text,
            start_date=datetime.date(2021, 12, number % 28 + 1) if number % 2 else None,
        )
    parsed = read_workbook(export(plan), "vru")
    for row in parsed.actions:
        row.id = None
    preview = preview_import(parsed, None, partnership=plan.partnership)
    assert preview.count("create") == len(AWKWARD)
    copy = plan_import(
        preview,
        new_plan={
            "slug": "copy",
            "title": "Copy",
            "layout": "vru",
            "partnership": plan.partnership,
            "board": plan.board,
        },
    )

    created = {action.ref: action for action in Action.objects.filter(theme__plan=copy)}
    for row in parsed.actions:
        action = created[row.values["ref"]]
        for name, value in row.values.items():
            assert getattr(action, name) == value, (row.values["ref"], name)
        history = action.history.get()
        assert [history.text, history.outcomes] == [row.values["text"], row.values["outcomes"]]

    # Every awkward text moved to another field and row, so each row is updated.
    parsed = read_workbook(export(copy), "vru")
    for index, row in enumerate(parsed.actions):
        for offset, name in enumerate(TEXT_FIELDS):
            row.values[name] = AWKWARD[(index + offset + 1) % len(AWKWARD)]
    preview = preview_import(parsed, copy)
    assert preview.count("update") == len(AWKWARD)
    plan_import(preview)

    by_pk = Action.objects.in_bulk([row.id for row in parsed.actions])
    for row in parsed.actions:
        action = by_pk[row.id]
        for name in TEXT_FIELDS:
            assert getattr(action, name) == row.values[name], (row.values["ref"], name)
        assert action.history.first().progress == row.values["progress"]


def test_new_rows_refuse_a_field_the_model_lacks_or_one_given_twice_as_the_model_does():
    with pytest.raises(TypeError, match="nonsense"):
        insert_records(Action, [{"nonsense": 1}])
    with pytest.raises(TypeError, match="order"):
        insert_records(Action, [{"order": 1}], order=[2])


@pytest.mark.parametrize("layout", ["vru", "sgv", "csp"])
def test_a_new_action_has_the_field_defaults_for_what_its_layout_does_not_carry(layout):
    plan = PlanFactory(layout=layout)
    theme = ThemeFactory(plan=plan, name="Theme")
    if layout != "vru":
        theme = ThemeFactory(plan=plan, parent=theme, name="Objective")
    ActionFactory(theme=theme, ref="1", text="Do it", progress="Begun", rag="red")
    preview = preview_import(
        read_workbook(export(plan, layout), layout), None, partnership=plan.partnership
    )
    copy = plan_import(
        preview,
        new_plan={
            "slug": "copy",
            "title": "Copy",
            "layout": layout,
            "partnership": plan.partnership,
        },
    )

    [row] = preview.parsed.actions
    [action] = Action.objects.filter(theme__plan=copy)
    given = {*row.values, "id", "theme", "order", "created_at", "updated_at"}
    left = [field for field in Action._meta.concrete_fields if field.name not in given]
    assert left, "the layout carries every field: nothing to check"
    # What Action() starts with, as the import made them before it wrote rows in bulk.
    assert {field.attname: getattr(action, field.attname) for field in left} == {
        field.attname: getattr(Action(), field.attname) for field in left
    }
    assert action.created_at == action.updated_at
    assert action.history.get().history_type == "+"


@contextmanager
def sqlite_parameters(limit: int):
    """SQLite's limit on the parameters of one statement lowered to `limit` for a while."""
    connection.ensure_connection()
    sqlite = connection.connection
    before = sqlite.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    sqlite.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
    try:
        with CaptureQueriesContext(connection) as queries:
            yield queries
    finally:
        sqlite.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's limit on parameters")
def test_rows_are_split_into_statements_that_fit_sqlites_limit_on_parameters():
    plan = PlanFactory(layout="vru")
    theme = ThemeFactory(plan=plan, name="Theme")
    lead, other = (
        PersonFactory(name=name, partnerships=[plan.partnership])
        for name in ("Chris Lyons", "Jade Hodgson")
    )
    for number in range(1, 31):
        ActionFactory(theme=theme, ref=str(number), text=f"Action {number}", leads=lead.name)
    parsed = read_workbook(export(plan), "vru")
    for row in parsed.actions:
        row.id = None
    preview = preview_import(parsed, None, partnership=plan.partnership)
    new_plan = {"slug": "copy", "title": "Copy", "layout": "vru", "partnership": plan.partnership}
    # An action's 25 fields fit, but not two actions', nor 30 of anything.
    with sqlite_parameters(26) as created:
        copy = plan_import(preview, new_plan=new_plan)
    changed = read_workbook(export(copy), "vru")
    for row in changed.actions:
        row.values |= {"progress": f"{row.values['text']} is done", "leads": other.name}
    preview = preview_import(changed, copy)
    with sqlite_parameters(26) as updated:
        plan_import(preview)

    def statements(queries, start):
        return sum(query["sql"].startswith(start) for query in queries)

    assert statements(created, 'INSERT INTO "actions_action" (') == 30
    assert statements(created, 'INSERT INTO "actions_action_lead_people" (') == 3
    assert statements(updated, "WITH new (pk, ") > 1
    assert statements(updated, 'DELETE FROM "actions_action_lead_people"') > 1
    actions = Action.objects.filter(theme__plan=copy).order_by("order")
    assert [(action.ref, action.progress) for action in actions] == [
        (str(number), f"Action {number} is done") for number in range(1, 31)
    ]
    assert {person for action in actions for person in action.lead_people.all()} == {other}
    assert all(action.history.count() == 2 for action in actions)
