"""SSH public keys of IAM users in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Row

from iamd.domain import KeyStatus, SshPublicKey
from iamd.storage.repositories import Page
from iamd.storage.sql import schema as t
from iamd.storage.sql.paging import fetch_page

__all__ = ["SqlSshPublicKeys"]

_k = t.ssh_public_keys.c
_u = t.users.c


def _key(row: Row[Any]) -> SshPublicKey:
    return SshPublicKey(
        id=row.id,
        account_id=row.account_id,
        user_id=row.user_id,
        user_name=row.user_name,
        body=row.body,
        fingerprint=row.fingerprint,
        status=KeyStatus(row.status),
        uploaded_at=row.uploaded_at,
    )


def _select() -> Any:
    return select(t.ssh_public_keys, _u.name.label("user_name")).join(t.users, _u.id == _k.user_id)


class SqlSshPublicKeys:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, user_id: str, key_id: str) -> SshPublicKey | None:
        row = self._conn.execute(_select().where(_k.user_id == user_id, _k.id == key_id)).first()
        return _key(row) if row else None

    def for_user(self, user_id: str) -> Sequence[SshPublicKey]:
        rows = self._conn.execute(_select().where(_k.user_id == user_id).order_by(_k.id)).all()
        return [_key(r) for r in rows]

    def count(self, user_id: str) -> int:
        return int(
            self._conn.execute(
                select(func.count()).select_from(t.ssh_public_keys).where(_k.user_id == user_id)
            ).scalar_one()
        )

    def page(self, user_id: str, *, marker: str | None, max_items: int) -> Page[SshPublicKey]:
        stmt = _select().where(_k.user_id == user_id)
        return fetch_page(self._conn, stmt, (_k.id,), marker, max_items, _key)

    def add(self, key: SshPublicKey) -> None:
        self._conn.execute(
            insert(t.ssh_public_keys).values(
                id=key.id,
                account_id=key.account_id,
                user_id=key.user_id,
                body=key.body,
                fingerprint=key.fingerprint,
                status=key.status.value,
                uploaded_at=key.uploaded_at,
            )
        )

    def set_status(self, key_id: str, status: KeyStatus) -> None:
        self._conn.execute(
            update(t.ssh_public_keys).where(_k.id == key_id).values(status=status.value)
        )

    def delete(self, key_id: str) -> None:
        self._conn.execute(delete(t.ssh_public_keys).where(_k.id == key_id))
