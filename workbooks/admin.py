"""The admin's workbook pages: export a plan from its change page, and import a workbook
into a plan with django-import-export's upload, preview and confirm pages (the reading,
matching and writing are ours: workbooks/resources.py).

The plan and action admins are `actions.admin`'s, registered again here with these pages
added, so that `actions` need not know about workbooks.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from import_export.admin import ImportMixin
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.signals import post_import

from actions.admin import ActionAdmin, PlanAdmin
from actions.models import Action, Plan
from actions.permissions import can_export_plan, can_import_plan, importable_plans
from workbooks import exports, uploads
from workbooks.formats import WORKBOOK_FORMATS
from workbooks.layouts import read_workbook
from workbooks.preview import preview_import
from workbooks.resources import ActionWorkbookResource
from workbooks.safety import WorkbookRefused
from workbooks.table import ID_HEADER
from workbooks.views import preview_download


class ExportWorkbookForm(forms.Form):
    layout = forms.ChoiceField(
        choices=Plan.Layout.choices,
        widget=forms.RadioSelect,
        help_text="The spreadsheet layout to write the plan in. Partners can edit the "
        "workbook and send it back to be imported.",
    )


admin.site.unregister(Plan)


@admin.register(Plan)
class PlanWorkbookAdmin(PlanAdmin):
    change_form_template = "admin/workbooks/plan_change_form.html"

    def get_urls(self):
        export = path(
            "<path:object_id>/export-workbook/",
            self.admin_site.admin_view(self.export_workbook_view),
            name="actions_plan_export_workbook",
        )
        return [export, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_export_workbook": can_export_plan(request.user),
            "may_import_workbook": can_import_plan(request.user),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def export_workbook_view(self, request, object_id):
        """Choose a layout (the plan's own to begin with), then download the workbook."""
        plan = self.get_object(request, unquote(object_id))
        if plan is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not can_export_plan(request.user, plan):
            raise PermissionDenied
        form = ExportWorkbookForm(
            request.GET if "layout" in request.GET else None, initial={"layout": plan.layout}
        )
        if form.is_valid():
            export = exports.plan_export(plan, form.cleaned_data["layout"], user=request.user)
            return exports.download(export)
        context = {
            **self.admin_site.each_context(request),
            "title": "Export the plan as a workbook",
            "subtitle": str(plan),
            "opts": self.opts,
            "original": plan,
            "form": form,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/workbooks/export_workbook.html", context)


class WorkbookImportForm(ImportForm):
    """django-import-export's upload form, with the plan to import into; the format is the
    workbook's layout."""

    plan = forms.ModelChoiceField(
        queryset=Plan.objects.none(),  # the user's: ActionWorkbookAdmin.create_import_form
        help_text="The plan the workbook was exported from. Its actions are matched to the "
        f"rows by the hidden column “{ID_HEADER}”, or by theme and action number.",
    )
    field_order = ["resource", "plan", "import_file", "format"]

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["import_file"].label = "Workbook"
        self.fields["format"].label = "Layout"
        self.fields["format"].help_text = "The spreadsheet layout the workbook is in."
        # django-import-export's script picks the format from the file's extension; every
        # layout is .xlsx, so it would only clear the layout chosen.
        for name in ("import_file", "format"):
            self.fields[name].widget.attrs.pop("class", None)
        self.fields["import_file"].widget.attrs["accept"] = ".xlsx"


class WorkbookConfirmImportForm(ConfirmImportForm):
    plan = forms.ModelChoiceField(
        queryset=Plan.objects.none(),  # the user's: ActionWorkbookAdmin.create_confirm_form
        widget=forms.HiddenInput,
    )
    # What the preview showed, so that the import does exactly that or nothing.
    preview_digest = forms.CharField(widget=forms.HiddenInput)

    def clean_import_file_name(self):
        """One of the tokens AdminUploadStorage names uploads by, and nothing else: the
        name is sent back by the browser."""
        name = super().clean_import_file_name()
        if not uploads.well_formed(name):
            raise forms.ValidationError("This is not the name of an upload kept for import.")
        return name

    def clean_format(self):
        value = self.cleaned_data["format"]
        if not value.isdigit() or int(value) >= len(WORKBOOK_FORMATS):
            raise forms.ValidationError("This is not one of the layouts.")
        return value


admin.site.unregister(Action)


@admin.register(Action)
class ActionWorkbookAdmin(ImportMixin, ActionAdmin):
    resource_classes = [ActionWorkbookResource]
    import_formats = WORKBOOK_FORMATS
    import_form_class = WorkbookImportForm
    confirm_form_class = WorkbookConfirmImportForm
    import_template_name = "admin/workbooks/import_workbook.html"
    # Kept in our folder under a random token, not in /tmp under a name the form sends back.
    tmp_storage_class = uploads.AdminUploadStorage

    def get_urls(self):
        cancel = path(
            "process_import/cancel/",
            self.admin_site.admin_view(self.cancel_import),
            name="actions_action_cancel_import",
        )
        rows = path(
            "process_import/rows/",
            self.admin_site.admin_view(self.import_rows),
            name="actions_action_import_rows",
        )
        return [cancel, rows, *super().get_urls()]

    def import_rows(self, request):
        """Every action row of the upload this session previewed, as the plan's own import
        page gives it (workbooks.views.preview_download): the full list behind a preview
        that lists only its first rows. 404 for an upload not this session's to see."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        token = request.GET.get("token", "")
        plan_id = request.GET.get("plan", "")
        if not uploads.well_formed(token) or not plan_id.isdigit():
            return self._not_confirmable(request)
        plan = importable_plans(request.user).filter(pk=plan_id).first()
        kept = uploads.admin_read(request, token, plan) if plan else None
        if kept is None:
            raise Http404("No previewed upload")
        layout, data = kept
        try:
            preview = preview_import(read_workbook(data, layout), plan)
        except WorkbookRefused as refused:  # it was read before, so not expected
            messages.error(request, str(refused))
            return self._back_to_upload(plan)
        return preview_download(plan, preview)

    def has_import_permission(self, request):
        return can_import_plan(request.user)

    def create_import_form(self, request):
        form = super().create_import_form(request)
        form.fields["plan"].queryset = importable_plans(request.user).order_by("title")
        return form

    def get_import_form_initial(self, request):
        """Coming from a plan's page (?plan=<id>): that plan, in its own layout."""
        plan_id = request.GET.get("plan", "")
        plans = importable_plans(request.user)
        plan = plans.filter(pk=plan_id).first() if plan_id.isdigit() else None
        if plan is None:
            return {}
        layouts = [fmt.layout for fmt in self.get_import_formats()]
        return {"plan": plan.pk, "format": str(layouts.index(plan.layout))}

    def create_confirm_form(self, request, import_form=None):
        form = super().create_confirm_form(request, import_form)
        # A plan the user may not import into is no choice, as on the upload form.
        form.fields["plan"].queryset = importable_plans(request.user)
        return form

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["plan"] = import_form.cleaned_data["plan"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.pop("form", None)
        kwargs = super().get_import_resource_kwargs(request, **kwargs)
        if form is not None and form.is_bound and form.is_valid():
            plan = form.cleaned_data["plan"]
            # The confirm form carries the plan as a hidden field: check it again.
            if not can_import_plan(request.user, plan):
                raise PermissionDenied
            kwargs["plan"] = plan
        return kwargs

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        kwargs = super().get_import_data_kwargs(**kwargs)
        if isinstance(form, WorkbookConfirmImportForm):
            kwargs["expected_digest"] = form.cleaned_data["preview_digest"]
        return kwargs

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, WorkbookRefused):
            form.add_error("import_file", str(e))  # our message says what to do instead
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        confirm_form = context.get("confirm_form")
        if confirm_form is not None:
            confirm_form.initial["preview_digest"] = context["result"].digest
            # Only this session may confirm (or cancel) the upload it previewed.
            plan = context["result"].preview.plan
            token = confirm_form.initial["import_file_name"]
            uploads.admin_keep(request, token, plan, context["result"].preview.layout)
            # The full list of rows, for a preview that lists only the first of them.
            context["rows_url"] = (
                reverse("admin:actions_action_import_rows", current_app=self.admin_site.name)
                + "?"
                + urlencode({"token": token, "plan": plan.pk})
            )
        else:
            self._remove_upload(context.get("form"))
        return response

    def process_import(self, request, **kwargs):
        """Confirm: only an upload this session previewed, for the plan it previewed it for;
        a confirm form changed on its way (a name, plan or layout we never gave) is a 400.
        The upload is removed whatever the outcome."""
        if request.method != "POST":
            return super().process_import(request, **kwargs)  # django-import-export's 405
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        if not form.is_valid() or not uploads.admin_find(
            request, form.cleaned_data["import_file_name"], form.cleaned_data["plan"]
        ):
            return self._not_confirmable(request)
        token = form.cleaned_data["import_file_name"]
        try:
            return super().process_import(request, **kwargs)
        except WorkbookRefused as refused:  # it was read before, so not expected
            messages.error(request, str(refused))
            return self._back_to_upload(form.cleaned_data["plan"])
        finally:
            uploads.admin_discard(request, token)

    def cancel_import(self, request):
        """Forget a previewed upload and delete its file: nothing is imported."""
        if request.method != "POST":
            return self._not_confirmable(request)
        if not self.has_import_permission(request):
            raise PermissionDenied
        token = request.POST.get("import_file_name", "")
        if not uploads.well_formed(token):
            return self._not_confirmable(request)
        uploads.admin_discard(request, token)
        messages.info(request, "The import was cancelled: nothing was saved.")
        return HttpResponseRedirect(
            reverse("admin:actions_action_import", current_app=self.admin_site.name)
        )

    def _not_confirmable(self, request):
        context = {
            **self.admin_site.each_context(request),
            "title": "The import could not be confirmed",
            "opts": self.opts,
        }
        return render(request, "admin/workbooks/import_not_confirmable.html", context, status=400)

    def _back_to_upload(self, plan):
        url = reverse("admin:actions_action_import", current_app=self.admin_site.name)
        return HttpResponseRedirect(f"{url}?{urlencode({'plan': plan.pk})}")

    def _remove_upload(self, form) -> None:
        """Delete the stored upload when no confirm step will read it (a refused file, or
        one with problems): django-import-export leaves it in the temporary folder."""
        upload = form.files.get("import_file") if form is not None and form.files else None
        name = getattr(upload, "tmp_storage_name", None)
        if name:
            storage = self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs())
            storage.remove()

    def process_result(self, result, request):
        plan = result.preview.plan
        if result.has_errors() or result.has_validation_errors():
            for error in result.base_errors:
                messages.error(request, str(error.error))
            if result.has_validation_errors():
                messages.error(request, "Nothing was imported: the workbook has problems.")
            url = reverse("admin:actions_action_import", current_app=self.admin_site.name)
            return HttpResponseRedirect(f"{url}?{urlencode({'plan': plan.pk})}")
        self.generate_log_entries(result, request)
        self.add_success_message(result, request)
        post_import.send(sender=None, model=self.model)
        url = reverse("admin:actions_action_changelist", current_app=self.admin_site.name)
        return HttpResponseRedirect(f"{url}?{urlencode({'theme__plan__id__exact': plan.pk})}")

    def generate_log_entries(self, result, request):
        """One entry on the plan, rather than one per action: the actions' own history
        already has a row per action in the importer's name."""
        if not self.get_skip_admin_log():
            self.log_change(request, result.preview.plan, f"Imported a workbook: {result.counts}.")

    def add_success_message(self, result, request):
        messages.success(request, f"Imported into {result.preview.plan}: {result.counts}.")
