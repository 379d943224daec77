"""Tags in SQL, for every kind of taggable resource."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.engine import Connection

from iamd.domain import Tag
from iamd.storage.repositories import Page
from iamd.storage.sql import schema as t
from iamd.storage.sql.driver import DriverQuery
from iamd.storage.sql.paging import fetch_page

__all__ = ["SqlTags"]

_t = t.tags.c
_OF = DriverQuery(
    select(_t.key, _t.value)
    .where(_t.resource_kind == bindparam("b_kind"), _t.resource_id == bindparam("b_id"))
    .order_by(_t.position)
)  # on the path of most requests (iamd.storage.sql.driver)


class SqlTags:
    """``remember``: keep what ``get`` read for the rest of the unit of work (a read-only one:
    authorization and the handler often read the same tags)."""

    def __init__(self, conn: Connection, *, remember: bool = False) -> None:
        self._conn = conn
        self._seen: dict[tuple[str, str], tuple[Tag, ...]] | None = {} if remember else None

    def get(self, kind: str, resource_id: str) -> tuple[Tag, ...]:
        if self._seen is not None and (kind, resource_id) in self._seen:
            return self._seen[kind, resource_id]
        rows = _OF.rows(self._conn, {"b_kind": kind, "b_id": resource_id})
        tags = tuple(Tag(key, value) for key, value in rows)
        if self._seen is not None:
            self._seen[kind, resource_id] = tags
        return tags

    def replace(self, account_id: str, kind: str, resource_id: str, tags: Sequence[Tag]) -> None:
        self.delete_all(kind, resource_id)
        if tags:
            self._conn.execute(
                insert(t.tags),
                [
                    {
                        "resource_kind": kind,
                        "resource_id": resource_id,
                        "key_lower": tag.key.lower(),
                        "account_id": account_id,
                        "key": tag.key,
                        "value": tag.value,
                        "position": i,
                    }
                    for i, tag in enumerate(tags)
                ],
            )

    def page(self, kind: str, resource_id: str, *, marker: str | None, max_items: int) -> Page[Tag]:
        stmt = select(_t.key, _t.value).where(
            _t.resource_kind == kind, _t.resource_id == resource_id
        )
        return fetch_page(
            self._conn, stmt, (_t.position,), marker, max_items, lambda r: Tag(r.key, r.value)
        )

    def delete_all(self, kind: str, resource_id: str) -> None:
        if self._seen:
            self._seen.clear()
        self._conn.execute(
            delete(t.tags).where(_t.resource_kind == kind, _t.resource_id == resource_id)
        )
