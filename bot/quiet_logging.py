"""Logging that cannot carry a child's words.

Library logs are the easiest place for text to leak: Rasa's structlog events carry the
parsed text at DEBUG and render exceptions with their local variables (the slots), and
exception messages and tracebacks from any library may quote what they were processing.
So every record keeps its static message but loses its exception details (only the
exception's type is kept), and structlog events keep only their event name and level.
"""
from __future__ import annotations

import logging
import sys

FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"


class DropExceptionDetail(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[0] is not None:
            record.msg = f"{record.getMessage()} [{record.exc_info[0].__name__}]"
            record.args = ()
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


def _only_event_and_level(_logger, method_name: str, event_dict: dict) -> dict:
    return {"event": event_dict.get("event"), "level": method_name}


def configure(quiet_loggers: tuple[str, ...] = ()) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(DropExceptionDetail())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for name in quiet_loggers:
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        import structlog
    except ImportError:
        return
    structlog.configure(
        processors=[structlog.stdlib.filter_by_level, _only_event_and_level,
                    structlog.processors.JSONRenderer()],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
