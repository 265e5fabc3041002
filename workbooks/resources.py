"""Importing a plan workbook through django-import-export's admin pages.

django-import-export would match and save the rows one by one: far too slow for a
10,000-action plan, and a second opinion on what matches what that would disagree with the
import_plan command. So this resource keeps only django-import-export's workflow (upload,
preview, confirm) and its result objects: `import_data` hands the workbook the format read
(workbooks/formats.py) to our `preview_import`, reports each action row as a
RowResult (new, update, skip, or invalid with its problems) for the stock templates, and on
the confirm step applies the same preview with `plan_import`.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.html import format_html, format_html_join
from import_export.fields import Field
from import_export.resources import Resource
from import_export.results import Error, InvalidRow, Result, RowResult

from actions.models import Action, Plan
from workbooks.layouts import LAYOUTS
from workbooks.presenter import (
    MOST_PROBLEMS,
    action_row,
    describe,
    field_change,
    fingerprint,
    in_sentence,
    new_action,
    text_lines,
)
from workbooks.preview import ActionChange, ImportPreview, label, preview_import
from workbooks.rows import Problem
from workbooks.services import PlanBusy, plan_import, plan_locked

IMPORT_TYPES = {
    "create": RowResult.IMPORT_TYPE_NEW,
    "update": RowResult.IMPORT_TYPE_UPDATE,
    "unchanged": RowResult.IMPORT_TYPE_SKIP,
}
# The preview table's columns: one row per action, its changes listed in the last column
# (a column per field would be too wide to read for a layout of a dozen columns).
DIFF_HEADERS = ["Where", "Theme", "Action", "Changes"]
SHORT_TEXT = 120


class PlanBusyNow(Exception):
    """Another import or save held the plan for longer than an import waits."""

    def __init__(self):
        super().__init__(
            "Nothing was imported: someone else is importing into this plan or saving one of "
            "its actions right now. Wait a minute, then upload the workbook again."
        )


class PlanChangedSincePreview(Exception):
    """The plan was edited between the preview and the confirmation: nothing was written."""

    def __init__(self):
        super().__init__(
            "Nothing was imported: the plan has changed since the preview was made, so the "
            "import would no longer do exactly what the preview showed. Upload the workbook "
            "again to see what it would change now."
        )


class WorkbookResult(Result):
    """django-import-export's result, with our preview for the parts of an import that are
    not action rows (the plan's own fields, themes, what the workbook leaves out)."""

    def __init__(self, preview: ImportPreview):
        super().__init__()
        self.preview = preview
        described = describe(preview)
        # What the import does besides the action rows and problems (which the stock
        # templates show), as (line, whether it is a detail of the line above).
        self.overview = [
            (line.strip(), line.startswith(" ")) for line in text_lines(described, rows=False)
        ]
        self.digest = fingerprint(described)
        self.listed_rows = self.unlisted_rows = 0  # action rows listed, and only counted
        self.more_problems = 0  # problems counted but not listed

    @property
    def counts(self) -> str:
        preview = self.preview
        return (
            f"{preview.count('create')} new, {preview.count('update')} changed, "
            f"{preview.count('unchanged')} unchanged and {preview.refused} refused actions"
        )


def _user_visible_fields() -> list[Field]:
    """What the layouts can set, for the import page's "will import the following fields"."""
    fields = {field.name for field in Action._meta.get_fields()}
    names = {}
    for layout in LAYOUTS.values():
        for column in layout.columns:
            name = {"theme": "theme", "date": f"{column.field}_date"}.get(column.kind, column.field)
            if name == "theme" or name in fields:
                names[name] = None
    return [Field(attribute=name, column_name=label(name)) for name in names]


class ActionWorkbookResource(Resource):
    """The actions of one plan, from a workbook in one of our layouts."""

    def __init__(self, plan: Plan | None = None, **kwargs):
        super().__init__()
        self.plan = plan

    @classmethod
    def get_display_name(cls) -> str:
        return "Actions from a plan workbook"

    def get_user_visible_fields(self) -> list[Field]:
        return _user_visible_fields()

    def get_diff_headers(self) -> list[str]:
        return list(DIFF_HEADERS)

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        *,
        user=None,
        expected_digest: str | None = None,
        **kwargs,
    ) -> WorkbookResult:
        """Preview the workbook against the plan; unless this is the dry run, apply it.

        Nothing is written if the workbook has any problem, or if `expected_digest` (the
        preview the user confirmed) differs from what the import would now do.
        """
        if self.plan is None:
            raise ValueError("Choose the plan the workbook is imported into.")
        if dry_run:
            return self._preview(dataset, dry_run=True, user=user, expected_digest=None)
        # Previewed again and applied in one locked transaction (plan_locked): nothing saved
        # since the preview the user confirmed is written over.
        try:
            with plan_locked(self.plan):
                return self._preview(
                    dataset, dry_run=False, user=user, expected_digest=expected_digest
                )
        except PlanBusy:
            result = WorkbookResult(preview_import(dataset.parsed, self.plan))
            result.append_base_error(Error(PlanBusyNow()))
            return result

    def _preview(self, dataset, *, dry_run, user, expected_digest) -> WorkbookResult:
        preview = preview_import(dataset.parsed, self.plan)
        result = WorkbookResult(preview)
        result.diff_headers = self.get_diff_headers()
        result.total_rows = len(preview.actions)
        _report(preview, result)
        if dry_run or result.has_validation_errors():
            return result
        if expected_digest is not None and expected_digest != result.digest:
            result.append_base_error(Error(PlanChangedSincePreview()))
            return result
        plan_import(preview, user=user)
        return result


def _report(preview: ImportPreview, result: WorkbookResult) -> None:
    """The action rows as django-import-export's row results, for its preview table: every
    row counted, the first IMPORT_PREVIEW_ROWS listed (the plan's own import page has the
    whole list as a download), and the first MOST_PROBLEMS problems."""
    listed = settings.IMPORT_PREVIEW_ROWS
    on_rows = set()
    for index, change in enumerate(preview.actions):
        row_result = RowResult()
        if change.action is not None:
            row_result.add_instance_info(change.action)
            row_result.instance = change.action
        problems = change.row.problems or _conflicts(change)
        row_result.import_type = (
            RowResult.IMPORT_TYPE_INVALID if problems else IMPORT_TYPES[change.kind]
        )
        result.increment_row_result_total(row_result)
        on_rows.update(id(problem) for problem in change.row.problems)
        if problems and len(result.invalid_rows) < MOST_PROBLEMS:
            row_result.validation_error = _validation_error(problems)
            cells = tuple(_cells(change).values())
            result.invalid_rows.append(
                InvalidRow(change.row.row, row_result.validation_error, cells)
            )
        elif problems:
            result.more_problems += len(problems)
        if index < listed:
            row_result.diff = list(_cells(change).values())
            result.append_row_result(row_result)
    result.unlisted_rows = max(len(preview.actions) - listed, 0)
    result.listed_rows = min(len(preview.actions), listed)
    # Problems that are not about one action row (no header row, say) are listed too, so
    # that every problem is shown and the import cannot be confirmed.
    for problem in preview.problems:
        if id(problem) in on_rows:
            continue
        if len(result.invalid_rows) >= MOST_PROBLEMS:
            result.more_problems += 1
            continue
        values = (problem.where or "The workbook", "", "", "")
        result.invalid_rows.append(
            InvalidRow(problem.row or "", _validation_error([problem]), values)
        )


def _conflicts(change: ActionChange) -> list[Problem]:
    """A conflict (workbooks.versions) stops the admin's import: its pages offer no choice of
    side, which the plan's own import page does."""
    if not change.conflicts:
        return []
    fields = ", ".join(in_sentence(label(conflict.name)) for conflict in change.conflicts)
    message = (
        f"Both the plan and the workbook changed this action's {fields} since the workbook "
        "was exported. Import the workbook from the plan's Import page, where you can "
        "choose which value to keep."
    )
    return [Problem(message, change.row.sheet, change.row.row)]


def _validation_error(problems: list[Problem]) -> ValidationError:
    by_column: dict[str, list[str]] = {}
    for problem in problems:
        by_column.setdefault(problem.column or NON_FIELD_ERRORS, []).append(problem.message)
    return ValidationError(by_column)


def _cells(change: ActionChange) -> dict:
    row = action_row(change)
    text = row["text"] if len(row["text"]) <= SHORT_TEXT else row["text"][: SHORT_TEXT - 1] + "…"
    return {
        "Where": Problem("", row["sheet"], row["row"]).where,
        "Theme": row["theme"],
        "Action": f"{row['ref']} {text}".strip(),
        "Changes": _changes(change),
    }


def _changes(change: ActionChange):
    if change.refused:
        return "Not imported: see the problems"
    if change.kind == "update":
        items = [field_change(item) for item in [*change.changes, *change.updates]]
        return format_html(
            '<ul class="workbook-changes">{}</ul>',
            format_html_join(
                "",
                "<li>{}: <del>{}</del> → <ins>{}</ins></li>",
                ((item["label"], item["old"], item["new"]) for item in items),
            ),
        )
    if change.kind == "create":
        fields = new_action(change.row.values, change.updates)["fields"]
        return format_html(
            '<ul class="workbook-changes">{}</ul>',
            format_html_join(
                "", "<li>{}: <ins>{}</ins></li>", ((f["label"], f["value"]) for f in fields)
            ),
        )
    return "No change"
