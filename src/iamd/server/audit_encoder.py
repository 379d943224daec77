"""The audit record of a request as one JSON line, made cheaply on the request path.

:func:`iamd.server.audit.audit_record` says what a record holds; :class:`RecordEncoder` writes
the very same JSON (a test compares them) without building the record's dictionaries first: the
parts that repeat from request to request — the caller's ``userIdentity``, the event time within
one second, the user agent — are encoded once and reused.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable

from iamd.domain import Principal
from iamd.server.audit import (
    EVENT_VERSION,
    MAX_AGENT,
    MAX_NAME,
    evaluations_of,
    json_default,
    scrub,
    user_identity,
)
from iamd.server.pipeline import Outcome

__all__ = ["RecordEncoder"]

_MAX_CACHED = 10_000

_dumps: Callable[[object], str] = json.JSONEncoder(
    separators=(",", ":"), default=json_default
).encode


class RecordEncoder:
    """Encodes outcomes as audit lines; safe to share between threads (its caches are only
    ever replaced whole)."""

    def __init__(self) -> None:
        self._identities: dict[int, tuple[Principal, str]] = {}
        self._agents: dict[str, str] = {}
        self._second: tuple[int, str] = (-1, "")

    def _identity(self, outcome: Outcome) -> str:
        caller = outcome.caller
        if caller is None:
            return _dumps(user_identity(None, outcome.access_key_id))
        found = self._identities.get(id(caller))
        if found is not None and found[0] is caller:
            return found[1]
        text = _dumps(user_identity(caller, outcome.access_key_id))
        if len(self._identities) >= _MAX_CACHED:
            self._identities = {}
        self._identities[id(caller)] = (caller, text)
        return text

    def _agent(self, agent: str) -> str:
        found = self._agents.get(agent)
        if found is None:
            found = _dumps(agent[:MAX_AGENT])
            if len(self._agents) >= 256:
                self._agents = {}
            self._agents[agent] = found
        return found

    def _time(self, outcome: Outcome) -> str:
        at = outcome.event_time
        seconds = int(at.timestamp()) if at is not None else int(time.time())
        cached = self._second
        if cached[0] == seconds:
            return cached[1]
        text = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))
        self._second = (seconds, text)
        return text

    def line(self, outcome: Outcome, *, event_id: str | None = None) -> bytes:
        service = outcome.service or "iam"
        succeeded = outcome.error_code is None
        name = outcome.operation or ""
        parts = [
            '{"eventVersion":"',
            EVENT_VERSION,
            '","userIdentity":',
            self._identity(outcome),
            ',"eventTime":"',
            self._time(outcome),
            '","eventSource":"',
            service,
            '.amazonaws.com","eventName":',
            f'"{name}"' if outcome.read_only is not None else _dumps(name[:MAX_NAME]),
            ',"awsRegion":',
            _dumps(outcome.region or "us-east-1"),
            ',"sourceIPAddress":',
            _dumps(outcome.source_ip),
            ',"userAgent":',
            self._agent(outcome.user_agent),
        ]
        if not succeeded:
            parts += [
                ',"errorCode":',
                _dumps(outcome.error_code),
                ',"errorMessage":',
                _dumps(outcome.error_message),
            ]
        parts += [
            ',"requestParameters":',
            _dumps(scrub(outcome.params)) if outcome.params else "null",
            ',"responseElements":',
            _dumps(scrub(outcome.response))
            if succeeded and outcome.read_only is False and outcome.response is not None
            else "null",
            ',"requestID":"',
            outcome.request_id,
            '","eventID":"',
            event_id or str(uuid.uuid4()),
            '","readOnly":',
            "null" if outcome.read_only is None else "true" if outcome.read_only else "false",
            ',"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":',
            _dumps(outcome.account_id) if outcome.account_id else "null",
            ',"eventCategory":"Management","iamd":{"httpStatus":',
            str(outcome.status),
            ',"decision":',
            _dumps(outcome.decision),
            ',"evaluations":',
            _dumps(evaluations_of(outcome.evaluations)) if outcome.evaluations else "[]",
            "}}\n",
        ]
        return "".join(parts).encode()
