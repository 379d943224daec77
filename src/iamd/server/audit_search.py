"""``iamd audit``: the audit log's records that match a principal, event name, error code and
time range, as the JSON lines they are (docs/audit.md).

The current file is read with the files logrotate left beside it (``audit.log.1``,
``audit.log.2.gz``, ``audit.log-20250101``…), oldest first; a line that is not a JSON object
(a partial line of a crash) is skipped.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

__all__ = ["AuditFilter", "log_files", "parse_time", "search"]

_RELATIVE = re.compile(r"^(\d+)([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_time(text: str, now: dt.datetime) -> dt.datetime:
    """An ISO 8601 time (``2025-01-31T12:00:00Z``, a date alone is its midnight UTC) or a time
    before ``now`` (``15m``, ``2h``, ``7d``)."""
    match = _RELATIVE.match(text.strip())
    if match:
        return now - dt.timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Every given criterion must hold. ``principals``: an ARN (the caller's, or the role or
    user that issued its session) or an access key id. ``error_codes``: ``-`` matches records
    without an error."""

    principals: frozenset[str] = frozenset()
    event_names: frozenset[str] = frozenset()
    error_codes: frozenset[str] = frozenset()
    since: dt.datetime | None = None
    until: dt.datetime | None = None

    def matches(self, record: Mapping[str, object]) -> bool:
        if self.event_names and record.get("eventName") not in self.event_names:
            return False
        if self.error_codes and (record.get("errorCode") or "-") not in self.error_codes:
            return False
        if self.principals and not self.principals & _principal_names(record):
            return False
        if self.since is not None or self.until is not None:
            when = _event_time(record)
            if when is None:
                return False
            if self.since is not None and when < self.since:
                return False
            if self.until is not None and when > self.until:
                return False
        return True


def _principal_names(record: Mapping[str, object]) -> set[str]:
    identity = record.get("userIdentity")
    names: set[str] = set()
    if not isinstance(identity, Mapping):
        return names
    for key in ("arn", "accessKeyId", "principalId"):
        value = identity.get(key)
        if isinstance(value, str):
            names.add(value)
    context = identity.get("sessionContext")
    if isinstance(context, Mapping):
        issuer = context.get("sessionIssuer")
        if isinstance(issuer, Mapping) and isinstance(issuer.get("arn"), str):
            names.add(str(issuer["arn"]))
    return names


def _event_time(record: Mapping[str, object]) -> dt.datetime | None:
    value = record.get("eventTime")
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _rotation_order(path: Path, current: Path) -> tuple[int, int, str]:
    """Oldest first: numbered files by descending number, dated files by date, current last."""
    if path == current:
        return (2, 0, "")
    suffix = path.name[len(current.name) :].lstrip(".-").removesuffix(".gz")
    if suffix.isdigit() and len(suffix) < 6:
        return (0, -int(suffix), "")
    return (1, 0, suffix)


def log_files(current: Path) -> list[Path]:
    """The audit log and the files rotated out of it, oldest first."""
    found = [p for p in current.parent.glob(current.name + "*") if p.is_file()]
    return sorted(found, key=lambda p: _rotation_order(p, current))


def _open(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return path.open("r", encoding="utf-8", errors="replace")


def _records(paths: Iterable[Path]) -> Iterator[tuple[str, Mapping[str, object]]]:
    for path in paths:
        with _open(path) as lines:
            for line in lines:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict):
                    yield line.rstrip("\n"), record


def search(paths: Sequence[Path], criteria: AuditFilter) -> Iterator[str]:
    """The matching records' lines, in the files' order."""
    for line, record in _records(paths):
        if criteria.matches(record):
            yield line
