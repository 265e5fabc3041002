"""The action page and its update form. BEING BUILT (issue 4); placeholder meanwhile."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def action_detail(request, pk):
    return HttpResponse("Action")


@login_required
def action_update(request, pk):
    return HttpResponse("Update")
