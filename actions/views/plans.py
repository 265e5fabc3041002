"""Plans and the plan page. BEING BUILT (issue 4); placeholder so URLs resolve meanwhile."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def plan_list(request):
    return HttpResponse("Plans")


@login_required
def plan_detail(request, slug):
    return HttpResponse("Plan")
