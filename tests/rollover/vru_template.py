"""A test VRU template, and a Draft plan to take it into, made from the seed B&D VRU plan.

The template is the seed plan's own export (workbooks.layouts), with an eighth theme added
at the bottom, as the VRU's latest template adds Violence Against Women and Girls. Its
actions' words are test data, marked as such in every cell: they are not the VRU's text,
which the seeds do not hold. The Draft plan is made here by hand, as a roll-over would make
it (each of the seed plan's actions carried, linked to the one it came from), so that these
tests need nothing of the roll-over itself.
"""

import datetime

from actions.models import Action, Plan, ProgressUpdate
from tests.workbooks.workbooks import Sheet, export

SEED_SLUG = "bd-vru-2021-22"
DRAFT_SLUG = "bd-vru-test-draft"
VAWG = "Violence Against Women and Girls"
# The test data's own marker, at the start of every cell of the added theme.
TEST = "TEST DATA, not VRU text:"

# The added theme's rows: (number, the Origin column, the action cell).
VAWG_ROWS = [
    ("1", "", f"VRU mandated action: {TEST} mandated action one"),
    ("2", "VRU mandated action", f"{TEST} mandated action two"),
    ("3", "New VRU action", f"{TEST} new action three"),
    ("4", "Optional VRU action", f"{TEST} optional action four"),
    ("5", "Optional VRU action", f"{TEST} optional action five"),
    ("6", "Optional VRU action", f"{TEST} optional action six"),
]


def seed_plan() -> Plan:
    return Plan.objects.get(slug=SEED_SLUG)


def template_workbook(rows=VAWG_ROWS, *, theme: str = VAWG, edit=None, plan=None) -> bytes:
    """The seed plan's export (or `plan`'s) with `rows` added under `theme` at the bottom of
    its table (the key under the table removed), the hidden ID and version cells of those
    rows left blank; `edit(sheet)`, if given, changes the sheet further before it is saved."""
    sheet = Sheet(export(plan or seed_plan()))
    table = sheet.sheet
    key_row = next(r for r in range(1, table.max_row + 1) if table.cell(r, 1).value == "Key")
    table.delete_rows(key_row - 1, table.max_row)
    row = key_row - 1
    for ref, origin, text in rows:
        sheet.set(row, "Ref Theme", theme)
        sheet.set(row, "Action No", ref)
        sheet.set(row, "Actions", text)
        sheet.set(row, "Origin", origin)
        row += 1
    if edit is not None:
        edit(sheet)
    return sheet.save()


def draft_plan(*, slug: str = DRAFT_SLUG, status=Plan.Status.DRAFT, source=None) -> Plan:
    """Next year's plan, as a roll-over makes it: the seed plan's (or `source`'s) themes, and
    each of its actions carried (the same number, words, origin and leads), linked to the
    one it came from."""
    seed = source or seed_plan()
    draft = Plan.objects.create(
        partnership=seed.partnership,
        board=seed.board,
        title=f"{seed.title} (test Draft)",
        slug=slug,
        layout=seed.layout,
        period_start=datetime.date(2022, 12, 11),
        period_end=datetime.date(2023, 12, 10),
        status=status,
        predecessor=seed,
    )
    for theme in seed.themes.filter(parent__isnull=True).order_by("order"):
        copy = draft.themes.create(
            name=theme.name, description=theme.description, order=theme.order
        )
        for action in theme.actions.order_by("order"):
            carried = Action.objects.create(
                theme=copy,
                ref=action.ref,
                text=action.text,
                origin=action.origin,
                leads=action.leads,
                order=action.order,
                carried_from=action,
            )
            carried.lead_people.set(action.lead_people.all())
            carried.lead_organisations.set(action.lead_organisations.all())
    return draft


def carried(draft: Plan, theme_start: str, ref: str) -> Action:
    return Action.objects.get(theme__plan=draft, theme__name__startswith=theme_start, ref=ref)


def with_update(action: Action, text: str) -> ProgressUpdate:
    return ProgressUpdate.objects.create(action=action, date=datetime.date(2023, 1, 1), text=text)
