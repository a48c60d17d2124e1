"""Logging filters.

Django logs every refusal (403, 404) of a page as a warning with the exception's traceback; a refusal
is the code working as designed, so one line is enough. Server errors keep their traceback."""

import logging


class RefusalsInOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
