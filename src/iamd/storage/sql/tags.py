"""Tags in SQL, for every kind of taggable resource."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from iamd.domain import Tag
from iamd.storage.repositories import Page
from iamd.storage.sql import schema as t
from iamd.storage.sql.paging import fetch_page

__all__ = ["SqlTags"]

_t = t.tags.c


class SqlTags:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, kind: str, resource_id: str) -> tuple[Tag, ...]:
        rows = self._conn.execute(
            select(_t.key, _t.value)
            .where(_t.resource_kind == kind, _t.resource_id == resource_id)
            .order_by(_t.position)
        ).all()
        return tuple(Tag(r.key, r.value) for r in rows)

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
        self._conn.execute(
            delete(t.tags).where(_t.resource_kind == kind, _t.resource_id == resource_id)
        )
