"""`rollover_plan --template`: the VRU's new template taken into the new Draft in the same
transaction as the roll-over, every question answered by the options (--adopt,
--refuse-match); a dry run makes it all and undoes it; a refused template writes nothing."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from actions.models import Action, Plan
from rollover.models import Rollover, TemplateChoice
from rollover.services import rollover_undo
from tests.factories import UserFactory
from tests.rollover.helpers import snapshot
from tests.rollover.vru_template import SEED_SLUG, TEST, VAWG, template_workbook

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]

NEW = "bd-vru-command-2022-23"
PERIOD = ["--start", "2022-12-11", "--end", "2023-12-10"]


@pytest.fixture
def template(tmp_path):
    # The demo has rolled the seed plan over already: undone here, so that it may be again.
    for rollover in Rollover.objects.filter(old_plan__slug=SEED_SLUG, state="draft"):
        rollover_undo(rollover=rollover, user=UserFactory())
    path = tmp_path / "vru-template-2022-23.xlsx"
    path.write_bytes(template_workbook())
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command("rollover_plan", "--plan", SEED_SLUG, "--slug", NEW, *PERIOD, *args, stdout=out)
    return out.getvalue()


def optional_rows(out: str) -> dict[str, int]:
    """The optional actions the command listed: their words, and their row in the template."""
    return {
        text: int(row)
        for row, text in re.findall(r"Optional action, row (\d+): (.*?): Left out", out)
    }


def test_a_dry_run_lists_the_templates_choices_with_their_rows_and_writes_nothing(template):
    before = snapshot()

    out = run("--template", str(template), "--dry-run")

    assert snapshot() == before
    assert "Template vru-template-2022-23.xlsx: 1 theme(s) added" in out
    assert sorted(optional_rows(out)) == [
        f"{TEST} optional action five",
        f"{TEST} optional action four",
        f"{TEST} optional action six",
    ]
    assert out.strip().endswith("Dry run: nothing was written.")


def test_the_template_is_taken_into_the_new_draft_with_the_optional_actions_adopted(template):
    rows = optional_rows(run("--template", str(template), "--dry-run"))
    adopt = [rows[f"{TEST} optional action four"], rows[f"{TEST} optional action six"]]

    run("--template", str(template), *[f"--adopt={row}" for row in adopt])

    draft = Plan.objects.get(slug=NEW)
    assert draft.status == Plan.Status.DRAFT
    vawg = draft.themes.get(name=VAWG)
    assert sorted(vawg.actions.values_list("text", flat=True)) == sorted(
        [
            f"{TEST} mandated action one",
            f"{TEST} mandated action two",
            f"{TEST} new action three",
            f"{TEST} optional action four",
            f"{TEST} optional action six",
        ]
    )
    # The carried actions matched by number are merged, not doubled.
    old = Plan.objects.get(slug=SEED_SLUG)
    carried = Action.objects.filter(theme__plan=draft, carried_from__isnull=False)
    assert carried.count() == Action.objects.filter(theme__plan=old).exclude(rag="complete").count()
    # Each choice recorded, in the name of the system user running the command.
    choices = TemplateChoice.objects.filter(plan=draft)
    decisions = {c.template_text: c.decision for c in choices.filter(kind="optional")}
    assert decisions == {
        f"{TEST} optional action four": "adopted",
        f"{TEST} optional action five": "left_out",
        f"{TEST} optional action six": "adopted",
    }
    # (cspplan.origin: the account running it, as the system user "system:<account>").
    assert {c.made_by.username.startswith("system:") for c in choices} == {True}
    assert Rollover.objects.get(new_plan=draft).template_name == "vru-template-2022-23.xlsx"


def test_a_template_with_problems_is_refused_and_nothing_is_written(tmp_path, template):
    rows = [("1", "New VRU action", f"{TEST} one"), ("1", "New VRU action", f"{TEST} two")]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(template_workbook(rows))
    before = snapshot()

    with pytest.raises(CommandError, match="The template was not taken in: .*used twice"):
        run("--template", str(broken))

    assert snapshot() == before
    assert not Plan.objects.filter(slug=NEW).exists()
