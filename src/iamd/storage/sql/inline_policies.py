"""Inline policies in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Row

from iamd.domain import InlinePolicy, PolicyOwnerKind
from iamd.storage.repositories import Page
from iamd.storage.sql import schema as t
from iamd.storage.sql.driver import DriverQuery
from iamd.storage.sql.paging import fetch_page

__all__ = ["SqlInlinePolicies"]

_i = t.inline_policies.c
_ALL = DriverQuery(  # the policy engine loads these for each principal
    select(_i.name, _i.document)
    .where(_i.owner_kind == bindparam("b_kind"), _i.owner_id == bindparam("b_owner"))
    .order_by(_i.name)
)


def _inline(row: Row[Any]) -> InlinePolicy:
    return InlinePolicy(
        owner_kind=PolicyOwnerKind(row.owner_kind),
        owner_id=row.owner_id,
        name=row.name,
        document=row.document,
    )


class SqlInlinePolicies:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _where(self, kind: PolicyOwnerKind, owner_id: str) -> Any:
        return (_i.owner_kind == kind.value) & (_i.owner_id == owner_id)

    def get(self, kind: PolicyOwnerKind, owner_id: str, name: str) -> InlinePolicy | None:
        row = self._conn.execute(
            select(t.inline_policies).where(self._where(kind, owner_id), _i.name == name)
        ).first()
        return _inline(row) if row else None

    def put(self, account_id: str, policy: InlinePolicy) -> None:
        where = self._where(policy.owner_kind, policy.owner_id) & (_i.name == policy.name)
        changed = self._conn.execute(
            update(t.inline_policies).where(where).values(document=policy.document)
        )
        if changed.rowcount == 0:
            self._conn.execute(
                insert(t.inline_policies).values(
                    owner_kind=policy.owner_kind.value,
                    owner_id=policy.owner_id,
                    name=policy.name,
                    account_id=account_id,
                    document=policy.document,
                )
            )

    def delete(self, kind: PolicyOwnerKind, owner_id: str, name: str) -> bool:
        result = self._conn.execute(
            delete(t.inline_policies).where(self._where(kind, owner_id), _i.name == name)
        )
        return result.rowcount > 0

    def names(
        self, kind: PolicyOwnerKind, owner_id: str, *, marker: str | None, max_items: int
    ) -> Page[str]:
        stmt = select(_i.name).where(self._where(kind, owner_id))
        return fetch_page(self._conn, stmt, (_i.name,), marker, max_items, lambda r: r.name)

    def all(self, kind: PolicyOwnerKind, owner_id: str) -> Sequence[InlinePolicy]:
        rows = _ALL.rows(self._conn, {"b_kind": kind.value, "b_owner": owner_id})
        return [InlinePolicy(kind, owner_id, name, document) for name, document in rows]

    def count(self, kind: PolicyOwnerKind, owner_id: str) -> int:
        return int(
            self._conn.execute(
                select(func.count())
                .select_from(t.inline_policies)
                .where(self._where(kind, owner_id))
            ).scalar_one()
        )
