"""The health URL (/healthz/) that load balancers and monitoring ask whether this app server
can serve: it answers 200 when the database answers one cheap query, 503 when not.

It needs no session and no sign-in and says nothing about anyone: a load balancer probes
it every few seconds, with no cookies, from an address that may be locked out of signing
in. So the second factor's middleware lets it through before looking at the user
(accounts.middleware), the lock-out (django-axes) only acts on sign-ins, and plain HTTP
reaches it with SECURE_SSL_REDIRECT on (SECURE_REDIRECT_EXEMPT), because a load balancer
probes its app servers directly rather than through the HTTPS front.
"""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # Why, for the operator; the answer itself says only that it is not ready.
        logger.error("Health check: the database did not answer: %s", error)
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
