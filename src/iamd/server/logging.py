"""Structured logs: one JSON object per line on standard error, with the request id when a
record concerns a request, and no secret.

iamd's own log records never carry a request's parameters or a credential; what could carry one
is an exception's text, so a logged exception is reduced to its type and the stack's frames
(file, line, function) — the message and local values are left out. uvicorn's own loggers go
through the same formatter. Requests themselves are recorded in the audit log, not here.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import traceback
from typing import Any

__all__ = ["JsonFormatter", "configure_logging", "uvicorn_log_config"]

_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "color_message",
}


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "request_id"?, "exception"?, ...extra}``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).strftime(
                "%Y-%m-%dT%H:%M:%S.%fZ"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info and record.exc_info[0] is not None:
            kind, _value, tb = record.exc_info
            entry["exception"] = {
                "type": kind.__name__,
                "frames": [
                    f"{frame.filename}:{frame.lineno} {frame.name}"
                    for frame in traceback.extract_tb(tb)
                ],
            }
        return json.dumps(entry, separators=(",", ":"))


def configure_logging(level: str = "warning") -> None:
    """JSON lines on standard error for iamd's loggers (idempotent)."""
    logger = logging.getLogger("iamd")
    logger.setLevel(level.upper())
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.propagate = False


def uvicorn_log_config(level: str = "warning") -> dict[str, Any]:
    """uvicorn's ``log_config``: its loggers (and iamd's) as JSON lines on standard error."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {"json": handler},
        "loggers": {
            "uvicorn": {"handlers": ["json"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"level": level.upper()},
            "uvicorn.access": {"handlers": ["json"], "level": "WARNING", "propagate": False},
            "iamd": {"handlers": ["json"], "level": level.upper(), "propagate": False},
        },
    }
