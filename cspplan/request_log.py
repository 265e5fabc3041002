"""One line of JSON in the server log for every request (settings.LOGGING, logger
"cspplan.requests"): its method, path, status, how long it took in milliseconds, the
signed-in user's id and the request's id. Nothing else about the person: no name, email
address or query string (search words and filters can hold names), and a token in the
path, the password reset link's, is left out.

The request id is the X-Request-ID header the reverse proxy or load balancer sent, if it is
a well-formed id, else a new one; it is returned in the response's X-Request-ID header and
added to every other line logged while the request is served (cspplan.logs), so that a
line in the proxy's log, a request's line and a server error's traceback can be matched.
"""

import logging
import re
import time
import uuid

from cspplan.logs import current_request_id

logger = logging.getLogger("cspplan.requests")

HEADER = "X-Request-ID"
# What proxies send: a UUID, nginx's $request_id (32 hex digits), or similar. Anything else,
# or anything longer, is replaced rather than written into the log.
WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")
# URL arguments that work as a password for as long as they are valid.
SECRET_ARGUMENTS = ("token",)
# A path is the client's to choose; a longer one is cut short in the log.
MAX_PATH = 500


class RequestLogMiddleware:
    """First in settings.MIDDLEWARE, so that it times the whole request and logs every
    one, static files and redirects included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = request_id(request.META.get("HTTP_X_REQUEST_ID"))
        reset = current_request_id.set(request.request_id)
        try:
            # Django turns an exception in a view or middleware into a response (500)
            # before it gets here, so a failed request is logged like any other.
            response = self.get_response(request)
            response[HEADER] = request.request_id
            logger.info(
                "request",
                extra={
                    "fields": {
                        "method": request.method,
                        "path": logged_path(request),
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        "user_id": user_id(request),
                        "request_id": request.request_id,
                    }
                },
            )
            return response
        finally:
            current_request_id.reset(reset)


def request_id(sent: str | None) -> str:
    """The id the proxy sent, if well formed; else a new one."""
    if sent and WELL_FORMED_ID.fullmatch(sent):
        return sent
    return uuid.uuid4().hex


def logged_path(request) -> str:
    """The path without its query string, with any secret URL argument left out."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    for name in SECRET_ARGUMENTS if match else ():
        value = match.kwargs.get(name)
        if value:
            path = path.replace(f"/{value}/", f"/<{name}>/")
    return path[:MAX_PATH]


def user_id(request) -> int | None:
    """The signed-in user's id. A request that never reached the authentication middleware
    (a static file, served before it) has no user, and its session is not read for one."""
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None
