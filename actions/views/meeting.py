"""Since the last meeting, indicators and the pre-meeting pack. BEING BUILT (issue 5);
placeholders so URLs resolve meanwhile."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def plan_since(request, slug):
    return HttpResponse("Since")


@login_required
def board_since(request, pk):
    return HttpResponse("Since")


@login_required
def plan_indicators(request, slug):
    return HttpResponse("Indicators")


@login_required
def plan_pack(request, slug):
    return HttpResponse("Pack")


@login_required
def board_pack(request, pk):
    return HttpResponse("Pack")


@login_required
def plan_pack_docx(request, slug):
    return HttpResponse("Pack")


@login_required
def board_pack_docx(request, pk):
    return HttpResponse("Pack")
