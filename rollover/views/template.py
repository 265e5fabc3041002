"""Taking the VRU's new template into a Draft plan: upload, preview with choices, confirm.

Like a workbook import (workbooks.views), nothing is written until the user confirms, and
the upload is kept on the server between the preview and the confirmation by
workbooks.uploads. The confirmation reads it again and proposes afresh: if the plan changed
since the preview, the new proposal is shown instead of being written.

Only the plan's partnership's analysts and administrators (those who may import into it)
take in a template; to anyone else the pages are not found.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from actions.models import Plan
from rollover.permissions import plan_to_roll_over
from rollover.template import takings_of, template_proposal
from rollover.template_forms import TemplateChoicesForm, TemplateUploadForm
from rollover.template_services import TemplateRefused, template_apply
from workbooks import uploads
from workbooks.confirming import confirm_kept_upload
from workbooks.safety import WorkbookRefused


def _plan_for(request, slug: str) -> Plan:
    # Those who may roll a plan over take a template into it: whatever the plan's status,
    # so that one not a Draft is explained rather than not found.
    return plan_to_roll_over(request.user, slug)


# CSRF is checked inside, once the size limit is in place (as workbooks.views does).
@csrf_exempt
@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def template_upload(request, slug):
    limit = uploads.WorkbookSizeLimit(request)
    request.upload_handlers.insert(0, limit)
    return _template_upload(request, slug, limit)


@csrf_protect
def _template_upload(request, slug, limit):
    plan = _plan_for(request, slug)
    if request.method == "GET":
        return _upload_page(request, plan, TemplateUploadForm())
    form = TemplateUploadForm(request.POST, request.FILES, too_large=limit.too_large)
    if plan.status != Plan.Status.DRAFT:
        form.add_error(None, f"This plan is {plan.get_status_display()}: nothing was read.")
    if not form.is_valid():
        return _upload_page(request, plan, form)
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        proposal = template_proposal(plan, data)
    except WorkbookRefused as refused:
        form.add_error("file", str(refused))
        return _upload_page(request, plan, form)
    kept = None
    if proposal.ok:
        kept = uploads.keep(
            request,
            plan=plan,
            layout=Plan.Layout.VRU,
            name=upload.name,
            data=data,
            fingerprint=proposal.fingerprint,
        )
    return _preview_page(request, plan, proposal, name=upload.name, kept=kept)


@require_POST
@login_required
@never_cache
def template_cancel(request, slug):
    plan = _plan_for(request, slug)
    try:
        kept = uploads.find(request, request.POST.get("token", ""), plan)
    except uploads.Tampered:
        return _tampered(request, plan)
    if kept is not None:
        uploads.discard(request, kept.token)
    messages.info(request, "Taking in the template was cancelled: nothing was saved.")
    return redirect("template:upload", slug=plan.slug)


@require_POST
@login_required
@never_cache
def template_confirm(request, slug):
    plan = _plan_for(request, slug)

    def busy(kept, data):
        proposal = template_proposal(plan, data)
        form = TemplateChoicesForm(proposal, request.POST)
        form.is_valid()
        return _preview_page(request, plan, proposal, name=kept.name, kept=kept, form=form)

    # Proposed again and written in one locked transaction, as an import is confirmed.
    return confirm_kept_upload(
        request,
        plan,
        tampered=lambda: _tampered(request, plan),
        gone=(
            "That template was not found: it may have been taken in already, replaced by a "
            "later upload or kept too long. Upload it again to preview it."
        ),
        upload_again=reverse("template:upload", args=[plan.slug]),
        confirm=lambda kept, data: _confirm(request, plan, kept, data),
        busy=busy,
    )


def _confirm(request, plan, kept, data):
    try:
        proposal = template_proposal(plan, data)
    except WorkbookRefused as refused:  # it was read before, so not expected; refuse anyway
        uploads.discard(request, kept.token)
        messages.error(request, str(refused))
        return redirect("template:upload", slug=plan.slug)
    if proposal.fingerprint != kept.fingerprint:
        # The plan changed after the preview: show what taking it in would do now.
        uploads.refingerprint(request, kept, proposal.fingerprint)
        return _preview_page(request, plan, proposal, name=kept.name, kept=kept, changed=True)
    form = TemplateChoicesForm(proposal, request.POST)
    if not form.is_valid():
        return _preview_page(request, plan, proposal, name=kept.name, kept=kept, form=form)
    try:
        taking = template_apply(
            plan=plan,
            proposal=proposal,
            choices=form.choices(),
            user=request.user,
            file_name=kept.name,
            data=data,
        )
    except TemplateRefused as refused:
        for problem in refused.problems:
            form.add_error(None, problem)
        return _preview_page(request, plan, proposal, name=kept.name, kept=kept, form=form)
    uploads.discard(request, kept.token)
    messages.success(
        request,
        f"Took in {kept.name}: {taking.themes_added} theme(s) added, {taking.themes_renamed} "
        f"renamed, {taking.actions_added} action(s) added and {taking.actions_merged} merged "
        "with the plan's own.",
    )
    return redirect("actions:plan-detail", slug=plan.slug)


def _tampered(request, plan):
    return render(request, "rollover/template_tampered.html", {"plan": plan}, status=400)


def _upload_page(request, plan, form):
    context = {
        "plan": plan,
        "form": form,
        "draft": plan.status == Plan.Status.DRAFT,
        "takings": takings_of(plan),
    }
    return render(request, "rollover/template_upload.html", context)


def _preview_page(request, plan, proposal, *, name, kept=None, form=None, changed=False):
    context = {
        "plan": plan,
        "proposal": proposal,
        "form": form or TemplateChoicesForm(proposal),
        "name": name,
        "kept": kept,
        "changed_since": changed,
        "draft": plan.status == Plan.Status.DRAFT,
    }
    return render(request, "rollover/template_preview.html", context)
