"""The admin as one more client: what it writes goes through the services, and what it
shows is narrowed by the permissions, like every other page.

`ScopedAdmin` (for a model's admin) and `ScopedInline` (for its inlines) do the Django side
of that and nothing else; the apps say which services write each model (`Services`) and,
through the hooks of `ScopedAdmin`, what each user may see, change and choose.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


@dataclass(frozen=True)
class Services:
    """The services that write one model: `create(user=, **values)`, returning the new
    record, `edit(<keyword>=record, user=, **values)` and `delete(<keyword>=record, user=)`.
    `values` are the model's fields and lists (many-to-many fields) by name."""

    create: Callable
    edit: Callable
    delete: Callable
    keyword: str

    @classmethod
    def named(cls, module, thing: str, keyword: str | None = None) -> "Services":
        """`thing`_create, `thing`_edit and `thing`_delete of a services module; the
        record's keyword is `thing` unless given."""
        return cls(
            getattr(module, f"{thing}_create"),
            getattr(module, f"{thing}_edit"),
            getattr(module, f"{thing}_delete"),
            keyword or thing,
        )


def form_values(form) -> dict:
    """The model's fields and lists that `form` edits, as it cleaned them, by name."""
    fields = form._meta.model._meta.get_fields()
    names = {f.name for f in fields if f.editable and not f.auto_created and not f.primary_key}
    return {name: value for name, value in form.cleaned_data.items() if name in names}


class _Writes:
    """Saving and deleting by the model's services (`services`), in the signed-in user's
    name, in place of the admin's own saving."""

    services: Services

    def write_create(self, request, values: dict) -> models.Model:
        return self.services.create(user=request.user, **values)

    def write_edit(self, request, obj: models.Model, values: dict) -> None:
        self.services.edit(**{self.services.keyword: obj}, user=request.user, **values)

    def write_delete(self, request, obj: models.Model) -> None:
        self.services.delete(**{self.services.keyword: obj}, user=request.user)


class ScopedAdmin(_Writes, SimpleHistoryAdmin):
    """A model's admin whose lists, pages, history, autocomplete and choices hold only
    what the user may see, and whose saving and deleting go through the services.

    The hooks (`sees_everything`, `role_decides`, `visible`, `editable`, `choosable`,
    `may_add`) come from the permissions module. Only administrators enter the admin
    (actions.sites). A superuser sees everything; a partnership's administrator uses the
    pages by their role, not Django's model permissions, narrowed to their partnerships by
    the hooks. For anyone else the narrowing stays in place, with Django's model
    permissions on top, should the admin ever let them in.
    """

    # ---- hooks --------------------------------------------------------------------------

    def sees_everything(self, request) -> bool:
        """Whether the user may see and change every record (the site's superuser)."""
        return False

    def role_decides(self, request) -> bool:
        """Whether the user's role, not Django's model permissions, lets them use the
        model's pages (a partnership's administrator): what they see and change there is
        still narrowed by the hooks below."""
        return False

    def _django_allows(self, request, permission: Callable, obj=None) -> bool:
        return self.role_decides(request) or permission(request, obj)

    def visible(self, request) -> QuerySet:
        """The records the user may see."""
        raise NotImplementedError

    def editable(self, request) -> QuerySet:
        """The records the user may change and delete."""
        return self.model._default_manager.none()

    def choosable(self, request) -> QuerySet:
        """The records the user may choose in another model's form, and find by its
        autocomplete, as that model's relation to this one."""
        return self.editable(request)

    def may_add(self, request) -> bool:
        return self.sees_everything(request)

    # ---- what is shown --------------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.sees_everything(request):
            return queryset
        return queryset.filter(pk__in=self.visible(request).values("pk"))

    def allows(self, request, hook: Callable, obj) -> bool:
        return self.sees_everything(request) or hook(request).filter(pk=obj.pk).exists()

    def has_module_permission(self, request):
        return (
            self.sees_everything(request)
            or self.role_decides(request)
            or super().has_module_permission(request)
        )

    def has_view_permission(self, request, obj=None):
        if self.sees_everything(request):
            return True
        return self._django_allows(request, super().has_view_permission, obj) and (
            obj is None or self.allows(request, self.visible, obj)
        )

    def has_change_permission(self, request, obj=None):
        if self.sees_everything(request):
            return True
        return self._django_allows(request, super().has_change_permission, obj) and (
            obj is None or self.allows(request, self.editable, obj)
        )

    def has_delete_permission(self, request, obj=None):
        if self.sees_everything(request):
            return True
        return self._django_allows(request, super().has_delete_permission, obj) and (
            obj is None or self.allows(request, self.editable, obj)
        )

    def has_add_permission(self, request):
        if self.sees_everything(request):
            return True
        return (self.role_decides(request) or super().has_add_permission(request)) and self.may_add(
            request
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        match = request.resolver_match
        if match and match.url_name == "autocomplete" and not self.sees_everything(request):
            # Another model's form is asking what may be chosen for its relation to this one.
            queryset = queryset.filter(pk__in=self.choosable(request).values("pk"))
        return queryset, duplicates

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refused = getattr(request, REFUSED, None)
        if refused is not None:
            form = _refusing(form, refused)
        current = self.model._default_manager.filter(pk=obj.pk) if obj is not None else None
        narrow_choices(self.admin_site, request, form.base_fields, current)
        return form

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history shows the history of a record the list would not show
        # (it takes it for a deleted one): only those who see everything may see that.
        if not self.sees_everything(request):
            self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    # Reverting to an earlier version is not offered: it wrote every field of that version
    # over whatever was changed since, in one step no service offers, and
    # django-simple-history accepted it from anyone who may view the history. Each version
    # can still be seen.
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A record the user may not see is not found, whatever the method.
        if not self.sees_everything(request):
            self._visible_or_404(request, object_id)
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def _visible_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj

    # ---- what is written ------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as refused:
            if request.method != "POST" or hasattr(request, REFUSED):
                raise
            # A service refused the change (a rule of the model's, kept there for every
            # client), and the view's transaction undid whatever was written before it. The
            # form is shown again, as posted, with the service's reason as its error.
            setattr(request, REFUSED, refused)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        values = form_values(form)
        if change:
            self.write_edit(request, obj, values)
            return
        saved = self.write_create(request, values)
        # The admin carries on with the object its form built (its messages and log name
        # it, the inlines' new rows point to it), so it takes the saved record's key.
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        # Not form.save_m2m(): the lists were saved by the service, with the fields.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        inline = next(cls for cls in self.inlines if cls.model is formset.model)
        writes = inline(self.model, self.admin_site)
        # What Django's formset.save() would leave for the admin's change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        deleted = formset.deleted_forms
        for row in formset.forms:
            obj = row.instance
            if row in deleted:
                if obj.pk is not None:
                    writes.write_delete(request, obj)
                    formset.deleted_objects.append(obj)
            elif not row.has_changed():
                continue
            elif obj.pk is None:
                formset.new_objects.append(writes.write_create(request, form_values(row)))
            else:
                writes.write_edit(request, obj, form_values(row))
                formset.changed_objects.append((obj, row.changed_data))

    def delete_model(self, request, obj):
        self.write_delete(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # all that were chosen, or none
            for obj in queryset:
                self.write_delete(request, obj)


REFUSED = "_refused_by_services"


def _refusing(form_class, refused: ValidationError):
    """`form_class` with the services' refusal `refused` as an error of the whole form, so
    that the admin shows it as it shows its own and saves nothing."""

    def clean(self):
        cleaned = super(refusing, self).clean()
        self.add_error(None, refused.messages)
        return cleaned

    refusing = type(form_class.__name__, (form_class,), {"clean": clean})
    return refusing


class ScopedInline(_Writes):
    """An inline of a ScopedAdmin (mix into a TabularInline or StackedInline): its rows may
    be added, changed and deleted where the parent record may be changed, through the
    services its `services` names, and its choices are narrowed as the parent's are."""

    def _parent(self):
        return self.admin_site.get_model_admin(self.parent_model)

    def _parent_allows(self, request, obj) -> bool:
        parent = self._parent()
        return obj is None or parent.allows(request, parent.editable, obj)

    def _django_allows(self, request, permission: Callable, *args) -> bool:
        return self._parent().role_decides(request) or permission(request, *args)

    def has_view_permission(self, request, obj=None):
        if self._parent().sees_everything(request):
            return True
        return self._django_allows(request, super().has_view_permission, obj)

    def has_add_permission(self, request, obj):
        if self._parent().sees_everything(request):
            return True
        return self._django_allows(
            request, super().has_add_permission, obj
        ) and self._parent_allows(request, obj)

    def has_change_permission(self, request, obj=None):
        if self._parent().sees_everything(request):
            return True
        return self._django_allows(
            request, super().has_change_permission, obj
        ) and self._parent_allows(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._parent().sees_everything(request):
            return True
        return self._django_allows(
            request, super().has_delete_permission, obj
        ) and self._parent_allows(request, obj)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        current = None
        if obj is not None:
            current = self.model._default_manager.filter(**{formset.fk.name: obj})
        narrow_choices(self.admin_site, request, formset.form.base_fields, current)
        return formset


def narrow_choices(admin_site, request, fields: dict, current: QuerySet | None) -> None:
    """Narrow each choice of a related record among `fields` (a form's) to what the
    related model's admin lets the user choose, and the values `current` (the records the
    form edits) already hold, so that saving them unchanged stays possible."""
    for name, field in fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None or not admin_site.is_registered(queryset.model):
            continue
        related = admin_site.get_model_admin(queryset.model)
        if not isinstance(related, ScopedAdmin) or related.sees_everything(request):
            continue
        allowed = Q(pk__in=related.choosable(request).values("pk"))
        if current is not None:
            allowed |= Q(pk__in=current.values(name))
        field.queryset = queryset.filter(allowed)


class VisibleRelatedFilter(admin.RelatedOnlyFieldListFilter):
    """Django's filter by the related records of those listed, offering only the related
    records the user may see (their model's `visible`): a shared organisation's list must
    not name the partnerships it also works with that the user is not in (issue 15)."""

    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        related = model_admin.admin_site._registry.get(field.related_model)
        if not isinstance(related, ScopedAdmin) or related.sees_everything(request):
            return choices
        visible = set(related.visible(request).values_list("pk", flat=True))
        return [(pk, label) for pk, label in choices if pk in visible]
