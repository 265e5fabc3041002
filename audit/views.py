"""The audit log page: for the site's superusers only; not found for anyone else, like every
page a user may not know exists. It reads every partnership's history, so a partnership's
administrator may not (issue 15)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from actions.permissions import sees_everything
from actions.views.pagination import pagination
from audit.forms import AuditFilterForm
from audit.log import Filters, entries, log_rows

PAGE_SIZE = 50


@require_safe
@login_required
def audit_log(request):
    if not sees_everything(request.user):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else Filters()
    context = {"form": form}
    if filters is not None:  # None: the form says what to correct
        page = Paginator(log_rows(filters), PAGE_SIZE).get_page(request.GET.get("page"))
        context |= {
            "page": page,
            "entries": entries(list(page.object_list)),
            "pagination": pagination(page, request.GET),
        }
    return render(request, "audit/audit_log.html", context)
