"""Progress updates travel both ways: the VRU Progress cell carries an action's undated
progress text and its dated updates, and an import reads the dated paragraphs back as
updates (workbooks.progress)."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from actions.models import Plan, ProgressUpdate
from actions.rag import RAG
from boards.models import Role
from tests.factories import (
    ActionFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    user_in_role,
)
from tests.workbooks.workbooks import Sheet, edit_row, export
from workbooks.layouts import read_workbook
from workbooks.presenter import preview_lines
from workbooks.preview import preview_import
from workbooks.progress import (
    WrittenUpdate,
    compare_updates,
    format_progress,
    parse_progress,
    reads_as_dated,
    written_date,
)
from workbooks.services import IMPORT_REASON, ImportRefused, plan_import

# ---- the paragraph format ------------------------------------------------------------------

# What an update's text or the undated text can hold: any characters, several lines and
# paragraphs, but no paragraph that itself begins like a dated update (it would be read as
# one: see reads_as_dated). Stored stripped, as the form and cell_text store text.
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"), include_characters="\n\t"),
    max_size=200,
).map(str.strip)
PARAGRAPHS = st.lists(TEXT, min_size=1, max_size=3).map("\n\n".join).map(str.strip)
SAFE_TEXT = st.one_of(TEXT, PARAGRAPHS).filter(lambda text: not reads_as_dated(text))
# Up to a day in the past: an import refuses an update dated after today.
DATES = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2025, 12, 31))


def _ordinal(day: int) -> str:
    return "th" if 10 <= day <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


# How people write an update's date, and the date each gives: a month gives its first day.
WRITTEN_DAYS = [
    lambda day: "",  # no period: the app's own "12 March 2022"
    lambda day: f"{day.day}{_ordinal(day.day)} {day:%B %Y}",
    lambda day: f"{day.day} {day:%b %Y}",
    lambda day: f"{day:%d/%m/%Y}",
]
WRITTEN_MONTHS = [
    lambda day: f"{day:%B %Y}",
    lambda day: f"{day:%b %Y}",
    lambda day: f"{day:%B %Y}".upper(),
]


@st.composite
def updates(draw) -> ProgressUpdate:
    """An update as stored: a day, or a month (its first day) with the month as written."""
    day = draw(DATES)
    if draw(st.booleans()):
        period = draw(st.sampled_from(WRITTEN_DAYS))(day)
    else:
        day = day.replace(day=1)
        period = draw(st.sampled_from(WRITTEN_MONTHS))(day)
    text = draw(SAFE_TEXT.filter(bool))
    return ProgressUpdate(date=day, period=period, text=text)


def as_written(update) -> tuple:
    return written_date(update), update.date, update.text


@given(undated=SAFE_TEXT, stored=st.lists(updates(), max_size=5))
@example(
    undated="Commissioning perpetrator pilot is underway.\n\nTo be flagged at March CSP Board.",
    stored=[
        ProgressUpdate(date=datetime.date(2022, 3, 12), text="Evaluation report received."),
        ProgressUpdate(
            date=datetime.date(2021, 11, 1),
            period="November 2021",
            text="Externally funded Perpatrator pilot has been extended to June 2022.",
        ),
    ],
)
# Found by hypothesis: a number ending the undated text ran on into the next paragraph's date.
@example(
    undated="0",
    stored=[ProgressUpdate(date=datetime.date(2000, 1, 1), period="January 2000", text="0")],
)
def test_formatting_then_parsing_gives_the_same_undated_text_and_updates_back(undated, stored):
    cell = parse_progress(format_progress(undated, stored))

    assert cell.undated == undated
    assert [as_written(update) for update in cell.updates] == [as_written(u) for u in stored]


def test_the_cell_is_the_undated_text_then_one_paragraph_per_update_newest_first():
    stored = [
        ProgressUpdate(date=datetime.date(2022, 3, 12), text="Report received."),
        ProgressUpdate(date=datetime.date(2021, 11, 1), period="November 2021", text="Pilot."),
    ]

    assert format_progress("Underway.", stored) == (
        "Underway.\n\n12 March 2022: Report received.\n\nNovember 2021: Pilot."
    )
    assert format_progress("", stored[1:]) == "November 2021: Pilot."


@pytest.mark.parametrize(
    "written, date, period",
    [
        ("12 March 2022", datetime.date(2022, 3, 12), ""),
        ("12th March 2022", datetime.date(2022, 3, 12), "12th March 2022"),
        ("12 Mar 2022", datetime.date(2022, 3, 12), "12 Mar 2022"),
        ("12/03/2022", datetime.date(2022, 3, 12), "12/03/2022"),
        ("November 2021", datetime.date(2021, 11, 1), "November 2021"),
        ("Sept 2021", datetime.date(2021, 9, 1), "Sept 2021"),
    ],
)
def test_a_paragraph_dated_as_people_write_dates_is_an_update(written, date, period):
    cell = parse_progress(f"Undated words.\n\n{written}: What happened.\nMore of it.")

    assert cell.undated == "Undated words."
    assert cell.updates == [WrittenUpdate(written, date, "What happened.\nMore of it.")]
    assert cell.updates[0].period == period


def test_words_that_only_look_like_a_date_and_dates_inside_a_paragraph_are_text():
    text = "Phase 2021: scoping.\nNovember 2021: not at a paragraph's start.\n\nIn 2022: more."

    assert parse_progress(text).updates == []
    assert parse_progress(text).undated == text


def test_an_update_keeps_its_own_blank_lines():
    cell = parse_progress("November 2021: First point.\n\nSecond point, same update.")

    assert cell.updates[0].text == "First point.\n\nSecond point, same update."


@pytest.mark.parametrize(
    "text, message",
    [
        ("31 February 2022: Met.", "'31 February 2022' at the start of a progress paragraph"),
        ("13/13/2022: Met.", "'13/13/2022' at the start of a progress paragraph is not a real"),
        ("Undated.\n\nNovember 2021:   ", "The update dated 'November 2021' has no text"),
    ],
)
def test_a_dated_paragraph_that_cannot_be_read_says_what_to_correct(text, message):
    with pytest.raises(ValueError, match=message):
        parse_progress(text)


def test_comparing_finds_unchanged_edited_new_and_absent_updates():
    kept = ProgressUpdate(pk=1, date=datetime.date(2021, 11, 1), period="November 2021", text="A")
    reworded = ProgressUpdate(
        pk=2, date=datetime.date(2021, 12, 1), period="December 2021", text="B"
    )
    redated = ProgressUpdate(pk=3, date=datetime.date(2022, 1, 5), text="C")
    dropped = ProgressUpdate(pk=4, date=datetime.date(2020, 1, 5), text="D")
    written = [
        WrittenUpdate("February 2022", datetime.date(2022, 2, 1), "New"),
        WrittenUpdate("6 January 2022", datetime.date(2022, 1, 6), "C"),
        WrittenUpdate("December 2021", datetime.date(2021, 12, 1), "B, reworded"),
        WrittenUpdate("November 2021", datetime.date(2021, 11, 1), "A"),
    ]

    compared = compare_updates(written, [redated, reworded, kept, dropped])

    assert compared.unchanged == 1
    assert [(change.update, change.written.text) for change in compared.changes] == [
        (None, "New"),
        (redated, "C"),
        (reworded, "B, reworded"),
    ]
    assert [str(change) for change in compared.changes] == [
        "New progress update: (none) → February 2022: New",
        "Progress update of 5 January 2022: 5 January 2022: C → 6 January 2022: C",
        "Progress update of December 2021: December 2021: B → December 2021: B, reworded",
    ]
    assert compared.absent == [dropped]


# ---- export and import ---------------------------------------------------------------------


@pytest.fixture
def plan(db) -> Plan:
    """A VRU plan with one action of Amber status and two updates, one by month."""
    plan = PlanFactory(layout="vru")
    action = ActionFactory(
        theme=ThemeFactory(plan=plan, name="Governance"),
        ref="1",
        text="Review the drugs market profile",
        progress="The profile was developed in partnership.",
        rag=RAG.AMBER,
    )
    ProgressUpdateFactory(
        action=action, date=datetime.date(2021, 11, 1), period="November 2021", text="Limited."
    )
    ProgressUpdateFactory(action=action, date=datetime.date(2022, 3, 12), text="Meeting held.")
    return plan


def progress_cell(data: bytes) -> str:
    sheet = Sheet(data)
    return sheet.get(sheet.row_of("drugs market"), "Progress")


def with_progress(plan: Plan, cell: str) -> bytes:
    return edit_row(export(plan), "drugs market", {"Progress": cell})


def preview(plan: Plan, data: bytes):
    return preview_import(read_workbook(data, "vru"), plan)


EXPORTED = (
    "The profile was developed in partnership.\n\n"
    "12 March 2022: Meeting held.\n\n"
    "November 2021: Limited."
)


def test_the_vru_progress_cell_carries_the_undated_text_and_the_updates(plan):
    assert progress_cell(export(plan)) == EXPORTED


def test_a_new_dated_paragraph_becomes_an_update_in_the_importing_users_name(plan):
    officer = user_in_role(Role.OFFICER)
    undated, updates = EXPORTED.split("\n\n", 1)
    data = with_progress(plan, f"{undated}\n\n1 April 2022: Funding agreed.\n\n{updates}")

    found = preview(plan, data)
    lines = preview_lines(found)

    assert found.count("update") == 1
    assert "    New progress update: (none) → 1 April 2022: Funding agreed." in lines
    action = plan.themes.get().actions.get()
    before = action.history.count()
    plan_import(found, user=officer)
    added = action.updates.get(text="Funding agreed.")
    assert (added.date, added.period) == (datetime.date(2022, 4, 1), "")
    assert (added.author, added.created_by) == (officer.person, officer)
    # The RAG status the action has now, recorded on the update; the action is not rewritten.
    assert added.rag == RAG.AMBER
    assert action.history.count() == before
    history = added.history.get()
    assert (history.history_user, history.history_change_reason) == (officer, IMPORT_REASON)
    assert action.updates.count() == 3


def test_a_new_update_records_the_rag_status_the_same_row_gives_its_action(plan):
    data = edit_row(
        with_progress(plan, f"April 2022: Stalled.\n\n{EXPORTED}"),
        "drugs market",
        {"Risk RAG status": "Red"},
    )

    plan_import(preview(plan, data), user=user_in_role(Role.OFFICER))

    action = plan.themes.get().actions.get()
    assert action.rag == RAG.RED
    assert action.updates.get(period="April 2022").rag == RAG.RED


def test_an_edited_paragraph_is_shown_and_saved_as_a_change_to_that_update(plan):
    analyst = user_in_role(Role.ANALYST)
    data = with_progress(plan, EXPORTED.replace("Limited.", "Resources are limited."))

    found = preview(plan, data)

    assert "    Progress update of November 2021: November 2021: Limited. → November 2021: " in (
        "\n".join(preview_lines(found))
    )
    update = ProgressUpdate.objects.get(text="Limited.")
    plan_import(found, user=analyst)
    update.refresh_from_db()
    assert (update.text, update.period) == ("Resources are limited.", "November 2021")
    latest = update.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (analyst, IMPORT_REASON)
    assert ProgressUpdate.objects.filter(action__theme__plan=plan).count() == 2


def test_a_paragraph_taken_out_of_the_cell_leaves_its_update_and_says_so(plan):
    found = preview(plan, with_progress(plan, EXPORTED.split("\n\nNovember")[0]))

    assert found.count("unchanged") == 1
    assert (
        "Row 6: the progress update of November 2021 is not in the Progress cell; it is kept "
        "as it is (an import does not delete updates)."
    ) in found.notes


def test_the_undated_text_is_the_actions_progress(plan):
    found = preview(plan, with_progress(plan, EXPORTED.replace("in partnership", "together")))

    assert [str(change) for change in found.actions[0].changes] == [
        "Progress: The profile was developed in partnership. → The profile was developed together."
    ]
    assert found.actions[0].updates == []


def test_an_update_dated_after_today_is_refused_and_nothing_is_written(plan):
    later = timezone.localdate() + datetime.timedelta(days=40)
    data = with_progress(plan, f"{EXPORTED}\n\n{later.day} {later:%B %Y}: Planned.")

    found = preview(plan, data)

    assert [problem.message for problem in found.problems] == [
        f"The progress update dated '{later.day} {later:%B %Y}' is after today: an update "
        "says what has happened, so date it today or earlier."
    ]
    assert found.problems[0].column == "Progress"
    with pytest.raises(ImportRefused):
        plan_import(found)
    assert ProgressUpdate.objects.filter(action__theme__plan=plan).count() == 2


def test_a_date_that_is_not_real_is_a_problem_in_the_progress_cell(plan):
    found = preview(plan, with_progress(plan, f"{EXPORTED}\n\n30 February 2022: Met."))

    assert [(p.column, p.message[:60]) for p in found.problems] == [
        ("Progress", "'30 February 2022' at the start of a progress paragraph is n")
    ]


def test_a_new_action_brings_its_updates_with_it(plan):
    officer = user_in_role(Role.OFFICER)
    data = export(plan)
    found = preview_import(read_workbook(data, "vru"), None, partnership=plan.partnership)

    assert found.count("create") == 1
    copy = plan_import(
        found,
        user=officer,
        new_plan={
            "partnership": plan.partnership,
            "slug": "copy",
            "title": "Copy",
            "layout": "vru",
        },
    )
    action = copy.themes.get().actions.get()
    assert [as_written(update) for update in action.updates.all()] == [
        as_written(update) for update in plan.themes.get().actions.get().updates.all()
    ]
    assert {update.rag for update in action.updates.all()} == {RAG.AMBER}
    assert {update.created_by for update in action.updates.all()} == {officer}


@pytest.mark.parametrize("layout", ["sgv", "csp"])
def test_the_sgv_and_csp_layouts_have_no_progress_column_and_leave_updates_alone(plan, layout):
    parsed = read_workbook(export(plan, layout), layout)

    assert [row.updates for row in parsed.actions] == [None]
    found = preview_import(parsed, plan)
    assert (found.count("unchanged"), found.notes) == (1, [])


def test_updates_of_one_date_come_back_in_the_cells_order(plan):
    action = plan.themes.get().actions.get()
    ProgressUpdateFactory(action=action, date=datetime.date(2022, 3, 12), text="Later that day.")
    cell = progress_cell(export(plan))
    assert "12 March 2022: Later that day.\n\n12 March 2022: Meeting held." in cell

    copy = plan_import(
        preview_import(read_workbook(export(plan), "vru"), None, partnership=plan.partnership),
        new_plan={
            "partnership": plan.partnership,
            "slug": "copy",
            "title": "Copy",
            "layout": "vru",
        },
    )

    assert progress_cell(export(copy)) == cell


def test_a_new_update_written_above_the_undated_text_leaves_that_text_as_it_is(plan):
    found = preview(plan, with_progress(plan, f"1 April 2022: Funding agreed.\n\n{EXPORTED}"))

    [change] = found.actions
    assert change.changes == []
    assert [str(update) for update in change.updates] == [
        "New progress update: (none) → 1 April 2022: Funding agreed."
    ]


@pytest.mark.parametrize("period", ["Autumn 2021", "Q3 2021/22", "31 February 2022"])
def test_an_update_whose_period_is_not_a_date_is_written_with_its_date(plan, period):
    action = plan.themes.get().actions.get()
    ProgressUpdateFactory(action=action, date=datetime.date(2021, 10, 1), period=period, text="X")

    assert "\n\n1 October 2021: X" in progress_cell(export(plan))
    found = preview(plan, export(plan))
    assert (found.count("unchanged"), found.problems) == (1, [])


def test_updates_that_would_overflow_the_cell_are_left_out_whole_and_kept(plan):
    """Excel holds 32,767 characters in a cell. Cutting the cell there would end the oldest
    update mid-sentence, and the next import would read it as that update shortened: the
    oldest updates that do not fit are left out whole instead, and an import keeps them."""
    action = plan.themes.get().actions.get()
    long_updates = [
        ProgressUpdateFactory(
            action=action, date=datetime.date(2022, 4, day), text=" ".join([words] * 1500)
        )
        for day, words in ((1, "Alpha ten"), (2, "Beta nine"), (3, "Gamma ten"))
    ]
    data = export(plan)
    cell = progress_cell(data)

    assert len(cell) <= 32767
    written = parse_progress(cell)
    assert written.undated == "The profile was developed in partnership."
    # Newest first, each whole; the third long one and the two older updates do not fit.
    assert [update.text for update in written.updates] == [
        long_updates[2].text,
        long_updates[1].text,
    ]
    found = preview(plan, data)
    assert found.count("unchanged") == 1
    assert found.actions[0].updates == []
    assert sum("is kept as it is" in note for note in found.notes) == 3

    plan_import(found, user=user_in_role(Role.ANALYST))
    assert {update.text for update in action.updates.all()} == {
        "Limited.",
        "Meeting held.",
        *(update.text for update in long_updates),
    }
