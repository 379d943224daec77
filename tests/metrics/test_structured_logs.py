"""Structured logs: one JSON object per record, with the request id when there is one, and an
exception reduced to its type and frames (its message could carry a secret)."""

from __future__ import annotations

import json
import logging

from iamd.server.logging import JsonFormatter, uvicorn_log_config


def _record(message: str, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("iamd.request", logging.ERROR, __file__, 1, message, None, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_a_record_is_one_json_object() -> None:
    line = JsonFormatter().format(_record("internal failure", request_id="r-1"))
    entry = json.loads(line)
    assert entry["message"] == "internal failure"
    assert entry["level"] == "error"
    assert entry["logger"] == "iamd.request"
    assert entry["request_id"] == "r-1"
    assert entry["time"].endswith("Z")
    assert "\n" not in line


def test_an_exception_keeps_its_type_and_frames_but_not_its_text() -> None:
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY"
    try:
        raise ValueError(f"bad key {secret}")
    except ValueError:
        import sys

        record = _record("failed")
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["exception"]["type"] == "ValueError"
    assert any("test_structured_logs.py" in frame for frame in entry["exception"]["frames"])
    assert secret not in line


def test_uvicorn_logs_go_through_the_same_formatter() -> None:
    config = uvicorn_log_config("info")
    assert config["formatters"]["json"]["()"] == "iamd.server.logging.JsonFormatter"
    assert config["loggers"]["uvicorn"]["handlers"] == ["json"]
    assert config["loggers"]["iamd"]["handlers"] == ["json"]
