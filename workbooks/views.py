"""Export a plan as a workbook, and import one into it: upload, preview, confirm.

Nothing is written until the user confirms a preview without problems; the confirmation
reads the kept upload again and previews it afresh, because the plan may have changed since,
and writes it in the same locked transaction (workbooks.services.plan_locked).
"""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions.filters import ActionFilter
from actions.models import Action, Marking, Plan
from actions.permissions import can_export_plan, can_import_plan, plan_or_404
from actions.selectors import highest_marking, plan_actions, plan_marking
from workbooks import exports, uploads
from workbooks.confirming import confirm_kept_upload
from workbooks.forms import ConflictChoicesForm, PlanExportForm, PlanImportForm
from workbooks.layouts import read_workbook
from workbooks.presenter import describe, fingerprint, preview_table, row_count, summarised
from workbooks.preview import preview_import
from workbooks.safety import WorkbookRefused
from workbooks.services import ImportRefused, plan_import
from workbooks.settling import settle
from workbooks.table import ID_HEADER

# How many rows of each kind a summarised preview lists.
FIRST_ROWS = 50


def _plan_for(request, slug: str, allowed) -> Plan:
    """The plan, if the user may do this (`allowed`) to it. A plan they may not see is not
    found, whether or not it exists; one they may see but not do this to is forbidden."""
    plan = plan_or_404(request.user, slug)
    if not allowed(request.user, plan):
        raise PermissionDenied
    return plan


@require_GET
@login_required
@never_cache
def plan_export(request, slug):
    plan = _plan_for(request, slug, can_export_plan)
    if "layout" not in request.GET:
        form = PlanExportForm(initial={"layout": plan.layout})
        return _export_page(request, plan, form)
    form = PlanExportForm(request.GET)
    if not form.is_valid():
        return _export_page(request, plan, form)
    export = exports.plan_export(
        plan,
        form.cleaned_data["layout"],
        user=request.user,
        leave_out_marked=form.cleaned_data["leave_out_marked"],
    )
    return exports.download(export)


@require_GET
@login_required
@never_cache
def plan_download(request, slug):
    """The plan page's actions with its filters (the same query string), as a workbook:
    what the user sees there, nothing more. Anyone who may see the plan may have it."""
    plan = plan_or_404(request.user, slug)
    filters = ActionFilter(
        request.GET, queryset=plan_actions(plan, request.user), plan=plan, user=request.user
    )
    if not filters.is_valid():
        # The plan page says what is wrong with the filters.
        return redirect(
            reverse("actions:plan-detail", args=[plan.slug]) + "?" + request.GET.urlencode()
        )
    filtered = {name: request.GET.getlist(name) for name in filters.form.changed_data}
    export = exports.filtered_export(plan, filters.qs, user=request.user, filters=filtered)
    return exports.download(export)


# CSRF is checked inside, once the size limit is in place: the check reads the form, and
# the upload handlers cannot change after that (Django's documented pattern).
@csrf_exempt
@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def plan_import_upload(request, slug):
    limit = uploads.WorkbookSizeLimit(request)
    request.upload_handlers.insert(0, limit)
    return _plan_import_upload(request, slug, limit)


@csrf_protect
def _plan_import_upload(request, slug, limit):
    plan = _plan_for(request, slug, can_import_plan)
    if request.method == "GET":
        form = PlanImportForm(initial={"layout": plan.layout})
        return _upload_page(request, plan, form)
    form = PlanImportForm(request.POST, request.FILES, too_large=limit.too_large)
    if not form.is_valid():
        return _upload_page(request, plan, form)
    upload, layout = form.cleaned_data["file"], form.cleaned_data["layout"]
    data = upload.read()
    try:
        parsed = read_workbook(data, layout)
    except WorkbookRefused as refused:
        form.add_error("file", str(refused))
        return _upload_page(request, plan, form)
    shown = describe(preview_import(parsed, plan))
    kept = None
    if shown["ok"] and shown["changes_anything"]:
        kept = uploads.keep(
            request,
            plan=plan,
            layout=layout,
            name=upload.name,
            data=data,
            fingerprint=fingerprint(shown),
        )
    return _preview_page(request, plan, shown, layout=layout, name=upload.name, kept=kept)


def _tampered(request, plan):
    """The answer to a form whose hidden token we never gave out."""
    context = {"plan": plan}
    return render(request, "workbooks/plan_import_tampered.html", context, status=400)


@require_POST
@login_required
@never_cache
def plan_import_cancel(request, slug):
    """Forget a previewed upload and delete the file: nothing is imported."""
    plan = _plan_for(request, slug, can_import_plan)
    token = request.POST.get("token", "")
    try:
        kept = uploads.find(request, token, plan)
    except uploads.Tampered:
        return _tampered(request, plan)
    if kept is not None:
        uploads.discard(request, kept.token)
    messages.info(request, "The import was cancelled: nothing was saved.")
    return redirect("workbooks:plan-import", slug=plan.slug)


@require_GET
@login_required
@never_cache
def plan_import_rows(request, slug):
    """Every action row of a previewed upload, as a CSV file: the full list behind a
    preview too long to show row by row. Only the session that previewed it may have it,
    as only it may confirm it."""
    plan = _plan_for(request, slug, can_import_plan)
    try:
        kept = uploads.find(request, request.GET.get("token", ""), plan)
    except uploads.Tampered:
        return _tampered(request, plan)
    data = kept.read() if kept else None
    if data is None:
        raise Http404("No previewed upload")
    try:
        preview = preview_import(read_workbook(data, kept.layout), plan)
    except WorkbookRefused as refused:  # it was read before, so not expected
        messages.error(request, str(refused))
        return redirect("workbooks:plan-import", slug=plan.slug)
    return preview_download(plan, preview)


def preview_download(plan: Plan, preview) -> HttpResponse:
    """Every action row of an import preview, its conflicts with their values included, as
    a CSV file: the full list behind a summarised preview, here and in the admin's import
    (workbooks.admin)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}-import-preview.csv"'
    response.write("\ufeff")  # so that Excel reads the file as UTF-8
    writer = csv.writer(response)
    # It shows the plan's actions as they are now, and the workbook's words: marked (either
    # way), it states so first, as an export does.
    marking = highest_marking(
        Action.objects.filter(
            pk__in=[change.action.pk for change in preview.actions if change.action]
        )
    )
    if preview.parsed.marking != Marking.OFFICIAL:
        marking = Marking(preview.parsed.marking)
    if marking != Marking.OFFICIAL:
        writer.writerow([marking.label])
    writer.writerows(preview_table(describe(preview)))
    return response


@require_POST
@login_required
@never_cache
def plan_import_confirm(request, slug):
    plan = _plan_for(request, slug, can_import_plan)

    def busy(kept, data):
        shown = describe(preview_import(read_workbook(data, kept.layout), plan))
        return _preview_page(request, plan, shown, layout=kept.layout, name=kept.name, kept=kept)

    return confirm_kept_upload(
        request,
        plan,
        tampered=lambda: _tampered(request, plan),
        gone=(
            "That import was not found: it may have been confirmed already, replaced by a "
            "later upload or kept too long. Upload the workbook again to preview it."
        ),
        upload_again=reverse("workbooks:plan-import", args=[plan.slug]),
        confirm=lambda kept, data: _confirm(request, plan, kept, data),
        busy=busy,
    )


def _confirm(request, plan, kept, data):
    """The confirmation's work, inside the plan's lock: preview the kept upload afresh; if
    it is still what the user saw and their choices settle its conflicts, apply it."""
    context = {"layout": kept.layout, "name": kept.name}
    try:
        preview = preview_import(read_workbook(data, kept.layout), plan)
    except WorkbookRefused as refused:  # it was read before, so not expected; refuse anyway
        uploads.discard(request, kept.token)
        messages.error(request, str(refused))
        return redirect("workbooks:plan-import", slug=plan.slug)
    shown = describe(preview)
    if not shown["ok"] or not shown["changes_anything"]:
        uploads.discard(request, kept.token)
        return _preview_page(request, plan, shown, **context, changed_since=True)
    if fingerprint(shown) != kept.fingerprint:
        # Someone changed the plan after the preview: show what the import would do now.
        uploads.refingerprint(request, kept, fingerprint(shown))
        return _preview_page(request, plan, shown, **context, kept=kept, changed_since=True)
    # Where the plan and the workbook both changed a field, the user's choice of side.
    choices = ConflictChoicesForm(
        shown["conflicted"], request.POST, listed=_conflicts_listed(shown)
    )
    if not choices.is_valid():
        return _preview_page(request, plan, shown, **context, kept=kept, choices=choices)
    for wrong in settle(preview, choices.cleaned_data):
        choices.add_error(None, wrong)
    if choices.errors:
        return _preview_page(request, plan, shown, **context, kept=kept, choices=choices)
    try:
        plan_import(preview, user=request.user)
    except ImportRefused:  # cannot happen for a preview without problems; be safe anyway
        uploads.discard(request, kept.token)
        return _preview_page(request, plan, shown, **context)
    uploads.discard(request, kept.token)
    counts = shown["counts"]
    settled = (
        f", {counts['conflict']} with conflicts settled as you chose" if counts["conflict"] else ""
    )
    messages.success(
        request,
        f"Imported {kept.name} into {plan}: {counts['create']} created, "
        f"{counts['update']} updated{settled}.",
    )
    return redirect("workbooks:plan-import", slug=plan.slug)


def _export_page(request, plan, form):
    context = {
        "plan": plan,
        "form": form,
        "can_import": can_import_plan(request.user, plan),
        # The page names the column as the workbook heads it, so that people can find it.
        "id_header": ID_HEADER,
        # Whether the workbook would be marked: the page offers to leave marked items out.
        "plan_marking": plan_marking(plan),
    }
    return render(request, "workbooks/plan_export.html", context)


def _upload_page(request, plan, form):
    context = {"plan": plan, "form": form, "can_export": can_export_plan(request.user, plan)}
    return render(request, "workbooks/plan_import.html", context)


def _conflicts_listed(shown: dict) -> int | None:
    """For a preview of more rows than IMPORT_PREVIEW_ROWS, which is summarised, how many
    rows of each kind it lists (conflicted actions included: the rest are settled with one
    choice, and listed in the download); None for a preview listed in full."""
    most = settings.IMPORT_PREVIEW_ROWS
    if row_count(shown) > most:
        return min(most, FIRST_ROWS)
    return None


def _preview_page(
    request, plan, shown, *, layout, name, kept=None, changed_since=False, choices=None
):
    """The preview; one of more rows than IMPORT_PREVIEW_ROWS is summarised (its rows in
    full are the CSV download)."""
    listed = _conflicts_listed(shown)
    choices = choices or ConflictChoicesForm(shown["conflicted"], listed=listed)
    if listed is not None:
        shown = summarised(shown, first=listed)
    context = {
        "choices": choices,
        "plan": plan,
        "preview": shown,
        "layout": Plan.Layout(layout).label,
        "name": name,
        "kept": kept,
        "changed_since": changed_since,
    }
    return render(request, "workbooks/plan_import_preview.html", context)
