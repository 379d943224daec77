"""Keyset pagination: a marker is the sort key of the last item returned, so a page costs the
same whatever the size of the account (no OFFSET)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, func, tuple_
from sqlalchemy.engine import Connection, Row
from sqlalchemy.sql.elements import ColumnElement

from iamd.storage.repositories import InvalidMarker, Page

__all__ = ["fetch_page", "path_starts_with"]

T = TypeVar("T")


def _encode(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(marker: str, width: int) -> list[Any]:
    try:
        padded = marker + "=" * (-len(marker) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeError) as exc:
        raise InvalidMarker(marker) from exc
    if not isinstance(values, list) or len(values) != width:
        raise InvalidMarker(marker)
    if not all(isinstance(v, str | int) for v in values):
        raise InvalidMarker(marker)
    return values


def fetch_page(
    conn: Connection,
    stmt: Select[Any],
    keys: Sequence[ColumnElement[Any]],
    marker: str | None,
    max_items: int,
    convert: Callable[[Row[Any]], T],
) -> Page[T]:
    """Run ``stmt`` ordered by ``keys`` from just after ``marker``, at most ``max_items`` rows."""
    if marker is not None:
        after = _decode(marker, len(keys))
        stmt = stmt.where(tuple_(*keys) > tuple_(*after))
    stmt = stmt.add_columns(*(k.label(f"_k{i}") for i, k in enumerate(keys)))
    rows = conn.execute(stmt.order_by(*keys).limit(max_items + 1)).all()
    more = len(rows) > max_items
    rows = rows[:max_items]
    items = tuple(convert(row) for row in rows)
    next_marker = None
    if more and rows:
        last = rows[-1]._mapping
        next_marker = _encode([last[f"_k{i}"] for i in range(len(keys))])
    return Page(items, next_marker)


def path_starts_with(column: ColumnElement[str], prefix: str) -> ColumnElement[bool]:
    """Case-sensitive prefix match with no LIKE wildcards (SQLite's LIKE ignores case)."""
    return func.substr(column, 1, len(prefix)) == prefix
