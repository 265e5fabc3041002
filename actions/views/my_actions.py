"""Home: the actions the signed-in person or their organisation leads.

BEING BUILT (issue 4) by another engineer; this placeholder exists so URLs resolve meanwhile.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def my_actions(request):
    return HttpResponse("My actions")
