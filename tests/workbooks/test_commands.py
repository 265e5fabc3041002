"""The import_plan and export_plan commands, as an analyst runs them."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from actions.models import Action, Plan
from actions.rag import RAG
from tests.factories import ActionFactory, BoardFactory, PlanFactory, ThemeFactory, UserFactory
from tests.helpers import edit
from tests.workbooks.workbooks import Sheet

DATA = Path(__file__).resolve().parents[1] / "data"

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def import_as_sent(*args) -> tuple[str, str]:
    return run("import_plan", str(DATA / "vru_as_sent.xlsx"), "--layout", "vru", *args)


@pytest.fixture
def plan():
    plan = PlanFactory(slug="vru-plan")
    theme = ThemeFactory(plan=plan, name="GOVERNANCE")
    ActionFactory(theme=theme, ref="1", text="Set out the co-ordination arrangements")
    ActionFactory(theme=theme, ref="2", text="Daily violence meeting")
    return plan


def import_refused(path) -> tuple[io.StringIO, io.StringIO]:
    """Import `path` into the VRU plan, expecting the command to refuse (exit 1); its
    output and errors."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(
            "import_plan",
            str(path),
            "--layout",
            "vru",
            "--plan",
            "vru-plan",
            stdout=out,
            stderr=err,
        )
    assert exited.value.code == 1
    return out, err


def test_export_then_dry_run_import_reports_no_change(plan, tmp_path):
    path = tmp_path / "plan.xlsx"
    out, _ = run("export_plan", "--plan", "vru-plan", "--layout", "vru", "-o", str(path))
    assert "Wrote" in out and path.stat().st_size > 0

    out, _ = run("import_plan", str(path), "--layout", "vru", "--plan", "vru-plan", "--dry-run")

    assert out.splitlines()[-2:] == [
        "Summary: created=0 updated=0 unchanged=2 conflicts=0 refused=0",
        "Dry run: nothing was written.",
    ]


def test_import_shows_each_change_and_writes_it_in_the_users_name(plan, tmp_path):
    path = tmp_path / "plan.xlsx"
    run("export_plan", "--plan", "vru-plan", "-o", str(path))
    sheet = Sheet(path.read_bytes())
    sheet.set(sheet.row_of("Daily"), "Risk RAG status", "A")
    path.write_bytes(sheet.save())
    analyst = UserFactory(username="analyst")

    dry, _ = run("import_plan", str(path), "--layout", "vru", "--plan", "vru-plan", "--dry-run")
    assert Action.objects.get(ref="2").rag == RAG.NOT_RATED
    out, _ = run(
        "import_plan", str(path), "--layout", "vru", "--plan", "vru-plan", "--user", "analyst"
    )

    assert "    RAG status: Not rated → Amber" in out.splitlines()
    assert out.splitlines()[-1] == "Summary: created=0 updated=1 unchanged=1 conflicts=0 refused=0"
    assert dry.splitlines()[:-1] == out.splitlines()
    action = Action.objects.get(ref="2")
    assert action.rag == RAG.AMBER
    assert action.history.first().history_user == analyst


def test_a_refused_import_exits_non_zero_and_writes_nothing(plan, tmp_path):
    path = tmp_path / "plan.xlsx"
    run("export_plan", "--plan", "vru-plan", "-o", str(path))
    sheet = Sheet(path.read_bytes())
    sheet.set(sheet.row_of("Set out"), "Progress", "Agreed")
    sheet.set(sheet.row_of("Daily"), "Risk RAG status", "Purple")
    path.write_bytes(sheet.save())
    out, err = import_refused(path)
    assert "column 'Risk RAG status': 'Purple' is not a RAG status" in out.getvalue()
    assert "Summary: created=0 updated=1 unchanged=0 conflicts=0 refused=1" in out.getvalue()
    assert "Nothing was written" in err.getvalue()
    assert Action.objects.get(ref="1").progress == ""


@pytest.mark.parametrize(
    "name, message",
    [
        ("bad_not_a_workbook.xlsx", "not an Excel workbook"),
        ("bad_macro_enabled.xlsm", "macro"),
        ("bad_zip_bomb.xlsx", "expand"),
    ],
)
def test_a_file_that_is_not_a_plain_workbook_is_refused(plan, name, message):
    with pytest.raises(CommandError, match=message):
        run("import_plan", str(DATA / name), "--layout", "vru", "--plan", "vru-plan")


def test_create_makes_a_new_plan_from_the_workbook(tmp_path):
    board = BoardFactory(slug="csp-board")
    BoardFactory()  # a second partnership: the board must then be named

    with pytest.raises(CommandError, match="--board"):
        import_as_sent("--plan", "new-plan", "--create")
    out, _ = import_as_sent("--plan", "new-plan", "--create", "--board", "csp-board")

    assert out.splitlines()[-1] == "Summary: created=10 updated=0 unchanged=0 conflicts=0 refused=0"
    plan = Plan.objects.get(slug="new-plan")
    assert (plan.board, plan.partnership, plan.layout) == (board, board.partnership, "vru")
    assert plan.title.startswith("London Borough of Barking and Dagenham")
    assert plan.senior_leaders.count() == 5
    with pytest.raises(CommandError, match="exists"):
        import_as_sent("--plan", "new-plan", "--create")


def test_create_names_the_board_by_partnership_where_main_boards_share_a_slug():
    # As with the seeds: every borough's main board is csp-board.
    here = BoardFactory(slug="csp-board", partnership__slug="barking-dagenham")
    there = BoardFactory(slug="csp-board", partnership__slug="havering")

    with pytest.raises(CommandError) as refused:
        import_as_sent("--plan", "new-plan", "--create", "--board", "csp-board")
    assert str(refused.value) == (
        "More than one partnership has a board with the slug 'csp-board': say which with "
        "--board barking-dagenham/csp-board or havering/csp-board."
    )
    out, _ = import_as_sent("--plan", "new-plan", "--create", "--board", "havering/csp-board")

    assert out.splitlines()[-1] == "Summary: created=10 updated=0 unchanged=0 conflicts=0 refused=0"
    plan = Plan.objects.get(slug="new-plan")
    assert (plan.board, plan.partnership) == (there, there.partnership)
    import_as_sent("--plan", "other-plan", "--create", "--board", "barking-dagenham/csp-board")
    assert Plan.objects.get(slug="other-plan").board == here


@pytest.mark.parametrize(
    ("board", "message"),
    [
        ("nowhere/csp-board", "No partnership has the slug 'nowhere' (there are: havering)."),
        ("havering/sgv-board", "Partnership 'havering' has no board with the slug 'sgv-board'."),
        ("sgv-board", "There is no board with the slug 'sgv-board'."),
    ],
)
def test_create_with_an_unknown_board_says_so_and_writes_nothing(board, message):
    BoardFactory(slug="csp-board", partnership__slug="havering")
    with pytest.raises(CommandError) as refused:
        import_as_sent("--plan", "new-plan", "--create", "--board", board)
    assert str(refused.value) == message
    assert not Plan.objects.exists()
    assert not Action.objects.exists()


def test_unknown_plan_or_user_is_refused(plan, tmp_path):
    with pytest.raises(CommandError, match="No plan has the slug 'nope'. Add --create"):
        import_as_sent("--plan", "nope")
    with pytest.raises(CommandError, match="No user is called 'ghost'"):
        import_as_sent("--plan", "vru-plan", "--user", "ghost")
    with pytest.raises(CommandError, match="No plan has the slug 'nope'"):
        run("export_plan", "--plan", "nope", "-o", str(tmp_path / "x.xlsx"))


def an_old_workbook_in_conflict(tmp_path) -> Path:
    """A workbook exported before an officer rated action 2 Green, in which the partner
    rated it Amber and changed the progress of action 1 (no conflict)."""
    path = tmp_path / "plan.xlsx"
    run("export_plan", "--plan", "vru-plan", "-o", str(path))
    sheet = Sheet(path.read_bytes())
    sheet.set(sheet.row_of("Daily"), "Risk RAG status", "Amber")
    sheet.set(sheet.row_of("Set out"), "Progress", "Agreed")
    path.write_bytes(sheet.save())
    officer = UserFactory(username="officer", first_name="Angie", last_name="Fuller")
    action = Action.objects.get(ref="2")
    edit(action, officer, rag=RAG.GREEN)
    return path


def test_a_conflict_stops_the_import_with_each_value_and_writes_nothing(plan, tmp_path):
    path = an_old_workbook_in_conflict(tmp_path)
    out, err = import_refused(path)
    lines = out.getvalue().splitlines()
    assert lines[-1] == "Summary: created=0 updated=1 unchanged=0 conflicts=1 refused=0"
    conflict = next(line for line in lines if "CONFLICT" in line)
    assert conflict.startswith(
        "    CONFLICT RAG status: exported Not rated; now Green (changed by Angie Fuller on "
    )
    assert conflict.endswith("); workbook Amber")
    assert err.getvalue().startswith(
        "Nothing was written: 1 field(s) of 1 action(s) were changed both in the plan and in "
        "the workbook since the workbook was exported. Run again with --take-workbook"
    )
    assert Action.objects.get(ref="2").rag == RAG.GREEN
    assert Action.objects.get(ref="1").progress == ""


def test_take_workbook_takes_the_workbooks_value_for_each_conflict(plan, tmp_path):
    path = an_old_workbook_in_conflict(tmp_path)
    UserFactory(username="analyst")
    args = ("import_plan", str(path), "--layout", "vru", "--plan", "vru-plan", "--take-workbook")

    dry, _ = run(*args, "--dry-run")
    assert Action.objects.get(ref="2").rag == RAG.GREEN
    out, _ = run(*args, "--user", "analyst")

    assert out.splitlines()[-2:] == [
        "Summary: created=0 updated=1 unchanged=0 conflicts=1 refused=0",
        "--take-workbook: the workbook's values are taken for 1 field(s) of 1 action(s).",
    ]
    assert dry.splitlines()[-1] == "Dry run: nothing was written."
    action = Action.objects.get(ref="2")
    assert action.rag == RAG.AMBER
    assert action.history.first().history_user.username == "analyst"
    assert Action.objects.get(ref="1").progress == "Agreed"
