"""The server log (settings.LOGGING): one line of JSON per record, and a filter."""

import datetime
import json
import logging
from contextvars import ContextVar

# The id of the request being served (cspplan.request_log), for every line logged meanwhile.
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)


class JsonFormatter(logging.Formatter):
    """Each record as one line of JSON, which log collectors read without parsing rules:
    when, how severe, which logger, and either the record's `fields` (the request log's,
    cspplan.request_log) or its message; the request id while a request is served; and a
    traceback, where there is one, inside the line rather than over many."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        else:
            line["message"] = record.getMessage()
        request_id = current_request_id.get()
        if request_id and "request_id" not in line:
            line["request_id"] = request_id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, default=str)


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
