"""What an import would do to a plan's performance measures (indicators).

The measures a workbook gives (`ParsedWorkbook.indicators`, e.g. from the CSP layout's
measures sheet) are matched to the plan's indicators by our record number (the hidden ID
column) when a row has one, otherwise by ref, otherwise by description (ignoring case and
spacing), otherwise by position, where neither the row nor the indicator has a ref that
says they are different measures. Each match is compared field by field. Indicators the
workbook does not list are left as they are, and so is every indicator when the workbook
has no measures table. Nothing here writes: `workbooks.services.plan_import` applies the
changes, and only if the preview has no problems.
"""

import decimal
from dataclasses import dataclass, field

from django.db import models

from actions.models import Indicator, IndicatorDirection, Plan
from cspplan.display import show_number
from workbooks.cells import header_key
from workbooks.rows import IndicatorRow, ParsedWorkbook, Problem, RowMatches

# What the preview calls each field: the workbook's words where it has a column for it.
LABELS = {
    "ref": "Ref",
    "category": "Category",
    "description": "Description",
    "direction": "Direction",
    "baseline_label": "Outturn label",
    "baseline": "Outturn",
    "target_label": "Target label",
    "target": "Target",
    "target_text": "Target as written",
    "link_to_corporate_vision": "Link to corporate vision",
    "order": "Position",
}

_REDUCE_WORDS = {"reduce", "decrease", "lower"}
_INCREASE_WORDS = {"increase", "raise", "higher"}


def direction_of_words(text: str) -> str | None:
    """The direction target words give: "Reduce", "Reduce by 5%", "-5%" → reduce;
    "Increase", "+10%" → increase; anything else (e.g. "Maintain") → None."""
    text = (text or "").strip()
    if not text:
        return None
    if text[0] in "-−–":
        return IndicatorDirection.REDUCE.value
    if text[0] == "+":
        return IndicatorDirection.INCREASE.value
    first = text.split()[0].strip(".,:;").casefold()
    if first in _REDUCE_WORDS:
        return IndicatorDirection.REDUCE.value
    if first in _INCREASE_WORDS:
        return IndicatorDirection.INCREASE.value
    return None


def shown(name: str, value) -> str:
    if value is None or value == "":
        return "(blank)"
    if name == "direction" and value in IndicatorDirection.values:
        return IndicatorDirection(value).label
    if isinstance(value, decimal.Decimal):
        return show_number(value)
    return str(value)


@dataclass
class IndicatorFieldChange:
    field: str
    old: object  # as the model holds it (order counted from 0)
    new: object

    @property
    def label(self) -> str:
        return LABELS[self.field]

    def __str__(self) -> str:
        if self.field == "order":
            return f"{self.label}: {self.old + 1} → {self.new + 1}"
        return f"{self.label}: {shown(self.field, self.old)} → {shown(self.field, self.new)}"


@dataclass
class IndicatorChange:
    kind: str  # "create", "update", "unchanged", or "absent": not in the workbook, left as it is
    row: IndicatorRow | None
    indicator: Indicator | None = None
    changes: list[IndicatorFieldChange] = field(default_factory=list)
    order: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.row and self.row.problems)

    @property
    def values(self) -> dict:
        """The fields to write: all the row gives for a new measure, else what changes."""
        if self.kind == "create":
            return {**self.row.values, "order": self.order}
        return {change.field: change.new for change in self.changes}

    @property
    def name(self) -> str:
        values = self.row.values if self.row else {}
        ref = values.get("ref", self.indicator.ref if self.indicator else "")
        description = values.get("description") or (
            self.indicator.description if self.indicator else ""
        )
        text = description if len(description) <= 70 else description[:69] + "…"
        return f"measure {ref} '{text}'" if ref else f"measure '{text}'"


def indicator_changes(parsed: ParsedWorkbook, plan: Plan | None) -> list[IndicatorChange]:
    """The workbook's measures compared with the plan's, in workbook order, then the plan's
    indicators the workbook does not list. Problems found here are added to the rows."""
    existing = list(plan.indicators.order_by("order", "pk")) if plan else []
    rows = parsed.indicators
    if rows is None:
        return [IndicatorChange("absent", None, indicator) for indicator in existing]
    matches = _match(rows, existing)
    changes = [_change(row, matches.get(id(row))) for row in rows]
    _positions(changes, existing)
    for change in changes:
        _check(change)
    claimed = {change.indicator.pk for change in changes if change.indicator}
    changes += [
        IndicatorChange("absent", None, indicator)
        for indicator in existing
        if indicator.pk not in claimed
    ]
    return changes


def _match(rows: list[IndicatorRow], existing: list[Indicator]) -> dict[int, Indicator]:
    """{id(row): indicator} for the rows that are existing indicators."""
    found = RowMatches()
    found.by_record_number(rows, {indicator.pk: indicator for indicator in existing}, "measure")
    unnumbered = [row for row in rows if row.id is None]
    for name, normal in (("ref", str), ("description", header_key)):
        for row in unnumbered:
            wanted = normal(row.values.get(name, ""))
            if not wanted or id(row) in found.record_of:
                continue
            for indicator in existing:
                if not found.taken(indicator) and normal(getattr(indicator, name)) == wanted:
                    found.claim(row, indicator)
                    break
    for position, row in enumerate(rows):
        if row.id is not None or id(row) in found.record_of or position >= len(existing):
            continue
        indicator = existing[position]
        refs = (row.values.get("ref", ""), indicator.ref)
        if not found.taken(indicator) and not (all(refs) and refs[0] != refs[1]):
            found.claim(row, indicator)
    return found.record_of


def _change(row: IndicatorRow, indicator: Indicator | None) -> IndicatorChange:
    if indicator is None:
        return IndicatorChange("create", row)
    changes = [
        IndicatorFieldChange(name, getattr(indicator, name), value)
        for name, value in row.values.items()
        if getattr(indicator, name) != value
    ]
    return IndicatorChange("update" if changes else "unchanged", row, indicator, changes)


def _positions(changes: list[IndicatorChange], existing: list[Indicator]) -> None:
    """Where each measure goes. Positions change only where the workbook reorders measures
    or adds one among them. Measures added after all the others go at the end; so do new
    ones when the workbook leaves some of the plan's measures out, and then the measures it
    reorders swap places among the positions they had, clear of the ones left out."""
    kept = [change.indicator for change in changes if change.indicator]
    last_kept = max((i for i, change in enumerate(changes) if change.indicator), default=-1)
    in_order = kept == sorted(kept, key=lambda indicator: (indicator.order, indicator.pk))
    appended = all(change.indicator for change in changes[: last_kept + 1])
    following = max((indicator.order for indicator in existing), default=-1) + 1
    if len(kept) < len(existing) or (in_order and appended):
        slots = iter(sorted(indicator.order for indicator in kept))
        for change in changes:
            if change.indicator:
                change.order = next(slots)
            else:
                change.order = following
                following += 1
    else:
        for position, change in enumerate(changes):
            change.order = position
    for change in changes:
        if change.indicator and change.indicator.order != change.order:
            old = change.indicator.order
            change.changes.append(IndicatorFieldChange("order", old, change.order))
            change.kind = "update"


def _check(change: IndicatorChange) -> None:
    row = change.row
    for name, value in row.values.items():
        model_field = Indicator._meta.get_field(name)
        limit = getattr(model_field, "max_length", None)
        if isinstance(model_field, models.CharField) and limit and len(value) > limit:
            row.problems.append(
                _problem(
                    row,
                    f"{LABELS[name]} is {len(value)} characters long; it can hold at most "
                    f"{limit}. Shorten it.",
                )
            )
    if change.kind == "create" and "direction" not in row.values:
        row.problems.append(
            _problem(
                row,
                "This new measure has no direction: write Reduce or Increase in the Direction "
                "column (a hidden column: unhide it), or begin its target with Reduce or "
                "Increase.",
            )
        )
    current = change.indicator
    direction = row.values.get("direction", current.direction if current else None)
    words = row.values.get("target_text", current.target_text if current else "")
    said = direction_of_words(words)
    if direction and said and said != direction:
        change.notes.append(
            f"The target says '{words}' but the measure's direction is "
            f"{IndicatorDirection(direction).label}; it stays so unless the Direction column "
            "(hidden) is changed too."
        )


def _problem(row: IndicatorRow, message: str) -> Problem:
    return Problem(message, row.sheet, row.row)
