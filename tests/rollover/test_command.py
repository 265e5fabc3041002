"""`python manage.py rollover_plan`: prints the preview, writes nothing with --dry-run,
and exits non-zero with nothing written on any error."""

import io

import pytest
from django.core.management import CommandError, call_command

from actions.models import Plan
from rollover.models import Rollover
from tests.rollover.helpers import snapshot

pytestmark = pytest.mark.django_db

ARGS = ["--plan", "violence-plan", "--slug", "violence-plan-2022-23"]
PERIOD = ["--start", "2022-04-01", "--end", "2023-03-31"]


def run(*args) -> str:
    out = io.StringIO()
    call_command("rollover_plan", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_dry_run_prints_the_preview_and_writes_nothing(world):
    before = snapshot()

    out = run(*ARGS, *PERIOD, "--dry-run")

    assert snapshot() == before
    assert not Rollover.objects.exists()
    assert "into Test violence plan (violence-plan-2022-23), a Draft for 1 April 2022" in out
    assert "Theme: Governance" in out and "  Theme: Schools" in out
    assert "carried  1     Daily violence meeting [Red] lead: Pat Example; TPS" in out
    assert "latest update:" in out and "Meeting moved to weekly" in out
    assert "closes   1     Assemblies in schools [Complete]" in out
    assert "5 action(s) carried forward, 1 Complete action(s) closing" in out
    assert out.strip().endswith("Dry run: nothing was written.")


def test_rolls_the_plan_over_as_the_system_user(world):
    out = run(*ARGS, *PERIOD, "--title", "Violence plan 2022/23")

    rollover = Rollover.objects.get()
    assert rollover.new_plan.title == "Violence plan 2022/23"
    assert rollover.new_plan.status == Plan.Status.DRAFT
    assert rollover.new_plan.themes.count() == 3
    assert rollover.history.get().history_user.username.startswith("system:")
    assert "Made Violence plan 2022/23 (violence-plan-2022-23) as a Draft" in out


def test_as_a_named_user(world):
    run(*ARGS, *PERIOD, "--user", world.analyst.username)

    assert Rollover.objects.get().created_by == world.analyst


@pytest.mark.parametrize(
    "args, message",
    [
        (["--plan", "no-such-plan", "--slug", "x", *PERIOD], "No plan has the slug"),
        (["--plan", "violence-plan", "--slug", "other-plan", *PERIOD], "already exists"),
        ([*ARGS, "--start", "2022-04-01", "--end", "2022-03-01"], "cannot end before"),
        ([*ARGS, "--start", "1 April 2022", "--end", "2023-03-31"], "is not a date"),
    ],
)
def test_errors_exit_non_zero_with_nothing_written(world, args, message):
    before = snapshot()

    with pytest.raises(CommandError, match=message):
        run(*args)

    assert snapshot() == before
    assert not Rollover.objects.exists()


def test_a_plan_rolled_over_already_is_refused(world):
    run(*ARGS, *PERIOD)
    before = snapshot()

    with pytest.raises(CommandError, match="already been rolled over"):
        run("--plan", "violence-plan", "--slug", "again", *PERIOD)

    assert snapshot() == before


def test_a_non_zero_exit_status_from_the_shell(world, capsys):
    from django.core.management import ManagementUtility

    utility = ManagementUtility(
        ["manage.py", "rollover_plan", "--plan", "nope", "--slug", "x", *PERIOD]
    )
    with pytest.raises(SystemExit) as exit:
        utility.execute()
    assert exit.value.code != 0
    assert "No plan has the slug 'nope'" in capsys.readouterr().err
