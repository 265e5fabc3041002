"""Sessions that end after a working day without a request (settings.SESSION_COOKIE_AGE).

Django counts a session's age from its last save. SESSION_SAVE_EVERY_REQUEST would save it
on every request, a database write per page that, on SQLite, queues behind an import's
write lock. Instead the session is saved again only when its last save is more than
REFRESH_AFTER old: it then ends between SESSION_COOKIE_AGE - REFRESH_AFTER and
SESSION_COOKIE_AGE after the last request, and a user clicking around writes once every
few minutes at most.
"""

import time
from datetime import timedelta

from django.contrib.auth.signals import user_logged_in

REFRESH_AFTER = timedelta(minutes=5)
# When the session was last saved by signing in or by a refresh, in seconds since the epoch.
SAVED_AT = "_idle_saved_at"


class IdleSessionMiddleware:
    """Pushes a session's end on by saving it, at most once every REFRESH_AFTER. After
    SessionMiddleware, so that its save happens on the way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session the browser already has: a visitor with none is not given one.
        if session is not None and session.session_key and not session.is_empty():
            saved_at = session.get(SAVED_AT)
            if session.modified or saved_at is None or _age(saved_at) >= REFRESH_AFTER:
                # Setting it marks the session modified, so SessionMiddleware saves it and
                # the database's expiry date moves a whole SESSION_COOKIE_AGE on.
                session[SAVED_AT] = time.time()
        return response


def _age(saved_at: float) -> timedelta:
    return timedelta(seconds=time.time() - saved_at)


def stamp_new_session(sender, request, user, **kwargs):
    """Signing in saves the session: note when, so the first requests do not save it again."""
    request.session[SAVED_AT] = time.time()


def connect() -> None:
    user_logged_in.connect(stamp_new_session, dispatch_uid="cspplan.idle_sessions")
