"""Logging filters for the server log (settings.LOGGING)."""

import logging


class NoTracebackForClientErrors(logging.Filter):
    """A refused request (403 for an update form the user may not use, 400 for a broken
    upload) is the app working as meant: Django logs it as one line, and this leaves out
    the traceback it attaches, which would read like a crash in the server log. Server
    errors (500) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
