"""Logging that cannot carry a child's words.

Library logs are the easiest place for text to leak: Rasa's structlog events carry the
parsed text at DEBUG and render exceptions with their local variables (the slots), and
exception messages and tracebacks from any library may quote what they were processing.
So every record keeps its static message but loses its exception details (only the
exception's type is kept), and structlog events keep only their event name and level.

`SIPKOMPIS_LOG_LEVEL=DEBUG` turns on DEBUG for our own code only (`bot`, `actions`,
`sipkompis`), whose log lines are written to carry ids, counts and types, never text.
Libraries stay at INFO or above whatever is asked for, Rasa's own LOG_LEVEL and
LOG_LEVEL_LIBRARIES included: their DEBUG records quote the message, the request body and
the slots.
"""
from __future__ import annotations

import logging
import os
import sys

FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"
OWN = ("bot", "actions", "sipkompis")
LIBRARY_FLOOR = logging.INFO
# Loggers that keep a handler of their own or do not propagate (Sanic's, once Rasa has set
# them up): brought back under the root handler and its filter.
_DETACHED = ("sanic.root", "sanic.error", "sanic.access", "sanic.server")


def requested_level() -> int:
    name = (os.environ.get("SIPKOMPIS_LOG_LEVEL") or "INFO").strip().upper()
    level = logging.getLevelName(name)
    return level if isinstance(level, int) else logging.INFO


class DropExceptionDetail(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[0] is not None:
            record.msg = f"{record.getMessage()} [{record.exc_info[0].__name__}]"
            record.args = ()
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


class LibrariesNotBelowInfo(logging.Filter):
    """Whatever level a library set on its own logger, its DEBUG records never get out."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= LIBRARY_FLOOR:
            return True
        return any(record.name == own or record.name.startswith(own + ".") for own in OWN)


def _only_event_and_level(_logger, method_name: str, event_dict: dict) -> dict:
    return {"event": event_dict.get("event"), "level": method_name}


def configure(quiet_loggers: tuple[str, ...] = ()) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(LibrariesNotBelowInfo())
    handler.addFilter(DropExceptionDetail())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    requested = requested_level()
    root.setLevel(max(requested, LIBRARY_FLOOR))
    for name in _DETACHED:
        detached = logging.getLogger(name)
        for old in list(detached.handlers):
            detached.removeHandler(old)
        detached.propagate = True
    for name in quiet_loggers:
        logging.getLogger(name).setLevel(max(logging.WARNING, requested))
    for name in OWN:
        logging.getLogger(name).setLevel(requested)
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
