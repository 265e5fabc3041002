"""Export, dry-run import and real imports take as many queries for 200 actions as for 10.

benchmarks/spreadsheets.py measures the same at 5,000 and 10,000 actions; this pins it.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action, ProgressUpdate
from boards.models import Role
from tests.factories import (
    ActionFactory,
    OrganisationFactory,
    PersonFactory,
    PlanFactory,
    ThemeFactory,
    user_in_role,
)
from tests.workbooks.workbooks import export as exported
from workbooks.layouts import read_workbook
from workbooks.presenter import describe
from workbooks.preview import preview_import
from workbooks.services import plan_import
from workbooks.settling import take_workbook

pytestmark = pytest.mark.django_db

SIZES = (10, 200)


def make_plan(size: int):
    """A VRU plan of `size` actions in three themes, each led by two named people and with a
    dated progress update (so that a new plan's import adds `size` updates)."""
    plan = PlanFactory(layout="vru")
    people = PersonFactory.create_batch(2, partnerships=[plan.partnership])
    organisation = OrganisationFactory(partnerships=[plan.partnership])
    themes = ThemeFactory.create_batch(3, plan=plan)
    # Built by the factory and saved in bulk: saving hundreds one by one is slow to set up.
    actions = Action.objects.bulk_create(
        ActionFactory.build(
            theme=themes[number % len(themes)],
            leads=f"{people[0].name} and {people[1].name}",
            lead_organisations_text=organisation.short_name,
            progress=f"Update {number}",
            rag="green",
        )
        for number in range(size)
    )
    Action.lead_people.through.objects.bulk_create(
        Action.lead_people.through(action=action, person=person)
        for action in actions
        for person in people
    )
    Action.lead_organisations.through.objects.bulk_create(
        Action.lead_organisations.through(action=action, organisation=organisation)
        for action in actions
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            action=action, date=datetime.date(2021, 11, 1), period="November 2021", text="Met."
        )
        for action in actions
    )
    return plan


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def export(plan):
    return lambda: exported(plan)


def dry_run(plan):
    data = exported(plan)
    return lambda: preview_import(read_workbook(data, "vru"), plan)


def import_changes(plan):
    """Every row's progress, RAG and leads changed (so the lists are compared and rewritten)."""
    data = exported(plan)
    other = PersonFactory(partnerships=[plan.partnership])

    def run():
        parsed = read_workbook(data, "vru")
        for row in parsed.actions:
            row.values.update(progress=f"{row.values['progress']} (later)", rag="red")
            row.values["leads"] = other.name
        preview = preview_import(parsed, plan)
        assert preview.count("update") == len(parsed.actions)
        plan_import(preview)

    return run


def import_conflicts(plan):
    """An old workbook in which every row conflicts with a change made in the plan since
    its export (by a user with a person, whose name the preview shows): the workbook's
    value taken for each."""
    officer = user_in_role(Role.OFFICER, partnerships=[plan.partnership])
    actions = Action.objects.filter(theme__plan=plan)
    Action.history.bulk_history_create(list(actions))
    data = exported(plan)
    actions.update(rag="amber")
    Action.history.bulk_history_create(list(actions), update=True, default_user=officer)

    def run():
        parsed = read_workbook(data, "vru")
        for row in parsed.actions:
            row.values["rag"] = "red"
        preview = preview_import(parsed, plan)
        assert preview.count("conflict") == len(parsed.actions)
        describe(preview)
        take_workbook(preview)
        plan_import(preview)

    return run


def import_new_plan(plan):
    """The workbook as a partner would send it for a new plan: no record numbers."""
    data = exported(plan)

    def run():
        parsed = read_workbook(data, "vru")
        for row in parsed.actions:
            row.id = None
        preview = preview_import(parsed, None, partnership=plan.partnership)
        assert preview.count("create") == len(parsed.actions)
        new_plan = {"slug": f"{plan.slug}-copy", "title": plan.title, "layout": "vru"}
        plan_import(
            preview, new_plan={**new_plan, "board": plan.board, "partnership": plan.partnership}
        )

    return run


@pytest.mark.parametrize(
    "step", [export, dry_run, import_changes, import_conflicts, import_new_plan]
)
def test_queries_do_not_grow_with_actions(step):
    counts = []
    for size in SIZES:
        run = step(make_plan(size))
        counts.append(count_queries(run))
    assert counts[0] == counts[1], f"{step.__name__}: {counts} queries for {SIZES} actions"


def re_import_unchanged(plan):
    """A workbook exported with each action's version (its history), imported back as it
    was: every version is looked up."""
    Action.history.bulk_history_create(list(Action.objects.filter(theme__plan=plan)))
    data = exported(plan)

    def run():
        parsed = read_workbook(data, "vru")
        assert all(row.version for row in parsed.actions)
        preview = preview_import(parsed, plan)
        assert preview.count("unchanged") == len(parsed.actions)

    return run


def test_versions_are_looked_up_in_one_query_past_a_thousand_rows():
    """Django's in_bulk asks SQLite for 999 at a time: past that, one query per thousand
    rows would creep in."""
    counts = [count_queries(re_import_unchanged(make_plan(size))) for size in (10, 1100)]
    assert counts[0] == counts[1], f"{counts} queries for 10 and 1,100 actions"


def test_the_imports_wrote_what_they_were_counted_for():
    """The counted imports really write: 200 actions changed and 200 created, with history."""
    plan = make_plan(200)
    import_changes(plan)()
    import_new_plan(plan)()
    changed = Action.objects.filter(theme__plan=plan)
    assert set(changed.values_list("rag", flat=True)) == {"red"}
    assert all(action.lead_people.count() == 1 for action in changed[:5])
    copy = Action.objects.filter(theme__plan__slug=f"{plan.slug}-copy")
    assert copy.count() == 200
    assert Action.history.filter(theme__plan__slug=f"{plan.slug}-copy").count() == 200
    copied = ProgressUpdate.objects.filter(action__theme__plan__slug=f"{plan.slug}-copy")
    assert copied.count() == 200
    assert (
        ProgressUpdate.history.filter(action__theme__plan__slug=f"{plan.slug}-copy").count() == 200
    )


def test_the_conflicts_counted_were_settled_and_written():
    plan = make_plan(200)
    import_conflicts(plan)()
    changed = Action.objects.filter(theme__plan=plan)
    assert set(changed.values_list("rag", flat=True)) == {"red"}
