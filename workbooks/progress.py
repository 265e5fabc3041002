"""An action's progress as one workbook cell, the way people write it in a Progress column.

The cell holds any undated progress text first, then the action's dated updates, newest
first, each a paragraph of its own that begins with its date as written::

    Commissioning perpetrator pilot is underway ...

    12 March 2022: Evaluation report received.

    November 2021: Externally funded Perpatrator pilot has been extended to June 2022.

A dated paragraph begins a line that is the first in the cell or follows a blank line, and
starts with a date (12 March 2022, 12th March 2022, 12 Mar 2022, 12/03/2022, November 2021,
Nov 2021) and a colon. Everything up to the next dated paragraph is the update's text, so
an update may hold blank lines of its own; text that begins a paragraph with a date and a
colon cannot be part of an update (or of the undated text) and is read as an update.

`format_progress` writes the cell, `parse_progress` reads it, and `compare_updates` says
what importing it would do to the action's updates: a paragraph with the same date as
written and the same text as an update is that update, unchanged; one with the date of an
update and other words (or the words of an update and another date) changes that update; any
other is a new update. An update the cell no longer holds is left as it is: a workbook does
not delete progress. A new paragraph written at the top of the cell, above the undated text,
leaves that text as it is (`keep_undated`).
"""

import calendar
import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from actions.models import Plan, ProgressUpdate
from actions.selectors import NEWEST_FIRST
from cspplan import clock
from cspplan.display import show_date
from workbooks.rows import Problem
from workbooks.writing import CELL_LIMIT

_MONTHS = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.casefold(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
# Month names only, so that "Phase 2021: ..." is words, not a date that is wrong.
_MONTH = rf"(?P<month>{'|'.join(sorted(_MONTHS, key=len, reverse=True))})\.?"
# The parts of a date on one line ([ \t], not \s): an undated text ending in a number must
# not join the next paragraph's "January 2000" into a date ("0\n\nJanuary 2000").
_WRITTEN = (
    rf"(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?[ \t]+)?{_MONTH},?[ \t]+(?P<year>\d{{4}})"
    r"|(?P<nday>\d{1,2})[/.-](?P<nmonth>\d{1,2})[/.-](?P<nyear>\d{4})"
)
# A dated paragraph: at the start of the cell or after a blank line (the blank lines are
# the separator, not part of either text), a date as written, a colon, and the update.
_DATED = re.compile(rf"(?:\A|\n[ \t]*\n\s*)(?P<written>{_WRITTEN})[ \t]*:[ \t]*\n?", re.IGNORECASE)
_WRITTEN_ALONE = re.compile(rf"(?P<written>{_WRITTEN})", re.IGNORECASE)
SEPARATOR = "\n\n"


@dataclass(frozen=True)
class WrittenUpdate:
    """A dated paragraph of a Progress cell: the date as written and what it means (the
    first day of a month written without a day), and the update's words."""

    written: str
    date: datetime.date
    text: str

    @property
    def period(self) -> str:
        """What the update keeps as its period: the words, unless they are just how the
        app shows the date anyway (so a "12 March 2022" typed on the form stays blank)."""
        return "" if self.written == show_date(self.date) else self.written


@dataclass(frozen=True)
class ProgressCell:
    undated: str
    updates: list[WrittenUpdate]


def written_date(update: ProgressUpdate) -> str:
    """An update's date as written: its period if it has one that reads as a date
    ("November 2021"), else its date as the app shows dates ("12 March 2022"). A period
    that is not a date ("Autumn 2021", typed in the admin) would not read back as one."""
    if update.period and _reads_as_date(update.period):
        return update.period
    return show_date(update.date)


def _reads_as_date(words: str) -> bool:
    match = _WRITTEN_ALONE.fullmatch(words)
    try:
        return match is not None and _date_of(match) is not None
    except ValueError:
        return False


def format_progress(undated: str, updates) -> str:
    """The Progress cell of an action with the undated text `undated` and `updates` (newest
    first, as ProgressUpdate's ordering gives them).

    A cell holds at most CELL_LIMIT characters, and a longer one would be cut in the middle
    of an update, which an import would then read as that update shortened. So the oldest
    updates that do not fit whole are left out: an import keeps an update missing from the
    cell as it is, and its preview says so."""
    paragraphs = [undated] if undated else []
    length = len(undated)
    for update in updates:
        paragraph = f"{written_date(update)}: {update.text}"
        length += len(paragraph) + (len(SEPARATOR) if paragraphs else 0)
        if length > CELL_LIMIT:
            break
        paragraphs.append(paragraph)
    return SEPARATOR.join(paragraphs)


def parse_progress(text: str) -> ProgressCell:
    """The undated text and dated updates a Progress cell holds (text with "\\n" line ends,
    as cell_text gives it); raises ValueError for a date that is not a real one."""
    starts = list(_DATED.finditer(text))
    undated = text[: starts[0].start()] if starts else text
    updates = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        words = text[match.end() : end].strip()
        if not words:
            raise ValueError(
                f"The update dated '{match['written']}' has no text: write what happened "
                "after the date and colon, or delete the date"
            )
        updates.append(WrittenUpdate(match["written"], _date_of(match), words))
    return ProgressCell(undated.strip(), updates)


def reads_as_dated(text: str) -> bool:
    """Whether a paragraph of `text` begins as a dated update does: such text, written as
    undated progress or inside an update, would be read back as an update of its own."""
    return _DATED.search(text) is not None


def _date_of(match: re.Match) -> datetime.date:
    written = match["written"]
    if match["nyear"]:  # 12/03/2022: day first, as written in the UK
        day, month, year = int(match["nday"]), int(match["nmonth"]), int(match["nyear"])
    else:
        month = _MONTHS[match["month"].casefold()]
        day, year = int(match["day"] or 1), int(match["year"])
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(
            f"'{written}' at the start of a progress paragraph is not a real date: correct "
            "it (for example, 12 March 2022 or November 2021)"
        ) from None


# ---- comparing a cell with the action's updates -------------------------------------------


def keep_undated(row, action) -> None:
    """People add the newest update at the top of a cell, above the undated text, which
    then reads as the end of that update. Where the cell has no undated text of its own and
    a paragraph ends with the action's undated text, the text is taken back out of it: the
    action's undated text is unchanged. `row` is a workbooks.rows.ActionRow."""
    if action is None or row.updates is None or not action.progress:
        return
    if row.values.get("progress"):
        return
    tail = SEPARATOR + action.progress
    for index, written in enumerate(row.updates):
        if written.text.endswith(tail):
            text = written.text[: -len(tail)].strip()
            row.updates[index] = WrittenUpdate(written.written, written.date, text)
            row.values["progress"] = action.progress
            return


@dataclass
class UpdateChange:
    """What an import does to one progress update: `update` is None for a new one."""

    written: WrittenUpdate
    update: ProgressUpdate | None = None

    @property
    def label(self) -> str:
        if self.update is None:
            return "New progress update"
        return f"Progress update of {written_date(self.update)}"

    @property
    def old_shown(self) -> str:
        if self.update is None:
            return "(none)"
        return f"{written_date(self.update)}: {self.update.text}"

    @property
    def new_shown(self) -> str:
        return f"{self.written.written}: {self.written.text}"

    @property
    def values(self) -> dict:
        """The update's fields as the workbook gives them."""
        written = self.written
        return {"date": written.date, "period": written.period, "text": written.text}

    def __str__(self) -> str:
        return f"{self.label}: {self.old_shown} → {self.new_shown}"


@dataclass
class UpdateComparison:
    changes: list[UpdateChange] = field(default_factory=list)
    unchanged: int = 0
    # The action's updates the cell does not hold: left as they are.
    absent: list[ProgressUpdate] = field(default_factory=list)


def compare_updates(written: list[WrittenUpdate], updates: list[ProgressUpdate]):
    """What importing the dated paragraphs `written` does to an action's `updates`."""
    result = UpdateComparison()
    left = list(updates)
    unmatched = []
    for paragraph in written:
        same = _take(left, lambda u, p=paragraph: (written_date(u), u.text) == _key(p))
        if same is None:
            unmatched.append(paragraph)
        else:
            result.unchanged += 1
    for paragraph in unmatched:
        # Its words edited, else its date: the update whose date, else words, it keeps.
        update = _take(left, lambda u, p=paragraph: written_date(u) == p.written)
        if update is None:
            update = _take(left, lambda u, p=paragraph: u.text == p.text)
        result.changes.append(UpdateChange(paragraph, update))
    result.absent = left
    return result


def _key(paragraph: WrittenUpdate) -> tuple[str, str]:
    return paragraph.written, paragraph.text


def _take(updates: list, matches):
    for index, update in enumerate(updates):
        if matches(update):
            return updates.pop(index)
    return None


def progress_changes(changes: list, plan: Plan | None) -> list[str]:
    """Set `updates` (the UpdateChanges) on each of an import preview's action changes
    (workbooks.preview.ActionChange) whose row has a progress cell, making an action whose
    only change is to its updates an "update"; returns the preview's notes of updates left
    out of the cells. A new or changed update dated after today is refused, as the update
    form refuses it."""
    existing = defaultdict(list)
    if plan is not None:
        found = ProgressUpdate.objects.filter(action__theme__plan=plan)
        for update in found.order_by("action", *NEWEST_FIRST):
            existing[update.action_id].append(update)
    today = clock.today()
    notes = []
    for change in changes:
        row = change.row
        if row.updates is None:
            continue
        compared = compare_updates(row.updates, existing[change.action.pk] if change.action else [])
        change.updates = compared.changes
        if compared.changes and change.kind == "unchanged":
            change.kind = "update"
        for update in compared.changes:
            if update.written.date > today:
                row.problems.append(
                    Problem(
                        f"The progress update dated '{update.written.written}' is after "
                        "today: an update says what has happened, so date it today or earlier.",
                        row.sheet,
                        row.row,
                        "Progress",
                    )
                )
        notes += [
            f"Row {row.row}: the progress update of {written_date(update)} is not in the "
            "Progress cell; it is kept as it is (an import does not delete updates)."
            for update in compared.absent
        ]
    return notes
