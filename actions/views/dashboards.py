"""The chairs' dashboards. BEING BUILT (issue 5); placeholders so URLs resolve meanwhile."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def board_list(request):
    return HttpResponse("Boards")


@login_required
def board_dashboard(request, pk):
    return HttpResponse("Board dashboard")


@login_required
def plan_dashboard(request, slug):
    return HttpResponse("Plan dashboard")
